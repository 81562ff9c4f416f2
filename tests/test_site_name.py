"""Until a superuser saves the masthead (tests/masthead/), the site's name, tagline and logo come
from settings on every page, feed and sitemap."""

import json
import re

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from newsroom.views import server_error


@pytest.fixture
def renamed(settings):
    settings.SITE_NAME = "Báo Thử"
    settings.SITE_TAGLINE = "Tin nhanh, tin thật từ miền Trung."
    settings.SITE_LOGO = "newsroom/share.png"
    return settings


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    content = response.content.decode()
    assert "Newsroom" not in content
    return content


def test_reader_pages_name_the_site_from_settings(renamed, client, make_article, author):
    article = make_article(title="Khánh thành cầu mới")
    home = get(client, reverse("articles:home"))
    assert "<title>Báo Thử — Tin tức mới nhất trong ngày</title>" in home
    assert '<meta property="og:site_name" content="Báo Thử">' in home
    assert '<meta property="og:title" content="Báo Thử — Tin tức mới nhất">' in home
    assert 'title="Báo Thử — Tin mới nhất" href="/rss/"' in home
    assert '<a class="brand" href="/">Báo Thử</a>' in home
    assert (
        '<p class="masthead__name"><strong>Báo Thử</strong> — '
        "Tin nhanh, tin thật từ miền Trung.</p>"
    ) in home

    page = get(client, article.get_absolute_url())
    assert "<title>Khánh thành cầu mới — Báo Thử</title>" in page
    (news, _crumbs) = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)
    ]
    assert news["publisher"]["name"] == "Báo Thử"
    assert news["publisher"]["logo"]["url"] == "http://testserver/static/newsroom/share.png"

    section = article.section
    for url in [
        section.get_absolute_url(),
        author.get_absolute_url(),
        reverse("articles:search") + "?q=cau",
    ]:
        assert "— Báo Thử</title>" in get(client, url)


def test_feeds_and_the_news_sitemap_name_the_site_from_settings(renamed, client, make_article):
    article = make_article()
    feed = get(client, reverse("articles:feed"))
    assert "<title>Báo Thử — Tin mới nhất</title>" in feed
    assert "<description>Tin tức mới nhất từ Báo Thử.</description>" in feed
    section_feed = get(client, reverse("articles:section-feed", args=[article.section.slug]))
    assert "<title>Báo Thử — Thời sự</title>" in section_feed
    sitemap = get(client, reverse("sitemap-news"))
    assert "<news:name>Báo Thử</news:name>" in sitemap


def test_error_pages_name_the_site_from_settings(renamed, client, db, rf):
    missing = get(client, "/khong-co/trang-nay/", status=404)
    assert "<title>Không tìm thấy trang — Báo Thử</title>" in missing
    for error, status, title in [
        (OperationalError("server closed the connection"), 503, "Tạm gián đoạn — Báo Thử"),
        (RuntimeError("bug"), 500, "Lỗi máy chủ — Báo Thử"),
    ]:
        try:
            raise error
        except type(error):
            response = server_error(rf.get("/"))
        content = response.content.decode()
        assert response.status_code == status
        assert f"<title>{title}</title>" in content
        assert "Newsroom" not in content


def test_the_admin_names_the_site_from_settings(renamed, superuser_client):
    index = get(superuser_client, reverse("admin:index"))
    assert '<a href="/admin/">Báo Thử — Quản trị nội dung</a>' in index
    assert "<title>Bàn làm việc của toà soạn | Báo Thử — Quản trị</title>" in index
    login = get(Client(), reverse("admin:login"))
    assert "Báo Thử — Quản trị nội dung" in login


def test_without_settings_the_site_is_called_newsroom_and_claims_no_demo(client, db):
    home = client.get(reverse("articles:home")).content.decode()
    assert "<title>Newsroom — Tin tức mới nhất trong ngày</title>" in home
    assert '<p class="masthead__name"><strong>Newsroom</strong></p>' in home
    # The demo's notice belongs to the demo's masthead (masthead/demo.py), not to the product.
    assert "trình diễn" not in home
