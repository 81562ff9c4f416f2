"""Counting what readers view, for "Xem nhiều nhất" (popularity/rankings.py ranks by it).

The path of a view: the article page's beacon (popularity/static/popularity/beacon.js, sent once
per reader and article in 30 minutes, also from a cached page) -> POST /luot-xem/ (count_view) ->
within_ceiling(), at most VIEW_CEILING_PER_MINUTE counted views a minute per client address and
article -> record_view(), one buffered increment -> flush_views() every ~30 seconds
(manage.py flush_views) adds each batch of at most FLUSH_BATCH_SIZE entries to the hourly and
daily ViewBuckets and Article.view_count -> rankings (ViewBucket.rank, reached as
Article.objects.live().most_viewed(since=...), and popularity/rankings.py). The buffer
is Redis when REDIS_URL is set, the database otherwise, and the database while Redis cannot be
reached: a view is kept as long as one of them answers.
"""

import logging
import re
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import redis
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from articles.models import Article
from newsroom.security import address_group, client_ip

from .models import BufferedView, FlushedBatch, ViewBucket, day_of, hour_of

logger = logging.getLogger(__name__)

# Known crawlers and HTTP libraries; a real browser's user agent matches none of these.
BOT_USER_AGENT = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|"
    r"curl/|wget/|python-|httpx|aiohttp|go-http-client|java/|okhttp|libwww|scrapy|"
    r"lighthouse|pingdom|uptime|monitor",
    re.IGNORECASE,
)
HOURLY_KEPT = timedelta(hours=72)
LIVE_CHECK_SECONDS = 30
LIVE_CHECK_MAX_ENTRIES = 20_000
# Entries (article and hour) written per flush step: what one step holds in memory and in one
# transaction, however many views a flood buffered.
FLUSH_BATCH_SIZE = 5_000
# Steps one flush takes at most, so that a flush always ends (the next one goes on from there)
# even while new entries keep coming as fast as it writes them.
FLUSH_MAX_BATCHES = 100
CEILING_KEY = "newsroom:views:ceiling:"
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


# How much one address counts --------------------------------------------------------------------


def within_ceiling(request, article_id):
    """Whether this view of the article still counts: at most settings.VIEW_CEILING_PER_MINUTE
    a minute from one client address (newsroom.security.client_ip, IPv6 grouped by /64).

    The minute is a fixed window (the clock's minute), so a client gets at most twice the
    ceiling across a minute's turn. With Redis the counter is shared by every worker: one
    pipelined INCR+EXPIRE round trip. Without Redis (and while Redis is down) it lives in the
    Django cache "view_ceiling", local memory in each worker and apart from the page cache: with
    W workers one address may count up to W times the ceiling, still far from a flood, and a
    flood of addresses culls only these counters, never pages. The beacon never fails for the
    ceiling's sake.
    """
    # No usable address: all such beacons share one ceiling.
    client = address_group(client_ip(request)) or "unknown"
    minute = int(time.time() // 60)
    key = f"{CEILING_KEY}{minute}:{article_id}:{client}"
    buffer = view_buffer()
    if isinstance(buffer, RedisBuffer):
        try:
            return buffer.count_towards_ceiling(key) <= settings.VIEW_CEILING_PER_MINUTE
        except redis.RedisError:
            pass  # counted in this worker's memory meanwhile
    store = caches["view_ceiling"]
    store.add(key, 0, timeout=120)
    try:
        seen = store.incr(key)
    except ValueError:  # expired between add() and incr(): a fresh minute
        seen = 1
    return seen <= settings.VIEW_CEILING_PER_MINUTE


# The buffer ------------------------------------------------------------------------------------


class RedisBuffer:
    """Pending views in one Redis hash, "<article id>:<hour>" -> count; many workers share it.

    The flush never reads the pending hash whole. A Lua script (MOVE_BATCH, atomic in Redis)
    moves at most FLUSH_BATCH_SIZE fields out of it into a new batch hash with a unique name;
    readers' HINCRBYs land before the move (and go with the batch) or after it (and start the
    field afresh in the pending hash). Each batch is written in one transaction that also
    records its name in FlushedBatch, then deleted; this repeats until a move finds fewer than
    FLUSH_BATCH_SIZE fields. A batch is never changed once made, so a batch left behind by a
    crash (or being written by another flusher) is written again as a whole under its own name,
    and FlushedBatch tells whether it already was: no view is lost or counted twice.
    Needs Redis 6.2 or later (HRANDFIELD).
    """

    PENDING = "newsroom:views:pending"
    TAKEN = "newsroom:views:taken:"
    MOVE_BATCH = """
    local fields = redis.call('HRANDFIELD', KEYS[1], ARGV[1], 'WITHVALUES')
    for i = 1, #fields, 2 do
        redis.call('HSET', KEYS[2], fields[i], fields[i + 1])
        redis.call('HDEL', KEYS[1], fields[i])
    end
    return #fields / 2
    """

    def __init__(self, url):
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=0.5)
        self.move_batch = self.client.register_script(self.MOVE_BATCH)

    def add(self, article_id, moment):
        self.client.hincrby(self.PENDING, f"{article_id}:{int(hour_of(moment).timestamp())}", 1)

    def count_towards_ceiling(self, key):
        """Add one to the ceiling counter `key` (kept two minutes); returns the new count."""
        pipe = self.client.pipeline(transaction=False)
        pipe.incr(key)
        pipe.expire(key, 120)
        seen, _ = pipe.execute()
        return seen

    def flush(self, write):
        """Write batches left behind by earlier flushes, then move and write the pending views
        FLUSH_BATCH_SIZE entries at a time; returns the views written."""
        flushed = 0
        for key in list(self.client.scan_iter(match=f"{self.TAKEN}*")):
            flushed += self.write_batch(key.decode(), write)
        for _ in range(FLUSH_MAX_BATCHES):
            key = f"{self.TAKEN}{uuid.uuid4().hex}"
            moved = self.move_batch(keys=[self.PENDING, key], args=[FLUSH_BATCH_SIZE])
            if moved:
                flushed += self.write_batch(key, write)
            if moved < FLUSH_BATCH_SIZE:
                break
        return flushed

    def write_batch(self, key, write):
        counts = Counter()
        for field, value in self.client.hgetall(key).items():
            article_id, hour = field.decode().split(":")
            moment = datetime.fromtimestamp(int(hour), tz=UTC)
            counts[(int(article_id), moment)] += int(value)
        flushed = 0
        if counts:  # an empty read: another flusher wrote and deleted the batch meanwhile
            with transaction.atomic():
                _, created = FlushedBatch.objects.get_or_create(batch=key.removeprefix(self.TAKEN))
                if created:
                    flushed = write(counts)
        self.client.delete(key)
        return flushed

    def clear(self):
        keys = [self.PENDING]
        for pattern in (f"{self.TAKEN}*", f"{CEILING_KEY}*"):
            keys += self.client.scan_iter(match=pattern)
        self.client.delete(*keys)


