"""Make many realistic articles fast, for load tests and benchmarks (not for the demo site).

Bulk inserts in batches. Each article's text recombines two demo articles (the title, sapo and
three paragraphs of one, two paragraphs of another); the derived fields of each pair are worked
out once. Each article goes in one of the demo's sections, all of a size but one: a niche section
gets one article in a thousand (a section such as "Podcast" in a large archive). One in fifty is
also filed under a second section. Each article gets one or two of some sixty bylines, one to
three of about a hundred tags, one of a small pool of lead photos, a publish time (PER_DAY a
day, going back from now) and views in daily buckets to match (plus hourly buckets for the
newest). On PostgreSQL a large run drops the search index and builds it again at the end,
several times faster than updating it row by row.
"""

import random
from contextlib import contextmanager
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from articles.management.commands.load_demo import AUTHORS, SECTIONS, demo_entries, demo_photo
from articles.models import Article, Author, Byline, Tag
from newsroom.pagecache import content_changed
from newsroom.slugs import slugify_vi
from photos import library
from photos.models import Image
from sections.models import Section

TEXT_FIELDS = ["title", "sapo", "body", "body_text", "search_title", "search_text"]
PER_DAY = 100
PHOTO_POOL = 12
NICHE_SECTION = "cong-nghe"
NICHE_SHARE = 0.001
EXTRA_SECTION_SHARE = 0.02
REBUILD_INDEXES_FROM = 50_000
FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
GIVEN_NAMES = ["An", "Bình", "Chi", "Dũng", "Giang", "Hương", "Khoa", "Linh", "Nam", "Phúc",
               "Quân", "Sơn", "Thảo", "Trung", "Uyên", "Việt", "Xuân", "Yến"]  # fmt: skip
PLACES = ["Hà Nội", "TP.HCM", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Huế", "Quảng Ninh", "Nghệ An",
          "Thanh Hóa", "Khánh Hòa", "Lâm Đồng", "Đồng Nai", "Bình Dương", "An Giang", "Cà Mau",
          "Lào Cai", "Điện Biên", "Gia Lai", "Đắk Lắk", "Quảng Nam"]  # fmt: skip
TOPICS = ["Giao thông", "Y tế", "Giáo dục", "Bất động sản", "Chứng khoán", "Thời tiết", "Du lịch",
          "Việc làm", "Nông nghiệp", "Môi trường"]  # fmt: skip


def view_bucket_model():
    """View counts belong to the popularity app, which builds on this one: reached through the
    relation it declares (ViewBucket.article), as the rankings are, not by an import."""
    return Article._meta.get_field("view_buckets").related_model


def named(model, names, fields=lambda name: {}):
    """The rows of `model` with these names, once each: those that exist, and the others made.
    (A byline or tag list must not hold one row twice: the pairs are unique.)"""
    names = list(dict.fromkeys(names))
    found = {row.name: row for row in model.objects.filter(name__in=names)}
    for name in names:
        if name not in found:
            found[name] = model.objects.create(name=name, **fields(name))
    return [found[name] for name in names]


