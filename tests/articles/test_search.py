from datetime import timedelta

import pytest
from django.core import serializers
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from articles.models import Article
from articles.models.article import SEARCH_MAX_WORDS
from newsroom.text import fold

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's full-text column and index (CI runs it)"
)


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


# Words as a newsroom writes them: Vietnamese with or without its accents, numbers, and names
# such as "U23" or "H5N1". (PostgreSQL's parser splits what Python counts as one word in three
# cases this leaves out: "_", the "other number" signs of some Indic scripts, and a number in
# exponent form run into letters, "12e3abc".)
LETTERS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
letters = st.text(st.sampled_from(LETTERS + LETTERS.upper() + "fjwz"), min_size=1, max_size=6)
digits = st.text(st.sampled_from("0123456789"), min_size=1, max_size=4)
word = st.one_of(letters, letters, digits, st.tuples(letters, digits).map("".join))
gap = st.sampled_from([" ", "  ", ", ", ". ", " – ", "-", "/", "'", "“", "”", "!", "\n"])
text = st.lists(st.tuples(word, gap).map("".join), max_size=8).map("".join)


@examples(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(titles=st.lists(text, min_size=1, max_size=4), bodies=st.lists(text), data=st.data())
def test_search_finds_exactly_the_articles_where_each_word_begins_a_word(
    section, titles, bodies, data
):
    # SQLite reads the folded text, PostgreSQL its full-text index: both must find these.
    with transaction.atomic():
        now = timezone.now()
        made = [
            Article.objects.create(
                title=title or "Tin",
                sapo="",
                body=f"<p>{bodies[number % len(bodies)] if bodies else ''}</p>",
                section=section,
                status=Article.Status.PUBLISHED,
                publish_at=now - timedelta(days=number * 20),  # in and past the recent window
            )
            for number, title in enumerate(titles)
        ]
        stored = [w for article in made for w in article.search_text.split()]
        prefix = st.sampled_from(stored).flatmap(
            lambda w: st.integers(1, len(w)).map(lambda n: w[:n])
        )
        query = data.draw(
            st.lists(st.one_of(prefix, word) if stored else word, min_size=1, max_size=4).map(
                " ".join
            )
        )
        words = fold(query).split()[:SEARCH_MAX_WORDS]
        found = set(Article.objects.live().search(query).values_list("pk", flat=True))
        transaction.set_rollback(True)
    expected = {
        article.pk
        for article in made
        if words and all(f" {w}" in article.search_text for w in words)
    }
    assert found == expected


def test_backups_leave_the_search_vector_out(stories):
    # PostgreSQL works the column out from search_text (migration 0007); a tsvector in the
    # backup would double an archive's text.
    (row,) = serializers.serialize("python", [Article.objects.get(pk=stories["danang"].pk)])
    assert "search_text" in row["fields"]
    assert "search_vector" not in row["fields"]


@postgresql_only
def test_old_articles_are_searched_through_the_full_text_index(make_article, section):
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            title=f"Tin số {number}",
            slug=f"tin-so-{number}",
            search_text=f" tin so {number} giao thong ",
            section=section,
            status=Article.Status.PUBLISHED,
            publish_at=now - timedelta(days=40, minutes=number),
        )
        for number in range(1000)
    )
    make_article(title="Cầu Thủ Thiêm", publish_at=now - timedelta(days=400))
    with connection.cursor() as cursor:
        # What autovacuum does in production: new rows' words join the index proper.
        cursor.execute("SELECT gin_clean_pending_list('article_search_vector'::regclass)")
        cursor.execute("ANALYZE articles_article")

    with CaptureQueriesContext(connection) as queries:
        assert [a.title for a in Article.objects.live().search("thu thiem")] == ["Cầu Thủ Thiêm"]
    # The query for articles past the recent window, as search() runs it.
    older = [q["sql"] for q in queries if "@@" in q["sql"]][-1]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {older}")
        plan = cursor.fetchone()[0][0]["Plan"]
    assert "article_search_vector" in index_names(plan)
    assert rows_read(plan, Article._meta.db_table) == 1


def index_names(node):
    names = {node["Index Name"]} if "Index Name" in node else set()
    return names.union(*(index_names(child) for child in node.get("Plans", [])))


def rows_read(node, table):
    """Rows a plan took from `table`: those it kept and those its filters removed."""
    here = 0
    if node.get("Relation Name") == table:
        here = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
    return here + sum(rows_read(child, table) for child in node.get("Plans", []))
