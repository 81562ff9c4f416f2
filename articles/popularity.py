"""Xem nhiều nhất: counting what readers view, and ranking articles by it.

The path of a view: the article page's beacon (static/newsroom/beacon.js, sent once per reader
and article in 30 minutes, also from a cached page) -> POST /luot-xem/ (count_view) ->
record_view(), one buffered increment -> flush_views() every ~30 seconds (manage.py flush_views)
adds each batch to the hourly and daily ViewBuckets and Article.view_count -> rankings
(ArticleQuerySet.most_viewed). The buffer is Redis when REDIS_URL is set, the database otherwise,
and the database while Redis cannot be reached: a view is kept as long as one of them answers.
"""

import logging
import re
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .models import Article, BufferedView, FlushedBatch, ViewBucket

logger = logging.getLogger(__name__)

# Known crawlers and HTTP libraries; a real browser's user agent matches none of these.
BOT_USER_AGENT = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|"
    r"curl/|wget/|python-|httpx|aiohttp|go-http-client|java/|okhttp|libwww|scrapy|"
    r"lighthouse|pingdom|uptime|monitor",
    re.IGNORECASE,
)
HOURLY_KEPT = timedelta(hours=72)
RANKING_CACHE_SECONDS = 30  # with flushes every 30 s, lists are at most a minute behind
LIVE_CHECK_SECONDS = 30
LIVE_CHECK_MAX_ENTRIES = 20_000
Granularity = ViewBucket.Granularity


# Who counts ------------------------------------------------------------------------------------


def is_counted_request(request):
    """A reader's browser: a user agent that is no crawler, and the beacon sent from our pages
    (browsers send Origin or Referer with it; scripts and crawlers mostly do not)."""
    user_agent = request.headers.get("User-Agent", "")
    if not user_agent or BOT_USER_AGENT.search(user_agent):
        return False
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    host = request.get_host()
    return source.split("://", 1)[-1].split("/", 1)[0] == host


_live_checked = {}


def is_live_article(article_id):
    """Whether readers may see the article, remembered for LIVE_CHECK_SECONDS in this process
    (a beacon then costs no query for an article already seen)."""
    now = time.monotonic()
    known = _live_checked.get(article_id)
    if known and known[0] > now:
        return known[1]
    if len(_live_checked) > LIVE_CHECK_MAX_ENTRIES:
        _live_checked.clear()
    try:
        live = Article.objects.live().filter(pk=article_id).exists()
    except DatabaseError:
        # The database is away for a moment (a restart): keep the view rather than lose it.
        # Not remembered, so the article is checked again; the flush drops unknown ids.
        return True
    _live_checked[article_id] = (now + LIVE_CHECK_SECONDS, live)
    return live


# The buffer ------------------------------------------------------------------------------------


def hour_of(moment):
    return moment.replace(minute=0, second=0, microsecond=0)


def day_of(moment):
    """Midnight of the site's local day that holds `moment`."""
    local = timezone.localtime(moment)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


class RedisBuffer:
    """Pending views in one Redis hash, "<article id>:<hour>" -> count; many workers share it."""

    PENDING = "newsroom:views:pending"
    TAKEN = "newsroom:views:taken:"

    def __init__(self, url):
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=0.5)

    def add(self, article_id, moment):
        self.client.hincrby(self.PENDING, f"{article_id}:{int(hour_of(moment).timestamp())}", 1)

    def flush(self, write):
        """Take the pending hash under a new name (atomically), write it, then drop it.

        A batch left behind by a failed flush is retried first; FlushedBatch tells whether its
        counts were already committed, so it is never counted twice.
        """
        flushed = 0
        leftovers = [key.decode() for key in self.client.scan_iter(match=f"{self.TAKEN}*")]
        batch_key = f"{self.TAKEN}{uuid.uuid4().hex}"
        try:
            self.client.rename(self.PENDING, batch_key)
            batches = [*leftovers, batch_key]
        except redis.ResponseError:  # nothing pending
            batches = leftovers
        for key in batches:
            counts = Counter()
            for field, value in self.client.hgetall(key).items():
                article_id, hour = field.decode().split(":")
                moment = datetime.fromtimestamp(int(hour), tz=UTC)
                counts[(int(article_id), moment)] += int(value)
            batch = key.removeprefix(self.TAKEN)
            with transaction.atomic():
                _, created = FlushedBatch.objects.get_or_create(batch=batch)
                if created:
                    flushed += write(counts)
            self.client.delete(key)
        return flushed

    def clear(self):
        self.client.delete(self.PENDING, *self.client.keys(f"{self.TAKEN}*"))


