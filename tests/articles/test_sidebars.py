"""Sidebars are never blank: "Xem nhiều nhất" gives way to "Tin mới" until there are views, and
raw view counts show only from VIEW_COUNT_SHOWN_FROM up."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from newsroom import pagecache
from popularity.models import ViewBucket, day_of, hour_of
from popularity.templatetags import popularity


def viewed(article, views):
    """`views` views of `article` this hour (and so today and this week), as a flush leaves them."""
    now = timezone.now()
    for granularity, start in (("h", hour_of(now)), ("d", day_of(now))):
        ViewBucket.objects.create(
            article=article, granularity=granularity, period_start=start, views=views
        )


def block(page, anchor):
    """The sidebar block whose heading has the id `anchor`, or None."""
    if f'id="{anchor}"' not in page:
        return None
    return page.split(f'id="{anchor}"')[1].split("</section>")[0]


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def newest(make_article):
    """Five live articles, newest first, and a draft and a scheduled article newer still."""
    now = timezone.now()
    live = [
        make_article(title=f"Tin số {number}", publish_at=now - timedelta(hours=number + 1))
        for number in range(5)
    ]
    make_article(title="Bản nháp mới", status=Article.Status.DRAFT, publish_at=None)
    make_article(title="Bài hẹn giờ", publish_at=now + timedelta(hours=2))
    return live


def test_a_section_page_without_views_shows_the_latest_instead(client, newest, section):
    page = get(client, section.get_absolute_url())
    assert block(page, "xem-nhieu-nhat") is None
    latest = block(page, "tin-moi-ben")
    assert latest is not None and ">Tin mới<" in latest
    titles = [f"Tin số {n}" for n in range(5)]
    assert [latest.index(title) for title in titles] == sorted(latest.index(t) for t in titles)
    assert "Bản nháp mới" not in latest and "Bài hẹn giờ" not in latest


def test_an_article_page_without_views_lists_the_latest_but_not_itself(client, newest):
    article = newest[0]
    latest = block(get(client, article.get_absolute_url()), "tin-moi-ben")
    assert latest is not None
    assert article.get_absolute_url() not in latest
    assert all(other.get_absolute_url() in latest for other in newest[1:])


def test_most_viewed_shows_as_soon_as_there_are_views(client, newest, section):
    viewed(newest[3], 40)
    viewed(newest[1], 12)
    page = get(client, section.get_absolute_url())
    assert block(page, "tin-moi-ben") is None
    ranked = block(page, "xem-nhieu-nhat")
    assert ranked.index("Tin số 3") < ranked.index("Tin số 1")
    assert "Tin số 0" not in ranked


def test_the_home_page_does_not_repeat_its_latest_list_in_place_of_most_viewed(
    client, newest, make_article
):
    for number in range(5):  # more than "Tin nổi bật" holds: "Tin mới" lists the rest
        make_article(title=f"Tin cũ {number}", publish_at=timezone.now() - timedelta(days=1))
    page = get(client, "/")
    assert block(page, "xem-nhieu-nhat") is None
    assert block(page, "tin-moi-ben") is None
    assert page.count(">Tin mới</h2>") == 1


def test_the_latest_instead_follows_the_content_version(client, newest, section, make_article):
    url = section.get_absolute_url()
    assert "Tin vừa đăng" not in block(get(client, url), "tin-moi-ben")
    make_article(title="Tin vừa đăng", publish_at=timezone.now() - timedelta(minutes=1))
    assert "Tin vừa đăng" not in block(get(client, url), "tin-moi-ben")  # the kept fragment
    pagecache.content_changed()
    assert "Tin vừa đăng" in block(get(client, url), "tin-moi-ben")


def test_view_counts_show_only_from_the_threshold(client, newest, section, settings):
    settings.VIEW_COUNT_SHOWN_FROM = 1000
    viewed(newest[0], 1234)
    viewed(newest[1], 3)
    ranked = block(get(client, section.get_absolute_url()), "xem-nhieu-nhat")
    assert "1.234 lượt xem" in ranked
    assert "3 lượt xem" not in ranked and "Tin số 1" in ranked


def test_a_threshold_of_zero_shows_every_count(client, newest, section, settings):
    settings.VIEW_COUNT_SHOWN_FROM = 0
    viewed(newest[1], 3)
    assert "3 lượt xem" in block(get(client, section.get_absolute_url()), "xem-nhieu-nhat")


def test_by_default_a_handful_of_views_is_not_written(client, newest, section, settings):
    assert settings.VIEW_COUNT_SHOWN_FROM == 1000
    viewed(newest[1], 3)
    ranked = block(get(client, section.get_absolute_url()), "xem-nhieu-nhat")
    assert "Tin số 1" in ranked and "lượt xem" not in ranked


def test_an_empty_ranking_and_the_latest_instead_are_kept_as_fragments(
    client, newest, section, monkeypatch
):
    asked, drawn = [], []
    monkeypatch.setattr(
        popularity.rankings,
        "most_viewed",
        lambda most_viewed=popularity.rankings.most_viewed, **kw: (
            asked.append(kw) or most_viewed(**kw)
        ),
    )
    monkeypatch.setattr(
        popularity,
        "render_to_string",
        lambda name, context, render=popularity.render_to_string: (
            drawn.append(name) or render(name, context)
        ),
    )
    url = section.get_absolute_url()
    first = get(client, url)
    assert (len(asked), len(drawn)) == (1, 1)
    assert get(client, url) == first
    assert (len(asked), len(drawn)) == (1, 1)
