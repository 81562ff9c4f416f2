"""The project's own answers: the error pages and, in development, the media files."""

import errno
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.static import serve

from newsroom.context_processors import site


def server_error(request):
    """A failure while the database cannot be reached (a restart, a fail-over) is temporary:
    say so with 503 and Retry-After, so readers, crawlers and proxies try again soon.

    Both pages are drawn without the request's context processors, which may need the database
    that just failed."""
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        page = loader.get_template("503.html").render(site(request))
        return HttpResponse(page, status=503, headers={"Retry-After": "10"})
    return HttpResponseServerError(loader.get_template("500.html").render(site(request)))


def serve_media(request, path):
    # MEDIA_ROOT is read per request, so that tests can point it at a temporary folder.
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as error:
        # A name longer than the file system allows is no file of ours (the OS refuses to look).
        if error.errno != errno.ENAMETOOLONG:
            raise
        raise Http404("Không có tệp này.") from error
