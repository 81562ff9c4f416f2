"""Where view counts live: hourly and daily buckets, and the database's buffer of new views."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def hour_of(moment):
    return moment.replace(minute=0, second=0, microsecond=0)


def day_of(moment):
    """Midnight of the site's local day that holds `moment`."""
    local = timezone.localtime(moment)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def ranking_window(since, now=None):
    """(granularity, first period) for a window ending now: the last N hours up to two days,
    else the last N local days, today included."""
    now = now or timezone.now()
    if since <= timedelta(hours=48):
        hours = max(1, round(since / timedelta(hours=1)))
        return ViewBucket.Granularity.HOUR, hour_of(now) - timedelta(hours=hours - 1)
    days = max(1, round(since / timedelta(days=1)))
    return ViewBucket.Granularity.DAY, day_of(now) - timedelta(days=days - 1)


class ViewBucket(models.Model):
    """Views of one article in one hour or one day (the site's local day).

    The flush adds each batch of views to both the hour's and the day's bucket; hourly buckets
    older than HOURLY_KEPT are then deleted (the daily ones hold them).
    """

    class Granularity(models.TextChoices):
        HOUR = "h", _("giờ")
        DAY = "d", _("ngày")

    # Named by string: popularity builds on articles, never the other way round. Articles reach
    # the ranking through this relation (ArticleQuerySet.most_viewed calls ViewBucket.rank).
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="view_buckets"
    )
    granularity = models.CharField(max_length=1, choices=Granularity)
    period_start = models.DateTimeField()
    views = models.PositiveBigIntegerField(default=0)

    class Meta:
        # Tables keep the names they had in the articles app (popularity/migrations/0001).
        db_table = "articles_viewbucket"
        verbose_name = _("lượt xem theo giờ/ngày")
        verbose_name_plural = _("lượt xem theo giờ/ngày")
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "granularity", "period_start"], name="view_bucket_unique"
            )
        ]
        indexes = [
            # Rankings sum one granularity over a window of periods.
            models.Index(
                fields=["granularity", "period_start", "article", "views"],
                name="view_bucket_window_idx",
            )
        ]

    def __str__(self):
        return (
            f"{self.article_id} {self.granularity} {self.period_start:%Y-%m-%d %H:%M}: {self.views}"
        )

    @classmethod
    def period_of(cls, moment, granularity):
        """The start of the hour or of the local day that holds `moment`."""
        return hour_of(moment) if granularity == cls.Granularity.HOUR else day_of(moment)

    @staticmethod
    def rank(articles, *, since):
        """`articles` ordered by their views in the window `since` long ending now, most first,
        each with `.views`; articles with no view in the window are left out."""
        granularity, start = ranking_window(since)
        return (
            articles.filter(
                view_buckets__granularity=granularity, view_buckets__period_start__gte=start
            )
            .annotate(views=models.Sum("view_buckets__views"))
            .order_by("-views", "-publish_at", "-pk")
        )


class BufferedView(models.Model):
    """Views of one article in one hour waiting for the next flush (used when no Redis is
    configured, and while Redis is down).

    One row per article and hour, its `views` raised by an upsert: a flood of views grows a
    counter, not the table.
    """

    article_id = models.BigIntegerField()
    hour = models.DateTimeField()
    views = models.PositiveBigIntegerField(default=1)

    class Meta:
        db_table = "articles_bufferedview"
        verbose_name = _("lượt xem chờ ghi")
        verbose_name_plural = _("lượt xem chờ ghi")
        constraints = [
            models.UniqueConstraint(fields=["article_id", "hour"], name="buffered_view_unique")
        ]

    def __str__(self):
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H:%M}: {self.views}"


class FlushedBatch(models.Model):
    """A batch of views taken from Redis and written to the buckets, by its unique id.

    Written in the same transaction as the counts: a batch retried after a failure between the
    commit and the deletion of its Redis key is recognised and not counted twice.
    """

    batch = models.CharField(max_length=64, unique=True)
    flushed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "articles_flushedbatch"
        verbose_name = _("lô lượt xem đã ghi")
        verbose_name_plural = _("lô lượt xem đã ghi")

    def __str__(self):
        return self.batch
