"""The workflow through the admin: rules hold on the server, whatever the browser sends."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Revision
from articles.previews import preview_link
from tests.articles.test_admin import article_form

Status = Article.Status


def login(client, user):
    client.force_login(user)
    return client


def workflow_url(article, action):
    return reverse("admin:articles_article_workflow", args=[article.pk, action])


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def own_draft(make_article, reporter):
    return make_article(
        title="Bài của phóng viên", status=Status.DRAFT, publish_at=None, created_by=reporter
    )


def edit_form(article, **fields):
    """The change form's POST for `article` as it stands, with `fields` changed."""
    byline = article.bylines.get()
    count = str(article.transitions.count())
    current = {
        "title": article.title,
        "slug": article.slug,
        "sapo": article.sapo,
        "body": article.body,
        "edited_version": article.version,
        "bylines-INITIAL_FORMS": "1",
        "bylines-0-id": byline.pk,
        "bylines-0-article": article.pk,
        "transitions-TOTAL_FORMS": count,
        "transitions-INITIAL_FORMS": count,
    }
    return article_form(article.section, byline.author, article.lead_image, **{**current, **fields})


def test_reporter_writes_an_article_that_starts_as_their_draft(client, reporter, section, author):
    login(client, reporter)
    data = article_form(section, author, None, status=Status.PUBLISHED, is_featured="on")
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.created_by == reporter
    assert article.status == Status.DRAFT and not article.is_featured
    assert article.revisions.count() == 1


def test_reporter_sees_only_their_own_articles(client, reporter, other_reporter, make_article):
    make_article(title="Bài của tôi", created_by=reporter, status=Status.DRAFT)
    theirs = make_article(title="Bài người khác", created_by=other_reporter, status=Status.DRAFT)
    login(client, reporter)
    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Bài của tôi" in listing and "Bài người khác" not in listing
    assert client.get(change_url(theirs)).status_code == 302  # "does not exist", back to index
    response = client.post(change_url(theirs), edit_form(theirs, title="Sửa trộm"))
    assert Article.objects.get(pk=theirs.pk).title == "Bài người khác"
    assert response.status_code in (302, 403)


def test_reporter_crafted_post_cannot_publish_or_feature(client, reporter, own_draft):
    login(client, reporter)
    data = edit_form(
        own_draft,
        status=Status.PUBLISHED,
        publish_at_0="01/01/2026",
        publish_at_1="00:00:00",
        is_featured="on",
    )
    assert client.post(change_url(own_draft), data).status_code == 302
    own_draft.refresh_from_db()
    assert own_draft.status == Status.DRAFT and own_draft.publish_at is None
    assert not own_draft.is_featured
    for action in ["publish", "schedule", "unpublish", "return", "feature", "correct"]:
        response = client.post(
            workflow_url(own_draft, action), {"publish_at": "2030-01-01T00:00", "note": "x"}
        )
        assert response.status_code == 403, action
    own_draft.refresh_from_db()
    assert own_draft.status == Status.DRAFT and not own_draft.is_featured
    assert not own_draft.transitions.exists()


def test_reporter_submits_and_then_cannot_change_it(client, reporter, own_draft):
    login(client, reporter)
    assert client.post(workflow_url(own_draft, "submit")).status_code == 302
    own_draft.refresh_from_db()
    assert own_draft.status == Status.SUBMITTED
    response = client.post(change_url(own_draft), edit_form(own_draft, title="Sửa sau khi gửi"))
    assert response.status_code == 403
    assert Article.objects.get(pk=own_draft.pk).title == "Bài của phóng viên"
    page = client.get(change_url(own_draft)).content.decode()
    assert "Chờ duyệt" in page and "Gửi duyệt</button>" not in page


def test_reporter_sees_the_editors_note_on_a_returned_article(client, reporter, editor, own_draft):
    login(client, reporter).post(workflow_url(own_draft, "submit"))
    login(client, editor).post(
        workflow_url(own_draft, "return"), {"note": "Cần thêm ý kiến chuyên gia."}
    )
    page = login(client, reporter).get(change_url(own_draft)).content.decode()
    assert "Cần thêm ý kiến chuyên gia." in page
    assert "Bị trả lại" in page


def test_workflow_steps_answer_only_post_and_only_staff(client, editor, own_draft):
    assert client.post(workflow_url(own_draft, "publish")).status_code == 302  # to login
    assert Article.objects.get(pk=own_draft.pk).status == Status.DRAFT
    login(client, editor)
    assert client.get(workflow_url(own_draft, "publish")).status_code == 405
    assert client.post(workflow_url(own_draft, "no-such-step")).status_code == 404


def test_editor_review_queue_lists_submitted_oldest_first(client, editor, make_article, reporter):
    now = timezone.now()
    for title, waited in [("Gửi sau", 5), ("Gửi trước", 60), ("Gửi giữa", 30)]:
        make_article(
            title=title,
            status=Status.SUBMITTED,
            submitted_at=now - timedelta(minutes=waited),
            created_by=reporter,
        )
    make_article(title="Bản nháp khác", status=Status.DRAFT)
    login(client, editor)
    page = client.get(reverse("admin:articles_articleforreview_changelist")).content.decode()
    assert page.index("Gửi trước") < page.index("Gửi giữa") < page.index("Gửi sau")
    assert "Bản nháp khác" not in page


