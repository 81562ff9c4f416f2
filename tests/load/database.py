"""What the site's database and view buffers say, read through Django in the load test's own
process (over the private PostgreSQL and Redis): the addresses readers ask for, each article's
view count, and the views still waiting in a buffer.

Every read opens a fresh connection: the one before may have died with a PostgreSQL restart.
"""

import contextlib
import os
import sys
import urllib.parse

SEARCHES = ["Hà Nội", "giao thong", "Đà Nẵng", "y tế", "giáo dục", "bóng đá", "chứng khoán",
            "thoi tiet", "du lịch", "TP.HCM", "việc làm", "môi trường"]  # fmt: skip


def setup_django(app, env):
    os.environ.update(env)
    sys.path.insert(0, str(app))
    import django

    django.setup()


def fresh_connection():
    from django.db import connection

    connection.close()


def site_paths():
    """What readers ask for: articles (id and address, newest first), sections, searches
    and feeds."""
    from articles.models import Article
    from sections.models import Section

    fresh_connection()
    live = Article.objects.live().order_by("-publish_at", "-pk").only("pk", "slug")
    sections = list(Section.objects.select_related("parent"))
    return {
        "articles": [(article.pk, article.get_absolute_url()) for article in live],
        "sections": [section.get_absolute_url() for section in sections],
        "searches": [urllib.parse.quote_plus(words) for words in SEARCHES],
        "feeds": ["/rss/"] + [f"/rss/{section.slug}/" for section in sections],
    }


def view_counts():
    """({article id: view_count}, total views in the daily buckets)."""
    from django.db.models import Sum

    from articles.models import Article
    from popularity.models import ViewBucket

    fresh_connection()
    counts = dict(Article.objects.values_list("pk", "view_count"))
    daily = ViewBucket.objects.filter(granularity=ViewBucket.Granularity.DAY)
    return counts, daily.aggregate(total=Sum("views"))["total"] or 0


def views_in_redis(client):
    """{batch: views} in the Redis buffer: "" for the pending hash, else the id of a batch
    that a flush has taken (and written, if FlushedBatch holds its id)."""
    from popularity.counting import RedisBuffer

    held = {"": client.hvals(RedisBuffer.PENDING)}
    for key in client.scan_iter(match=f"{RedisBuffer.TAKEN}*"):
        held[key.decode().removeprefix(RedisBuffer.TAKEN)] = client.hvals(key)
    return {batch: sum(int(value) for value in values) for batch, values in held.items()}


def unflushed(held):
    """How many views of `held` ({batch: views}) no flush has written to the buckets."""
    from popularity.models import FlushedBatch

    fresh_connection()
    done = set(FlushedBatch.objects.filter(batch__in=held).values_list("batch", flat=True))
    return sum(views for batch, views in held.items() if batch not in done)


def views_buffered(redis_client):
    """Views not yet written to the buckets, in Redis's buffer and the database's."""
    import redis

    from popularity.models import BufferedView

    fresh_connection()
    waiting = BufferedView.objects.count()
    with contextlib.suppress(redis.RedisError):  # Redis down: the run reports what it held
        waiting += unflushed(views_in_redis(redis_client))
    return waiting
