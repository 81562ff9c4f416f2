"""The site's addresses: each app's own URL module, in order."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from newsroom.views import error_page_preview, serve_media, server_error

urlpatterns = [
    # Each staff account's two-factor page ("Bảo mật đăng nhập"), inside the admin's address.
    path("admin/bao-mat/", include("staff.urls")),
    # The admin site includes the pages each app registers in its admin.py.
    path("admin/", admin.site.urls),
    path("", include("photos.urls")),
    path("", include("popularity.urls")),
    path("", include("articles.sitemap_urls")),
    path("", include("articles.urls")),
    # Sections last: /<section-slug>/ would otherwise swallow other one-segment addresses.
    path("", include("articles.section_urls")),
]

handler500 = server_error

if settings.SERVE_MEDIA:
    urlpatterns.insert(0, re_path(r"^media/(?P<path>.+)$", serve_media))

if settings.DEBUG:
    # The 404, 500 and 503 pages as readers get them (DEBUG shows its technical pages instead).
    urlpatterns.insert(0, path("_loi/<int:status>/", error_page_preview, name="error-preview"))
