"""What readers see of the masthead: the footer's press licence, contacts and links, plain and
escaped; and the error pages, which name the site from the settings without the database."""

import re
from datetime import date

import pytest
from django.db import OperationalError
from django.urls import reverse

from masthead.models import Masthead
from newsroom.views import server_error


@pytest.fixture
def masthead(db):
    return Masthead.objects.create(
        name="Báo Thử",
        tagline="Tin nhanh miền Trung",
        licence_number="12/GP-BTTTT",
        licence_issuer="Bộ Thông tin và Truyền thông",
        licence_date=date(2024, 2, 1),
        publisher="Hội Nhà báo tỉnh",
        editor_in_chief="Trần Văn Bút",
        address="12 Lê Lợi, Huế",
        phone="+84 234 382 1234",
        email="toasoan@baothu.vn",
        facebook_url="https://www.facebook.com/baothu",
        youtube_url="https://www.youtube.com/@baothu",
        tiktok_url="https://www.tiktok.com/@baothu",
        zalo_url="https://zalo.me/baothu",
        x_url="https://x.com/baothu",
        footer_notice="Ghi rõ nguồn khi phát hành lại.\nBản quyền thuộc Báo Thử.",
    )


def footer(client, url="/"):
    response = client.get(url)
    html = response.content.decode()
    return response, html[html.index('<footer class="site-footer">') :]


def test_the_footer_shows_the_licence_the_publisher_and_the_contacts(client, masthead):
    _response, html = footer(client)
    assert '<p class="masthead__name"><strong>Báo Thử</strong> — Tin nhanh miền Trung</p>' in html
    assert (
        "<p>Giấy phép hoạt động báo chí số 12/GP-BTTTT do Bộ Thông tin và Truyền thông cấp ngày "
        "01/02/2024.</p>"
    ) in html
    assert "<p>Cơ quan chủ quản: Hội Nhà báo tỉnh</p>" in html
    assert "<p>Tổng biên tập: Trần Văn Bút</p>" in html
    assert "<p>Địa chỉ: 12 Lê Lợi, Huế</p>" in html
    assert '<a href="tel:+842343821234">+84 234 382 1234</a>' in html
    assert '<a href="mailto:toasoan@baothu.vn">toasoan@baothu.vn</a>' in html
    assert "Ghi rõ nguồn khi phát hành lại.<br>Bản quyền thuộc Báo Thử." in html


def test_social_links_are_plain_links_beside_rss_and_the_sitemap(client, masthead):
    _response, html = footer(client)
    links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', html)
    assert links == [
        ("https://www.facebook.com/baothu", "Facebook"),
        ("https://www.youtube.com/@baothu", "YouTube"),
        ("https://www.tiktok.com/@baothu", "TikTok"),
        ("https://zalo.me/baothu", "Zalo"),
        ("https://x.com/baothu", "X"),
        ("/rss/", "RSS"),
        ("/sitemap.xml", "Sơ đồ trang"),
    ]


def test_the_page_loads_nothing_from_the_social_networks(client, masthead):
    html = client.get("/").content.decode()
    loaded = re.findall(
        r'<(?:script|img|iframe|link|source)\b[^>]*\b(?:src|href|srcset)="([^"]*)"', html
    )
    assert loaded
    for address in loaded:
        if address.startswith("http://testserver/"):  # the canonical address, RSS
            continue
        assert address.startswith("/") and not address.startswith("//"), address
    assert "<iframe" not in html


def test_empty_parts_of_the_masthead_leave_no_trace(client, db):
    _response, html = footer(client)
    for absent in ("Giấy phép", "Tổng biên tập", "Cơ quan chủ quản", "<address", "Facebook"):
        assert absent not in html
    assert '<p class="masthead__name"><strong>Newsroom</strong></p>' in html
    assert 'href="/rss/"' in html


def test_what_superusers_type_is_escaped(client, db):
    Masthead.objects.create(
        name="Báo <b>Đậm</b>",
        footer_notice='<script>alert("x")</script>',
        address="<img src=x onerror=alert(1)>",
    )
    response = client.get("/")
    html = response.content.decode()
    assert "<b>Đậm</b>" not in html
    assert "&lt;b&gt;Đậm&lt;/b&gt;" in html
    assert '<script>alert("x")</script>' not in html
    assert "<img src=x" not in html


def test_every_reader_page_carries_the_masthead(client, masthead, make_article, author):
    article = make_article()
    for url in [
        "/",
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        author.get_absolute_url(),
        reverse("articles:search") + "?q=an+ninh",
    ]:
        _response, html = footer(client, url)
        assert "Giấy phép hoạt động báo chí số 12/GP-BTTTT" in html, url
    missing = client.get("/khong-co/trang-nay/")
    assert missing.status_code == 404
    assert "<title>Không tìm thấy trang — Báo Thử</title>" in missing.content.decode()
    assert "Giấy phép hoạt động báo chí số 12/GP-BTTTT" in missing.content.decode()


# Error pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "status", "title"),
    [
        (OperationalError("server closed the connection"), 503, "Tạm gián đoạn — Báo Cấu Hình"),
        (RuntimeError("bug"), 500, "Lỗi máy chủ — Báo Cấu Hình"),
    ],
)
def test_error_pages_name_the_site_from_the_settings_without_the_database(
    settings, rf, error, status, title
):
    # No `db` fixture: any query here would fail the test.
    settings.SITE_NAME = "Báo Cấu Hình"
    try:
        raise error
    except type(error):
        response = server_error(rf.get("/"))
    assert response.status_code == status
    assert f"<title>{title}</title>" in response.content.decode()


def test_a_page_drawn_while_the_masthead_cannot_be_read_names_the_site_from_the_settings(
    settings, client, db, monkeypatch
):
    from masthead import identity

    def unavailable():
        raise OperationalError("the server closed the connection")

    settings.SITE_NAME = "Báo Cấu Hình"
    monkeypatch.setattr(identity, "_read", unavailable)
    response = client.get("/khong-co/trang-nay/")
    assert response.status_code == 404
    assert "<title>Không tìm thấy trang — Báo Cấu Hình</title>" in response.content.decode()
