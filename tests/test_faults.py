"""Redis or the database away for a while: readers still get pages, and no view is lost.

"Redis down" is a Redis address where nothing listens (connections are refused at once), the
same answer a stopped Redis gives; `make loadtest` stops and restarts real servers under load.
"""

import logging
import time

import pytest
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import DatabaseError, OperationalError
from django.test import Client

from articles.models import Article
from articles.views import HomeView
from newsroom import pagecache
from popularity import counting
from popularity.models import BufferedView
from tests.articles.test_popularity import BEACON, CHROME

NOWHERE = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "newsroom.cache.RedisCache", "LOCATION": NOWHERE},
    }
    settings.REDIS_URL = NOWHERE
    settings.PAGE_CACHE = True


def send_beacon(client, article):
    return client.post(
        BEACON, {"id": article.pk}, HTTP_USER_AGENT=CHROME, HTTP_ORIGIN="http://testserver"
    )


def test_another_workers_change_shows_within_seconds_while_redis_is_down(
    redis_down, client, make_article, monkeypatch
):
    article = make_article(title="Tiêu đề đầu tiên")
    client.get(article.get_absolute_url())
    # Changed in another worker: this one cannot be told, its own version runs out instead.
    Article.objects.filter(pk=article.pk).update(title="Tiêu đề đã sửa")
    assert "Tiêu đề đầu tiên" in client.get(article.get_absolute_url()).content.decode()
    later = time.monotonic() + pagecache.OUTAGE_VERSION_SECONDS + 1
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: later)
    assert "Tiêu đề đã sửa" in client.get(article.get_absolute_url()).content.decode()


def test_pages_are_built_from_the_database_while_redis_is_down(
    redis_down, client, make_article, section, caplog
):
    article = make_article(title="Mưa lớn ở miền Trung")
    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        for url in ("/", section.get_absolute_url(), article.get_absolute_url(), "/rss/"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "Mưa lớn ở miền Trung" in response.content.decode(), url
            assert "X-Cache" not in response or response["X-Cache"] == "MISS"
    # One warning for the outage, not one per call.
    assert len([r for r in caplog.records if "unreachable" in r.getMessage()]) == 1


def test_a_change_shows_at_once_while_redis_is_down(redis_down, client, make_article):
    article = make_article(title="Tiêu đề đầu tiên")
    assert "Tiêu đề đầu tiên" in client.get(article.get_absolute_url()).content.decode()
    Article.objects.filter(pk=article.pk).update(title="Tiêu đề đã sửa")
    pagecache.content_changed()  # the version cannot move: no kept copy may be served either
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Tiêu đề đã sửa" in page


def test_the_cache_answers_misses_instead_of_errors_while_redis_is_down(redis_down):
    assert cache.get("key", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("key", 1) is False
    cache.set("key", 1)
    cache.delete("key")
    # Each worker keeps a version of its own meanwhile; a change moves it on.
    version = pagecache.content_version()
    assert pagecache.content_version() == version
    pagecache.content_changed()
    assert pagecache.content_version() != version


def test_views_go_to_the_database_buffer_while_redis_is_down(redis_down, client, make_article):
    article = make_article()
    response = send_beacon(client, article)
    assert response.status_code == 204
    assert BufferedView.objects.filter(article_id=article.pk).count() == 1
    assert counting.flush_views() == 1
    article.refresh_from_db()
    assert article.view_count == 1
    assert not BufferedView.objects.exists()


def test_the_view_ceiling_still_holds_and_answers_while_redis_is_down(
    clock, redis_down, client, make_article, settings
):
    settings.VIEW_CEILING_PER_MINUTE = 10
    article = make_article()
    caches["view_ceiling"].clear()
    answers = {send_beacon(client, article).status_code for _ in range(30)}
    caches["view_ceiling"].clear()  # the next test may reuse the article's id in this minute
    assert answers == {204}
    assert BufferedView.objects.get(article_id=article.pk).views == 10
    assert counting.flush_views() == 10


def test_a_view_is_kept_while_the_database_cannot_say_whether_the_article_is_live(
    client, make_article, monkeypatch, settings
):
    settings.REDIS_URL = ""
    article = make_article()
    counting._live_checked.clear()

    def unavailable():
        raise DatabaseError("the server closed the connection")

    monkeypatch.setattr(Article.objects, "live", unavailable)
    assert send_beacon(client, article).status_code == 204
    monkeypatch.undo()
    assert counting.flush_views() == 1


@pytest.mark.server_error_expected
def test_the_beacon_asks_to_retry_when_no_buffer_can_keep_the_view(
    redis_down, client, make_article, monkeypatch
):
    article = make_article()

    def unavailable(self, article_id, moment):
        raise DatabaseError("the server closed the connection")

    monkeypatch.setattr(counting.DatabaseBuffer, "add", unavailable)
    response = send_beacon(client, article)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"


def test_the_flusher_keeps_running_while_the_database_is_away(monkeypatch, capsys):
    outcomes = iter([DatabaseError("connection refused"), 3])

    def flush():
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    class Stop(Exception):
        pass

    rounds = []

    def sleep(seconds):
        rounds.append(seconds)
        if len(rounds) == 2:
            raise Stop

    monkeypatch.setattr("popularity.management.commands.flush_views.flush_views", flush)
    monkeypatch.setattr("popularity.management.commands.flush_views.time.sleep", sleep)
    with pytest.raises(Stop):
        call_command("flush_views", every=5)
    output = capsys.readouterr()
    assert "sẽ thử lại" in output.err
    assert "Đã ghi 3 lượt xem." in output.out


@pytest.mark.server_error_expected
@pytest.mark.parametrize(
    ("error", "status"),
    [(OperationalError("server closed the connection"), 503), (RuntimeError("bug"), 500)],
)
def test_a_database_outage_is_answered_as_temporary(db, monkeypatch, error, status):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(HomeView, "get", fail)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == status
    if status == 503:
        assert response["Retry-After"] == "10"
        assert "Trang tạm thời gián đoạn" in response.content.decode()
    else:
        assert "Đã có lỗi xảy ra" in response.content.decode()
