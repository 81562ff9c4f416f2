from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from newsroom.slugs import taken_first_segments, unique_slug


class SectionQuerySet(models.QuerySet):
    def top_level(self):
        return self.filter(parent__isnull=True)

    def with_sub_sections(self):
        """Each section with its sub-sections in `sub_sections`. Articles.in_section() then
        names their ids in its query, from which PostgreSQL can tell how many articles they
        hold, and reads a small section's through its indexes."""
        return self.prefetch_related(models.Prefetch("children", to_attr="sub_sections"))


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
        # /<section-slug>/ must never shadow another page's address.
        self.slug = unique_slug(
            self, self.slug or self.name, fallback="chuyen-muc", reserved=taken_first_segments()
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """/thoi-su/ for a section, /the-thao/bong-da/ for a sub-section (parent must be loaded)."""
        if self.parent_id:
            return reverse(
                "sections:child", kwargs={"parent_slug": self.parent.slug, "slug": self.slug}
            )
        return reverse("sections:detail", kwargs={"slug": self.slug})

    def clean(self):
        # Two levels, as on the menu and in addresses: /the-thao/bong-da/.
        if self.parent is None:
            return
        if self.pk is not None and self.parent.pk == self.pk:
            raise ValidationError({"parent": _("Một chuyên mục không thể nằm trong chính nó.")})
        if self.parent.parent_id is not None:
            raise ValidationError(
                {"parent": _("Chỉ chọn được chuyên mục lớn (không có chuyên mục cha) làm cha.")}
            )
        if self.pk is not None and self.children.exists():
            raise ValidationError(
                {"parent": _("Chuyên mục này đang có chuyên mục con nên không thể làm con.")}
            )

    def with_children_ids(self):
        """This section's id and its sub-sections' ids: a list when they were loaded
        (`Section.objects.with_sub_sections()`), else a subquery."""
        if hasattr(self, "sub_sections"):
            return [self.pk, *(child.pk for child in self.sub_sections)]
        return Section.objects.filter(models.Q(pk=self.pk) | models.Q(parent=self.pk)).values("pk")
