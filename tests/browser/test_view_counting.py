import time_machine
from django.core.cache import cache, caches
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from popularity import counting


def test_a_readers_browser_view_is_counted_once_despite_reloads(
    page, live_server, make_article, transactional_db, settings
):
    settings.REDIS_URL = ""  # the database buffer: what this test server writes, the test reads
    settings.VIEW_COUNT_SHOWN_FROM = 0  # the counts are shown, however small
    article = make_article(title="Bài được đọc nhiều")
    url = f"{live_server.url}{article.get_absolute_url()}"
    with page.expect_response(lambda r: r.url.endswith("/luot-xem/")) as sent:
        page.goto(url)
    assert sent.value.status == 204
    page.reload()
    page.goto(live_server.url)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert counting.flush_views() == 1
    assert Article.objects.get(pk=article.pk).view_count == 1
    # On the home page's "Xem nhiều nhất" once the half-minute cached ranking has expired (a
    # Redis cache keeps its own clock: the expiry is simulated by dropping the cached ranking).
    cache.clear()
    page.goto(live_server.url)
    block = page.locator("section.most-viewed")
    expect(block).to_contain_text("Bài được đọc nhiều")
    expect(block).to_contain_text("1 lượt xem")


def test_a_script_in_a_readers_browser_cannot_send_an_article_up_the_ranking(
    page, live_server, make_article, transactional_db, settings
):
    """Beacons sent by a script on our own page carry a browser's user agent and our Origin:
    only the ceiling for one address stops them."""
    settings.REDIS_URL = ""
    settings.VIEW_CEILING_PER_MINUTE = 10
    article = make_article(title="Bài bị đẩy lên")
    # Frozen at the start of a minute (the clock runs on), so that every beacon below falls in
    # one minute of the ceiling however slow the machine.
    start = timezone.now().replace(second=0, microsecond=0)
    with time_machine.travel(start, tick=True):
        with page.expect_response(lambda r: r.url.endswith("/luot-xem/")):
            page.goto(f"{live_server.url}{article.get_absolute_url()}")
        answers = page.evaluate(
            """async (id) => {
                const sent = Array.from({length: 200}, () => fetch('/luot-xem/', {
                    method: 'POST', body: new URLSearchParams({id: String(id)}),
                }));
                return (await Promise.all(sent)).map((answer) => answer.status);
            }""",
            article.pk,
        )
    caches["view_ceiling"].clear()
    assert set(answers) == {204}  # the script is not told which ones were dropped
    assert counting.flush_views() == 10
    assert Article.objects.get(pk=article.pk).view_count == 10
