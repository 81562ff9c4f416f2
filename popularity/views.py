"""The view beacon's address: one POST per article a reader opens."""

from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import counting


@csrf_exempt  # sent by cached pages, which carry no per-reader token; it changes no reader data
@require_POST
def count_view(request):
    """The page beacon: count one view of a live article by a reader's browser.

    Answers 204 when counted or deliberately ignored (a crawler, or an address past its
    ceiling for the article: a script is not told that it was dropped), 400 for a malformed id,
    404 for an article that is unknown or not live, and 503 when no buffer can keep the view;
    it never fails the page that sent it.
    """
    article_id = request.POST.get("id", "")
    # isascii(): "²" and "١٢" are digits to isdigit() too; int() refuses the first.
    if not (article_id.isascii() and article_id.isdigit() and len(article_id) < 16):
        return HttpResponseBadRequest("id?")
    if not counting.is_counted_request(request):
        return HttpResponse(status=204)
    if not counting.is_live_article(int(article_id)):
        return HttpResponseNotFound("?")
    if not counting.within_ceiling(request, int(article_id)):
        return HttpResponse(status=204)
    try:
        counting.record_view(int(article_id))
    except DatabaseError:  # neither Redis nor the database can keep it just now
        return HttpResponse("Thử lại sau.", status=503, headers={"Retry-After": "5"})
    return HttpResponse(status=204)
