"""Pages the page cache misses are built from fragments kept from earlier requests: every change
a reader could see still shows at once, whichever page kept the fragment."""

import pytest
from django.urls import reverse

from articles import workflow
from articles.models import Article


@pytest.fixture
def article(make_article, section, author):
    return make_article(title="Bài đang đọc", section=section, authors=[author])


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_renaming_an_author_in_the_admin_shows_on_built_pages(
    client, article, author, superuser_client, django_capture_on_commit_callbacks
):
    assert author.name in page(client, article)
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            reverse("admin:articles_author_change", args=[author.pk]),
            {"name": "Bút danh mới", "slug": author.slug, "bio": "", "user": ""},
        )
    assert response.status_code == 302
    html = page(client, article)
    assert "Bút danh mới" in html
    assert author.name not in html


def test_renaming_a_section_in_the_admin_shows_on_built_pages(
    client, article, section, superuser_client, django_capture_on_commit_callbacks
):
    page(client, article)
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            reverse("admin:sections_section_change", args=[section.pk]),
            {"name": "Chuyên mục đổi tên", "slug": section.slug, "parent": "", "position": 0,
             "description": ""},
        )  # fmt: skip
    assert response.status_code == 302
    assert page(client, article).count("Chuyên mục đổi tên") >= 2  # the menu and the breadcrumb


def test_publishing_another_article_shows_beside_built_pages(
    client, article, make_article, editor, django_capture_on_commit_callbacks
):
    assert "Tin mới cùng mục" not in page(client, article)
    fresh = make_article(title="Tin mới cùng mục", status=Article.Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(fresh, by=editor)
    assert "Tin mới cùng mục" in page(client, article)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(fresh, by=editor)
    assert "Tin mới cùng mục" not in page(client, article)


def test_a_correction_shows_on_a_built_page(
    client, article, editor, django_capture_on_commit_callbacks
):
    page(client, article)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.correct(article, by=editor, note="Sửa tên nhân vật ở đoạn hai.")
    assert "Sửa tên nhân vật ở đoạn hai." in page(client, article)


def test_a_preview_never_lends_its_fragments_to_readers(client, make_article, editor):
    draft = make_article(title="Bài chờ duyệt", status=Article.Status.SUBMITTED)
    staff = client.__class__()
    staff.force_login(editor)
    preview = staff.get(reverse("articles:preview", args=[draft.pk])).content.decode()
    assert "Bài chờ duyệt" in preview
    assert client.get(draft.get_absolute_url()).status_code == 404
