"""Where view counts live: hourly and daily buckets, and the database's buffer of new views."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .article import Article


class ViewBucket(models.Model):
    """Views of one article in one hour or one day (the site's local day).

    The flush adds each batch of views to both the hour's and the day's bucket; hourly buckets
    older than HOURLY_KEPT are then deleted (the daily ones hold them).
    """

    class Granularity(models.TextChoices):
        HOUR = "h", _("giờ")
        DAY = "d", _("ngày")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="view_buckets")
    granularity = models.CharField(max_length=1, choices=Granularity)
    period_start = models.DateTimeField()
    views = models.PositiveBigIntegerField(default=0)

    class Meta:
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
        verbose_name = _("lô lượt xem đã ghi")
        verbose_name_plural = _("lô lượt xem đã ghi")

    def __str__(self):
        return self.batch
