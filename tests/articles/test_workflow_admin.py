"""The workflow through the admin: rules hold on the server, whatever the browser sends."""

import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Revision
from tests.articles.test_admin import article_form

Status = Article.Status


def login(client, user):
    client.force_login(user)
    return client


def workflow_url(article, action):
    return reverse("admin:articles_article_workflow", args=[article.pk, action])


def step(client, article, action, **data):
    """Post a step as the workflow panel of a read-only page does: with the version shown."""
    version = Article.objects.get(pk=article.pk).version
    return client.post(workflow_url(article, action), {"version": version, **data})


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


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


def test_reporter_crafted_post_cannot_publish_or_feature(client, reporter, draft):
    login(client, reporter)
    data = edit_form(
        draft,
        status=Status.PUBLISHED,
        publish_at_0="01/01/2026",
        publish_at_1="00:00:00",
        is_featured="on",
    )
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.publish_at is None
    assert not draft.is_featured
    for action in ["publish", "schedule", "unpublish", "return", "feature", "correct"]:
        response = step(client, draft, action, publish_at="2030-01-01T00:00", note="x")
        assert response.status_code == 403, action
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and not draft.is_featured
    assert not draft.transitions.exists()


def test_reporter_submits_and_then_cannot_change_it(client, reporter, draft):
    login(client, reporter)
    assert step(client, draft, "submit").status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    response = client.post(change_url(draft), edit_form(draft, title="Sửa sau khi gửi"))
    assert response.status_code == 403
    assert Article.objects.get(pk=draft.pk).title == "Bài của phóng viên"
    page = client.get(change_url(draft)).content.decode()
    assert "Chờ duyệt" in page and "Gửi duyệt</button>" not in page


def test_reporter_sees_the_editors_note_on_a_returned_article(client, reporter, editor, draft):
    step(login(client, reporter), draft, "submit")
    step(login(client, editor), draft, "return", note="Cần thêm ý kiến chuyên gia.")
    page = login(client, reporter).get(change_url(draft)).content.decode()
    assert "Cần thêm ý kiến chuyên gia." in page
    assert "Bị trả lại" in page


def test_workflow_steps_answer_only_post_and_only_staff(client, editor, draft):
    assert client.post(workflow_url(draft, "publish")).status_code == 302  # to login
    assert Article.objects.get(pk=draft.pk).status == Status.DRAFT
    login(client, editor)
    assert client.get(workflow_url(draft, "publish")).status_code == 405
    assert client.post(workflow_url(draft, "no-such-step")).status_code == 404
    for version in [None, "", "abc", "0", "99999999999999999999"]:
        data = {} if version is None else {"version": version}
        assert client.post(workflow_url(draft, "publish"), data).status_code == 400
    assert Article.objects.get(pk=draft.pk).status == Status.DRAFT


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


def test_editor_schedules_to_the_second_and_the_schedule_lists_it(client, editor, draft):
    login(client, editor)
    at = timezone.localtime() + timedelta(minutes=1)
    typed = at.strftime("%Y-%m-%dT%H:%M:%S")
    response = step(client, draft, "schedule", publish_at=typed)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.publish_at == at.replace(microsecond=0)
    assert client.get(draft.get_absolute_url()).status_code == 404
    schedule = client.get(reverse("admin:articles_scheduledarticle_changelist")).content.decode()
    assert "Bài của phóng viên" in schedule


def test_scheduling_in_the_past_or_garbage_is_refused_with_a_message(client, editor, draft):
    login(client, editor)
    refusals = {
        "2020-01-01T00:00:00": "Thời điểm lên lịch phải ở tương lai.",
        "không phải ngày": "Thời gian “không phải ngày” không hợp lệ.",
        "": "Hãy chọn thời điểm xuất bản.",
        "2026-13-45T99:99": "Thời gian “2026-13-45T99:99” không hợp lệ.",
    }
    for typed, refusal in refusals.items():
        version = draft.version
        response = client.post(
            workflow_url(draft, "schedule"),
            {"publish_at": typed, "version": version},
            follow=True,
        )
        assert messages_of(response) == [refusal], typed
    assert Article.objects.get(pk=draft.pk).status == Status.DRAFT


