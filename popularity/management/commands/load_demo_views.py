"""`load_demo_views`: a reading history for the demo, so that "Xem nhiều nhất" shows at once.

Readers' views of the live articles over the last days, hour by hour, written as the flusher
writes counted views (`popularity.counting.write_counts`: hourly and daily buckets and
`Article.view_count` agree), then compacted as it compacts them. The spread is made up but
plausible: an article is read most in its first hours and less every day after, readers come in
the morning, at lunch and in the evening (Vietnam's time), and a few articles draw far more
readers than most. The same demo gets the same views.

`make demo` runs it after `load_demo`. Run again, it adds only the hours since the last view it
finds, so a demo opened days later has a recent history too. For demonstration sites only: it
refuses to run with DEBUG off.
"""

import random
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max
from django.utils import timezone

from articles.models import Article
from newsroom.formats import vi_datetime
from popularity.counting import compact_hourly, write_counts
from popularity.models import ViewBucket, hour_of

# How readers spread over the day, by local hour: few at night, the morning commute, lunch, the
# evening's peak.
READING_HOURS = [
    0.25, 0.15, 0.1, 0.1, 0.12, 0.3, 0.7, 1.2, 1.4, 1.2, 1.0, 1.1,
    1.2, 1.0, 0.8, 0.8, 0.85, 0.9, 0.9, 1.1, 1.4, 1.5, 1.2, 0.6,
]  # fmt: skip
# An article of average appeal in its first hour, at an average time of day.
VIEWS_PER_HOUR = 40
# Readers of an article halve every this long after it is published, down to a trickle.
HALF_LIFE = timedelta(hours=20)
TRICKLE = 0.03
FEATURED_APPEAL = 2.5


def demo_views(articles, *, start, now, seed):
    """{(article id, hour): views} for `articles` from the hour `start` to the hour of `now`
    (its part already gone): none before an article was published."""
    counts = {}
    last_hour = hour_of(now)
    for article in articles:
        # Seeded by the article's address, not its id: the same demo reads the same anywhere.
        rng = random.Random(f"{seed}:{article.slug}")
        appeal = rng.lognormvariate(0, 0.9) * (FEATURED_APPEAL if article.is_featured else 1)
        hour = max(start, hour_of(article.publish_at))
        while hour <= last_hour:
            # The share of this hour in which the article was out and the hour had come.
            opens = max(hour, article.publish_at)
            closes = min(hour + timedelta(hours=1), now)
            share = max(0.0, (closes - opens) / timedelta(hours=1))
            age = max(timedelta(0), hour - article.publish_at)
            fading = 0.5 ** (age / HALF_LIFE) + TRICKLE
            local_hour = timezone.localtime(hour).hour
            expected = VIEWS_PER_HOUR * appeal * READING_HOURS[local_hour] * fading * share
            views = int(expected) + (rng.random() < expected % 1)
            if views:
                counts[(article.pk, hour)] = views
            hour += timedelta(hours=1)
    return counts


def first_hour_to_fill(now, days):
    """The hour after the last view on record (of the demo or of readers since), at most
    `days` back."""
    start = hour_of(now) - timedelta(days=days)
    hours = ViewBucket.objects.filter(granularity=ViewBucket.Granularity.HOUR)
    latest_hour = hours.aggregate(latest=Max("period_start"))["latest"]
    if latest_hour is not None:
        return max(start, latest_hour + timedelta(hours=1))
    days_counted = ViewBucket.objects.filter(granularity=ViewBucket.Granularity.DAY)
    latest_day = days_counted.aggregate(latest=Max("period_start"))["latest"]
    if latest_day is not None:
        return max(start, hour_of(latest_day + timedelta(days=1)))
    return start


class Command(BaseCommand):
    help = (
        "Tạo lượt xem trình diễn cho các bài đang hiện trong những ngày qua, để mục "
        "“Xem nhiều nhất” có ngay nội dung (chỉ cho máy trình diễn, DEBUG bật)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=14, help="Số ngày lượt xem tính ngược từ bây giờ."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Hạt giống ngẫu nhiên.")

    def handle(self, *args, days=14, seed=2026, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Lượt xem trình diễn chỉ dành cho máy trình diễn (DEBUG bật): trang thật "
                "chỉ đếm lượt xem của bạn đọc."
            )
        now = timezone.now()
        start = first_hour_to_fill(now, days)
        articles = Article.objects.live().only("pk", "slug", "publish_at", "is_featured")
        counts = demo_views(articles, start=start, now=now, seed=seed)
        written = write_counts(counts) if counts else 0
        compact_hourly(now)
        if written:
            read = len({article_id for article_id, _hour in counts})
            views = f"{written:,}".replace(",", ".")
            self.stdout.write(
                f"Lượt xem trình diễn: {views} lượt cho {read} bài, từ {vi_datetime(start)}."
            )
        else:
            self.stdout.write("Lượt xem trình diễn: đã có đến giờ này, không thêm.")
