from ckeditor_uploader import views as ckeditor_views
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.urls import path
from django.views.decorators.cache import never_cache

from . import views

# Our checked upload replaces django-ckeditor's own, whose address is not routed at all.
# Uploading and browsing the uploaded photos need a newsroom role (a reporter's or an editor's
# "add photo" permission), not only a staff account. The names are django-ckeditor's, which its
# editor widget reverses without a namespace.
urlpatterns = [
    path("ckeditor/upload/", views.upload_body_image, name="ckeditor_upload"),
    path(
        "ckeditor/browse/",
        never_cache(
            staff_member_required(
                permission_required("photos.add_image", raise_exception=True)(ckeditor_views.browse)
            )
        ),
        name="ckeditor_browse",
    ),
]
