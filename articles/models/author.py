from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from newsroom.slugs import unique_slug
from photos.cleaning import CleanedPhoto, lead_image_path, validate_image_file


class Author(models.Model):
    """A byline: a reporter's real name or pen name ("Hải Nhi"), with or without a staff account."""

    name = models.CharField(
        _("tên hiển thị"), max_length=100, help_text=_("Tên hoặc bút danh in trên bài viết.")
    )
    slug = models.SlugField(_("đường dẫn"), max_length=100, unique=True, blank=True)
    bio = models.TextField(_("giới thiệu"), blank=True, help_text=_("Vài câu về tác giả."))
    photo = models.ImageField(
        _("ảnh chân dung"),
        upload_to=lead_image_path,
        blank=True,
        validators=[validate_image_file],
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text=_("Tài khoản nhân viên viết dưới tên này, nếu có."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("tác giả")
        verbose_name_plural = _("tác giả")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Derive the slug. A new portrait is stored only as the photo library cleans it
        (`photos.library.clean_upload`, done where the portrait arrives: the author form); one
        that was not cleaned is refused rather than stored as it came, location and all."""
        photo = self.photo
        if photo and not photo._committed and not isinstance(photo.file, CleanedPhoto):
            raise ValueError(
                "An author's portrait is stored only as photos.library.clean_upload() makes it: "
                "clean it where it arrives (the form, the loader), then save."
            )
        self.slug = unique_slug(self, self.slug or self.name, fallback="tac-gia")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})
