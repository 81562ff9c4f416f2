"""Every admin page and action is checked on the server against the user's own permissions,
whatever the menu shows: a sweep over every model the admin holds, for each role."""

import pytest
from django.contrib import admin
from django.urls import reverse

from articles.models import Article, Tag
from photos.models import Image
from sections.models import Section


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def may(user, model, action):
    return user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")


@pytest.fixture(params=["reporter", "editor"])
def staff_member(request):
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_each_admin_list_and_add_page_answers_only_those_allowed(client, staff_member, model):
    client.force_login(staff_member)
    listing = client.get(admin_url(model, "changelist"))
    allowed = may(staff_member, model, "view") or may(staff_member, model, "change")
    assert listing.status_code == (200 if allowed else 403)

    count = model._default_manager.count()
    adding = client.post(admin_url(model, "add"), {})
    if may(staff_member, model, "add"):
        assert adding.status_code in (200, 302)  # a form with errors, or a redirect
    else:
        assert adding.status_code == 403
        assert model._default_manager.count() == count


@pytest.fixture
def one_of_each(make_article, make_image, make_tag, section):
    return {
        Article: make_article(status=Article.Status.DRAFT, publish_at=None),
        Image: make_image(),
        Tag: make_tag("Giao thông"),
        Section: section,
    }


def test_deleting_is_refused_on_the_server_without_the_permission(
    client, staff_member, one_of_each
):
    client.force_login(staff_member)
    for model, instance in one_of_each.items():
        response = client.post(admin_url(model, "delete", instance.pk), {"post": "yes"})
        still_there = model._default_manager.filter(pk=instance.pk).exists()
        if may(staff_member, model, "delete"):
            assert response.status_code == 302, model
            assert not still_there, model
        else:
            assert response.status_code == 403, model
            assert still_there, model


def test_a_logged_in_reader_without_staff_status_gets_no_admin_page(client, make_user, one_of_each):
    reader = make_user("bandoc", is_staff=False)
    client.force_login(reader)
    for model in admin.site._registry:
        response = client.get(admin_url(model, "changelist"))
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    article = one_of_each[Article]
    client.post(admin_url(Article, "delete", article.pk), {"post": "yes"})
    assert Article.objects.filter(pk=article.pk).exists()
