"""The readers' page cache: hits cost nothing, and no stale copy survives a change."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles import workflow
from articles.models import Article
from articles.previews import grant_path, grant_preview
from tests.articles.test_workflow_admin import change_url, edit_form
from tests.conftest import NOW


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE = True


@pytest.fixture
def site(make_article, make_tag, section, author):
    tag = make_tag("Đà Nẵng")
    article = make_article(title="Bài đang hiện")
    article.tags.add(tag)
    return {"article": article, "tag": tag, "section": section, "author": author}


def public_urls(site):
    return [
        "/",
        site["section"].get_absolute_url(),
        site["author"].get_absolute_url(),
        site["tag"].get_absolute_url(),
        site["article"].get_absolute_url(),
        "/tim-kiem/?q=bai",
        "/rss/",
        f"/rss/{site['section'].slug}/",
        "/sitemap-bai-viet.xml",
        "/sitemap-news.xml",
    ]


def test_a_hit_runs_no_query_and_no_template(client, site, django_assert_num_queries):
    for url in public_urls(site):
        first = client.get(url)
        assert first["X-Cache"] == "MISS", url
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again["X-Cache"] == "HIT", url
        assert again.templates == []
        assert again.content == first.content
        assert again["Content-Type"] == first["Content-Type"]


def test_cached_pages_tell_shared_caches_how_long(client, site):
    response = client.get("/")
    assert "s-maxage=30" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


def test_cached_article_page_still_counts_views(client, site):
    client.get(site["article"].get_absolute_url())
    hit = client.get(site["article"].get_absolute_url())
    assert hit["X-Cache"] == "HIT"
    assert b'data-endpoint="/luot-xem/"' in hit.content


def test_staff_are_never_served_or_stored(client, site, editor):
    client.force_login(editor)
    for _ in range(2):
        response = client.get("/")
        assert "X-Cache" not in response
    client.logout()
    assert client.get("/")["X-Cache"] == "MISS"


def test_previews_posts_and_the_admin_are_never_cached(client, site, make_article, editor):
    draft = make_article(title="Nháp", status=Article.Status.DRAFT)
    link = grant_path(grant_preview(draft, by=editor))
    for _ in range(2):
        assert "X-Cache" not in client.get(link)
        assert "X-Cache" not in client.get("/admin/login/")
    assert "X-Cache" not in client.post("/luot-xem/", {"id": "x"})


def test_an_operator_keeps_more_addresses_out_of_the_page_cache(client, site, settings):
    settings.PAGE_CACHE_SKIP = ["/tim-kiem/"]
    for _ in range(2):
        assert "X-Cache" not in client.get("/tim-kiem/?q=bai")
    assert client.get("/rss/")["X-Cache"] == "MISS"


def test_publishing_shows_a_new_article_on_every_page_at_once(
    client, site, make_article, editor, django_capture_on_commit_callbacks
):
    fresh = make_article(title="Tin vừa duyệt", status=Article.Status.SUBMITTED)
    fresh.tags.add(site["tag"])
    for url in public_urls(site):
        assert fresh.slug not in client.get(url).content.decode()
    assert client.get(fresh.get_absolute_url()).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(fresh, by=editor)
    for url in public_urls(site)[:4] + ["/rss/", "/sitemap-bai-viet.xml", "/sitemap-news.xml"]:
        assert fresh.slug in client.get(url).content.decode(), url
    assert "Tin vừa duyệt" in client.get(fresh.get_absolute_url()).content.decode()


def test_unpublishing_removes_it_everywhere_at_once(
    client, site, editor, django_capture_on_commit_callbacks
):
    article = site["article"]
    for url in public_urls(site):
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(article, by=editor)
    assert client.get(article.get_absolute_url()).status_code == 404
    for url in public_urls(site):
        if url != article.get_absolute_url():
            assert article.slug not in client.get(url).content.decode(), url


def test_an_admin_edit_shows_at_once(client, site, editor, django_capture_on_commit_callbacks):
    article = site["article"]
    assert "Bài đang hiện" in client.get("/").content.decode()
    staff = client.__class__()
    staff.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(change_url(article), edit_form(article, title="Tiêu đề đã sửa"))
    assert response.status_code == 302
    assert "Tiêu đề đã sửa" in client.get("/").content.decode()
    article.refresh_from_db()
    assert "Tiêu đề đã sửa" in client.get(article.get_absolute_url()).content.decode()


def test_an_admin_delete_shows_at_once(
    client, site, superuser_client, django_capture_on_commit_callbacks
):
    article = site["article"]
    assert "Bài đang hiện" in client.get(article.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(
            reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
        )
    assert not Article.objects.filter(pk=article.pk).exists()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Bài đang hiện" not in client.get("/").content.decode()


def test_a_scheduled_article_appears_when_its_time_passes(clock, client, site, make_article):
    at = NOW + timedelta(seconds=30)
    scheduled = make_article(title="Tin hẹn giờ", publish_at=at)
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert "Tin hẹn giờ" not in client.get("/").content.decode()
    clock.move_to(at + timedelta(seconds=1))
    call_command("refresh_published", stdout=StringIO())  # cron, every minute
    assert "Tin hẹn giờ" in client.get(scheduled.get_absolute_url()).content.decode()
    assert "Tin hẹn giờ" in client.get("/").content.decode()


def test_compressed_and_plain_copies_are_cached_apart(client, site):
    import gzip

    zipped = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    hit = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert hit["X-Cache"] == "HIT" and hit["Content-Encoding"] == "gzip"
    assert "Bài đang hiện" in gzip.decompress(hit.content).decode()
    plain = client.get("/")
    assert plain["X-Cache"] == "MISS" and "Content-Encoding" not in plain
    assert "Bài đang hiện" in plain.content.decode()


@pytest.fixture
def stored_pages(monkeypatch):
    """The keys of the pages the page cache stores from now on."""
    from newsroom import pagecache

    stored = []

    class Recording:
        def __getattr__(self, name):
            return getattr(cache, name)

        def set(self, key, *args, **kwargs):
            stored.append(key)
            return cache.set(key, *args, **kwargs)

    cache = pagecache.cache
    monkeypatch.setattr(pagecache, "cache", Recording())
    return stored


@pytest.fixture
def two_pages(monkeypatch, make_article):
    """Lists of one article a page, two live articles: every list has a second page."""
    from articles.views import SearchView, SectionDetailView

    for view in (SearchView, SectionDetailView):
        monkeypatch.setattr(view, "paginate_by", 1)
    make_article(title="Bài thứ hai")


TRACKING = [
    "utm_source=facebook&utm_medium=social&utm_campaign=bau-cu",
    "fbclid=IwAR3xyz",
    "gclid=",
    "ref=evil.example&_=1732761000",
]


@pytest.mark.parametrize("tracking", TRACKING)
def test_tracking_parameters_are_answered_from_the_page_without_them(
    client, site, two_pages, tracking
):
    section = site["section"].get_absolute_url()
    for url in ("/", "/tim-kiem/?q=bai", f"{section}?page=2", site["article"].get_absolute_url()):
        first = client.get(url)
        assert first["X-Cache"] == "MISS", url
        joiner = "&" if "?" in url else "?"
        again = client.get(f"{url}{joiner}{tracking}")
        assert again["X-Cache"] == "HIT", url
        assert again.content == first.content


def test_a_page_built_for_a_tracking_address_never_shows_the_parameter(client, site, two_pages):
    section = site["section"].get_absolute_url()
    canonical = {
        f"{section}?page=2": f"http://testserver{section}?page=2",
        "/tim-kiem/?q=bai&page=2": "http://testserver/tim-kiem/?page=2",
    }
    for url, address in canonical.items():
        built = client.get(f"{url}&utm_source=doi-thu&fbclid=xyz")
        assert built["X-Cache"] == "MISS"
        html = built.content.decode()
        assert "utm_source" not in html and "doi-thu" not in html and "fbclid" not in html
        assert 'rel="prev" href="?' in html  # the pagination links are there, without them
        assert f'<link rel="canonical" href="{address}">' in html
        assert client.get(url).content == built.content


def test_known_parameters_share_a_copy_whatever_their_order_or_repetition(
    client, site, two_pages, stored_pages
):
    section = site["section"].get_absolute_url()
    assert client.get("/tim-kiem/?q=bai&page=2")["X-Cache"] == "MISS"
    for url in (
        "/tim-kiem/?page=2&q=bai",
        "/tim-kiem/?page=1&q=bai&page=2",
        "/tim-kiem/?q=x&q=bai&page=2",
    ):
        assert client.get(url)["X-Cache"] == "HIT", url
    first = client.get(f"{section}?page=2")
    assert client.get(f"{section}?page=1&page=2").content == first.content
    assert len(stored_pages) == 2


def test_a_different_page_or_query_is_a_different_copy(client, site, two_pages):
    section = site["section"].get_absolute_url()
    assert client.get(section)["X-Cache"] == "MISS"
    assert client.get(f"{section}?page=2")["X-Cache"] == "MISS"
    assert client.get("/tim-kiem/?q=bai")["X-Cache"] == "MISS"
    assert client.get("/tim-kiem/?q=da+nang")["X-Cache"] == "MISS"
    # Django's sitemaps page with "p": page 2 is not page 1 (here it does not exist).
    assert client.get("/sitemap-bai-viet.xml")["X-Cache"] == "MISS"
    assert client.get("/sitemap-bai-viet.xml?p=2").status_code == 404


def test_a_scan_of_unknown_addresses_stores_nothing(client, site, stored_pages):
    for number in range(20):
        for url in (
            f"/khong-co-{number}/",  # a section that does not exist
            f"/khong/co/{number}/",  # no address of ours at all
            f"/tin-{number}-{900000 + number}.html",  # no such article
            f"/thoi-su-{number}",  # CommonMiddleware adds the slash: a 301 for any address
            f"/chu-de/khong-co-{number}/",
        ):
            response = client.get(url)
            assert response.status_code in (301, 404), url
            assert "X-Cache" not in response
    assert stored_pages == []


def test_a_redirect_from_an_old_article_address_is_cached(client, site, stored_pages):
    article = site["article"]
    old = f"/ten-cu-{article.pk}.html"
    first = client.get(old)
    assert first.status_code == 301 and first["Location"] == article.get_absolute_url()
    assert client.get(old)["X-Cache"] == "HIT"
    assert len(stored_pages) == 1
