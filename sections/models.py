from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from newsroom.slugs import unique_slug


class SectionQuerySet(models.QuerySet):
    def top_level(self):
        return self.filter(parent__isnull=True)

    def for_navigation(self):
        """The sections of the site's menu: top-level ones, in menu order."""
        return self.top_level()


class Section(models.Model):
    """A part of the paper ("Thời sự", "Thể thao"); a section may have sub-sections."""

    name = models.CharField(_("tên"), max_length=100)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("Phần cuối của địa chỉ chuyên mục. Để trống để tạo tự động từ tên."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("chuyên mục cha"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Để trống nếu đây là chuyên mục lớn trên thanh điều hướng."),
    )
    position = models.PositiveSmallIntegerField(
        _("thứ tự"), default=0, help_text=_("Số nhỏ đứng trước trên thanh điều hướng.")
    )
    description = models.TextField(
        _("mô tả"), blank=True, help_text=_("Một hai câu giới thiệu, hiện trên trang chuyên mục.")
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = unique_slug(self, self.slug or self.name, fallback="chuyen-muc")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("sections:detail", kwargs={"slug": self.slug})

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("Một chuyên mục không thể nằm trong chính nó.")})
            ancestor = ancestor.parent
