"""The site's addresses: each app's own URL module, in order."""

import errno
import sys

from django.conf import settings
from django.contrib import admin
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.template import loader
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.views.static import serve

from newsroom.context_processors import site

# Read when a page is drawn, as every other place that names the site does.
site_named = lazy(lambda suffix: f"{settings.SITE_NAME} — {suffix}", str)
admin.site.site_header = site_named("Quản trị nội dung")
admin.site.site_title = site_named("Quản trị")
admin.site.index_title = "Bàn làm việc của toà soạn"

urlpatterns = [
    # Each staff account's two-factor page ("Bảo mật đăng nhập"), inside the admin's address.
    path("admin/bao-mat/", include("staff.urls")),
    path("admin/", admin.site.urls),
    path("", include("photos.urls")),
    path("", include("popularity.urls")),
    path("", include("articles.sitemap_urls")),
    path("", include("articles.urls")),
    # Sections last: /<section-slug>/ would otherwise swallow other one-segment addresses.
    path("", include("articles.section_urls")),
]


def server_error(request):
    """A failure while the database cannot be reached (a restart, a fail-over) is temporary:
    say so with 503 and Retry-After, so readers, crawlers and proxies try again soon.

    Both pages are drawn without the request's context processors, which may need the database
    that just failed."""
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        page = loader.get_template("503.html").render(site(request))
        return HttpResponse(page, status=503, headers={"Retry-After": "10"})
    return HttpResponseServerError(loader.get_template("500.html").render(site(request)))


handler500 = server_error


def serve_media(request, path):
    # MEDIA_ROOT is read per request, so that tests can point it at a temporary folder.
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as error:
        # A name longer than the file system allows is no file of ours (the OS refuses to look).
        if error.errno != errno.ENAMETOOLONG:
            raise
        raise Http404("Không có tệp này.") from error


if settings.SERVE_MEDIA:
    urlpatterns.insert(0, re_path(r"^media/(?P<path>.+)$", serve_media))
