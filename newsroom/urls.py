import errno
import sys

from ckeditor_uploader import views as ckeditor_views
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.contrib.sitemaps import views as sitemap_views
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.template import loader
from django.urls import include, path, re_path
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.static import serve

from articles.sitemaps import SITEMAPS, NewsSitemap
from articles.views import robots_txt, upload_body_image

admin.site.site_header = f"{settings.SITE_NAME} — Quản trị nội dung"
admin.site.site_title = f"{settings.SITE_NAME} — Quản trị"
admin.site.index_title = "Bàn làm việc của toà soạn"

urlpatterns = [
    # Each staff account's two-factor page ("Bảo mật đăng nhập"), inside the admin's address.
    path("admin/bao-mat/", include("staff.urls")),
    path("admin/", admin.site.urls),
    # Our checked upload replaces django-ckeditor's own, whose address is not routed at all.
    # Uploading and browsing the uploaded photos need a newsroom role (a reporter's or an
    # editor's "add photo" permission), not only a staff account.
    path("ckeditor/upload/", upload_body_image, name="ckeditor_upload"),
    path(
        "ckeditor/browse/",
        never_cache(
            staff_member_required(
                permission_required("articles.add_image", raise_exception=True)(
                    ckeditor_views.browse
                )
            )
        ),
        name="ckeditor_browse",
    ),
    path("robots.txt", robots_txt, name="robots"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-news.xml",
        sitemap_views.sitemap,
        {"sitemaps": {"news": NewsSitemap}, "template_name": "sitemaps/news.xml"},
        name="sitemap-news",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("", include("articles.urls")),
    # Sections last: /<section-slug>/ would otherwise swallow other one-segment addresses.
    path("", include("sections.urls")),
]


def server_error(request):
    """A failure while the database cannot be reached (a restart, a fail-over) is temporary:
    say so with 503 and Retry-After, so readers, crawlers and proxies try again soon."""
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        page = loader.get_template("503.html").render()
        return HttpResponse(page, status=503, headers={"Retry-After": "10"})
    return defaults.server_error(request)


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


if settings.BENCHMARK_VIEW:
    from newsroom import bench

    urlpatterns[:0] = [
        path("bench/bare/", bench.bare),
        path("bench/stored-article/", bench.stored_article),
        path("bench/stored-article-after-query/", bench.stored_article_after_query),
    ]

if settings.SERVE_MEDIA:
    urlpatterns.insert(0, re_path(r"^media/(?P<path>.+)$", serve_media))
