from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.conftest import NOW


def test_home_lists_live_articles_newest_first_and_nothing_else(client, make_article):
    now = timezone.now()
    make_article(title="Tin cũ hơn", publish_at=now - timedelta(days=2))
    make_article(title="Tin mới nhất", publish_at=now - timedelta(minutes=5))
    make_article(title="Bản nháp bí mật", status=Article.Status.DRAFT, publish_at=None)
    make_article(title="Tin hẹn giờ ngày mai", publish_at=now + timedelta(days=1))
    make_article(title="Tin đã gỡ", status=Article.Status.UNPUBLISHED)
    content = client.get(reverse("articles:home")).content.decode()
    assert content.index("Tin mới nhất") < content.index("Tin cũ hơn")
    for hidden in ["Bản nháp bí mật", "Tin hẹn giờ ngày mai", "Tin đã gỡ"]:
        assert hidden not in content


def test_article_page_shows_what_a_reader_expects(
    client, make_article, make_author, make_tag, author
):
    second = make_author("Minh Khang")
    article = make_article(
        title="Phát huy phong trào an ninh",
        body='<p>Đoạn một.</p><figure class="image"><img src="/media/a.jpg" alt="Hội trường">'
        "<figcaption>Hội trường kín chỗ.</figcaption></figure>",
        publish_at=NOW,
        authors=[author, second],
        lead_image_caption="Thiếu tướng phát biểu tại hội nghị.",
    )
    article.tags.add(make_tag("An ninh trật tự"))
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1" in content and content.count("<h1") == 1
    assert "Phát huy phong trào an ninh" in content
    assert article.sapo in content
    assert content.index("Hải Nhi") < content.index("Minh Khang")
    assert author.get_absolute_url() in content
    assert "Thứ Năm, 05/11/2026 09:30 (GMT+7)" in content
    assert "Thiếu tướng phát biểu tại hội nghị." in content
    assert "Ảnh: Minh Khang" in content
    assert "<figcaption>Hội trường kín chỗ.</figcaption>" in content
    assert "An ninh trật tự" in content
    assert 'lang="vi"' in content


def test_old_address_redirects_after_the_slug_changes(client, make_article):
    article = make_article(title="Tiêu đề ban đầu")
    old_url = article.get_absolute_url()
    article.title, article.slug = "Tiêu đề đã sửa", ""
    article.save()
    assert article.slug == "tieu-de-da-sua"
    response = client.get(old_url)
    assert response.status_code == 301
    assert response.url == article.get_absolute_url()
    assert "Tiêu đề đã sửa" in client.get(response.url).content.decode()


def test_old_address_of_a_hidden_article_is_404_not_a_redirect(client, make_article):
    article = make_article(title="Tiêu đề ban đầu", status=Article.Status.DRAFT, publish_at=None)
    response = client.get(reverse("articles:detail", kwargs={"slug": "cu", "pk": article.pk}))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/khong-co-bai-nay-999999.html",
        "/khong-co-chuyen-muc/",
        "/tac-gia/khong-ai/",
        "/chu-de/khong-co/",
        "/thoi-su/?page=abc",
        "/thoi-su/?page=999999",
    ],
)
def test_unknown_addresses_and_bad_pages_are_friendly_404s(client, section, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_section_page_lists_primary_and_extra_section_articles(
    client, make_article, make_section, section
):
    other = make_section("Pháp luật")
    make_article(title="Bài chính mục")
    extra = make_article(title="Bài mục phụ", section=other)
    extra.extra_sections.add(section)
    make_article(title="Bài mục khác", section=other)
    # The main list only: the sidebar's "Tin mới" may show any section.
    content = client.get(section.get_absolute_url()).content.decode()
    content = content.split('class="layout__side"')[0]
    assert "Bài chính mục" in content
    assert "Bài mục phụ" in content
    assert "Bài mục khác" not in content


def test_author_page_lists_their_live_articles_with_bio(client, make_article, author):
    make_article(title="Bài của Hải Nhi")
    content = client.get(author.get_absolute_url()).content.decode()
    assert "Hải Nhi" in content
    assert "Phóng viên mảng an ninh trật tự." in content
    assert "Bài của Hải Nhi" in content


@pytest.mark.server_error_expected
def test_server_error_shows_the_friendly_page(client, db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Article.objects, "live", broken)
    client.raise_request_exception = False
    response = client.get(reverse("articles:home"))
    assert response.status_code == 500
    content = response.content.decode()
    assert "Đã có lỗi xảy ra" in content
    assert 'lang="vi"' in content
    assert "database went away" not in content
