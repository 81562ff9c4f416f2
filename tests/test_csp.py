"""The Content-Security-Policy header (newsroom/security.py) on answers that no view of the
site's pages gives: the view beacon, the editor's uploader, a page not found."""

import pytest

from tests.articles.test_popularity import BEACON, CHROME


def readers_policy(response):
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    return policy


def test_the_view_beacon_answers_under_the_readers_policy(client, make_article, settings):
    settings.PAGE_CACHE = True
    article = make_article()
    response = client.post(
        BEACON, {"id": article.pk}, HTTP_USER_AGENT=CHROME, HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 204
    readers_policy(response)


@pytest.mark.django_db
def test_a_page_not_found_answers_under_the_readers_policy(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    readers_policy(response)


@pytest.mark.django_db
def test_the_editors_uploader_answers_under_the_admin_policy(client):
    response = client.get("/ckeditor/upload/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "frame-ancestors 'self'" in policy
    readers_policy(client.get("/"))  # the same client, outside the admin's prefixes
