"""Xem nhiều nhất: what is counted, how counts are kept, and how articles are ranked."""

import os
import threading
from datetime import UTC, datetime, timedelta

import pytest
import redis
from django.core.cache import caches
from django.db import connection
from django.urls import reverse

from articles import workflow
from articles.models import Article
from popularity import counting
from popularity.models import BufferedView, ViewBucket
from tests.conftest import NOW

CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/156.0 Safari/537.36"
)
BEACON = "/luot-xem/"
TEST_REDIS = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def require_redis():
    """Skip without a Redis server, unless REQUIRE_REDIS=1 (.ci/run starts one and sets it),
    where that fails."""
    try:
        redis.Redis.from_url(TEST_REDIS, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis is needed at {TEST_REDIS}")
        pytest.skip(f"no Redis at {TEST_REDIS}")


@pytest.fixture(params=["database", "redis"])
def buffer(request, settings):
    """Each test runs with the database buffer and with the Redis buffer."""
    if request.param == "redis":
        require_redis()
        settings.REDIS_URL = TEST_REDIS
    else:
        settings.REDIS_URL = ""
    chosen = counting.view_buffer()
    chosen.clear()
    yield chosen
    chosen.clear()


@pytest.fixture
def make_live(make_article):
    """Articles live since a month before NOW, so that they are live at the frozen clock too."""

    def make(**fields):
        fields.setdefault("publish_at", NOW - timedelta(days=30))
        return make_article(**fields)

    return make


@pytest.fixture(autouse=True)
def fresh_live_checks():
    counting._live_checked.clear()


@pytest.fixture(autouse=True)
def fresh_ceiling():
    """No count of an address's views left by another test (article ids come back on SQLite)."""
    caches["view_ceiling"].clear()
    yield
    caches["view_ceiling"].clear()


def beacon(client, article_id, *, user_agent=CHROME, origin="http://testserver", **extra):
    headers = {"HTTP_USER_AGENT": user_agent, **extra}
    if origin:
        headers["HTTP_ORIGIN"] = origin
    return client.post(BEACON, {"id": article_id}, **headers)


def total_views(article):
    article.refresh_from_db()
    return article.view_count


def test_browser_view_is_counted_in_hour_day_and_total(clock, client, make_live, buffer):
    article = make_live()
    assert beacon(client, article.pk).status_code == 204
    assert beacon(client, article.pk).status_code == 204
    assert counting.flush_views() == 2
    assert total_views(article) == 2
    buckets = {
        (b.granularity, b.period_start): b.views for b in ViewBucket.objects.filter(article=article)
    }
    assert buckets == {
        ("h", datetime(2026, 11, 5, 2, 0, tzinfo=UTC)): 2,
        ("d", datetime(2026, 11, 4, 17, 0, tzinfo=UTC)): 2,  # midnight in Hà Nội
    }


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32",
        "",
    ],
)
def test_crawlers_and_scripts_are_not_counted(client, make_live, buffer, user_agent):
    article = make_live()
    assert beacon(client, article.pk, user_agent=user_agent).status_code == 204
    assert counting.flush_views() == 0
    assert total_views(article) == 0


@pytest.mark.parametrize("origin", [None, "http://evil.example", "null"])
def test_beacons_not_sent_from_our_pages_are_not_counted(client, make_live, buffer, origin):
    article = make_live()
    beacon(client, article.pk, origin=origin)
    assert counting.flush_views() == 0


def test_referer_is_enough_for_browsers_that_send_no_origin(client, make_live, buffer):
    article = make_live()
    beacon(
        client,
        article.pk,
        origin=None,
        HTTP_REFERER=f"http://testserver{article.get_absolute_url()}",
    )
    assert counting.flush_views() == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT, "publish_at": None},
        {"publish_at": datetime(2030, 1, 1, tzinfo=UTC)},
        {"status": Article.Status.UNPUBLISHED},
    ],
    ids=["draft", "scheduled", "unpublished"],
)
def test_non_live_articles_are_not_counted(client, make_live, buffer, fields):
    article = make_live(**fields)
    assert beacon(client, article.pk).status_code == 404
    assert counting.flush_views() == 0


