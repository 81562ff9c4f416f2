from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article


@pytest.fixture
def stories(make_article):
    now = timezone.now()
    return {
        "body": make_article(
            title="Hội nghị tổng kết năm",
            body="<p>Phong trào toàn dân bảo vệ an ninh Tổ quốc được đẩy mạnh.</p>",
            publish_at=now - timedelta(hours=1),
        ),
        "title": make_article(
            title="Phát huy phong trào bảo vệ an ninh Tổ quốc",
            publish_at=now - timedelta(days=5),
        ),
        "danang": make_article(
            title="Đà Nẵng mở đường dây nóng", publish_at=now - timedelta(days=2)
        ),
    }


def titles(client, query):
    response = client.get("/tim-kiem/", {"q": query})
    assert response.status_code == 200
    return [article.title for article in response.context["articles"]]


def test_search_without_diacritics_finds_the_vietnamese(client, stories):
    assert titles(client, "da nang") == ["Đà Nẵng mở đường dây nóng"]
    assert titles(client, "DA NANG") == ["Đà Nẵng mở đường dây nóng"]
    assert titles(client, "Đà Nẵng") == ["Đà Nẵng mở đường dây nóng"]


def test_title_matches_come_before_newer_body_matches(client, stories):
    assert titles(client, "an ninh to quoc") == [
        "Phát huy phong trào bảo vệ an ninh Tổ quốc",
        "Hội nghị tổng kết năm",
    ]


def test_every_word_must_match(client, stories):
    assert titles(client, "an ninh da nang") == []


@pytest.mark.parametrize(
    "query", ["", "   ", "!!!", "%", "_", "'; DROP TABLE articles_article; --", "x" * 5000, "\x00"]
)
def test_odd_queries_answer_without_error(client, stories, query):
    response = client.get("/tim-kiem/", {"q": query})
    assert response.status_code == 200


def test_query_is_never_reflected_unescaped(client, stories):
    content = client.get("/tim-kiem/", {"q": '<script>alert("x")</script>'}).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;" in content


def test_search_results_are_paginated_with_the_query_kept(client, make_article):
    for number in range(25):
        make_article(title=f"Giao thông số {number}")
    content = client.get("/tim-kiem/", {"q": "giao thong"}).content.decode()
    assert "25 kết quả" in content
    assert "?q=giao%20thong&amp;page=2" in content


def test_search_page_is_not_indexed(client, stories):
    assert 'content="noindex, follow"' in client.get("/tim-kiem/?q=x").content.decode()


def test_search_text_is_kept_folded(stories):
    article = Article.objects.get(pk=stories["danang"].pk)
    assert article.search_title == " da nang mo duong day nong "


def test_search_ranks_only_the_newest_matches(client, make_article, monkeypatch):
    monkeypatch.setattr("articles.models.article.SEARCH_CANDIDATES", 3)
    now = timezone.now()
    make_article(title="Cầu vượt giao thông", publish_at=now - timedelta(days=30))  # title match
    for hours in range(1, 4):
        make_article(
            title=f"Bản tin sáng {hours}",
            body="<p>Tình hình giao thông đầu tuần.</p>",
            publish_at=now - timedelta(hours=hours),
        )
    # The oldest match (the only one in its title) is past the newest three: left out.
    assert titles(client, "giao thong") == ["Bản tin sáng 1", "Bản tin sáng 2", "Bản tin sáng 3"]
    monkeypatch.setattr("articles.models.article.SEARCH_CANDIDATES", 4)
    assert titles(client, "giao thong")[0] == "Cầu vượt giao thông"


def test_a_very_common_word_says_more_than_it_counts(client, make_article, monkeypatch):
    monkeypatch.setattr("articles.pagination.SearchResultsPaginator.max_pages", 1)
    for number in range(21):
        make_article(title=f"Giao thông số {number}")
    content = client.get("/tim-kiem/", {"q": "giao thong"}).content.decode()
    assert "Hơn 20 kết quả" in content
    assert "Chỉ hiện 20 bài mới nhất" in content
    assert client.get("/tim-kiem/", {"q": "giao thong", "page": 2}).status_code == 404
