from ckeditor_uploader.views import upload as ckeditor_upload
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import escapejs
from django.views import generic
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from sections.context_processors import menu_sections

from . import popularity, workflow
from .images import clean_photo
from .models import Article, Author, Tag
from .pagination import ARTICLES_PER_PAGE, NewestPagesPaginator, SearchResultsPaginator
from .previews import granted_article_id

FEATURED_COUNT = 5
LATEST_COUNT = 12
PER_SECTION_BLOCK = 4
SEARCH_MAX_LENGTH = 200


class HomeView(generic.TemplateView):
    """Tin nổi bật, the latest news, and a block for each section of the menu."""

    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        live = Article.objects.live()
        featured = list(live.featured().newest_first().for_listing()[:FEATURED_COUNT])
        newest = list(live.newest_first().for_listing()[: FEATURED_COUNT + LATEST_COUNT])
        # Too few picks: fill "Tin nổi bật" with the newest; the latest list skips what is above.
        featured += [a for a in newest if a not in featured][: FEATURED_COUNT - len(featured)]
        latest = [a for a in newest if a not in featured][:LATEST_COUNT]
        top_section_of = live.newest_per_section(PER_SECTION_BLOCK)
        by_section = {}
        for article in live.filter(pk__in=list(top_section_of)).newest_first().for_listing():
            by_section.setdefault(top_section_of[article.pk], []).append(article)
        section_blocks = [
            (section, by_section[section.pk])
            for section in menu_sections(self.request)
            if section.pk in by_section
        ]
        return super().get_context_data(
            featured=featured, latest=latest, section_blocks=section_blocks, **kwargs
        )


class ArticleDetailView(generic.DetailView):
    context_object_name = "article"

    def get_queryset(self):
        # One query; the body, bylines, tags and corrections are read by the page's fragments
        # only when they are built (see article_detail.html).
        return Article.objects.live().for_listing()

    def get_context_data(self, **kwargs):
        section = self.object.section
        return super().get_context_data(
            current_section_id=section.parent_id or section.pk, **kwargs
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.slug != kwargs["slug"]:
            # An old or mistyped slug: send readers and search engines to the current address.
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))


class ArticlePreviewView(ArticleDetailView):
    """An article as readers will see it, whatever its state, under a "not published" banner.

    Staff who may open the article in the admin use /xem-truoc/<id>/; anyone holding a link an
    editor made (articles/previews.py) uses /xem-truoc/k/<token>/ until it expires or is revoked.
    Never cached, never indexed, and it names only the public address (article_detail.html).
    """

    def get_queryset(self):
        return Article.objects.select_related("section__parent", "lead_image")

    def get_object(self, queryset=None):
        if "token" in self.kwargs:
            article_id = granted_article_id(self.kwargs["token"])
            if article_id is None:
                raise Http404("Liên kết xem trước không hợp lệ, đã hết hạn hoặc đã bị thu hồi.")
            return get_object_or_404(self.get_queryset(), pk=article_id)
        article = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not workflow.can_view(self.request.user, article):
            raise Http404
        return article

    def get(self, request, *args, **kwargs):
        if "pk" in kwargs and not request.user.is_staff:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        self.object = self.get_object()
        response = self.render_to_response(self.get_context_data(object=self.object))
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, **kwargs)


class ArticleListView(generic.ListView):
    """A paginated list of live articles below a heading object (an author, a tag)."""

    paginate_by = ARTICLES_PER_PAGE
    paginator_class = NewestPagesPaginator
    context_object_name = "articles"
    heading_model = None

    def get_heading(self):
        return get_object_or_404(self.heading_model, slug=self.kwargs["slug"])

    def get(self, request, *args, **kwargs):
        self.heading = self.get_heading()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, **kwargs)


class AuthorDetailView(ArticleListView):
    heading_model = Author
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        return Article.objects.live().by_author(self.heading).newest_first().for_listing()


class TagDetailView(ArticleListView):
    heading_model = Tag
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        return Article.objects.live().tagged(self.heading).newest_first().for_listing()


class SearchView(generic.ListView):
    """/tim-kiem/?q=...: accents optional ("da nang" finds "Đà Nẵng"), title matches first."""

    template_name = "articles/search.html"
    paginate_by = ARTICLES_PER_PAGE
    paginator_class = SearchResultsPaginator
    context_object_name = "articles"

    def get_queryset(self):
        self.query = " ".join(self.request.GET.get("q", "").split())[:SEARCH_MAX_LENGTH]
        return Article.objects.live().search(self.query).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)


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
    if not popularity.is_counted_request(request):
        return HttpResponse(status=204)
    if not popularity.is_live_article(int(article_id)):
        return HttpResponseNotFound("?")
    if not popularity.within_ceiling(request, int(article_id)):
        return HttpResponse(status=204)
    try:
        popularity.record_view(int(article_id))
    except DatabaseError:  # neither Redis nor the database can keep it just now
        return HttpResponse("Thử lại sau.", status=503, headers={"Retry-After": "5"})
    return HttpResponse(status=204)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /ckeditor/",
        "Disallow: /tim-kiem/",
        "Disallow: /xem-truoc/",
        "Disallow: /luot-xem/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-news'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# The editor's dialog posts its photo by XMLHttpRequest (filebrowserUploadMethod "xhr") with
# Django's CSRF token in a header (static/newsroom/admin/ckeditor_upload/plugin.js) and reads the
# JSON answer. A client that names a callback (CKEditorFuncNum, CKEditor's older form post) gets
# it back inside a <script>, so it must be a plain number: CKEditor's own are small counters.
FUNC_NUM_MAX_DIGITS = 9


@staff_member_required
@permission_required("articles.add_image", raise_exception=True)
@require_POST
def upload_body_image(request):
    """The editor's photo upload, for staff with a newsroom role (reporters and editors may add
    photos). django-ckeditor stores what it is given, so it is given the photo as
    `clean_photo()` makes it (checked, upright, without metadata, named after its real format),
    or nothing: the editor shows why, in Vietnamese. A callback that is not a plain number is
    refused before anything is read or stored."""
    func_num = request.GET.get("CKEditorFuncNum", "")
    if func_num and not (
        func_num.isascii() and func_num.isdigit() and len(func_num) <= FUNC_NUM_MAX_DIGITS
    ):
        return HttpResponseBadRequest(
            "CKEditorFuncNum phải là một số.", content_type="text/plain; charset=utf-8"
        )
    upload = request.FILES.get("upload")
    message = None
    if upload is None:
        message = "Không có tệp nào được gửi lên."
    else:
        try:
            request.FILES["upload"] = clean_photo(upload)
        except ValidationError as error:
            message = " ".join(error.messages)
    if message is None:
        return ckeditor_upload(request)
    if func_num:
        # A form post from the editor's "Upload" tab expects a script that reports back to it.
        return HttpResponseBadRequest(
            "<script>window.parent.CKEDITOR.tools.callFunction("
            f"{func_num}, '', '{escapejs(message)}');</script>"
        )
    return JsonResponse({"uploaded": 0, "error": {"message": message}}, status=400)
