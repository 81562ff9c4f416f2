from ckeditor_uploader.fields import RichTextUploadingField
from django.conf import settings
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.richtext import html_to_text, sanitize_html
from newsroom.slugs import unique_slug


class ArticleQuerySet(models.QuerySet):
    def live(self):
        """What readers may see: published, publish time reached, unpublish time not reached.

        The one rule for every public page, list, feed, sitemap and search; `Article.is_live()`
        says the same of one article.
        """
        now = timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=now).filter(
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now)
        )

    def in_section(self, section):
        """Articles whose primary or extra sections include `section`."""
        extra = Article.extra_sections.through.objects.filter(section=section)
        return self.filter(Q(section=section) | Q(pk__in=extra.values("article_id")))

    def by_author(self, author):
        return self.filter(bylines__author=author)

    def tagged(self, tag):
        return self.filter(tags=tag)

    def featured(self):
        return self.filter(is_featured=True)

    def newest_first(self):
        return self.order_by("-publish_at", "-pk")

    def for_listing(self):
        """What an article card shows: section, lead image and bylines, in a fixed few queries."""
        return self.select_related("section", "lead_image").prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        SUBMITTED = "submitted", _("Chờ duyệt")
        PUBLISHED = "published", _("Đã xuất bản")
        UNPUBLISHED = "unpublished", _("Đã gỡ")

    title = models.CharField(_("tiêu đề"), max_length=255)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_(
            "Phần chữ của địa chỉ bài viết, không dấu. Để trống để tạo tự động từ tiêu đề. "
            "Đổi đường dẫn không làm hỏng địa chỉ cũ: địa chỉ cũ tự chuyển sang địa chỉ mới."
        ),
    )
    sapo = models.TextField(
        _("sapo"),
        max_length=1000,
        help_text=_("Đoạn mở đầu in đậm dưới tiêu đề: một hai câu tóm tắt bài viết."),
    )
    body = RichTextUploadingField(
        _("nội dung"),
        help_text=_(
            "Chèn ảnh bằng nút Ảnh (thẻ “Tải lên” để gửi ảnh từ máy) và đánh dấu "
            "“Ảnh có chú thích” để ghi chú thích dưới ảnh."
        ),
    )
    body_text = models.TextField(_("nội dung dạng chữ"), blank=True, editable=False)
    section = models.ForeignKey(
        "sections.Section",
        verbose_name=_("chuyên mục chính"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    extra_sections = models.ManyToManyField(
        "sections.Section",
        verbose_name=_("chuyên mục phụ"),
        blank=True,
        related_name="secondary_articles",
        help_text=_("Bài cũng hiện trong các chuyên mục này."),
    )
    authors = models.ManyToManyField(
        "articles.Author",
        verbose_name=_("tác giả"),
        through="articles.Byline",
        related_name="articles",
    )
    tags = models.ManyToManyField(
        "articles.Tag", verbose_name=_("thẻ"), blank=True, related_name="articles"
    )
    lead_image = models.ForeignKey(
        "articles.Image",
        verbose_name=_("ảnh đại diện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_of",
        help_text=_("Ảnh lớn đầu bài, hiện cùng chú thích và nguồn ảnh."),
    )
    lead_image_caption = models.CharField(
        _("chú thích ảnh đại diện cho bài này"),
        max_length=500,
        blank=True,
        help_text=_("Để trống để dùng chú thích sẵn có của ảnh. Không làm đổi chú thích gốc."),
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        _("thời gian xuất bản"),
        null=True,
        blank=True,
        help_text=_(
            "Bài đã xuất bản chỉ hiện với bạn đọc từ thời điểm này. "
            "Để trống khi xuất bản để lấy thời điểm hiện tại."
        ),
    )
    unpublish_at = models.DateTimeField(
        _("thời gian gỡ bài"),
        null=True,
        blank=True,
        help_text=_("Nếu có, bài tự ẩn với bạn đọc từ thời điểm này."),
    )
    is_featured = models.BooleanField(
        _("tin nổi bật"), default=False, help_text=_("Đưa lên khối “Tin nổi bật” ở trang chủ.")
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sửa cuối"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-created_at"]
        verbose_name = _("bài viết")
        verbose_name_plural = _("bài viết")
        indexes = [
            # live() lists, newest first: home, feeds, sitemaps.
            models.Index(fields=["status", "publish_at"], name="article_status_publish_idx"),
            # A section's page.
            models.Index(
                fields=["section", "status", "publish_at"], name="article_section_publish_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.slug = unique_slug(self, self.slug or self.title, fallback="bai-viet")
        self.body = sanitize_html(self.body)
        self.body_text = html_to_text(self.body)
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()
        if kwargs.get("update_fields") and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # The id in the address keeps old links working when the title or slug changes.
        return reverse("articles:detail", kwargs={"slug": self.slug, "pk": self.pk})

    def is_live(self):
        """True when readers may see this article: the same rule as `Article.objects.live()`."""
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    is_live.boolean = True
    is_live.short_description = _("đang hiện")

    @property
    def lead_caption(self):
        """The caption shown under the lead photo: this article's own, else the photo's."""
        if self.lead_image_caption:
            return self.lead_image_caption
        return self.lead_image.caption if self.lead_image else ""

    @property
    def byline(self):
        """Authors in byline order; uses the prefetch of `for_listing()` when present."""
        return [byline.author for byline in self.bylines.all()]


class Byline(models.Model):
    """One author of one article, in the order the byline prints them."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        "articles.Author",
        verbose_name=_("tác giả"),
        on_delete=models.PROTECT,
        related_name="bylines",
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("tác giả của bài")
        verbose_name_plural = _("tác giả của bài")
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author")
        ]

    def __str__(self):
        return str(self.author)
