from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from sections.models import Section


@pytest.fixture
def football(make_section, section):
    sport = make_section("Thể thao", description="Tin thể thao.")
    return make_section("Bóng đá", parent=sport)


def test_sub_section_lives_below_its_parent(football):
    assert football.get_absolute_url() == "/the-thao/bong-da/"


def test_sub_section_at_the_top_level_redirects_below_its_parent(client, football):
    response = client.get("/bong-da/?page=2")
    assert response.status_code == 301
    assert response.url == "/the-thao/bong-da/?page=2"
    assert client.get("/thoi-su/bong-da/").url == "/the-thao/bong-da/"


def test_parent_section_lists_its_sub_sections_articles(client, make_article, football):
    make_article(title="Tin bóng đá", section=football)
    content = client.get("/the-thao/").content.decode()
    assert "Tin bóng đá" in content
    assert 'href="/the-thao/bong-da/"' in content


def test_section_pages_twenty_articles_a_page_with_a_lead_story(client, make_article, section):
    now = timezone.now()
    for number in range(45):
        make_article(title=f"Tin số {number:02d}", publish_at=now - timedelta(minutes=number))
    first = client.get("/thoi-su/").content.decode()
    assert "card--lead" in first and first.index("Tin số 00") < first.index("Tin số 19")
    assert "Tin số 20" not in first
    assert 'rel="next" href="?page=2"' in first
    third = client.get("/thoi-su/?page=3").content.decode()
    assert "Tin số 44" in third and "Tin số 39" not in third
    assert "card--lead" not in third
    assert "<title>Thời sự — Trang 3 — Newsroom</title>" in third


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999999", "1.5", "9" * 400])
def test_bad_page_numbers_are_404_not_500(client, section, page):
    assert client.get("/thoi-su/", {"page": page}).status_code == 404


def test_menu_marks_the_current_section(client, make_article, section):
    content = client.get("/thoi-su/").content.decode()
    assert 'href="/thoi-su/" aria-current="page"' in content


def test_section_cannot_take_a_slug_that_another_page_owns(db):
    assert Section.objects.create(name="Tìm kiếm").slug == "tim-kiem-2"
    assert Section.objects.create(name="RSS").slug == "rss-2"


def test_sections_nest_only_two_levels(football):
    from django.core.exceptions import ValidationError

    deeper = Section(name="Bóng đá nữ", parent=football)
    with pytest.raises(ValidationError):
        deeper.full_clean()


def test_section_pages_stop_after_the_newest_pages(client, make_article, section, monkeypatch):
    # Counting a section of a million articles would grow with the archive; pages stop instead.
    monkeypatch.setattr("articles.pagination.MAX_PAGES", 1)
    for number in range(21):
        make_article(title=f"Tin {number}", section=section)
    content = client.get(section.get_absolute_url()).content.decode()
    assert "Chỉ hiện 20 bài mới nhất" in content
    assert client.get(section.get_absolute_url(), {"page": 2}).status_code == 404


def test_a_section_exactly_as_long_as_its_pages_says_nothing_more(
    client, make_article, section, monkeypatch
):
    monkeypatch.setattr("articles.pagination.MAX_PAGES", 1)
    for number in range(20):
        make_article(title=f"Tin {number}", section=section)
    assert "Chỉ hiện" not in client.get(section.get_absolute_url()).content.decode()


def test_a_section_lists_the_same_articles_with_its_sub_sections_loaded_or_not(
    make_article, section, football
):
    sport = football.parent
    in_child_and_parent = make_article(title="Bóng đá, cũng ở Thể thao", section=football)
    in_child_and_parent.extra_sections.add(sport)
    second_in_child = make_article(title="Thời sự, cũng ở Bóng đá", section=section)
    second_in_child.extra_sections.add(football)
    own = make_article(title="Thể thao", section=sport)
    make_article(title="Chỉ ở Thời sự", section=section)
    loaded = Section.objects.with_sub_sections().get(pk=sport.pk)
    plain = Section.objects.get(pk=sport.pk)
    # One query names the ids, the other asks the database for them.
    assert loaded.with_children_ids() == [sport.pk, football.pk]

    expected = sorted([in_child_and_parent.pk, second_in_child.pk, own.pk])
    for way in (loaded, plain):
        found = Article.objects.live().in_section(way).values_list("pk", flat=True)
        assert sorted(found) == expected  # each once


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="reads PostgreSQL's plan (CI runs it)"
)
def test_a_small_sections_page_reads_its_own_articles_not_the_archive(
    client, make_article, make_section, section
):
    # A niche section in a large archive: counting its pages used to walk the whole archive
    # in date order, testing each article for the section (a second at a million articles).
    podcast = make_section("Podcast")
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            title=f"Tin số {number}",
            slug=f"tin-so-{number}",
            section=section,
            status=Article.Status.PUBLISHED,
            publish_at=now - timedelta(minutes=number),
        )
        for number in range(5000)
    )
    make_article(title="Podcast cũ", section=podcast, publish_at=now - timedelta(days=400))
    make_article(title="Podcast mới", section=podcast, publish_at=now - timedelta(days=300))
    make_article(title="Tin cũng vào Podcast", publish_at=now - timedelta(days=200))
    Article.objects.get(title="Tin cũng vào Podcast").extra_sections.add(podcast)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/podcast/")
    assert response.status_code == 200
    assert response.context["paginator"].count == 3

    counting = next(q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*)"))
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {counting}")
        plan = cursor.fetchone()[0]
    assert rows_read(plan[0]["Plan"], Article._meta.db_table) < 100


def rows_read(node, table):
    """Rows a plan took from `table`: those it kept and those its filters removed."""
    here = 0
    if node.get("Relation Name") == table:
        here = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
    return here + sum(rows_read(child, table) for child in node.get("Plans", []))
