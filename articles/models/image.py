from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.images import lead_image_path, make_renditions, validate_image_file


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
        ordering = ["-created_at"]
        verbose_name = _("ảnh")
        verbose_name_plural = _("ảnh")

    def __str__(self):
        return self.caption or self.alt_text or self.file.name

    def make_renditions(self):
        """Write the responsive sizes of this photo once, and remember them on the row."""
        self.renditions = make_renditions(
            self.file, folder=f"renditions/{self.pk}", storage=self.file.storage
        )
        self.save(update_fields=["renditions"])
