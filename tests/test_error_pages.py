"""The error pages: a 404 that offers search and the latest stories, never a 500 (a 503 while the
database is away), and a preview of the 404, 500 and 503 pages with DEBUG on."""

import importlib
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import clear_url_caches
from django.utils import timezone

from articles.models import Article
from newsroom import urls as root_urls

MISSING = "/khong/co/trang-nay/"


def test_the_404_page_offers_search_and_the_latest_live_stories(client, make_article):
    now = timezone.now()
    for number in range(8):
        make_article(title=f"Tin mới số {number}", publish_at=now - timedelta(hours=number + 1))
    make_article(title="Bản nháp", status=Article.Status.DRAFT, publish_at=None)
    make_article(title="Bài hẹn giờ", publish_at=now + timedelta(hours=1))
    response = client.get(MISSING)
    assert response.status_code == 404
    page = response.content.decode()
    assert "<title>Không tìm thấy trang — Newsroom</title>" in page
    assert '<form class="search-form search-form--page" role="search" action="/tim-kiem/"' in page
    assert '<label for="q-khong-thay">' in page
    latest = page.split('id="tin-moi-nhat"')[1].split("</section>")[0]
    assert [f"Tin mới số {n}<" in latest for n in range(8)] == [True] * 6 + [False] * 2
    assert "Bản nháp" not in page and "Bài hẹn giờ" not in page


def test_an_unknown_article_gets_the_same_404_page(client, make_article):
    article = make_article(title="Tin đang hiện")
    response = client.get(f"/bai-da-go-{article.pk + 100}.html")
    assert response.status_code == 404
    assert "Tin đang hiện" in response.content.decode()


def test_the_404_page_of_an_empty_site_still_offers_search(client, db):
    response = client.get(MISSING)
    assert response.status_code == 404
    page = response.content.decode()
    assert '<label for="q-khong-thay">' in page and 'id="tin-moi-nhat"' not in page


def test_a_taken_down_article_leaves_the_404_pages_list_at_once(
    client, make_article, editor, django_capture_on_commit_callbacks
):
    from articles import workflow

    article = make_article(title="Sắp bị gỡ")
    assert "Sắp bị gỡ" in client.get(MISSING).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(article, by=editor)
    assert "Sắp bị gỡ" not in client.get(MISSING).content.decode()


@pytest.mark.server_error_expected
def test_a_404_while_the_database_is_away_is_a_503_never_a_500(make_article):
    make_article()

    def refuse(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        response = Client(raise_request_exception=False).get(MISSING)
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "Trang tạm thời gián đoạn" in response.content.decode()


@pytest.fixture
def debug_urls(settings):
    """The URL configuration as a DEBUG run (`make run`) builds it."""
    settings.DEBUG = True
    importlib.reload(root_urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(root_urls)
    clear_url_caches()


@pytest.mark.server_error_expected
def test_with_debug_the_real_error_pages_can_be_seen(client, debug_urls, make_article):
    make_article(title="Tin để đọc tiếp")
    missing = client.get("/_loi/404/")
    assert missing.status_code == 404
    assert "Không tìm thấy trang" in missing.content.decode()
    assert "Tin để đọc tiếp" in missing.content.decode()
    failed = client.get("/_loi/500/")
    assert failed.status_code == 500
    assert "Đã có lỗi xảy ra" in failed.content.decode()
    away = client.get("/_loi/503/")
    assert away.status_code == 503
    assert "Trang tạm thời gián đoạn" in away.content.decode()
    assert client.get("/_loi/418/").status_code == 404


def test_without_debug_there_is_no_preview_of_the_error_pages(client, db):
    response = client.get("/_loi/500/")
    assert response.status_code == 404
    assert "Đã có lỗi xảy ra" not in response.content.decode()