class DatabaseBuffer:
    """Pending views as one counter per article and hour, raised by an upsert: a flood of views
    grows a number, not the table.

    The flush deletes at most FLUSH_BATCH_SIZE rows at a time and writes their counts in the
    same transaction: a second flusher skips (PostgreSQL) or waits for (SQLite) rows being
    taken, a failed step rolls its rows back, and a reader's upsert either raised a row before
    it was taken or starts a new one after.
    """

    def add(self, article_id, moment):
        table = connection.ops.quote_name(BufferedView._meta.db_table)
        hour = connection.ops.adapt_datetimefield_value(hour_of(moment))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (article_id, hour, views) VALUES (%s, %s, 1) "
                f"ON CONFLICT (article_id, hour) DO UPDATE SET views = {table}.views + 1",
                [article_id, hour],
            )

    def flush(self, write):
        """Take and write FLUSH_BATCH_SIZE rows at a time until fewer are left; returns the
        views written."""
        flushed = 0
        for _ in range(FLUSH_MAX_BATCHES):
            taken, views = self.flush_batch(write)
            flushed += views
            if taken < FLUSH_BATCH_SIZE:
                break
        return flushed

    def flush_batch(self, write):
        table = connection.ops.quote_name(BufferedView._meta.db_table)
        # PostgreSQL: rows another flusher is taking are skipped, not waited for. SQLite has
        # one writer at a time, so there is nothing to skip.
        skip_locked = connection.features.has_select_for_update_skip_locked
        lock = " FOR UPDATE SKIP LOCKED" if skip_locked else ""
        with transaction.atomic(), connection.cursor() as cursor:
            # Deleting first, in the counting transaction: a failed step rolls the rows back.
            cursor.execute(
                f"DELETE FROM {table} WHERE id IN "
                f"(SELECT id FROM {table} ORDER BY id LIMIT %s{lock}) "
                "RETURNING article_id, hour, views",
                [FLUSH_BATCH_SIZE],
            )
            rows = cursor.fetchall()
            counts = Counter()
            for article_id, hour, views in rows:
                if not isinstance(hour, datetime):  # SQLite returns text
                    hour = datetime.fromisoformat(hour)
                if timezone.is_naive(hour):
                    hour = hour.replace(tzinfo=UTC)
                counts[(article_id, hour)] += views
            return len(rows), write(counts) if counts else 0

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