def test_reporters_have_no_review_queue(client, reporter):
    login(client, reporter)
    assert client.get(reverse("admin:articles_articleforreview_changelist")).status_code == 403


def test_editor_schedules_to_the_second_and_the_schedule_lists_it(client, editor, own_draft):
    login(client, editor)
    at = timezone.localtime() + timedelta(minutes=1)
    typed = at.strftime("%Y-%m-%dT%H:%M:%S")
    response = client.post(workflow_url(own_draft, "schedule"), {"publish_at": typed})
    assert response.status_code == 302
    own_draft.refresh_from_db()
    assert own_draft.status == Status.PUBLISHED
    assert own_draft.publish_at == at.replace(microsecond=0)
    assert client.get(own_draft.get_absolute_url()).status_code == 404
    schedule = client.get(reverse("admin:articles_scheduledarticle_changelist")).content.decode()
    assert "Bài của phóng viên" in schedule


def test_scheduling_in_the_past_or_garbage_is_refused_with_a_message(client, editor, own_draft):
    login(client, editor)
    for typed in ["2020-01-01T00:00:00", "không phải ngày", "", "2026-13-45T99:99"]:
        response = client.post(
            workflow_url(own_draft, "schedule"), {"publish_at": typed}, follow=True
        )
        assert response.status_code == 200
        messages = [str(m) for m in response.context["messages"]]
        assert messages, typed
    assert Article.objects.get(pk=own_draft.pk).status == Status.DRAFT


def test_later_save_does_not_silently_overwrite_the_earlier(client, editor, reporter, own_draft):
    reporter_form = edit_form(own_draft, sapo="Sapo phóng viên đang gõ dở.")
    login(client, editor).post(change_url(own_draft), edit_form(own_draft, title="Tiêu đề BTV"))
    assert Article.objects.get(pk=own_draft.pk).title == "Tiêu đề BTV"
    response = login(client, reporter).post(change_url(own_draft), reporter_form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "vừa được bientap lưu lúc" in page
    assert "Sapo phóng viên đang gõ dở." in page  # nothing typed is lost
    assert Article.objects.get(pk=own_draft.pk).title == "Tiêu đề BTV"
    # Having read the message, saving again overwrites on purpose.
    again = dict(
        reporter_form, edited_version=response.context["adminform"].form.data["edited_version"]
    )
    assert client.post(change_url(own_draft), again).status_code == 302
    assert Article.objects.get(pk=own_draft.pk).sapo == "Sapo phóng viên đang gõ dở."


def test_editor_compares_and_restores_revisions(client, editor, own_draft):
    login(client, editor)
    client.post(change_url(own_draft), edit_form(own_draft, body="<p>Câu đầu tiên.</p>"))
    own_draft.refresh_from_db()
    client.post(change_url(own_draft), edit_form(own_draft, body="<p>Câu thứ hai.</p>"))
    first, *_ = Revision.objects.filter(article=own_draft).order_by("created_at", "pk")
    page = client.get(reverse("admin:articles_article_revisions", args=[own_draft.pk]))
    content = page.content.decode()
    assert "Câu <del>đầu tiên.</del> <ins>thứ hai.</ins>" in content
    restore = reverse("admin:articles_article_restore", args=[own_draft.pk, first.pk])
    assert client.post(restore).status_code == 302
    assert Article.objects.get(pk=own_draft.pk).body.startswith("<p>Câu đầu tiên.</p>")


def test_staff_preview_shows_a_draft_as_readers_will_with_a_banner(client, reporter, own_draft):
    url = reverse("articles:preview", args=[own_draft.pk])
    assert client.get(url).status_code == 302  # to the log-in
    response = login(client, reporter).get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Bản xem trước — bài chưa hiện với bạn đọc." in content
    assert "Bài của phóng viên" in content
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_reporter_cannot_preview_someone_elses_draft(client, other_reporter, own_draft):
    response = login(client, other_reporter).get(reverse("articles:preview", args=[own_draft.pk]))
    assert response.status_code == 404


def test_signed_preview_link_works_without_an_account_until_it_expires(client, own_draft):
    issued = datetime(2026, 11, 5, 2, 30, tzinfo=UTC)
    with time_machine.travel(issued, tick=False) as traveller:
        link = preview_link(own_draft)
        assert "Bài của phóng viên" in client.get(link).content.decode()
        assert client.get(link[:-3] + "abc/").status_code == 404  # tampered
        traveller.shift(timedelta(days=3, seconds=1))
        assert client.get(link).status_code == 404


def test_editor_sees_a_shareable_preview_link_in_the_admin(client, editor, own_draft):
    page = login(client, editor).get(change_url(own_draft)).content.decode()
    assert "http://testserver/xem-truoc/k/" in page
