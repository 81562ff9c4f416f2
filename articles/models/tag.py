from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from newsroom.slugs import unique_slug


class Tag(models.Model):
    """A subject that cuts across sections ("Đà Nẵng", "Chuyển đổi số")."""

    name = models.CharField(_("tên"), max_length=100, unique=True)
    slug = models.SlugField(_("đường dẫn"), max_length=100, unique=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("thẻ")
        verbose_name_plural = _("thẻ")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = unique_slug(self, self.slug or self.name, fallback="the")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})