@pytest.mark.parametrize(
    "body", [{}, {"id": ""}, {"id": "abc"}, {"id": "-1"}, {"id": "1" * 40}, {"id": "1; DROP"}]
)
def test_garbage_beacons_get_400_and_count_nothing(client, make_live, buffer, body):
    make_live()
    response = client.post(BEACON, body, HTTP_USER_AGENT=CHROME, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 400
    assert counting.flush_views() == 0


def test_unknown_article_gets_404_and_wrong_method_405(client, db, buffer):
    assert beacon(client, 999_999).status_code == 404
    assert client.get(BEACON, {"id": 1}).status_code == 405
    assert client.put(BEACON).status_code == 405
    raw = client.post(
        BEACON, b"\x00\xff garbage", content_type="application/octet-stream", HTTP_USER_AGENT=CHROME
    )
    assert raw.status_code == 400
    assert counting.flush_views() == 0


def test_article_page_carries_the_beacon_and_previews_do_not(client, make_live, editor):
    article = make_live()
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'data-article="{article.pk}"' in page and 'data-endpoint="/luot-xem/"' in page
    client.force_login(editor)
    preview = client.get(reverse("articles:preview", args=[article.pk])).content.decode()
    assert "beacon.js" not in preview


def test_a_failed_flush_loses_nothing_and_the_retry_counts_once(
    client, make_live, buffer, monkeypatch
):
    article = make_live()
    for _ in range(3):
        beacon(client, article.pk)

    def failing(counts):
        counting.write_counts(counts)
        raise RuntimeError("the database went away halfway")

    with pytest.raises(RuntimeError):
        buffer.flush(failing)
    assert total_views(article) == 0  # rolled back, still buffered
    assert counting.flush_views() == 3
    assert counting.flush_views() == 0
    assert total_views(article) == 3


def test_redis_batch_committed_but_not_dropped_is_not_counted_twice(
    client, make_live, settings, monkeypatch
):
    require_redis()
    settings.REDIS_URL = TEST_REDIS
    buffer = counting.view_buffer()
    buffer.clear()
    article = make_live()
    for _ in range(4):
        beacon(client, article.pk)
    real_delete = buffer.client.delete
    monkeypatch.setattr(buffer.client, "delete", lambda *keys: None)  # Redis fails after commit
    assert counting.flush_views() == 4
    monkeypatch.setattr(buffer.client, "delete", real_delete)
    assert counting.flush_views() == 0  # the leftover batch is recognised, dropped
    assert total_views(article) == 4
    assert not list(buffer.client.scan_iter(match=f"{buffer.TAKEN}*"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (CI runs it)"
)
def test_concurrent_readers_and_flushers_lose_and_double_nothing(make_live, buffer, monkeypatch):
    monkeypatch.setattr(counting, "FLUSH_BATCH_SIZE", 2)  # flushers loop over several steps
    articles = [make_live(title=f"Bài {n}") for n in range(3)]
    per_thread, writers = 150, 6
    errors = []

    def read():
        try:
            for number in range(per_thread):
                counting.record_view(articles[number % 3].pk)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    def flush():
        try:
            for _ in range(5):
                counting.flush_views()
        except Exception as error:  # pragma: no cover
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=read) for _ in range(writers)]
    threads += [threading.Thread(target=flush) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counting.flush_views()
    assert errors == []
    assert sum(total_views(a) for a in articles) == per_thread * writers
    hourly = ViewBucket.objects.filter(granularity="h").values_list("views", flat=True)
    assert sum(hourly) == per_thread * writers
    assert not BufferedView.objects.exists()


def test_old_hourly_buckets_are_compacted_into_days(clock, make_live, buffer):
    article = make_live()
    counting.record_view(article.pk, at=NOW - timedelta(days=5))
    counting.record_view(article.pk, at=NOW)
    counting.flush_views()
    hourly = ViewBucket.objects.filter(granularity="h")
    assert [b.period_start for b in hourly] == [datetime(2026, 11, 5, 2, tzinfo=UTC)]
    assert sum(ViewBucket.objects.filter(granularity="d").values_list("views", flat=True)) == 2
    ranked = Article.objects.live().most_viewed(since=timedelta(days=7))
    assert [(a.pk, a.views) for a in ranked] == [(article.pk, 2)]


def views_at(article, moment, count):
    for _ in range(count):
        counting.record_view(article.pk, at=moment)


def test_ranking_windows_at_their_edges(clock, make_live, buffer):
    old, recent, fresh = (make_live(title=t) for t in ["Cũ", "Gần đây", "Mới"])
    views_at(old, NOW - timedelta(days=7), 50)  # 2026-10-29 09:30 local: outside 7 days
    views_at(old, NOW - timedelta(days=6), 1)  # 2026-10-30: the first of the 7 days
    views_at(recent, NOW - timedelta(hours=24), 9)  # outside the last 24 hours
    views_at(recent, NOW - timedelta(hours=23), 2)  # inside
    views_at(fresh, NOW, 3)
    counting.view_buffer().flush(counting.write_counts)
    live = Article.objects.live()
    day = [(a.title, a.views) for a in live.most_viewed(since=timedelta(days=1))]
    assert day == [("Mới", 3), ("Gần đây", 2)]
    week = [(a.title, a.views) for a in live.most_viewed(since=timedelta(days=7))]
    assert week == [("Gần đây", 11), ("Mới", 3), ("Cũ", 1)]
    month = [(a.title, a.views) for a in live.most_viewed(since=timedelta(days=30))]
    assert month == [("Cũ", 51), ("Gần đây", 11), ("Mới", 3)]
    ever = [(a.title, a.views) for a in live.most_viewed()]
    assert ever == month


def test_rankings_chain_with_section_and_skip_non_live(
    clock, make_live, make_section, section, buffer, editor
):
    sport = make_section("Thể thao")
    here, there, gone = (
        make_live(title="Ở đây"),
        make_live(title="Thể thao", section=sport),
        make_live(title="Đã gỡ"),
    )
    views_at(here, NOW, 1)
    views_at(there, NOW, 5)
    views_at(gone, NOW, 9)
    counting.flush_views()
    workflow.unpublish(gone, by=editor)
    ranked = Article.objects.live().most_viewed(since=timedelta(days=7))
    assert [a.title for a in ranked] == ["Thể thao", "Ở đây"]
    in_section = Article.objects.live().in_section(section).most_viewed(since=timedelta(days=7))
    assert [a.title for a in in_section] == ["Ở đây"]


def test_most_viewed_sidebar_never_lists_an_article_taken_down_after_ranking(
    clock, client, make_live, buffer, editor, django_capture_on_commit_callbacks, settings
):
    settings.VIEW_COUNT_SHOWN_FROM = 0  # the counts are shown, however small
    first, second = make_live(title="Bài một"), make_live(title="Bài hai")
    views_at(first, NOW, 4)
    views_at(second, NOW, 2)
    counting.flush_views()
    home = client.get("/").content.decode()
    block = home.split('id="xem-nhieu-nhat"')[1].split("</section>")[0]
    assert block.index("Bài một") < block.index("Bài hai")
    assert "4 lượt xem" in block
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(first, by=editor)  # the ranking is still cached
    block = client.get("/").content.decode().split('id="xem-nhieu-nhat"')[1]
    assert "Bài một" not in block.split("</section>")[0]


def most_viewed_block(page):
    return page.split('id="xem-nhieu-nhat"')[1].split("</section>")[0]


def test_a_view_counted_late_in_a_ranking_window_is_listed_in_the_next(
    clock, client, make_live, buffer
):
    """A list drawn at the end of one ranking window is not shown in the next: a view flushed
    just after it is listed one window later at most (docs/operations.md promises the demo a
    minute from beacon to list)."""
    clock.move_to(NOW + timedelta(seconds=29))  # NOW starts a window of RANKING_CACHE_SECONDS
    old, new = make_live(title="Bài cũ"), make_live(title="Bài mới")
    views_at(old, NOW, 3)
    counting.flush_views()
    assert "Bài mới" not in most_viewed_block(client.get("/").content.decode())
    views_at(new, NOW, 5)
    counting.flush_views()
    assert "Bài mới" not in most_viewed_block(client.get("/").content.decode())  # this window's

    clock.shift(timedelta(seconds=2))

    block = most_viewed_block(client.get("/").content.decode())
    assert block.index("Bài mới") < block.index("Bài cũ")


def test_home_shows_no_most_viewed_block_without_views(client, make_live):
    make_live()
    assert 'id="xem-nhieu-nhat"' not in client.get("/").content.decode()


def test_a_beacon_costs_one_insert_or_no_query_at_all(
    client, make_live, buffer, django_assert_num_queries
):
    article = make_live()
    beacon(client, article.pk)  # the first one checks that the article is live
    expected = 0 if isinstance(buffer, counting.RedisBuffer) else 1
    with django_assert_num_queries(expected):
        assert beacon(client, article.pk).status_code == 204


# One address cannot push an article up ------------------------------------------------------


def beacons_from(client, article, address, count):
    """`count` beacons from a browser at `address`; every one is answered 204."""
    answers = {beacon(client, article.pk, REMOTE_ADDR=address).status_code for _ in range(count)}
    assert answers == {204}


def test_two_hundred_beacons_from_one_address_count_only_the_ceiling(
    clock, client, make_live, buffer, settings
):
    settings.VIEW_CEILING_PER_MINUTE = 10
    article, other = make_live(title="Bài bị đẩy"), make_live(title="Bài khác")
    beacons_from(client, article, "203.0.113.7", 200)
    beacons_from(client, other, "203.0.113.7", 3)  # the ceiling is per article
    assert counting.flush_views() == 13
    assert total_views(article) == 10
    assert total_views(other) == 3


def test_readers_behind_two_addresses_each_count(clock, client, make_live, buffer, settings):
    settings.VIEW_CEILING_PER_MINUTE = 10
    article = make_live()
    beacons_from(client, article, "203.0.113.7", 15)
    beacons_from(client, article, "198.51.100.20", 15)
    assert counting.flush_views() == 20


def test_an_ipv6_64_is_one_client(clock, client, make_live, buffer, settings):
    settings.VIEW_CEILING_PER_MINUTE = 10
    article = make_live()
    beacons_from(client, article, "2001:db8:1:2::1", 8)
    beacons_from(client, article, "2001:db8:1:2:ffff:ffff:ffff:9", 8)  # same /64
    beacons_from(client, article, "2001:db8:1:3::1", 4)  # the next /64: another client
    assert counting.flush_views() == 14


def test_the_ceiling_resets_after_the_minute(clock, client, make_live, buffer, settings):
    settings.VIEW_CEILING_PER_MINUTE = 10
    article = make_live()
    beacons_from(client, article, "203.0.113.7", 15)
    clock.shift(timedelta(seconds=59))
    beacons_from(client, article, "203.0.113.7", 5)  # the same minute: nothing more
    assert counting.flush_views() == 10
    clock.shift(timedelta(seconds=1))
    beacons_from(client, article, "203.0.113.7", 15)
    assert counting.flush_views() == 10
    assert total_views(article) == 20


def test_the_ceiling_is_shared_by_every_worker_with_redis(clock, client, make_live, settings):
    require_redis()
    settings.REDIS_URL = TEST_REDIS
    settings.VIEW_CEILING_PER_MINUTE = 10
    counting.view_buffer().clear()
    article = make_live()
    beacons_from(client, article, "203.0.113.7", 6)
    counting._buffers.clear()  # another worker: its own client and connections
    caches["view_ceiling"].clear()
    beacons_from(client, article, "203.0.113.7", 6)
    assert counting.flush_views() == 10
    counting.view_buffer().clear()


def test_the_database_buffer_keeps_one_row_per_article_and_hour(clock, client, make_live, settings):
    settings.REDIS_URL = ""
    first, second = make_live(title="Một"), make_live(title="Hai")
    views_at(first, NOW, 5)
    views_at(first, NOW + timedelta(minutes=20), 2)  # the same hour
    views_at(first, NOW + timedelta(hours=1), 3)
    views_at(second, NOW, 4)
    rows = BufferedView.objects.order_by("article_id", "hour")
    assert [(r.article_id, r.hour, r.views) for r in rows] == [
        (first.pk, datetime(2026, 11, 5, 2, tzinfo=UTC), 7),
        (first.pk, datetime(2026, 11, 5, 3, tzinfo=UTC), 3),
        (second.pk, datetime(2026, 11, 5, 2, tzinfo=UTC), 4),
    ]
    clock.move_to(NOW + timedelta(hours=1))
    assert counting.flush_views() == 14
    assert not BufferedView.objects.exists()


@pytest.fixture
def eight_hours_of_views(make_live, buffer, monkeypatch):
    """Two views in each of the eight hours before NOW (eight buffer entries), with flush
    steps of at most three entries."""
    monkeypatch.setattr(counting, "FLUSH_BATCH_SIZE", 3)
    article = make_live()
    for hours in range(8):
        views_at(article, NOW - timedelta(hours=hours), 2)
    return article


def hourly_views(article):
    buckets = ViewBucket.objects.filter(article=article, granularity="h")
    return {b.period_start: b.views for b in buckets}


def test_a_flush_larger_than_a_step_writes_everything_in_bounded_steps(
    clock, eight_hours_of_views, buffer
):
    steps = []

    def write(counts):
        steps.append(len(counts))
        return counting.write_counts(counts)

    assert buffer.flush(write) == 16
    assert steps == [3, 3, 2]
    assert hourly_views(eight_hours_of_views) == {
        NOW.replace(minute=0) - timedelta(hours=hours): 2 for hours in range(8)
    }
    assert total_views(eight_hours_of_views) == 16


def test_one_flush_takes_a_bounded_number_of_steps_and_the_next_goes_on(
    clock, eight_hours_of_views, buffer, monkeypatch
):
    monkeypatch.setattr(counting, "FLUSH_MAX_BATCHES", 2)
    assert buffer.flush(counting.write_counts) == 12
    assert buffer.flush(counting.write_counts) == 4
    assert total_views(eight_hours_of_views) == 16


def test_a_failure_midway_through_a_flush_loses_and_doubles_nothing(
    clock, eight_hours_of_views, buffer
):
    steps = []

    def fail_at_the_second_step(counts):
        steps.append(len(counts))
        written = counting.write_counts(counts)
        if len(steps) == 2:
            raise RuntimeError("the database went away halfway")
        return written

    with pytest.raises(RuntimeError):
        buffer.flush(fail_at_the_second_step)
    assert total_views(eight_hours_of_views) == 6  # the first step stays written
    assert counting.flush_views() == 10
    assert counting.flush_views() == 0
    assert total_views(eight_hours_of_views) == 16
    assert set(hourly_views(eight_hours_of_views).values()) == {2}
