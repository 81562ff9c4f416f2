"""The photo library in the admin; who may change a photo is photos/rules.py's."""

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from newsroom.admin import CheckedInputAdmin
from newsroom.pagecache import InvalidatesPagesAdmin
from photos import library
from photos.models import Image
from photos.rules import may_change_photo


class ImageAdminForm(forms.ModelForm):
    """The photo library's form: a new upload is checked, cleaned and rendered in memory
    (`photos.library.prepare_upload`) while the form is validated, so that every refusal shows
    on the form and says why (Django's own image field calls a decompression bomb "not a valid
    image"). Saving goes through `photos.library` (ImageAdmin.save_model)."""

    class Meta:
        model = Image
        fields = ["file", "caption", "credit", "alt_text"]
        field_classes = {"file": forms.FileField}

    def clean_file(self):
        file = self.cleaned_data["file"]
        if isinstance(file, UploadedFile):
            return library.prepare_upload(file)
        # No new photo chosen: None leaves the stored one untouched. Set again, Django would
        # read the stored file for its size on every save of a caption, and fail when the file
        # cannot be reached.
        return None


def image_thumbnail(image, *, width=160):
    if not image or not image.file:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" width="{}" style="height:auto;border-radius:4px">',
        image.file.url,
        image.alt_text,
        width,
    )


@admin.register(Image)
class ImageAdmin(CheckedInputAdmin, InvalidatesPagesAdmin, admin.ModelAdmin):
    """The photo library. Everyone with a role lists and opens every photo (reporters choose
    lead photos here); a photo the person may not change (`may_change_photo`) opens read-only,
    and a crafted post to it is refused."""

    form = ImageAdminForm
    list_display = ["thumbnail", "caption", "credit", "uploaded_by", "dimensions", "created_at"]
    list_display_links = ["thumbnail", "caption"]
    list_select_related = ["uploaded_by"]
    search_fields = ["caption", "credit", "alt_text"]
    readonly_fields = ["preview", "width", "height", "created_at", "uploaded_by"]
    fields = [
        "file",
        "preview",
        "caption",
        "credit",
        "alt_text",
        "width",
        "height",
        "created_at",
        "uploaded_by",
    ]

    @admin.display(description=_("ảnh"))
    def thumbnail(self, image):
        return image_thumbnail(image, width=96)

    @admin.display(description=_("xem trước"))
    def preview(self, image):
        return image_thumbnail(image, width=480)

    @admin.display(description=_("kích thước"))
    def dimensions(self, image):
        return f"{image.width}×{image.height}" if image.width else "—"

    def has_change_permission(self, request, obj=None):
        # Without a photo (the list, the "change" links beside a lead photo box) Django asks
        # about photos in general; each photo's own page asks about that photo.
        if obj is None:
            return super().has_change_permission(request)
        return super().has_change_permission(request, obj) and may_change_photo(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return super().has_delete_permission(request, obj) and may_change_photo(request.user, obj)

    def save_model(self, request, obj, form, change):
        """A new photo, or a new file for a stored one, is stored by `photos.library` (checked,
        cleaned, with its renditions, all or nothing); a change of words alone is a plain save."""
        upload = form.cleaned_data.get("file")
        if change and upload is None:
            super().save_model(request, obj, form, change)
            return
        if change:
            library.replace_file(obj, upload, by=request.user)
        else:
            library.store(upload, by=request.user, image=obj)
        self.changed()
