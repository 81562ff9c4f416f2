from datetime import timedelta

from ckeditor_uploader.fields import RichTextUploadingField
from django.conf import settings
from django.db import connections, models, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, RowNumber
from django.db.models.lookups import In
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from articles.pagination import ARTICLES_PER_PAGE, SEARCH_PAGES
from articles.richtext import html_to_text, sanitize_html
from newsroom.slugs import unique_slug
from newsroom.text import fold, plain_text

SEARCH_MAX_WORDS = 8
# Search ranks the newest this many matches: as many as its pages show.
SEARCH_CANDIDATES = ARTICLES_PER_PAGE * SEARCH_PAGES
# Search reads this much of the newest news in date order before it turns to its index.
SEARCH_RECENT_WINDOW = timedelta(days=30)
# Saves within this time of publishing (the publish click itself) do not count as an update.
UPDATE_GRACE = timedelta(minutes=1)
# Columns an article card never shows.
LONG_TEXT_FIELDS = ["body", "body_text", "search_title", "search_text"]
# What save() works out from the other fields.
DERIVED_FIELDS = ["slug", "body", "body_text", "search_title", "search_text", "publish_at"]
# How far back the home page's section blocks and "Tin liên quan" by tags look.
SECTION_BLOCK_WINDOW = timedelta(days=30)
RELATED_WINDOW = timedelta(days=30)
# "Tin liên quan" orders at most this many candidates (some may no longer be live).
RELATED_CANDIDATES = 20


class InArray(In):
    """`field__in_array=subquery`: on PostgreSQL `field = ANY(ARRAY(subquery))`, which runs the
    subquery once and can find rows through the column's index even inside an OR, where
    `field IN (subquery)` can only test each row. Other databases, and a list of values, get
    the usual `IN (...)`."""

    lookup_name = "in_array"

    def as_postgresql(self, compiler, connection):
        if self.rhs_is_direct_value():
            return self.as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def live_at(now):
    """The condition `ArticleQuerySet.live()` filters by, at `now`: published, publish time
    reached, unpublish time not reached. Also what the admin's list calls "Đã xuất bản"
    (articles/states.py), so that the two can never disagree."""
    return Q(status=Article.Status.PUBLISHED, publish_at__lte=now) & (
        Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now)
    )