def test_later_save_does_not_silently_overwrite_the_earlier(client, editor, reporter, draft):
    reporter_form = edit_form(draft, sapo="Sapo phóng viên đang gõ dở.")
    login(client, editor).post(change_url(draft), edit_form(draft, title="Tiêu đề BTV"))
    assert Article.objects.get(pk=draft.pk).title == "Tiêu đề BTV"
    response = login(client, reporter).post(change_url(draft), reporter_form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "vừa được bientap lưu lúc" in page
    assert "Sapo phóng viên đang gõ dở." in page  # nothing typed is lost
    assert Article.objects.get(pk=draft.pk).title == "Tiêu đề BTV"
    # Having read the message, saving again overwrites on purpose.
    again = dict(
        reporter_form, edited_version=response.context["adminform"].form.data["edited_version"]
    )
    assert client.post(change_url(draft), again).status_code == 302
    assert Article.objects.get(pk=draft.pk).sapo == "Sapo phóng viên đang gõ dở."


def test_editor_compares_and_restores_revisions(client, editor, draft):
    login(client, editor)
    client.post(change_url(draft), edit_form(draft, body="<p>Câu đầu tiên.</p>"))
    draft.refresh_from_db()
    client.post(change_url(draft), edit_form(draft, body="<p>Câu thứ hai.</p>"))
    first, *_ = Revision.objects.filter(article=draft).order_by("created_at", "pk")
    page = client.get(reverse("admin:articles_article_revisions", args=[draft.pk]))
    content = page.content.decode()
    assert "Câu <del>đầu tiên.</del> <ins>thứ hai.</ins>" in content
    restore = reverse("admin:articles_article_restore", args=[draft.pk, first.pk])
    version = Article.objects.get(pk=draft.pk).version
    assert client.post(restore, {"version": version}).status_code == 302
    assert Article.objects.get(pk=draft.pk).body.startswith("<p>Câu đầu tiên.</p>")


def test_staff_preview_shows_a_draft_as_readers_will_with_a_banner(client, reporter, draft):
    url = reverse("articles:preview", args=[draft.pk])
    assert client.get(url).status_code == 302  # to the log-in
    response = login(client, reporter).get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Bản xem trước — bài chưa hiện với bạn đọc." in content
    assert "Bài của phóng viên" in content
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_reporter_cannot_preview_someone_elses_draft(client, other_reporter, draft):
    response = login(client, other_reporter).get(reverse("articles:preview", args=[draft.pk]))
    assert response.status_code == 404


# Nothing typed is lost: a step's button saves the edit form first ------------------------------


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_reporter_who_edits_the_sapo_and_submits_keeps_the_edit(client, reporter, draft):
    login(client, reporter)
    data = edit_form(draft, sapo="Sapo vừa sửa trước khi gửi.", _workflow="submit")
    response = client.post(change_url(draft), data, follow=True)
    assert response.redirect_chain[-1][0] == change_url(draft)
    row = Article.objects.get(pk=draft.pk)
    assert row.sapo == "Sapo vừa sửa trước khi gửi."
    assert row.status == Status.SUBMITTED
    assert row.revisions.first().sapo == "Sapo vừa sửa trước khi gửi."
    assert messages_of(response) == ["Đã lưu bài. Gửi duyệt: “Bài của phóng viên”."]


EDITOR_STEPS = {
    "publish": ({}, Status.SUBMITTED, Status.PUBLISHED),
    "schedule": (
        {"workflow-schedule-publish_at": "2030-01-02T08:00:00"},
        Status.SUBMITTED,
        Status.PUBLISHED,
    ),
    "return": ({"workflow-return-note": "Thiếu nguồn."}, Status.SUBMITTED, Status.RETURNED),
    "unpublish": ({"workflow-unpublish-note": "Sai tên."}, Status.PUBLISHED, Status.UNPUBLISHED),
    "feature": ({}, Status.PUBLISHED, Status.PUBLISHED),
    "correct": ({"workflow-correct-note": "Sửa chức danh."}, Status.PUBLISHED, Status.PUBLISHED),
}


@pytest.mark.parametrize("action", list(EDITOR_STEPS))
def test_editor_who_fixes_the_title_and_takes_a_step_keeps_the_fix(
    client, editor, make_article, action
):
    inputs, from_status, to_status = EDITOR_STEPS[action]
    article = make_article(title="Tiêu đề có lỗi chính tả", status=from_status)
    login(client, editor)
    data = edit_form(article, title="Tiêu đề đã sửa", _workflow=action, **inputs)
    response = client.post(change_url(article), data, follow=True)
    row = Article.objects.get(pk=article.pk)
    assert row.title == "Tiêu đề đã sửa"
    assert row.status == to_status
    assert row.transitions.get().action == action
    assert messages_of(response)[0].startswith("Đã lưu bài. ")
    if action == "schedule":
        assert row.publish_at == timezone.make_aware(datetime(2030, 1, 2, 8))
    if action == "feature":
        assert row.is_featured


def test_each_step_reads_only_its_own_inputs(client, editor, make_article):
    article = make_article(status=Status.SUBMITTED)
    login(client, editor)
    data = edit_form(
        article,
        _workflow="return",
        **{"workflow-return-note": "Lý do trả lại.", "workflow-correct-note": "Không phải tôi."},
    )
    client.post(change_url(article), data)
    assert article.transitions.get().note == "Lý do trả lại."


def test_a_step_after_a_form_error_is_not_taken_and_the_form_keeps_what_was_typed(
    client, reporter, draft
):
    login(client, reporter)
    data = edit_form(draft, title="", sapo="Sapo gõ dở, chưa lưu.", _workflow="submit")
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sapo gõ dở, chưa lưu." in page
    assert "Bài chưa được lưu nên chưa gửi duyệt" in page
    row = Article.objects.get(pk=draft.pk)
    assert (row.status, row.title, row.sapo) == (Status.DRAFT, "Bài của phóng viên", draft.sapo)
    assert not row.transitions.exists()


def test_the_step_inputs_typed_are_shown_again_after_a_form_error(client, editor, make_article):
    article = make_article(status=Status.SUBMITTED)
    login(client, editor)
    data = edit_form(article, title="", _workflow="return", **{"workflow-return-note": "Ghi chú"})
    page = client.post(change_url(article), data).content.decode()
    assert ">Ghi chú</textarea>" in page
    assert Article.objects.get(pk=article.pk).status == Status.SUBMITTED


def test_a_step_refused_for_its_own_reason_keeps_the_save_and_says_both(
    client, editor, make_article
):
    article = make_article(title="Tiêu đề cũ", status=Status.SUBMITTED)
    login(client, editor)
    data = edit_form(
        article,
        title="Tiêu đề mới",
        _workflow="schedule",
        **{"workflow-schedule-publish_at": "2020-01-01T08:00:00"},
    )
    response = client.post(change_url(article), data, follow=True)
    assert messages_of(response) == [
        "Đã lưu bài, nhưng chưa lên lịch xuất bản: Thời điểm lên lịch phải ở tương lai."
    ]
    row = Article.objects.get(pk=article.pk)
    assert (row.title, row.status) == ("Tiêu đề mới", Status.SUBMITTED)
    assert not row.transitions.exists()


@pytest.mark.parametrize("action", ["publish", "schedule", "return", "unpublish", "feature"])
def test_reporter_crafted_step_button_on_the_edit_form_is_refused_and_saves_nothing(
    client, reporter, draft, action
):
    login(client, reporter)
    data = edit_form(
        draft,
        title="Sửa kèm bước trái phép",
        _workflow=action,
        **{f"workflow-{action}-publish_at": "2030-01-01T00:00", f"workflow-{action}-note": "x"},
    )
    assert client.post(change_url(draft), data).status_code == 403
    row = Article.objects.get(pk=draft.pk)
    assert (row.title, row.status, row.is_featured) == ("Bài của phóng viên", Status.DRAFT, False)
    assert not row.transitions.exists() and not row.revisions.exists()


@pytest.mark.parametrize("action", ["restore", "xoa", ""])
def test_an_unknown_step_button_is_a_bad_request_and_saves_nothing(client, editor, draft, action):
    login(client, editor)
    data = edit_form(draft, title="Không được lưu", _workflow=action)
    assert client.post(change_url(draft), data).status_code == 400
    assert Article.objects.get(pk=draft.pk).title == "Bài của phóng viên"


def test_a_step_from_a_stale_edit_form_is_not_taken(client, editor, reporter, draft):
    reporter_form = edit_form(draft, sapo="Sapo của phóng viên.", _workflow="submit")
    login(client, editor).post(change_url(draft), edit_form(draft, title="Tiêu đề BTV"))
    response = login(client, reporter).post(change_url(draft), reporter_form)
    assert response.status_code == 200
    assert "vừa được bientap lưu lúc" in response.content.decode()
    row = Article.objects.get(pk=draft.pk)
    assert (row.status, row.title) == (Status.DRAFT, "Tiêu đề BTV")
    assert not row.transitions.exists()


def test_the_step_buttons_belong_to_the_edit_form_for_whoever_may_edit(client, editor, draft):
    page = login(client, editor).get(change_url(draft)).content.decode()
    assert 'form="article_form" name="_workflow" value="publish"' in page
    assert 'name="workflow-schedule-publish_at"' in page
    assert "/quy-trinh/" not in page


def test_a_read_only_page_posts_its_steps_on_their_own_with_the_version(client, reporter, draft):
    from django.contrib.auth.models import Permission

    reporter.user_permissions.add(Permission.objects.get(codename="feature_article"))
    Article.objects.filter(pk=draft.pk).update(status=Status.SUBMITTED, version=7)
    login(client, reporter)
    page = client.get(change_url(draft)).content.decode()
    assert f'action="{workflow_url(draft, "feature")}"' in page
    assert '<input type="hidden" name="version" value="7">' in page
    assert "_workflow" not in page
    assert step(client, draft, "feature").status_code == 302
    assert Article.objects.get(pk=draft.pk).is_featured


def test_enter_in_a_field_means_save_not_a_step(client, editor, draft):
    page = login(client, editor).get(change_url(draft)).content.decode()
    # The first submit button belonging to the edit form is a plain save.
    first = page.index('form="article_form"')
    assert page[page.rindex("<input", 0, first) : first].count('name="_save"') == 1
    assert page.index('name="_save"') < page.index('name="_workflow"')


# Publish what was reviewed, through the admin ---------------------------------------------------


def test_a_step_posted_from_an_older_page_is_refused_naming_who_and_when(
    client, clock, editor, reporter, make_article
):
    article = make_article(status=Status.SUBMITTED, created_by=reporter)
    seen = article.version
    clock.shift(timedelta(seconds=15))
    Article.objects.filter(pk=article.pk).update(
        title="Sửa sau khi BTV mở trang",
        version=seen + 1,
        updated_by=reporter,
        updated_at=timezone.now(),
    )
    login(client, editor)
    response = client.post(workflow_url(article, "publish"), {"version": seen}, follow=True)
    (message,) = messages_of(response)
    assert "phongvien lưu lúc 05/11/2026 09:30:15" in message
    row = Article.objects.get(pk=article.pk)
    assert (row.status, row.version) == (Status.SUBMITTED, seen + 1)
    assert not row.transitions.exists()


def test_restoring_from_an_older_page_is_refused(client, editor, draft):
    revision = Revision.objects.create(article=draft, title="Cũ", sapo="s", body="<p>b</p>")
    restore = reverse("admin:articles_article_restore", args=[draft.pk, revision.pk])
    login(client, editor)
    assert client.post(restore).status_code == 400
    client.post(restore, {"version": draft.version - 1 or 99})
    assert Article.objects.get(pk=draft.pk).title == "Bài của phóng viên"


def test_the_admin_save_moves_the_version_in_the_database(rf, editor, draft):
    from django.contrib import admin

    model_admin = admin.site._registry[Article]
    stale_copy = Article.objects.get(pk=draft.pk)
    Article.objects.filter(pk=draft.pk).update(version=5)
    request = rf.post("/")
    request.user = editor
    model_admin.save_model(request, stale_copy, form=None, change=True)
    assert Article.objects.get(pk=draft.pk).version == stale_copy.version == 6


# Revisions ----------------------------------------------------------------------------------------


def test_revisions_compare_by_get_without_a_token_and_restore_by_post_with_one(
    client, editor, draft
):
    for body in ["<p>Một.</p>", "<p>Hai.</p>", "<p>Ba.</p>"]:
        Revision.objects.create(article=draft, title="t", sapo="s", body=body)
    url = reverse("admin:articles_article_revisions", args=[draft.pk])
    page = login(client, editor).get(url).content.decode()
    forms = re.findall(r"<form\b[^>]*>.*?</form>", page, flags=re.DOTALL)
    compare = [form for form in forms if 'method="get"' in form]
    restores = [form for form in forms if "/khoi-phuc/" in form]
    assert len(compare) == 1 and "csrfmiddlewaretoken" not in compare[0]
    assert "formmethod" not in page
    assert len(restores) == 2
    for form in restores:
        assert 'method="post"' in form and "csrfmiddlewaretoken" in form
        assert f'name="version" value="{draft.version}"' in form
    assert client.get(restores[0].split('action="')[1].split('"')[0]).status_code == 405


# Slug clashes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("whose", "status", "publish_in", "named"),
    [
        ("other", Status.DRAFT, None, False),
        ("other", Status.SUBMITTED, None, False),
        ("other", Status.PUBLISHED, timedelta(days=1), False),  # embargoed until tomorrow
        ("own", Status.DRAFT, None, True),
        ("other", Status.PUBLISHED, -timedelta(hours=1), True),  # readers see it anyway
    ],
    ids=["others-draft", "others-submitted", "embargoed", "own-draft", "live"],
)
def test_a_slug_clash_names_only_an_article_the_reporter_may_open(
    client, reporter, other_reporter, make_article, section, author, whose, status, publish_in,
    named,
):  # fmt: skip
    make_article(
        title="Tiêu đề bí mật",
        slug="duong-day-nong",
        status=status,
        publish_at=timezone.now() + publish_in if publish_in else None,
        created_by=reporter if whose == "own" else other_reporter,
    )
    login(client, reporter)
    data = article_form(section, author, None, slug="Đường dây nóng")
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert ("Tiêu đề bí mật" in page) is named
    assert "Đường dẫn “duong-day-nong” đã thuộc về" in page
    assert Article.objects.count() == 1


def test_a_slug_clash_names_any_article_to_an_editor(client, editor, make_article, draft):
    other = make_article(title="Bài hẹn giờ", publish_at=timezone.now() + timedelta(days=1))
    login(client, editor)
    response = client.post(change_url(draft), edit_form(draft, slug=other.slug))
    assert "đã thuộc về bài “Bài hẹn giờ”" in response.content.decode()