class Command(BaseCommand):
    help = "Tạo nhanh nhiều bài viết (mặc định 10.000) để đo tải; không dùng cho trang trình diễn."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10_000)
        parser.add_argument("--batch", type=int, default=5_000)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, count, batch, seed, **options):
        rng = random.Random(seed)
        self.texts = {}
        entries = demo_entries()
        sections = self.sections()
        niche = [s for s in sections if s.slug == NICHE_SECTION]
        common = [s for s in sections if s.slug != NICHE_SECTION]
        authors = self.authors()
        tags = self.tags()
        photos = self.photos(rng)
        start = Article.objects.count()
        now = timezone.now()
        made = 0
        with self.search_indexes_rebuilt_after(count):
            while made < count:
                size = min(batch, count - made)
                with transaction.atomic():
                    articles = [
                        self.article(rng, entries, common, niche, photos, start + made + n, now)
                        for n in range(size)
                    ]
                    buckets = self.views(rng, articles, now)
                    Article.objects.bulk_create(articles, batch_size=1000)
                    view_bucket_model().objects.bulk_create(buckets, batch_size=5000)
                    self.relations(rng, articles, authors, tags, common, niche)
                made += size
                self.stdout.write(f"{made}/{count}")
        content_changed()
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {count} bài viết."))

    @contextmanager
    def search_indexes_rebuilt_after(self, count):
        """On PostgreSQL, for a large run: drop the GIN (search) indexes, then build them again
        from their own saved definitions (migration 0007 owns them)."""
        if connection.vendor != "postgresql" or count < REBUILD_INDEXES_FROM:
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                "AND indexdef LIKE %s",
                [Article._meta.db_table, "%USING gin%"],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '1GB'")
                for _name, definition in indexes:
                    cursor.execute(definition)

    @staticmethod
    def sections():
        found = {s.slug: s for s in Section.objects.all()}
        for position, (slug, name, parent, _colour, description) in enumerate(SECTIONS):
            if slug not in found:
                found[slug] = Section.objects.create(
                    slug=slug, name=name, parent=found.get(parent), position=position * 10,
                    description=description,
                )  # fmt: skip
        return list(found.values())

    @staticmethod
    def authors():
        """The demo's pen names and some sixty reporters more: a newsroom's bylines."""
        bios = dict(AUTHORS)
        names = [
            *bios,
            *(f"{family} {given}" for family in FAMILY_NAMES[:4] for given in GIVEN_NAMES),
        ]
        return named(Author, names, lambda name: {"bio": bios.get(name, "Phóng viên.")})

    @staticmethod
    def tags():
        names = PLACES + TOPICS + [f"{topic} {place}" for topic in TOPICS[:4] for place in PLACES]
        return named(Tag, names)

    @staticmethod
    def photos(rng):
        photos = list(Image.objects.exclude(renditions={})[:PHOTO_POOL])
        while len(photos) < PHOTO_POOL:
            colour = (rng.randrange(40, 200), rng.randrange(40, 200), rng.randrange(40, 200))
            photo = library.store(
                ContentFile(demo_photo(colour, len(photos), (1200, 675)), name="minh-hoa.jpg"),
                by=None,
                caption="Ảnh minh họa.",
                credit="Ảnh: Tư liệu",
                alt_text="Ảnh minh họa",
            )
            photos.append(photo)
        return photos

    def text(self, entry, other):
        """Title, slug, sapo, body and their derived fields for a pair of demo articles,
        worked out by Article.derive_fields() once per pair."""
        key = (entry["title"], other["title"])
        if key not in self.texts:
            paragraphs = entry["paragraphs"][:3] + other["paragraphs"][:2]
            article = Article(
                title=entry["title"],
                sapo=entry["sapo"],
                body="".join(f"<p>{paragraph}</p>" for paragraph in paragraphs),
                status=Article.Status.DRAFT,
            )
            article.derive_fields()
            self.texts[key] = {
                "slug": slugify_vi(entry["title"], max_length=180),
                **{field: getattr(article, field) for field in TEXT_FIELDS},
            }
        return self.texts[key]

    def article(self, rng, entries, common, niche, photos, number, now):
        text = self.text(rng.choice(entries), rng.choice(entries))
        return Article(
            **{field: text[field] for field in TEXT_FIELDS},
            slug=f"{text['slug']}-{number}",
            section=self.pick_section(rng, common, niche),
            lead_image=rng.choice(photos),
            status=Article.Status.PUBLISHED,
            publish_at=now - timedelta(days=number / PER_DAY, minutes=rng.randrange(0, 14)),
            is_featured=rng.random() < 0.01,
            view_count=0,
        )

    @staticmethod
    def views(rng, articles, now):
        """View buckets for unsaved articles (bulk_create gives them ids), and their totals."""
        ViewBucket = view_bucket_model()
        buckets = []
        for article in articles:
            # Read mostly in its first days: a daily bucket for each of them still in the past.
            for day in range(3):
                moment = article.publish_at + timedelta(days=day)
                if moment > now:
                    break
                views = rng.randrange(20, 2000) // (day + 1)
                buckets.append(
                    ViewBucket(
                        article=article,
                        granularity="d",
                        period_start=ViewBucket.period_of(moment, "d"),
                        views=views,
                    )
                )
                article.view_count += views
            if now - article.publish_at < timedelta(hours=24):
                buckets.append(
                    ViewBucket(
                        article=article,
                        granularity="h",
                        period_start=ViewBucket.period_of(article.publish_at, "h"),
                        views=article.view_count,
                    )
                )
        return buckets

    @staticmethod
    def pick_section(rng, common, niche, besides=None):
        """One of the common sections, or the niche one for one pick in a thousand; never
        `besides`."""
        pool = niche if rng.random() < NICHE_SHARE else common
        return rng.choice([s for s in pool if s != besides] or common)

    def relations(self, rng, articles, authors, tags, common, niche):
        Byline.objects.bulk_create(
            Byline(article=a, author=author, position=position)
            for a in articles
            for position, author in enumerate(rng.sample(authors, rng.choice([1, 1, 2])))
        )
        tagged = Article.tags.through
        tagged.objects.bulk_create(
            tagged(article_id=a.pk, tag_id=tag.pk)
            for a in articles
            for tag in rng.sample(tags, min(len(tags), rng.choice([1, 2, 3])))
        )
        filed = Article.extra_sections.through
        extra = []
        for a in articles:
            if rng.random() < EXTRA_SECTION_SHARE:
                second = self.pick_section(rng, common, niche, besides=a.section)
                extra.append(filed(article_id=a.pk, section_id=second.pk))
        filed.objects.bulk_create(extra)
