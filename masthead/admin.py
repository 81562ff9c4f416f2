from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import lazy

from newsroom.admin import CheckedInputAdmin

from . import identity, logo
from .models import ROW_ID, SOCIAL_NETWORKS, Masthead

# The admin's frame names the site as its pages do (the masthead in force), read when a page
# is drawn.
site_named = lazy(lambda suffix: f"{identity.current().name} — {suffix}", str)
admin.site.site_header = site_named("Quản trị nội dung")
admin.site.site_title = site_named("Quản trị")


class HttpsURLField(forms.URLField):
    """An address typed without its scheme is read as https://, as Django 6 will."""

    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", **kwargs)


class MastheadForm(forms.ModelForm):
    class Meta:
        model = Masthead
        fields = [
            "name", "tagline", "logo",
            "licence_number", "licence_issuer", "licence_date", "publisher", "editor_in_chief",
            "address", "phone", "email",
            *SOCIAL_NETWORKS,
            "footer_notice",
        ]  # fmt: skip
        field_classes = dict.fromkeys(SOCIAL_NETWORKS, HttpsURLField)

    def clean_logo(self):
        """A new upload is checked and cleaned (masthead/logo.py) and its size kept."""
        value = self.cleaned_data.get("logo")
        if isinstance(value, UploadedFile):
            value = logo.clean_logo(value)
            self.instance.logo_width, self.instance.logo_height = value.width, value.height
        elif not value:  # none, or the old one cleared
            self.instance.logo_width = self.instance.logo_height = None
        return value


@admin.register(Masthead)
class MastheadAdmin(CheckedInputAdmin, admin.ModelAdmin):
    """One page, for superusers (no role is given the masthead's permissions): the row itself,
    or, until it is first saved, the settings' values to start from. A save shows on every page
    at once (`masthead.identity.changed`)."""

    form = MastheadForm
    fieldsets = [
        (None, {"fields": ["name", "tagline", "logo"]}),
        (
            "Giấy phép hoạt động báo chí",
            {
                "fields": [
                    "licence_number",
                    "licence_issuer",
                    "licence_date",
                    "publisher",
                    "editor_in_chief",
                ],
                "description": "Hiện ở chân mỗi trang: “Giấy phép hoạt động báo chí số … do … "
                "cấp ngày …”, cơ quan chủ quản và Tổng biên tập.",
            },
        ),
        ("Liên hệ", {"fields": ["address", "phone", "email"]}),
        (
            "Mạng xã hội",
            {
                "fields": ["facebook_url", "youtube_url", "tiktok_url", "zalo_url", "x_url"],
                "description": "Hiện ở chân trang thành liên kết thường: trang báo không tải mã "
                "hay ảnh nào của mạng xã hội.",
            },
        ),
        ("Chân trang", {"fields": ["footer_notice"]}),
    ]

    def view_on_site(self, obj):
        return reverse("articles:home")

    def has_add_permission(self, request):
        return False  # the one row is changed, never added (see get_object)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_object(self, request, object_id, from_field=None):
        if object_id != str(ROW_ID):
            return None
        return Masthead.objects.filter(pk=ROW_ID).first() or Masthead.from_settings()

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return redirect(self.change_url())

    def response_post_save_change(self, request, obj):
        return redirect(self.change_url())

    def change_url(self):
        return reverse("admin:masthead_masthead_change", args=[ROW_ID])

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        identity.changed()