class DatabaseBuffer:
    """Pending views as inserted rows: readers only insert, the flush deletes what it counted."""

    def add(self, article_id, moment):
        BufferedView.objects.create(article_id=article_id, hour=hour_of(moment))

    def flush(self, write):
        table = connection.ops.quote_name(BufferedView._meta.db_table)
        with transaction.atomic(), connection.cursor() as cursor:
            # Deleting first, in the counting transaction: a second flusher waits for these
            # rows and then finds them gone, and a failed flush rolls the rows back.
            cursor.execute(f"DELETE FROM {table} RETURNING article_id, hour")
            counts = Counter()
            for article_id, hour in cursor.fetchall():
                if not isinstance(hour, datetime):  # SQLite returns text
                    hour = datetime.fromisoformat(hour)
                if timezone.is_naive(hour):
                    hour = hour.replace(tzinfo=UTC)
                counts[(article_id, hour)] += 1
            return write(counts) if counts else 0

    def clear(self):
        BufferedView.objects.all().delete()


_buffers = {}


def view_buffer():
    """Redis when REDIS_URL is set (one buffer for all workers), else the database."""
    url = settings.REDIS_URL
    if url not in _buffers:
        _buffers[url] = RedisBuffer(url) if url else DatabaseBuffer()
    return _buffers[url]


def record_view(article_id, *, at=None):
    """Buffer one view. Raises DatabaseError only when neither buffer can take it."""
    moment = at or timezone.now()
    buffer = view_buffer()
    try:
        buffer.add(article_id, moment)
    except redis.RedisError:
        # Redis is down: the database buffer keeps the view; every flush empties both.
        DatabaseBuffer().add(article_id, moment)


# Flushing --------------------------------------------------------------------------------------


def write_counts(counts):
    """Add {(article id, hour): views} to the hourly and daily buckets and the articles' totals,
    with upserts that add to what is there (safe beside other flushers). Returns views written."""
    existing = set(
        Article.objects.filter(pk__in={a for a, _ in counts}).values_list("pk", flat=True)
    )
    hourly, daily, totals = Counter(), Counter(), Counter()
    for (article_id, hour), views in counts.items():
        if article_id not in existing:  # deleted since it was viewed
            continue
        hourly[(article_id, hour)] += views
        daily[(article_id, day_of(hour))] += views
        totals[article_id] += views
    adapt = connection.ops.adapt_datetimefield_value
    rows = [(a, Granularity.HOUR, adapt(h), v) for (a, h), v in sorted(hourly.items())]
    rows += [(a, Granularity.DAY, adapt(d), v) for (a, d), v in sorted(daily.items())]
    bucket_table = connection.ops.quote_name(ViewBucket._meta.db_table)
    article_table = connection.ops.quote_name(Article._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {bucket_table} (article_id, granularity, period_start, views) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT (article_id, granularity, period_start) "
            f"DO UPDATE SET views = {bucket_table}.views + excluded.views",
            rows,
        )
        cursor.executemany(
            f"UPDATE {article_table} SET view_count = view_count + %s WHERE id = %s",
            [(views, article_id) for article_id, views in sorted(totals.items())],
        )
    return sum(totals.values())


def flush_views():
    """Write every buffered view to the buckets; returns how many were written.

    The database buffer is flushed too when Redis is the buffer: it holds what readers sent
    while Redis was down. Redis being down only postpones its own batch."""
    written = 0
    buffers = [view_buffer()]
    if not isinstance(buffers[0], DatabaseBuffer):
        buffers.append(DatabaseBuffer())
    for buffer in buffers:
        try:
            written += buffer.flush(write_counts)
        except redis.RedisError as error:
            logger.warning("Views buffered in Redis not flushed this time: %s", error)
    compact_hourly()
    return written


def compact_hourly(now=None):
    """Drop hourly buckets older than HOURLY_KEPT: their views are in the daily buckets."""
    cutoff = hour_of(now or timezone.now()) - HOURLY_KEPT
    ViewBucket.objects.filter(granularity=Granularity.HOUR, period_start__lt=cutoff).delete()


# Rankings --------------------------------------------------------------------------------------


def ranking_window(since, now=None):
    """(granularity, first period) for a window ending now: the last N hours up to two days,
    else the last N local days, today included."""
    now = now or timezone.now()
    if since <= timedelta(hours=48):
        hours = max(1, round(since / timedelta(hours=1)))
        return Granularity.HOUR, hour_of(now) - timedelta(hours=hours - 1)
    days = max(1, round(since / timedelta(days=1)))
    return Granularity.DAY, day_of(now) - timedelta(days=days - 1)


def most_viewed(*, since, section=None, limit=5):
    """Live articles ranked by views in the window, each with `.views`; the ranking is cached
    for RANKING_CACHE_SECONDS, but whether each article is live is checked on every call."""
    scope = section.pk if section else "all"
    key = f"newsroom:most-viewed:{scope}:{int(since.total_seconds())}:{limit}"
    ranking = cache.get(key)
    if ranking is None:
        ranked = Article.objects.live().most_viewed(since=since)
        if section is not None:
            ranked = ranked.in_section(section)
        ranking = list(ranked.values_list("pk", "views")[:limit])
        cache.set(key, ranking, RANKING_CACHE_SECONDS)
    views = dict(ranking)
    articles = Article.objects.live().filter(pk__in=views).only("pk", "slug", "title")
    ordered = sorted(articles, key=lambda article: -views[article.pk])
    for article in ordered:
        article.views = views[article.pk]
    return ordered
