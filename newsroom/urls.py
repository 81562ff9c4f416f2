from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from articles.views import upload_body_image

admin.site.site_header = f"{settings.SITE_NAME} — Quản trị nội dung"
admin.site.site_title = f"{settings.SITE_NAME} — Quản trị"
admin.site.index_title = "Bàn làm việc của toà soạn"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Our checked upload replaces django-ckeditor's own; browsing stays staff-only as shipped.
    path("ckeditor/upload/", upload_body_image, name="ckeditor_upload"),
    path("ckeditor/", include("ckeditor_uploader.urls")),
    path("", include("articles.urls")),
    # Sections last: /<section-slug>/ would otherwise swallow other one-segment addresses.
    path("", include("sections.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
