from django.core.cache import cache
from playwright.sync_api import expect

from articles import popularity
from articles.models import Article


def test_a_readers_browser_view_is_counted_once_despite_reloads(
    page, live_server, make_article, transactional_db, settings
):
    settings.REDIS_URL = ""  # the database buffer: what this test server writes, the test reads
    article = make_article(title="Bài được đọc nhiều")
    url = f"{live_server.url}{article.get_absolute_url()}"
    with page.expect_response(lambda r: r.url.endswith("/luot-xem/")) as sent:
        page.goto(url)
    assert sent.value.status == 204
    page.reload()
    page.goto(live_server.url)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert popularity.flush_views() == 1
    assert Article.objects.get(pk=article.pk).view_count == 1
    # On the home page's "Xem nhiều nhất" once the half-minute cached ranking has expired (a
    # Redis cache keeps its own clock: the expiry is simulated by dropping the cached ranking).
    cache.clear()
    page.goto(live_server.url)
    block = page.locator("section.most-viewed")
    expect(block).to_contain_text("Bài được đọc nhiều")
    expect(block).to_contain_text("1 lượt xem")
