"""Make many realistic articles fast, for load tests and benchmarks (not for the demo site).

Bulk inserts in batches: a million articles on PostgreSQL take a few minutes. Titles, sapos and
bodies are recombined from the demo texts; each article gets one or two bylines, tags, one of a
small pool of lead photos, a publish time (about 100 a day, going back from now) and views in
daily buckets to match (plus hourly buckets for the newest).
"""

import random
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.management.commands.load_demo import AUTHORS, SECTIONS, demo_entries, demo_photo
from articles.models import Article, Author, Byline, Image, Tag, ViewBucket
from articles.popularity import day_of, hour_of
from newsroom.pagecache import content_changed
from newsroom.slugs import slugify_vi
from sections.models import Section

PER_DAY = 100
PHOTO_POOL = 12


class Command(BaseCommand):
    help = "Tạo nhanh nhiều bài viết (mặc định 10.000) để đo tải; không dùng cho trang trình diễn."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10_000)
        parser.add_argument("--batch", type=int, default=5_000)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, count, batch, seed, **options):
        rng = random.Random(seed)
        entries = demo_entries()
        sections = self.sections()
        authors = list(Author.objects.all()) or self.authors()
        tags = list(Tag.objects.all()) or [
            Tag.objects.create(name=n) for n in ("Đà Nẵng", "Giao thông", "Y tế", "Giáo dục")
        ]
        photos = self.photos(rng)
        start = Article.objects.count()
        now = timezone.now()
        made = 0
        while made < count:
            size = min(batch, count - made)
            with transaction.atomic():
                articles = [
                    self.article(rng, entries, sections, photos, start + made + n, now)
                    for n in range(size)
                ]
                Article.objects.bulk_create(articles, batch_size=1000)
                self.relations(rng, articles, authors, tags, now)
            made += size
            self.stdout.write(f"{made}/{count}")
        content_changed()
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {count} bài viết."))

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
        return [Author.objects.create(name=name, bio=bio) for name, bio in AUTHORS]

    @staticmethod
    def photos(rng):
        photos = list(Image.objects.exclude(renditions={})[:PHOTO_POOL])
        from django.core.files.base import ContentFile

        while len(photos) < PHOTO_POOL:
            colour = (rng.randrange(40, 200), rng.randrange(40, 200), rng.randrange(40, 200))
            photo = Image(caption="Ảnh minh họa.", credit="Ảnh: Tư liệu", alt_text="Ảnh minh họa")
            photo.file.save(
                "minh-hoa.jpg",
                ContentFile(demo_photo(colour, len(photos), (1200, 675))),
                save=False,
            )
            photo.save()
            photo.make_renditions()
            photos.append(photo)
        return photos

    @staticmethod
    def article(rng, entries, sections, photos, number, now):
        entry = rng.choice(entries)
        other = rng.choice(entries)
        title = f"{entry['title']} ({number})"
        body = "".join(f"<p>{p}</p>" for p in entry["paragraphs"][:3] + other["paragraphs"][:2])
        article = Article(
            title=title,
            slug=f"{slugify_vi(entry['title'], max_length=180)}-{number}",
            sapo=entry["sapo"],
            body=body,
            section=rng.choice(sections),
            lead_image=rng.choice(photos),
            status=Article.Status.PUBLISHED,
            publish_at=now - timedelta(days=number / PER_DAY, minutes=rng.randrange(0, 14)),
            is_featured=rng.random() < 0.01,
            view_count=0,
        )
        article.derive_fields()
        return article

    @staticmethod
    def relations(rng, articles, authors, tags, now):
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
        buckets, totals = [], {}
        for a in articles:
            # Read mostly in its first days: a daily bucket for each of them still in the past.
            for day in range(3):
                moment = a.publish_at + timedelta(days=day)
                if moment > now:
                    break
                views = rng.randrange(20, 2000) // (day + 1)
                buckets.append(
                    ViewBucket(article=a, granularity="d", period_start=day_of(moment), views=views)
                )
                totals[a.pk] = totals.get(a.pk, 0) + views
            if now - a.publish_at < timedelta(hours=24):
                buckets.append(
                    ViewBucket(
                        article=a,
                        granularity="h",
                        period_start=hour_of(a.publish_at),
                        views=totals.get(a.pk, 0),
                    )
                )
        ViewBucket.objects.bulk_create(buckets, batch_size=5000, ignore_conflicts=True)
        for a in articles:
            a.view_count = totals.get(a.pk, 0)
        Article.objects.bulk_update(
            [a for a in articles if a.view_count], ["view_count"], batch_size=2000
        )
