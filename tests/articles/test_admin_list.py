"""The article list of the admin and the returned articles on its home: what each row says, the
filters, the roles, and a fixed number of queries whatever the page lists."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article
from articles.states import State, in_state, with_state
from popularity.models import ViewBucket, hour_of

Status = Article.Status
LIST_URL = reverse("admin:articles_article_changelist")


@pytest.fixture
def newsroom(clock, make_article, make_image, reporter, editor):
    """An article in each state, by the reporter unless said otherwise."""
    now = timezone.now()
    photo = make_image()

    def make(title, **fields):
        return make_article(
            **{"title": title, "lead_image": photo, "created_by": reporter, **fields}
        )

    articles = {
        State.DRAFT: make("Bài nháp", status=Status.DRAFT, publish_at=None),
        State.SUBMITTED: make(
            "Bài chờ duyệt", status=Status.SUBMITTED, publish_at=None, submitted_at=now
        ),
        State.RETURNED: make("Bài bị trả lại", status=Status.SUBMITTED, publish_at=None),
        State.SCHEDULED: make("Bài hẹn giờ", publish_at=now + timedelta(hours=3)),
        State.PUBLISHED: make("Bài đang hiện", created_by=editor),
        State.UNPUBLISHED: make("Bài đã gỡ", status=Status.UNPUBLISHED),
    }
    workflow.return_to_reporter(
        articles[State.RETURNED], by=editor, note="Thiếu ý kiến của cơ quan chức năng."
    )
    articles["expired"] = make("Bài hết hạn", unpublish_at=now - timedelta(minutes=1))
    return articles


def listing(client, user, **query):
    client.force_login(user)
    response = client.get(LIST_URL, query)
    assert response.status_code == 200
    return response


def listed_titles(response):
    return {article.title for article in response.context["cl"].result_list}


# The state ------------------------------------------------------------------------------------


def test_each_article_is_in_the_state_the_newsroom_names(newsroom):
    states = dict(with_state(Article.objects.all()).values_list("title", "state"))
    assert states == {
        "Bài nháp": State.DRAFT,
        "Bài chờ duyệt": State.SUBMITTED,
        "Bài bị trả lại": State.RETURNED,
        "Bài hẹn giờ": State.SCHEDULED,
        "Bài đang hiện": State.PUBLISHED,
        "Bài đã gỡ": State.UNPUBLISHED,
        "Bài hết hạn": State.UNPUBLISHED,
    }


def test_published_state_is_exactly_what_readers_see(newsroom):
    published = in_state(Article.objects.all(), State.PUBLISHED)
    assert set(published) == set(Article.objects.live())


def test_a_scheduled_article_becomes_published_at_its_time(newsroom, clock):
    scheduled = newsroom[State.SCHEDULED]
    clock.shift(timedelta(hours=3))
    assert with_state(Article.objects.filter(pk=scheduled.pk)).get().state == State.PUBLISHED


def test_each_row_shows_its_state_as_a_badge(client, editor, newsroom):
    content = listing(client, editor).content.decode()
    for state, label in [
        ("draft", "Nháp"),
        ("submitted", "Chờ duyệt"),
        ("returned", "Bị trả lại"),
        ("scheduled", "Hẹn giờ"),
        ("published", "Đã xuất bản"),
        ("unpublished", "Đã gỡ"),
    ]:
        assert f'<span class="state state--{state}">{label}</span>' in content
    # The scheduled time, in the newsroom's time zone (NOW is 09:30 in Hà Nội).
    assert "05/11/2026 12:30" in content


def test_a_returned_row_shows_the_editors_note_as_text(client, reporter, newsroom):
    content = listing(client, reporter).content.decode()
    assert "“Thiếu ý kiến của cơ quan chức năng.”" in content


def test_a_long_return_note_is_cut_short_in_the_row(client, reporter, editor, make_article):
    article = make_article(title="Bài dài", status=Status.SUBMITTED, created_by=reporter)
    note = ("Sửa lại đoạn mở đầu. " * 20).strip()
    workflow.return_to_reporter(article, by=editor, note=note)
    content = listing(client, reporter).content.decode()
    hover, shown = re.search(
        r'class="state-detail state-note" title="([^"]*)">([^<]*)<', content
    ).groups()
    assert shown.startswith("“Sửa lại đoạn mở đầu.") and shown.endswith("…”")
    assert len(shown) <= 72
    assert hover.endswith(note)  # all of it on hovering


# The row --------------------------------------------------------------------------------------


def test_a_row_shows_thumbnail_title_section_bylines_and_update(
    client, editor, make_article, make_author
):
    make_article(
        title="Hà Nội thí điểm phân luồng giờ cao điểm tại 12 nút giao thường xuyên ùn tắc",
        authors=[make_author("Thu Hà", user=editor), make_author("Minh Khang")],
        updated_by=editor,
    )
    content = listing(client, editor).content.decode()
    assert "Hà Nội thí điểm phân luồng giờ cao điểm tại 12 nút giao thường xuyên ùn tắc" in content
    assert '<span class="article-section">Thời sự</span>' in content
    assert '<span class="article-bylines">Thu Hà, Minh Khang</span>' in content
    assert "<span>Thu Hà</span>" in content  # who saved last, by the name the admin greets
    # The smallest rendition of the lead photo, not the original.
    assert '/320.webp" width="56" height="32" alt="" loading="lazy">' in content


def test_an_article_without_lead_photo_gets_an_empty_thumbnail(client, editor, make_article):
    make_article(lead_image=None)
    content = listing(client, editor).content.decode()
    assert "article-thumb--none" in content


def test_views_counted_are_those_of_the_last_24_hours(clock, client, editor, make_article):
    article = make_article()
    other = make_article(title="Bài khác")
    hour = hour_of(timezone.now())
    for start, views in [
        (hour, 5),
        (hour - timedelta(hours=23), 7),
        (hour - timedelta(hours=24), 100),
    ]:
        ViewBucket.objects.create(
            article=article,
            granularity=ViewBucket.Granularity.HOUR,
            period_start=start,
            views=views,
        )
    ViewBucket.objects.create(  # the day's bucket holds the same views again
        article=article, granularity=ViewBucket.Granularity.DAY, period_start=hour, views=112
    )
    ViewBucket.objects.create(
        article=other, granularity=ViewBucket.Granularity.HOUR, period_start=hour, views=1234
    )
    response = listing(client, editor, o="6")  # by views, fewest first
    rows = {a.title: a.recent_views for a in response.context["cl"].result_list}
    assert rows == {article.title: 12, "Bài khác": 1234}
    assert '<td class="field-views">1.234</td>' in response.content.decode()


# Filters --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "titles"),
    [
        ("draft", {"Bài nháp"}),
        ("submitted", {"Bài chờ duyệt"}),
        ("returned", {"Bài bị trả lại"}),
        ("scheduled", {"Bài hẹn giờ"}),
        ("published", {"Bài đang hiện"}),
        ("unpublished", {"Bài đã gỡ", "Bài hết hạn"}),
    ],
)
def test_filter_by_state(client, editor, newsroom, state, titles):
    assert listed_titles(listing(client, editor, trang_thai=state)) == titles


def test_an_unknown_state_is_a_bad_filter(client, editor, newsroom):
    client.force_login(editor)
    response = client.get(LIST_URL, {"trang_thai": "deleted"})
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_filter_by_section_and_author(client, editor, make_article, make_section, make_author):
    sport, writer = make_section("Thể thao"), make_author("Quốc Việt")
    make_article(title="Bài thể thao", section=sport)
    make_article(title="Bài của Quốc Việt", authors=[writer])
    make_article(title="Bài khác")
    assert listed_titles(listing(client, editor, section__id__exact=sport.pk)) == {"Bài thể thao"}
    by_writer = listing(client, editor, authors__id__exact=writer.pk)
    assert listed_titles(by_writer) == {"Bài của Quốc Việt"}


def test_mine_is_what_the_person_made_or_signs(client, editor, make_article, make_author):
    signed = make_author("Thu Hà", user=editor)
    make_article(title="Bài biên tập viên tạo", created_by=editor)
    make_article(title="Bài biên tập viên ký", authors=[signed])
    make_article(title="Bài người khác")
    mine = listing(client, editor, cua_toi="1")
    assert listed_titles(mine) == {"Bài biên tập viên tạo", "Bài biên tập viên ký"}


def test_filter_by_publish_date(clock, client, editor, make_article):
    make_article(title="Bài hôm nay")
    make_article(title="Bài tháng trước", publish_at=timezone.now() - timedelta(days=40))
    # As the menu's "Hôm nay" asks: from the newsroom's midnight to the next.
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    response = listing(
        client,
        editor,
        publish_at__gte=str(midnight),
        publish_at__lt=str(midnight + timedelta(days=1)),
    )
    assert listed_titles(response) == {"Bài hôm nay"}


def test_filters_are_menus_above_the_list(client, editor, newsroom):
    content = listing(client, editor, trang_thai="scheduled").content.decode()
    assert 'id="changelist-filter"' not in content
    assert '<select id="filter-trang_thai" data-list-filter>' in content
    assert '<option value="?trang_thai=scheduled" selected>Hẹn giờ</option>' in content
    assert "Bỏ lọc" in content and "Show counts" not in content


def test_search_keeps_the_filters(client, editor, newsroom):
    content = listing(client, editor, trang_thai="draft", q="nháp").content.decode()
    assert '<input type="hidden" name="trang_thai" value="draft">' in content
    assert listed_titles(listing(client, editor, trang_thai="draft", q="nháp")) == {"Bài nháp"}


# Roles ----------------------------------------------------------------------------------------


def test_a_reporter_lists_only_their_own_articles(client, reporter, other_reporter, newsroom):
    Article.objects.filter(title="Bài nháp").update(created_by=other_reporter)
    titles = listed_titles(listing(client, reporter))
    assert "Bài nháp" not in titles and "Bài đang hiện" not in titles
    assert "Bài hẹn giờ" in titles and "Bài bị trả lại" in titles
    # Their filters narrow their own list; they never widen it.
    assert listed_titles(listing(client, reporter, trang_thai="draft")) == set()
    assert "Bài đang hiện" not in listed_titles(listing(client, reporter, cua_toi="1"))


def test_an_editor_and_a_superuser_list_every_article(client, editor, superuser, newsroom):
    everything = set(Article.objects.values_list("title", flat=True))
    assert listed_titles(listing(client, editor)) == everything
    assert listed_titles(listing(client, superuser)) == everything


# Queries --------------------------------------------------------------------------------------


def fill(make_article, make_author, reporter, editor, count):
    """`count` articles across the states, each with two bylines and a return or a view."""
    now = timezone.now()
    authors = [make_author(f"Tác giả {n}") for n in range(3)]
    for n in range(count):
        fields = [
            {"status": Status.DRAFT, "publish_at": None},
            {"status": Status.SUBMITTED, "publish_at": None},
            {"publish_at": now + timedelta(days=1)},
            {},
        ][n % 4]
        article = make_article(
            title=f"Bài số {n}",
            authors=authors[n % 3 :] + authors[: n % 3][:1],
            created_by=reporter,
            updated_by=editor,
            **fields,
        )
        if article.status == Status.SUBMITTED:
            workflow.return_to_reporter(article, by=editor, note=f"Ghi chú {n}")
        ViewBucket.objects.create(
            article=article,
            granularity=ViewBucket.Granularity.HOUR,
            period_start=hour_of(now),
            views=n,
        )


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_the_list_costs_the_same_queries_for_5_or_40_articles(
    request,
    client,
    make_article,
    make_author,
    reporter,
    editor,
    role,
    django_assert_max_num_queries,
):
    person = request.getfixturevalue(role)
    client.force_login(person)
    make_author("Thu Hà", user=editor)  # rows name the editor by this byline
    fill(make_article, make_author, reporter, editor, 5)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST_URL).status_code == 200
    fill(make_article, make_author, reporter, editor, 35)
    with django_assert_max_num_queries(len(few)):
        response = client.get(LIST_URL)
    assert len(response.context["cl"].result_list) == 40


# The admin's home -----------------------------------------------------------------------------


def test_the_reporters_home_announces_a_returned_article_with_the_note(
    client, reporter, editor, newsroom
):
    editor.last_name, editor.first_name = "Nguyễn", "Thu Hà"
    editor.save()
    article = newsroom[State.RETURNED]
    article.transitions.update(at=timezone.now() - timedelta(minutes=5))
    client.force_login(reporter)
    content = client.get(reverse("admin:index")).content.decode()
    assert "Bài bị trả lại, cần bạn sửa" in content
    assert reverse("admin:articles_article_change", args=[article.pk]) in content
    assert "Nguyễn Thu Hà trả lại lúc 05/11/2026 09:25:" in content
    assert "Thiếu ý kiến của cơ quan chức năng." in content
    # Nothing about the articles that are not returned.
    assert "Bài nháp" not in content


def test_only_the_articles_own_reporter_is_told(client, other_reporter, editor, newsroom):
    for person in (other_reporter, editor):
        client.force_login(person)
        content = client.get(reverse("admin:index")).content.decode()
        assert "Bài bị trả lại, cần bạn sửa" not in content


def test_an_article_sent_again_is_no_longer_announced(client, reporter, newsroom):
    workflow.submit(newsroom[State.RETURNED], by=reporter)
    client.force_login(reporter)
    assert "cần bạn sửa" not in client.get(reverse("admin:index")).content.decode()


def test_the_home_reads_returned_articles_in_two_queries(
    client, reporter, editor, make_article, django_assert_max_num_queries
):
    client.force_login(reporter)
    make_article(title="Bài một", status=Status.SUBMITTED, created_by=reporter)
    with CaptureQueriesContext(connection) as none_returned:
        client.get(reverse("admin:index"))
    for n in range(12):
        article = make_article(title=f"Bài {n}", status=Status.SUBMITTED, created_by=reporter)
        workflow.return_to_reporter(article, by=editor, note=f"Ghi chú {n}")
    with django_assert_max_num_queries(len(none_returned) + 1):
        content = client.get(reverse("admin:index")).content.decode()
    assert content.count('class="returned-title"') == 10
    assert "Xem mọi bài bị trả lại" in content