class ArticleQuerySet(models.QuerySet):
    def live(self):
        """What readers may see: published, publish time reached, unpublish time not reached.

        The one rule for every public page, list, feed, sitemap and search; `Article.is_live()`
        says the same of one article.
        """
        return self.filter(live_at(timezone.now()))

    def in_section(self, section):
        """Articles filed (as primary or extra section) under `section` or its sub-sections."""
        sections = section.with_children_ids()
        extra = Article.extra_sections.through.objects.filter(section__in=sections)
        filed_extra = Q(Exists(extra.filter(article=OuterRef("pk"))))
        if connections[self.db].vendor == "postgresql":
            # The array lets the planner find a small section's articles through the indexes
            # (a BitmapOr), instead of reading the whole archive newest first to test each one.
            # Tested on a row, the array is searched from end to end, so it comes after
            # Exists() (an index lookup): PostgreSQL tests this AND's parts in the order
            # written (as its plans show), and only rows with a second filing reach the array.
            filed_extra &= Q(pk__in_array=extra.values("article_id"))
        return self.filter(Q(section__in=sections) | filed_extra)

    def by_author(self, author):
        return self.filter(bylines__author=author)

    def tagged(self, tag):
        return self.filter(tags=tag)

    def featured(self):
        return self.filter(is_featured=True)

    def search(self, query):
        """Articles matching every word of `query`, accents ignored: "da nang" finds "Đà Nẵng".

        Each word must begin a word of the title, sapo or body. Of the newest SEARCH_CANDIDATES
        matches, title matches come first (the whole phrase, then all the words), then the
        newest; readers page through that many at most. The words are folded in Python
        (newsroom.text.fold), so SQLite and PostgreSQL give the same results; PostgreSQL finds
        them with its full-text index (migration 0007). Runs its queries at once.
        """
        words = fold(query).split()[:SEARCH_MAX_WORDS]
        if not words:
            return self.none()
        if connections[self.db].vendor == "postgresql":
            prefixes = " & ".join("'{}':*".format(word.replace("_", " ")) for word in words)
            matches = self.filter(
                RawSQL("search_vector @@ to_tsquery('simple', %s)", [prefixes], BooleanField())
            )
        else:
            matches = self
            for word in words:
                matches = matches.filter(search_text__contains=f" {word}")
        phrase = f" {' '.join(words)}"
        title_has_all = Q()
        for word in words:
            title_has_all &= Q(search_title__contains=f" {word}")
        return (
            self.filter(pk__in=matches.newest_match_ids())
            .annotate(
                title_rank=Case(
                    When(search_title__contains=phrase, then=Value(2)),
                    When(title_has_all, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
            .order_by("-title_rank", "-publish_at", "-pk")
        )

    def newest_match_ids(self):
        """Ids of the newest SEARCH_CANDIDATES of these (search) matches, in at most two reads
        whose cost does not grow with the archive.

        First the articles of SEARCH_RECENT_WINDOW, newest first: however common the words,
        that reads no more than the window holds. Only when the window has too few matches,
        which means the words are rare, the older ones are looked up in the search index alone:
        left to itself, PostgreSQL would read the whole archive newest first to find a word it
        wrongly guesses to be common.
        """
        cutoff = timezone.now() - SEARCH_RECENT_WINDOW
        ids = list(
            self.filter(publish_at__gte=cutoff)
            .newest_first()
            .values_list("pk", flat=True)[:SEARCH_CANDIDATES]
        )
        if len(ids) == SEARCH_CANDIDATES:
            return ids
        older = self.filter(publish_at__lt=cutoff).newest_first().values_list("pk", flat=True)
        older = older[: SEARCH_CANDIDATES - len(ids)]
        if connections[self.db].vendor != "postgresql":
            return ids + list(older)
        with transaction.atomic(using=self.db), connections[self.db].cursor() as cursor:
            cursor.execute("SET LOCAL enable_indexscan = off")
            return ids + list(older)

    def related_to(self, article):
        """Articles related to `article`: the editor's picks in their order, then those of the
        last RELATED_WINDOW sharing the most tags, then the newest.

        The candidates are found at once, in two small queries (the picks; the window's
        articles sharing a tag), so the list costs the same however many articles a tag has
        gathered over the years; the queryset returned orders RELATED_CANDIDATES of them.
        """
        tag_ids = [tag.pk for tag in article.tag_list]
        picks = list(
            RelatedArticle.objects.filter(article=article)
            .order_by("position")
            .values_list("related_id", flat=True)
        )
        tagged = (
            self.filter(publish_at__gte=timezone.now() - RELATED_WINDOW, tags__in=tag_ids)
            .exclude(pk__in=[article.pk, *picks])
            .values("pk")
            .annotate(shared_tags=Count("pk"))
            .order_by("-shared_tags", "-publish_at", "-pk")
            .values_list("pk", flat=True)
        )
        ids = [pk for pk in picks if pk != article.pk]
        if tag_ids:
            ids += list(tagged[:RELATED_CANDIDATES])
        ranking = Case(
            *(When(pk=pk, then=Value(rank)) for rank, pk in enumerate(ids)),
            output_field=IntegerField(),
        )
        return self.filter(pk__in=ids).order_by(ranking) if ids else self.none()

    def most_viewed(self, *, since=None):
        """Ordered by views in the window ending now (all time with `since` None), most first;
        each article carries `.views`. Articles with no view in the window are left out."""
        if since is None:
            return (
                self.filter(view_count__gt=0)
                .annotate(views=models.F("view_count"))
                .order_by("-view_count", "-publish_at")
            )
        # The ranking belongs to the popularity app, which builds on this one: it is reached
        # through the relation popularity declares (ViewBucket.article), not by an import.
        view_bucket = self.model._meta.get_field("view_buckets").related_model
        return view_bucket.rank(self, since=since)

    def newest_per_section(self, count):
        """The `count` newest articles of each top-level section (sub-sections count towards
        their parent) of the last SECTION_BLOCK_WINDOW, as {article id: top-level section id}:
        one query, which ranks only ids and times. Read the articles by those ids (a second,
        small query): ranked with every column a card shows, a month of articles overflows
        PostgreSQL's sort memory onto disk (docs/benchmarks.md)."""
        root_section = Coalesce("section__parent_id", "section_id")
        ranked = (
            self.filter(publish_at__gte=timezone.now() - SECTION_BLOCK_WINDOW)
            .annotate(
                root_section_id=root_section,
                rank_in_section=Window(
                    RowNumber(),
                    partition_by=[root_section],
                    order_by=[models.F("publish_at").desc(), models.F("pk").desc()],
                ),
            )
            .filter(rank_in_section__lte=count)
            .order_by()
        )
        return dict(ranked.values_list("pk", "root_section_id"))

    def newest_first(self):
        return self.order_by("-publish_at", "-pk")

    def for_listing(self):
        """What an article card shows: its section and lead image, in the same query; the long
        texts a card never shows stay in the database."""
        return self.select_related("section__parent", "lead_image").defer(*LONG_TEXT_FIELDS)

    def with_bylines(self):
        """Bylines and their authors, in one more query (feeds name the authors)."""
        return self.prefetch_related(
            Prefetch(
                "bylines",
                queryset=Byline.objects.select_related("author"),
                to_attr="loaded_bylines",
            )
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        SUBMITTED = "submitted", _("Chờ duyệt")
        RETURNED = "returned", _("Bị trả lại")
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
    # Folded copies (no accents, lower case, " word word "), what search compares.
    search_title = models.TextField(blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
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
    related_articles = models.ManyToManyField(
        "self",
        verbose_name=_("tin liên quan do biên tập chọn"),
        through="articles.RelatedArticle",
        symmetrical=False,
        blank=True,
        related_name="+",
    )
    lead_image = models.ForeignKey(
        "photos.Image",
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
    view_count = models.PositiveBigIntegerField(
        _("lượt xem"), default=0, editable=False, help_text=_("Tổng lượt xem đã ghi.")
    )
    submitted_at = models.DateTimeField(_("gửi duyệt lúc"), null=True, blank=True, editable=False)
    # Raised by every save through the admin; a form carrying an older number was edited from a
    # stale copy and is refused instead of silently overwriting (ArticleAdminForm).
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
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
        permissions = [
            ("publish_article", _("Có thể xuất bản, lên lịch, gỡ và trả lại bài")),
            ("feature_article", _("Có thể đưa bài lên tin nổi bật")),
            ("correct_article", _("Có thể đính chính bài đã xuất bản")),
            ("edit_any_article", _("Có thể sửa mọi bài, ở mọi trạng thái")),
        ]
        indexes = [
            # live() lists, newest first (publish time, then id: newest_first()), read in
            # index order whatever the archive's size: home, feeds, sitemaps, section pages.
            # On PostgreSQL it also holds the rest of live() and the section, so a big
            # section's count of its pages is read from the index alone, not from every
            # article row it passes on its way (docs/benchmarks.md has the figures).
            models.Index(
                fields=["status", "publish_at", "id"],
                include=["unpublish_at", "section"],
                name="article_status_publish_idx",
            ),
            models.Index(
                fields=["section", "status", "publish_at", "id"],
                name="article_section_publish_idx",
            ),
            # "Tin nổi bật".
            models.Index(
                fields=["publish_at", "id"],
                condition=Q(is_featured=True),
                name="article_featured_publish_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.slug = unique_slug(self, self.slug or self.title, fallback="bai-viet")
        self.derive_fields()
        if kwargs.get("update_fields"):
            # Derived fields follow their sources when only some fields are saved.
            kwargs["update_fields"] = {*kwargs["update_fields"], *DERIVED_FIELDS}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # The id in the address keeps old links working when the title or slug changes.
        return reverse("articles:detail", kwargs={"slug": self.slug, "pk": self.pk})

    def derive_fields(self):
        """Work out this row's own derived fields: the sanitized body, its plain text, the
        folded copies search compares, and a publish time when published without one; the
        lead caption is kept as plain text. (Bulk imports that bypass save() call this and
        supply a unique slug themselves.)"""
        self.lead_image_caption = plain_text(self.lead_image_caption)
        self.body = sanitize_html(self.body)
        self.body_text = html_to_text(self.body)
        self.search_title = f" {fold(self.title)} "
        self.search_text = f" {fold(' '.join([self.title, self.sapo, self.body_text]))} "
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()

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
    def was_updated(self):
        """Edited after it was both written and published: the page then shows the update time.

        (A back-dated import or a scheduled article saved before its time is not "updated".)
        """
        if not (self.publish_at and self.updated_at and self.created_at):
            return False
        return self.updated_at - max(self.publish_at, self.created_at) > UPDATE_GRACE

    @property
    def last_modified(self):
        """When readers last saw a change: dateModified, feeds and sitemaps use it."""
        return self.updated_at if self.was_updated else self.publish_at

    @cached_property
    def tag_list(self):
        """Its tags, read once: the page's fragments and `related_to` share them."""
        return list(self.tags.all())

    @cached_property
    def byline(self):
        """Authors in byline order: those `with_bylines()` loaded when it did, else one query."""
        bylines = getattr(self, "loaded_bylines", None)
        if bylines is None:
            bylines = self.bylines.select_related("author")
        return [byline.author for byline in bylines]


Article._meta.pk.register_lookup(InArray)


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
            models.UniqueConstraint(
                fields=["article", "author"],
                name="byline_unique_author",
                violation_error_message=_("Tác giả này đã có trong bài."),
            )
        ]

    def __str__(self):
        return str(self.author)


class RelatedArticle(models.Model):
    """An article the editor pinned under another's "Tin liên quan", in order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey(
        Article, verbose_name=_("bài liên quan"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("tin liên quan")
        verbose_name_plural = _("tin liên quan do biên tập chọn")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "related"],
                name="related_unique_pair",
                violation_error_message=_("Bài này đã có trong tin liên quan."),
            ),
            models.CheckConstraint(
                condition=~Q(article=models.F("related")),
                name="related_not_itself",
                violation_error_message=_("Một bài không thể là tin liên quan của chính nó."),
            ),
        ]

    def __str__(self):
        return str(self.related)
