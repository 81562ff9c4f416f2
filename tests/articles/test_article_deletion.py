"""Deleting articles in the admin: editors unpublish, only a superuser deletes what readers saw,
and every deletion leaves a DeletedArticle record that only superusers read."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from articles import workflow
from articles.models import Article, DeletedArticle

Status = Article.Status
EVER_PUBLISHED = {Status.PUBLISHED, Status.UNPUBLISHED}


@pytest.fixture
def person(request):
    return request.getfixturevalue(request.param)


def may_delete(person, status):
    if person.is_superuser:
        return True
    return person.username == "bientap" and status not in EVER_PUBLISHED


def delete_single(client, article):
    url = reverse("admin:articles_article_delete", args=[article.pk])
    return client.post(url, {"post": "yes"})


def delete_in_bulk(client, article):
    return client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [article.pk], "post": "yes"},
    )


@pytest.mark.parametrize("person", ["reporter", "editor", "superuser"], indirect=True)
@pytest.mark.parametrize("status", [Status.DRAFT, Status.PUBLISHED, Status.UNPUBLISHED])
@pytest.mark.parametrize("how", [delete_single, delete_in_bulk], ids=["single", "bulk"])
def test_only_a_superuser_deletes_an_article_readers_saw_single_or_in_bulk(
    client, make_article, reporter, person, status, how
):
    article = make_article(status=status, created_by=reporter)
    client.force_login(person)
    response = how(client, article)
    if may_delete(person, status):
        assert response.status_code == 302
        assert not Article.objects.filter(pk=article.pk).exists()
        record = DeletedArticle.objects.get()
        assert (record.article_id, record.status, record.deleted_by) == (
            article.pk,
            status,
            person,
        )
    else:
        # A crafted post confirming the deletion is refused. A reporter's bulk post names an
        # action their list does not offer: Django shows the list again, deleting nothing.
        reporters_bulk = how is delete_in_bulk and person == reporter
        assert response.status_code == (200 if reporters_bulk else 403)
        assert Article.objects.filter(pk=article.pk).exists()
        assert not DeletedArticle.objects.exists()


def test_editor_is_told_to_unpublish_on_the_delete_pages(client, editor, make_article):
    article = make_article()
    client.force_login(editor)
    url = reverse("admin:articles_article_delete", args=[article.pk])
    assert client.get(url).status_code == 403
    page = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [article.pk]},
    ).content.decode()
    assert "biên tập viên gỡ bài thay vì xoá" in page
    assert Article.objects.filter(pk=article.pk).exists()


def test_a_bulk_delete_with_one_published_article_deletes_none(client, editor, make_article):
    draft = make_article(status=Status.DRAFT, publish_at=None)
    live = make_article()
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [draft.pk, live.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert Article.objects.count() == 2 and not DeletedArticle.objects.exists()


def test_editors_delete_button_shows_only_on_what_they_may_delete(client, editor, make_article):
    client.force_login(editor)
    draft = make_article(status=Status.DRAFT, publish_at=None)
    live = make_article()
    delete = reverse("admin:articles_article_delete", args=[draft.pk])
    assert (
        delete
        in client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    )
    page = client.get(reverse("admin:articles_article_change", args=[live.pk])).content.decode()
    assert reverse("admin:articles_article_delete", args=[live.pk]) not in page


@pytest.mark.parametrize("person", ["reporter", "editor", "superuser"], indirect=True)
def test_the_deletion_records_are_read_only_and_for_superusers(
    client, person, editor, make_article
):
    record = workflow.delete_article(
        make_article(status=Status.DRAFT, title="Bài bị xoá"), by=editor
    )
    client.force_login(person)
    listing = client.get(reverse("admin:articles_deletedarticle_changelist"))
    detail = client.get(reverse("admin:articles_deletedarticle_change", args=[record.pk]))
    if person.is_superuser:
        assert listing.status_code == 200 and "Bài bị xoá" in listing.content.decode()
        assert detail.status_code == 200 and "Bài bị xoá" in detail.content.decode()
    else:
        assert listing.status_code == detail.status_code == 403
    assert client.get(reverse("admin:articles_deletedarticle_add")).status_code == 403
    changed = client.post(
        reverse("admin:articles_deletedarticle_change", args=[record.pk]), {"title": "Sửa"}
    )
    assert changed.status_code == 403
    deleting = reverse("admin:articles_deletedarticle_delete", args=[record.pk])
    assert client.post(deleting, {"post": "yes"}).status_code == 403
    assert DeletedArticle.objects.get().title == "Bài bị xoá"


def test_deleting_what_someone_else_just_deleted_is_no_server_error(rf, editor, make_article):
    from django.contrib import admin

    article = make_article(status=Article.Status.DRAFT, publish_at=None)
    shown = Article.objects.get(pk=article.pk)  # the copy the delete page was built from
    workflow.delete_article(article, by=editor)  # another editor, a moment earlier
    request = rf.post("/")
    request.user = editor
    admin.site.get_model_admin(Article).delete_model(request, shown)
    assert DeletedArticle.objects.filter(article_id=article.pk).count() == 1
