from datetime import timedelta

import pytest

from articles.models import Article
from tests.conftest import NOW


def live_titles():
    return set(Article.objects.live().values_list("title", flat=True))


def test_draft_is_not_live(clock, make_article):
    article = make_article(title="Bản nháp", status=Article.Status.DRAFT, publish_at=None)
    assert live_titles() == set()
    assert not article.is_live()


def test_draft_with_a_past_publish_time_is_not_live(clock, make_article):
    article = make_article(status=Article.Status.DRAFT, publish_at=NOW - timedelta(days=1))
    assert not article.is_live()
    assert live_titles() == set()


@pytest.mark.parametrize("status", [Article.Status.SUBMITTED, Article.Status.UNPUBLISHED])
def test_submitted_and_unpublished_are_not_live(clock, make_article, status):
    article = make_article(status=status, publish_at=NOW - timedelta(hours=2))
    assert not article.is_live()
    assert live_titles() == set()


def test_article_scheduled_a_second_ahead_is_not_live_yet(clock, make_article):
    article = make_article(title="Hẹn giờ", publish_at=NOW + timedelta(seconds=1))
    assert not article.is_live()
    assert live_titles() == set()


def test_article_becomes_live_at_its_publish_second(clock, make_article):
    article = make_article(title="Hẹn giờ", publish_at=NOW + timedelta(seconds=1))
    clock.shift(timedelta(seconds=1))
    assert article.is_live()
    assert live_titles() == {"Hẹn giờ"}


def test_article_published_just_now_is_live(clock, make_article):
    article = make_article(title="Vừa đăng", publish_at=NOW)
    assert article.is_live()
    assert live_titles() == {"Vừa đăng"}


def test_publishing_without_a_time_takes_the_current_time(clock, make_article):
    article = make_article(publish_at=None)
    assert article.publish_at == NOW
    assert article.is_live()


def test_article_goes_down_at_its_unpublish_time(clock, make_article):
    article = make_article(title="Có hạn", unpublish_at=NOW + timedelta(minutes=5))
    assert article.is_live()
    assert live_titles() == {"Có hạn"}
    clock.shift(timedelta(minutes=5))
    assert not article.is_live()
    assert live_titles() == set()


def test_live_is_chainable_with_listing_methods(clock, make_article, section):
    make_article(title="Tin nổi bật", is_featured=True)
    make_article(title="Tin thường")
    make_article(title="Nháp nổi bật", is_featured=True, status=Article.Status.DRAFT)
    featured = Article.objects.live().featured().in_section(section).newest_first()
    assert [a.title for a in featured] == ["Tin nổi bật"]
