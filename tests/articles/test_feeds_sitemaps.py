from datetime import timedelta
from xml.etree import ElementTree

from django.utils import timezone

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locations(client, url):
    root = ElementTree.fromstring(client.get(url).content)
    return [loc.text for loc in root.iterfind(".//s:loc", SITEMAP_NS)]


def test_site_feed_lists_live_articles_newest_first(client, make_article):
    make_article(title="Tin cũ", publish_at=timezone.now() - timedelta(days=1))
    make_article(title="Tin mới", sapo="Sapo tin mới.")
    response = client.get("/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    assert channel.findtext("language") == "vi"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Tin mới", "Tin cũ"]
    assert items[0].findtext("description") == "Sapo tin mới."
    assert items[0].findtext("link").startswith("http://testserver/tin-moi-")


def test_feed_readers_show_a_sapo_as_text_never_as_markup(client, make_article):
    make_article(sapo='Giá xăng <b>tăng</b> & <img src=x onerror="alert(1)">')
    item = ElementTree.fromstring(client.get("/rss/").content).find("channel/item")
    # What a feed reader gets after XML decoding is still escaped HTML: shown, not rendered.
    assert item.findtext("description") == (
        "Giá xăng &lt;b&gt;tăng&lt;/b&gt; &amp; &lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
    )


def test_section_feed_lists_only_that_section(client, make_article, make_section, section):
    other = make_section("Thế giới")
    make_article(title="Tin thời sự")
    make_article(title="Tin thế giới", section=other)
    titles = [
        i.findtext("title")
        for i in ElementTree.fromstring(client.get("/rss/thoi-su/").content).iter("item")
    ]
    assert titles == ["Tin thời sự"]
    assert client.get("/rss/khong-co/").status_code == 404


def test_sitemap_index_names_every_sitemap(client, make_article):
    make_article()
    found = locations(client, "/sitemap.xml")
    for name in ["chuyen-muc", "bai-viet", "tac-gia", "chu-de"]:
        assert f"http://testserver/sitemap-{name}.xml" in found


def test_sitemaps_list_articles_sections_authors_and_tags(
    client, make_article, make_tag, section, author
):
    article = make_article()
    article.tags.add(make_tag("Đà Nẵng"))
    assert locations(client, "/sitemap-bai-viet.xml") == [
        f"http://testserver{article.get_absolute_url()}"
    ]
    assert locations(client, "/sitemap-chuyen-muc.xml") == ["http://testserver/thoi-su/"]
    assert locations(client, "/sitemap-tac-gia.xml") == ["http://testserver/tac-gia/hai-nhi/"]
    assert locations(client, "/sitemap-chu-de.xml") == ["http://testserver/chu-de/da-nang/"]
    assert b"<lastmod>" in client.get("/sitemap-chu-de.xml").content


def test_news_sitemap_holds_the_last_48_hours(client, make_article):
    make_article(title="Tin hôm nay", publish_at=timezone.now() - timedelta(hours=3))
    make_article(title="Tin tuần trước", publish_at=timezone.now() - timedelta(days=3))
    content = client.get("/sitemap-news.xml").content.decode()
    assert "<news:title>Tin hôm nay</news:title>" in content
    assert "Tin tuần trước" not in content
    assert "<news:language>vi</news:language>" in content
    ElementTree.fromstring(content)  # well-formed


def test_robots_txt_names_both_sitemaps(client, db):
    content = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in content
    assert "Sitemap: http://testserver/sitemap-news.xml" in content
    assert "Disallow: /admin/" in content
