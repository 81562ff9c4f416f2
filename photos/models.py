from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from newsroom.text import plain_text
from photos.cleaning import lead_image_path, validate_image_file


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
        """Keep the caption, credit and alt text as plain text.

        A photo's file is written by `photos.library` (`store()` for a new photo,
        `replace_file()` for a new file of a stored one), which checks and cleans it and writes
        its renditions, all or nothing. A file not stored yet is refused here rather than
        stored as it came."""
        if self.has_new_file():
            raise ValueError(
                "Image.save() stores no file: add a photo with photos.library.store(), or give "
                "a stored photo a new file with photos.library.replace_file()."
            )
        self.caption = plain_text(self.caption)
        self.credit = plain_text(self.credit)
        self.alt_text = plain_text(self.alt_text)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        """Check a newly chosen photo (`validate_image_file`, the field's validator) and leave a
        stored one alone: it was checked and cleaned on its way in, and checking the field again
        would read the file back from storage (Django sets the field anew and measures the
        picture), so that correcting a caption would depend on the file."""
        exclude = set(exclude or ())
        if self.file and not self.has_new_file():
            exclude.add("file")
        super().clean_fields(exclude=exclude)

    def smallest_size(self):
        """(url, width, height) of the narrowest stored rendition, WebP first, else the
        original file: what a thumbnail in the admin shows."""
        renditions = self.renditions if isinstance(self.renditions, dict) else {}
        for kind in ("webp", "jpeg"):
            if sizes := renditions.get(kind):
                width, height, name = min(sizes)
                return self.file.storage.url(name), width, height
        return self.file.url, self.width, self.height

    def has_new_file(self):
        """True when the photo was chosen but is not stored yet."""
        return bool(self.file) and not self.file._committed
