"""What a reporter meets on an article they may not edit: their own submitted article as readers
will see it, and a colleague's article named as such (never "does not exist"), with the page
they may open. The rules hold on the server, whatever is posted."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.articles.test_workflow_admin import edit_form

Status = Article.Status


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def submitted(make_article, reporter, make_tag, make_section, section):
    article = make_article(
        title="Đà Nẵng mở đường dây nóng",
        sapo="Người dân phản ánh về an ninh trật tự qua số 113.",
        body="<p>Đường dây hoạt động <strong>24/24 giờ</strong>.</p><p>Chi tiết.</p>",
        status=Status.SUBMITTED,
        publish_at=None,
        created_by=reporter,
        lead_image_caption="Tổng đài viên trực máy.",
    )
    article.tags.add(make_tag("Đường dây nóng"))
    article.extra_sections.add(make_section("Pháp luật"))
    return article


@pytest.fixture
def colleagues_draft(make_article, other_reporter):
    return make_article(
        title="Bản nháp bí mật của đồng nghiệp",
        status=Status.DRAFT,
        publish_at=None,
        created_by=other_reporter,
    )


# The reporter's own article, once submitted ------------------------------------------------------


def test_a_submitted_article_reads_as_readers_will_see_it(client, reporter, submitted):
    response = logged_in(client, reporter).get(change_url(submitted))
    assert response.status_code == 200
    assert response.templates[0].name == "admin/articles/article/read_only.html"
    page = response.content.decode()
    reading = page[page.index('<article class="article-reading"') :]
    assert "Đà Nẵng mở đường dây nóng</h2>" in reading
    assert "Người dân phản ánh về an ninh trật tự qua số 113." in reading
    # The body as HTML, not as its source.
    assert "<p>Đường dây hoạt động <strong>24/24 giờ</strong>.</p>" in reading
    assert "&lt;p&gt;" not in page
    assert "Hải Nhi" in reading
    assert "Thời sự" in reading and "Pháp luật" in reading
    assert "Đường dây nóng</li>" in reading
    assert "Tổng đài viên trực máy." in reading and "Ảnh: Minh Khang" in reading
    assert "<picture>" in reading


def test_the_read_only_page_has_the_workflow_panel_and_no_form(client, reporter, submitted):
    page = logged_in(client, reporter).get(change_url(submitted)).content.decode()
    assert 'class="workflow"' in page and "Chờ duyệt" in page
    assert page.index('class="workflow"') < page.index('class="article-reading"')
    assert 'id="article_form"' not in page
    for field in ("title", "sapo", "body", "lead_image"):
        assert f'name="{field}"' not in page
    # No editing help: the body editor's and the fields' help texts are for writers.
    assert "Chèn ảnh bằng nút Ảnh" not in page
    assert "Nên gọn trong" not in page
    assert "bạn chỉ xem được, như bạn đọc sẽ thấy" in page


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.UNPUBLISHED])
def test_every_article_a_reporter_may_read_but_not_edit_reads_as_readers_will(
    client, reporter, make_article, status
):
    article = make_article(title="Bài đã qua tay biên tập", status=status, created_by=reporter)
    response = logged_in(client, reporter).get(change_url(article))
    assert response.status_code == 200
    assert response.templates[0].name == "admin/articles/article/read_only.html"


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETURNED])
def test_a_reporter_edits_their_own_draft_or_returned_article_in_the_form(
    client, reporter, make_article, status
):
    article = make_article(status=status, publish_at=None, created_by=reporter)
    response = logged_in(client, reporter).get(change_url(article))
    assert response.status_code == 200
    assert 'id="article_form"' in response.content.decode()
    assert "read_only.html" not in [template.name for template in response.templates]


def test_a_crafted_post_to_a_submitted_article_is_refused_and_changes_nothing(
    client, reporter, submitted
):
    logged_in(client, reporter)
    response = client.post(change_url(submitted), edit_form(submitted, title="Sửa sau khi gửi"))
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.title == "Đà Nẵng mở đường dây nóng"
    assert submitted.status == Status.SUBMITTED


def test_the_read_only_page_still_takes_a_step_on_its_own(client, reporter, submitted):
    from django.contrib.auth.models import Permission

    reporter.user_permissions.add(Permission.objects.get(codename="feature_article"))
    page = logged_in(client, reporter).get(change_url(submitted)).content.decode()
    action = reverse("admin:articles_article_workflow", args=[submitted.pk, "feature"])
    assert f'action="{action}"' in page
    assert f'<input type="hidden" name="version" value="{submitted.version}">' in page


# A colleague's article ----------------------------------------------------------------------------


def test_a_colleagues_draft_says_it_may_not_be_edited_without_naming_it(
    client, reporter, colleagues_draft
):
    response = logged_in(client, reporter).get(change_url(colleagues_draft))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Bạn không sửa được bài này" in page
    assert "bài của một đồng nghiệp" in page
    assert "không tồn tại" not in page
    assert "Bản nháp bí mật" not in page
    # The preview refuses a colleague's article (can_view): it is not offered.
    assert reverse("articles:preview", args=[colleagues_draft.pk]) not in page
    assert client.get(reverse("articles:preview", args=[colleagues_draft.pk])).status_code == 404
    assert "chưa hiện với bạn đọc" in page


def test_a_colleagues_live_article_offers_its_public_page(
    client, reporter, other_reporter, make_article
):
    live = make_article(title="Thông xe cao tốc", created_by=other_reporter)
    response = logged_in(client, reporter).get(change_url(live))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Bạn không sửa được bài này" in page
    assert f'<a href="{live.get_absolute_url()}">Thông xe cao tốc</a>' in page


def test_a_colleagues_scheduled_article_stays_unnamed(
    client, reporter, other_reporter, make_article, clock
):
    from datetime import timedelta

    from django.utils import timezone

    scheduled = make_article(
        title="Tin giờ G", created_by=other_reporter, publish_at=timezone.now() + timedelta(hours=1)
    )
    page = logged_in(client, reporter).get(change_url(scheduled)).content.decode()
    assert "Tin giờ G" not in page
    assert scheduled.get_absolute_url() not in page


def test_crafted_posts_to_a_colleagues_article_are_refused_and_change_nothing(
    client, reporter, colleagues_draft
):
    logged_in(client, reporter)
    response = client.post(change_url(colleagues_draft), edit_form(colleagues_draft, title="Sửa"))
    assert response.status_code == 403
    assert "Bạn không sửa được bài này" in response.content.decode()
    for action in ["submit", "publish"]:
        url = reverse("admin:articles_article_workflow", args=[colleagues_draft.pk, action])
        assert client.post(url, {"version": colleagues_draft.version}).status_code == 404
    colleagues_draft.refresh_from_db()
    assert colleagues_draft.title == "Bản nháp bí mật của đồng nghiệp"
    assert colleagues_draft.status == Status.DRAFT
    assert not colleagues_draft.transitions.exists()


def test_an_article_that_does_not_exist_is_still_said_not_to_exist(client, reporter):
    for object_id in ["999999", "abc", "99999999999999999999999"]:
        response = logged_in(client, reporter).get(f"/admin/articles/article/{object_id}/change/")
        assert response.status_code == 302
        assert response["Location"] == "/admin/"


# Editors and superusers ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_editors_and_superusers_edit_any_article_in_the_form(
    request, client, role, submitted, colleagues_draft, make_article
):
    user = request.getfixturevalue(role)
    logged_in(client, user)
    for article in [submitted, colleagues_draft, make_article(title="Bài đang hiện")]:
        response = client.get(change_url(article))
        assert response.status_code == 200
        assert 'id="article_form"' in response.content.decode()


def test_staff_without_a_newsroom_role_get_no_article_page(client, make_user, colleagues_draft):
    response = logged_in(client, make_user("khong-vai-tro")).get(change_url(colleagues_draft))
    assert response.status_code == 403
    assert "Bạn không sửa được bài này" not in response.content.decode()


def test_readers_are_sent_to_the_login_page(client, make_user, colleagues_draft):
    assert client.get(change_url(colleagues_draft)).status_code == 302
    logged_in(client, make_user("bandoc", is_staff=False))
    response = client.get(change_url(colleagues_draft))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
