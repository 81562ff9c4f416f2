import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from newsroom.text import plain_text
from photos import renditions
from photos.cleaning import CleanedPhoto, clean_photo, lead_image_path, validate_image_file

logger = logging.getLogger(__name__)


class Image(models.Model):
    """A photo in the library, with the caption and credit it carries wherever it is used."""

    file = models.ImageField(
        _("tệp ảnh"),
        upload_to=lead_image_path,
        width_field="width",
        height_field="height",
        validators=[validate_image_file],
        help_text=_("JPEG, PNG, WebP hoặc GIF; tối đa 15 MB."),
    )
    caption = models.CharField(
        _("chú thích"),
        max_length=500,
        blank=True,
        help_text=_("Câu mô tả hiện dưới ảnh, ví dụ: “Thiếu tướng A phát biểu tại hội nghị.”"),
    )
    credit = models.CharField(
        _("nguồn ảnh"),
        max_length=200,
        blank=True,
        help_text=_("Tác giả hoặc nguồn của ảnh, ví dụ: “Ảnh: Hải Nhi”."),
    )
    alt_text = models.CharField(
        _("mô tả thay thế"),
        max_length=300,
        help_text=_("Mô tả ngắn nội dung ảnh cho người khiếm thị và máy tìm kiếm."),
    )
    width = models.PositiveIntegerField(_("rộng (px)"), editable=False, null=True)
    height = models.PositiveIntegerField(_("cao (px)"), editable=False, null=True)
    renditions = models.JSONField(
        _("các cỡ ảnh"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("Các cỡ WebP và JPEG đã tạo sẵn cho trang đọc."),
    )
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        # The table keeps the name it had when photos lived in the articles app: moving the
        # model changed no row (photos/migrations/0001_initial.py).
        db_table = "articles_image"
        ordering = ["-created_at"]
        permissions = [("change_any_image", _("Sửa mọi ảnh, kể cả ảnh của người khác"))]
        verbose_name = _("ảnh")
        verbose_name_plural = _("ảnh")

    def __str__(self):
        return self.caption or self.alt_text or self.file.name

    def save(self, *args, **kwargs):
        """Keep the caption, credit and alt text as plain text, and store a new photo only as
        `clean_photo()` makes it (from the shell or an import as from the admin). When the row
        cannot be written, the photo just written is removed again."""
        self.caption = plain_text(self.caption)
        self.credit = plain_text(self.credit)
        self.alt_text = plain_text(self.alt_text)
        new_photo = self.has_new_file()
        if new_photo and not isinstance(self.file.file, CleanedPhoto):
            self.file = clean_photo(self.file)
        rendered = getattr(self.file.file, "rendered", None) if new_photo else None
        if self.file and (self.width is None or self.height is None):
            # A photo stored with `file.save(..., save=False)` reaches here without its size.
            # Left empty, the size would be read from the file each time the row is loaded.
            self.width, self.height = self.file.width, self.file.height
        try:
            super().save(*args, **kwargs)
        except BaseException:
            if new_photo and self.file._committed:
                renditions.delete_files(self.file.storage, [self.file.name])
            raise
        if new_photo and self.file._committed:
            # Renditions made while checking the upload, for make_renditions() to write.
            self._rendered = (self.file.name, rendered)

    def clean_fields(self, exclude=None):
        """Check a newly chosen photo through and through before anything of it is stored: it is
        cleaned (upright, without metadata: `photos.cleaning.clean_photo`) and its renditions
        are made in memory, so that a photo the site cannot use is refused here, in words the
        admin shows on the form, rather than half-saved.

        A photo already stored is left alone: it was checked and cleaned on its way in, and
        cleaning the field again would read the file back from storage (Django sets the field
        anew and measures the picture), so that correcting a caption would depend on the file."""
        exclude = set(exclude or ())
        if self.file and not self.has_new_file():
            exclude.add("file")
        super().clean_fields(exclude=exclude)
        if "file" in exclude:
            return
        try:
            photo = clean_photo(self.file)
            photo.rendered = renditions.render_renditions(photo)
        except ValidationError as error:
            raise ValidationError({"file": error.error_list}) from error
        except Exception as error:
            logger.warning("Renditions failed for an uploaded photo", exc_info=True)
            message = _(
                "Không tạo được các cỡ ảnh cho trang đọc từ tệp này, nên ảnh chưa được lưu. Hãy "
                "lưu ảnh lại dạng JPEG rồi tải lên lần nữa; nếu vẫn lỗi, hãy báo bộ phận kỹ thuật."
            )
            raise ValidationError({"file": ValidationError(message, code="renditions")}) from error
        self.file = photo

    def has_new_file(self):
        """True when the photo was chosen but is not stored yet."""
        return bool(self.file) and not self.file._committed

    def make_renditions(self):
        """Write the responsive sizes of this photo once, and remember them on the row: those
        made while checking the upload when there are some, otherwise made now. Either all of
        them are written or none (`photos.renditions.save_renditions`)."""
        name, rendered = getattr(self, "_rendered", None) or (None, None)
        if rendered is None or name != self.file.name:
            rendered = renditions.render_renditions(self.file)
        self._rendered = None
        self.renditions = renditions.save_renditions(
            rendered, folder=f"renditions/{self.pk}", storage=self.file.storage
        )
        self.save(update_fields=["renditions"])
