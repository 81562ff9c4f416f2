"""The project's own answers: the error pages and, in development, the media files."""

import errno
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.defaults import page_not_found
from django.views.static import serve

from newsroom.context_processors import site


def server_error(request):
    """A failure while the database cannot be reached (a restart, a fail-over) is temporary:
    say so with 503 and Retry-After, so readers, crawlers and proxies try again soon.

    Both pages are drawn without the request's context processors, which may need the database
    that just failed."""
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        return unavailable(request)
    return HttpResponseServerError(loader.get_template("500.html").render(site(request)))


def unavailable(request):
    page = loader.get_template("503.html").render(site(request))
    return HttpResponse(page, status=503, headers={"Retry-After": "10"})


def error_page_preview(request, status):
    """/_loi/404/, /_loi/500/ and /_loi/503/, routed only with DEBUG on: the pages readers get,
    which DEBUG's technical pages hide from `make run`. Each answers with its own status."""
    if status == 404:
        return page_not_found(request, Http404("Xem thử trang 404."))
    if status == 500:
        return server_error(request)
    if status == 503:
        return unavailable(request)
    raise Http404("Chỉ có trang 404, 500 và 503.")


def serve_media(request, path):
    # MEDIA_ROOT is read per request, so that tests can point it at a temporary folder.
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as error:
        # A name longer than the file system allows is no file of ours (the OS refuses to look).
        if error.errno != errno.ENAMETOOLONG:
            raise
        raise Http404("Không có tệp này.") from error
