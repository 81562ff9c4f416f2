"""The workflow through the admin: rules hold on the server, whatever the browser sends."""

import re
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Revision
from tests.articles.test_admin import article_form
from tests.conftest import NOW

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
    assert client.get(change_url(theirs)).status_code == 403  # "not yours", nothing to edit
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


def test_scheduling_in_the_past_or_garbage_is_refused_with_a_message(clock, client, editor, draft):
    login(client, editor)
    unreadable = "Xuất bản lúc “%s” chưa đúng dạng ngày/tháng/năm giờ:phút, ví dụ 05/11/2026 09:45."
    refusals = {
        "2020-01-01T00:00:00": "Thời điểm lên lịch phải ở tương lai.",
        "05/11/2026 09:29": "Thời điểm lên lịch phải ở tương lai.",
        "không phải ngày": unreadable % "không phải ngày",
        "": "Hãy chọn thời điểm xuất bản.",
        "2026-13-45T99:99": unreadable % "2026-13-45T99:99",
        "31/02/2027 10:00": unreadable % "31/02/2027 10:00",
        "11/05/2026 9:30 PM": unreadable % "11/05/2026 9:30 PM",
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
    first, second = Revision.objects.filter(article=draft).order_by("created_at", "pk")
    history = client.get(reverse("admin:articles_article_history", args=[draft.pk]))
    compare = reverse("admin:articles_article_revisions", args=[draft.pk])
    link = f"{compare}?a={first.pk}&amp;b={second.pk}"
    assert link in history.content.decode()
    content = client.get(link.replace("&amp;", "&")).content.decode()
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
        article, title="Tiêu đề mới", _workflow="return", **{"workflow-return-note": "  "}
    )
    response = client.post(change_url(article), data, follow=True)
    assert messages_of(response) == [
        "Đã lưu bài, nhưng chưa trả lại phóng viên: Hãy ghi lý do trả lại để phóng viên biết "
        "cần sửa gì."
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
    one, two, three = (
        Revision.objects.create(article=draft, title="t", sapo="s", body=body)
        for body in ["<p>Một.</p>", "<p>Hai.</p>", "<p>Ba.</p>"]
    )
    url = reverse("admin:articles_article_revisions", args=[draft.pk])
    page = login(client, editor).get(url, {"a": one.pk, "b": two.pk}).content.decode()
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


# The panel: one step put forward, Vietnamese times, a confirmation, the lead photo -------------

PRIMARY = re.compile(r'<button type="submit" class="button default"[^>]*>([^<]+)</button>')
BUTTONS = re.compile(r'<button type="submit" class="button[^"]*"[^>]*>([^<]+)</button>')


def panel_of(page):
    return page[page.index('<section class="workflow"') : page.index("</section>")]


@pytest.mark.parametrize(
    ("who", "state", "primary", "absent"),
    [
        ("reporter", {"status": Status.DRAFT, "publish_at": None}, ["Gửi duyệt"], "Xuất bản"),
        ("reporter", {"status": Status.RETURNED, "publish_at": None}, ["Gửi duyệt"], "Xuất bản"),
        ("editor", {"status": Status.SUBMITTED, "publish_at": None}, ["Xuất bản"], "Gửi duyệt"),
        ("editor", {"status": Status.DRAFT, "publish_at": None}, ["Xuất bản"], None),
        ("editor", {"status": Status.UNPUBLISHED}, ["Xuất bản"], None),
        ("editor", {"status": Status.PUBLISHED}, [], "Xuất bản"),
        (
            "editor",
            {"status": Status.PUBLISHED, "publish_at": timezone.now() + timedelta(days=1)},
            [],
            None,
        ),
    ],
    ids=["draft", "returned", "submitted", "editor-draft", "unpublished", "live", "scheduled"],
)
def test_the_panel_puts_one_step_forward_per_state(
    client, reporter, editor, make_article, who, state, primary, absent
):
    article = make_article(created_by=reporter, **state)
    page = login(client, {"reporter": reporter, "editor": editor}[who]).get(change_url(article))
    panel = panel_of(page.content.decode())
    assert PRIMARY.findall(panel) == primary
    if absent:
        assert absent not in BUTTONS.findall(panel)


def test_a_scheduled_article_offers_publishing_now_and_a_new_time(
    clock, client, editor, make_article
):
    article = make_article(publish_at=NOW + timedelta(days=1))
    panel = panel_of(login(client, editor).get(change_url(article)).content.decode())
    assert BUTTONS.findall(panel)[:3] == ["Xuất bản ngay", "Đổi lịch xuất bản", "Gỡ bài"]
    assert "hẹn giờ, tự hiện lúc <strong>06/11/2026 09:30:00</strong>" in panel


def test_the_schedule_input_is_day_first_and_starts_at_the_next_quarter_hour(
    clock, client, editor, make_article
):
    article = make_article(status=Status.SUBMITTED, publish_at=None)
    page = login(client, editor).get(change_url(article)).content.decode()
    assert 'type="datetime-local"' not in page
    field = re.search(r'<input id="wf-publish-at"[^>]*>', page).group(0)
    assert 'type="text"' in field and 'value="05/11/2026 09:45"' in field
    assert 'name="workflow-schedule-publish_at"' in field
    assert '<p class="workflow__hint" id="wf-publish-at-hint" aria-live="polite">' in page
    assert "Sẽ lên trang sau 15 phút" in page
    assert "Để trống nếu bài không tự gỡ." in page  # the unpublish inputs
    assert 'data-time-zone="Asia/Ho_Chi_Minh"' in page
    assert "newsroom/admin/workflow.js" in page and "newsroom/admin/workflow.css" in page


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        ("09:30:00", "09:45"),
        ("09:39:59", "09:45"),
        ("09:40:01", "10:00"),
        ("09:55:00", "10:00"),
        ("23:56:00", "00:15"),
    ],
)
def test_the_next_quarter_hour_leaves_time_to_click(at, expected):
    from articles.admin.workflow import default_publish_time

    hours, minutes, seconds = map(int, at.split(":"))
    now = timezone.make_aware(datetime(2026, 11, 5, hours, minutes, seconds))
    assert default_publish_time(now).strftime("%H:%M") == expected


@pytest.mark.parametrize(
    ("typed", "kind", "said"),
    [
        ("05/11/2026 11:45", "publish", "Sẽ lên trang sau 2 giờ 15 phút"),
        ("5/11/2026 9:31", "publish", "Sẽ lên trang sau 1 phút"),
        ("06/11/2026 09:30", "unpublish", "Sẽ gỡ khỏi trang sau 1 ngày"),
        ("2026-11-08T10:00:00", "publish", "Sẽ lên trang sau 3 ngày 30 phút"),
        ("05/11/2026 09:00", "publish", "Thời điểm này đã qua."),
        ("", "unpublish", "Để trống nếu bài không tự gỡ."),
        ("11/31/2026 09:00", "publish", "Hãy nhập theo dạng ngày/tháng/năm giờ:phút, ví dụ "),
    ],
)
def test_the_panel_says_how_long_until_a_time(clock, typed, kind, said):
    from articles.admin.workflow import time_hint

    assert time_hint(typed, kind=kind).startswith(said)


def test_a_day_first_time_schedules_to_that_minute(clock, client, editor, make_article):
    article = make_article(status=Status.SUBMITTED, publish_at=None)
    login(client, editor)
    data = edit_form(
        article,
        _workflow="schedule",
        **{
            "workflow-schedule-publish_at": "06/11/2026 08:15",
            "workflow-schedule-unpublish_at": "6/12/2026 8:15",
        },
    )
    response = client.post(change_url(article), data, follow=True)
    assert messages_of(response) == [
        "Đã lưu bài. Đã lên lịch: bài tự hiện với bạn đọc lúc 06/11/2026 08:15:00."
    ]
    row = Article.objects.get(pk=article.pk)
    assert timezone.localtime(row.publish_at).isoformat() == "2026-11-06T08:15:00+07:00"
    assert timezone.localtime(row.unpublish_at).isoformat() == "2026-12-06T08:15:00+07:00"


@pytest.mark.parametrize(
    ("action", "inputs", "error"),
    [
        (
            "schedule",
            {"workflow-schedule-publish_at": "thứ sáu 9 giờ"},
            "Xuất bản lúc “thứ sáu 9 giờ” chưa đúng dạng ngày/tháng/năm giờ:phút, "
            "ví dụ 05/11/2026 09:45.",
        ),
        (
            "schedule",
            {"workflow-schedule-publish_at": "04/11/2026 10:00"},
            "Thời điểm lên lịch phải ở tương lai.",
        ),
        (
            "schedule",
            {
                "workflow-schedule-publish_at": "06/11/2026 10:00",
                "workflow-schedule-unpublish_at": "06/11/2026 09:00",
            },
            "Thời điểm gỡ bài phải sau thời điểm xuất bản.",
        ),
        (
            "publish",
            {"workflow-publish-unpublish_at": "32/01/2027 10:00"},
            "Tự gỡ lúc “32/01/2027 10:00” chưa đúng dạng ngày/tháng/năm giờ:phút, "
            "ví dụ 05/11/2026 09:45.",
        ),
    ],
    ids=["unreadable", "past", "order", "unpublish-unreadable"],
)
def test_a_bad_time_saves_nothing_and_keeps_everything_typed(
    clock, client, editor, make_article, action, inputs, error
):
    article = make_article(title="Tiêu đề cũ", status=Status.SUBMITTED, publish_at=None)
    login(client, editor)
    data = edit_form(article, title="Tiêu đề đang sửa", _workflow=action, **inputs)
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(error) == 2  # above the form and beside the input
    assert 'value="Tiêu đề đang sửa"' in page
    for typed in inputs.values():
        assert f'value="{typed}"' in page
    row = Article.objects.get(pk=article.pk)
    assert (row.title, row.status) == ("Tiêu đề cũ", Status.SUBMITTED)
    assert not row.transitions.exists() and not row.revisions.exists()


def test_publishing_asks_first_showing_the_public_address(client, editor, make_article):
    article = make_article(title="Bài chờ duyệt", status=Status.SUBMITTED, publish_at=None)
    page = login(client, editor).get(change_url(article)).content.decode()
    button = re.search(r'<button[^>]*value="publish"[^>]*>', page).group(0)
    assert "data-confirm-publish" in button and 'form="article_form"' in button
    dialog = page[page.index('<dialog class="workflow__confirm" id="wf-confirm-publish"') :]
    dialog = dialog[: dialog.index("</dialog>")]
    assert f"http://testserver{article.get_absolute_url()}" in dialog
    assert "Đồng ý, xuất bản" in dialog


def test_no_confirmation_where_there_is_nothing_to_publish(client, reporter, draft):
    page = login(client, reporter).get(change_url(draft)).content.decode()
    assert "<dialog" not in page and "data-confirm-publish" not in page


@pytest.mark.parametrize("with_photo", [True, False])
def test_editors_are_warned_before_publishing_without_a_lead_photo(
    client, editor, reporter, make_article, with_photo
):
    fields = {} if with_photo else {"lead_image": None}
    article = make_article(status=Status.SUBMITTED, publish_at=None, **fields)
    panel = panel_of(login(client, editor).get(change_url(article)).content.decode())
    warnings = re.findall(r"<p class=\"workflow__warning\"[^>]*>", panel)
    assert len(warnings) == 2  # in the panel and in the confirmation
    assert all(("hidden" in warning) is with_photo for warning in warnings)
    assert "Bài chưa có ảnh đại diện" in panel


def test_a_reporter_is_not_warned_about_the_lead_photo(client, reporter, make_article):
    article = make_article(
        created_by=reporter, status=Status.DRAFT, publish_at=None, lead_image=None
    )
    panel = panel_of(login(client, reporter).get(change_url(article)).content.decode())
    assert "Bài chưa có ảnh đại diện" not in panel or "data-no-lead-photo hidden" in panel


def test_delete_is_a_quiet_link_under_the_form_apart_from_the_steps(client, editor, draft):
    page = login(client, editor).get(change_url(draft)).content.decode()
    assert 'class="deletelink"' not in page
    assert page.count("Xóa bài viết này…") == 1
    delete = page.index('<p class="quiet-delete">')
    assert delete > page.rindex('<div class="submit-row">') > page.index("</section>")
    assert page.index('href="/admin/articles/article/', delete) - delete < 60


def test_the_change_page_links_one_history(client, editor, draft):
    page = login(client, editor).get(change_url(draft)).content.decode()
    history = reverse("admin:articles_article_history", args=[draft.pk])
    assert f'<a href="{history}" class="historylink">Lịch sử bài viết</a>' in page
    assert page.count(f'href="{history}"') == 2  # the object tools and the panel
    assert "Bản ghi nhớ" not in page and "Các phiên bản" not in page


# Withdrawing through the admin ---------------------------------------------------------------


def test_reporter_withdraws_a_submission_from_its_page(client, reporter, draft):
    login(client, reporter)
    step(client, draft, "submit")
    page = client.get(change_url(draft)).content.decode()
    assert f'action="{workflow_url(draft, "withdraw")}"' in page
    assert "Rút về nháp</button>" in page
    response = step(client, draft, "withdraw")
    assert response.status_code == 302
    assert Article.objects.get(pk=draft.pk).status == Status.DRAFT
    page = client.get(response["Location"]).content.decode()
    assert "Đã rút “Bài của phóng viên” về nháp" in page
    assert "Gửi duyệt</button>" in page


def test_reporter_is_told_when_an_editor_has_taken_the_submission(client, reporter, editor, draft):
    step(login(client, reporter), draft, "submit")
    draft.refresh_from_db()
    login(client, editor).post(change_url(draft), edit_form(draft, title="BTV đã sửa"))
    page = login(client, reporter).get(change_url(draft)).content.decode()
    assert "Rút về nháp</button>" not in page
    assert "Biên tập viên đã nhận bài nên bạn không rút lại được nữa." in page
    response = step(client, draft, "withdraw")
    assert response.status_code == 302
    assert Article.objects.get(pk=draft.pk).status == Status.SUBMITTED


def test_an_editor_cannot_withdraw_a_reporters_submission(client, reporter, editor, draft):
    step(login(client, reporter), draft, "submit")
    login(client, editor)
    data = edit_form(Article.objects.get(pk=draft.pk), _workflow="withdraw")
    assert client.post(change_url(draft), data).status_code == 403
    assert Article.objects.get(pk=draft.pk).status == Status.SUBMITTED


# "Hẹn giờ gỡ": the unpublish time of an article readers see -----------------------------------

SET_UNPUBLISH = "set_unpublish_time"
UNPUBLISH_INPUT = "workflow-set_unpublish_time-unpublish_at"
SET_UNPUBLISH_FIELD = re.compile(r'<input id="wf-set-unpublish-at"[^>]*>')


def set_unpublish_form(article, typed, **fields):
    """The edit form posted by the "Hẹn giờ gỡ" button, with `typed` in its time input."""
    return edit_form(article, _workflow=SET_UNPUBLISH, **{UNPUBLISH_INPUT: typed}, **fields)


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_an_editor_sets_the_unpublish_time_of_a_live_article_from_its_panel(
    clock, client, editor, superuser, make_article, who
):
    article = make_article(publish_at=NOW - timedelta(hours=1))
    login(client, {"editor": editor, "superuser": superuser}[who])
    panel = panel_of(client.get(change_url(article)).content.decode())
    buttons = BUTTONS.findall(panel)
    assert "Hẹn giờ gỡ" in buttons and not {"Xuất bản", "Lên lịch xuất bản"} & set(buttons)
    field = SET_UNPUBLISH_FIELD.search(panel).group(0)
    assert f'name="{UNPUBLISH_INPUT}"' in field and 'form="article_form"' in field
    assert 'value=""' in field and 'data-time-kind="unpublish"' in field
    assert 'value="set_unpublish_time"' in panel

    data = set_unpublish_form(article, "06/11/2026 08:15")
    response = client.post(change_url(article), data, follow=True)
    assert messages_of(response) == [
        "Đã lưu bài. Đã hẹn giờ gỡ: bài tự gỡ khỏi trang lúc 06/11/2026 08:15:00."
    ]
    row = Article.objects.get(pk=article.pk)
    assert timezone.localtime(row.unpublish_at).isoformat() == "2026-11-06T08:15:00+07:00"
    assert (row.status, row.publish_at) == (Status.PUBLISHED, NOW - timedelta(hours=1))
    assert row.transitions.get().action == SET_UNPUBLISH
    # The panel now shows the time set, counting down, and offers to change it.
    panel = panel_of(response.content.decode())
    assert "Đổi giờ gỡ" in BUTTONS.findall(panel)
    assert 'value="06/11/2026 08:15"' in SET_UNPUBLISH_FIELD.search(panel).group(0)
    assert "Sẽ gỡ khỏi trang sau 22 giờ 45 phút" in panel
    assert "tự gỡ lúc 06/11/2026 08:15:00" in panel


def test_reporter_cannot_set_the_unpublish_time_even_by_crafted_post(
    clock, client, reporter, make_article, draft
):
    article = make_article(publish_at=NOW - timedelta(hours=1), created_by=reporter)
    login(client, reporter)
    page = client.get(change_url(article)).content.decode()
    assert "Hẹn giờ gỡ" not in BUTTONS.findall(page) and "wf-set-unpublish-at" not in page
    response = step(client, article, SET_UNPUBLISH, unpublish_at="06/11/2026 08:15")
    assert response.status_code == 403
    response = client.post(change_url(article), set_unpublish_form(article, "06/11/2026 08:15"))
    assert response.status_code == 403
    # Their own draft, which they may edit: the save is undone with the refused step.
    data = set_unpublish_form(draft, "06/11/2026 08:15", title="Sửa kèm bước trái phép")
    assert client.post(change_url(draft), data).status_code == 403
    row = Article.objects.get(pk=draft.pk)
    assert (row.title, row.unpublish_at) == ("Bài của phóng viên", None)
    assert not row.revisions.exists()
    assert Article.objects.get(pk=article.pk).unpublish_at is None
    assert not article.transitions.exists() and not draft.transitions.exists()


def test_setting_the_unpublish_time_from_an_older_page_is_refused(
    clock, client, editor, reporter, make_article
):
    article = make_article(publish_at=NOW - timedelta(hours=1))
    seen = article.version
    clock.shift(timedelta(seconds=15))
    Article.objects.filter(pk=article.pk).update(
        version=seen + 1, updated_by=reporter, updated_at=timezone.now()
    )
    login(client, editor)
    data = {"version": seen, "unpublish_at": "06/11/2026 08:15"}
    response = client.post(workflow_url(article, SET_UNPUBLISH), data, follow=True)
    (message,) = messages_of(response)
    assert "phongvien lưu lúc 05/11/2026 09:30:15" in message
    # The edit form from that older page is refused with the same reason, nothing saved.
    response = client.post(change_url(article), set_unpublish_form(article, "06/11/2026 08:15"))
    assert response.status_code == 200
    assert "vừa được phongvien lưu lúc" in response.content.decode()
    row = Article.objects.get(pk=article.pk)
    assert (row.unpublish_at, row.version) == (None, seen + 1)
    assert not row.transitions.exists()


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("05/11/2026 09:29", "Thời điểm gỡ bài đã qua: hãy chọn một thời điểm ở tương lai."),
        ("05/11/2026 09:30", "Thời điểm gỡ bài đã qua: hãy chọn một thời điểm ở tương lai."),
        (
            "31/11/2026 10:00",
            "Tự gỡ lúc “31/11/2026 10:00” chưa đúng dạng ngày/tháng/năm giờ:phút, "
            "ví dụ 05/11/2026 09:45.",
        ),
    ],
    ids=["past", "now", "unreadable"],
)
def test_a_past_unpublish_time_saves_nothing_and_keeps_what_was_typed(
    clock, client, editor, make_article, typed, error
):
    takedown = NOW + timedelta(hours=2)
    article = make_article(
        title="Tiêu đề cũ", publish_at=NOW - timedelta(hours=1), unpublish_at=takedown
    )
    login(client, editor)
    data = set_unpublish_form(article, typed, title="Tiêu đề đang sửa")
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(error) == 2  # above the form and beside the input
    assert "Bài chưa được lưu nên chưa hẹn giờ gỡ" in page
    assert 'value="Tiêu đề đang sửa"' in page
    assert f'value="{typed}"' in SET_UNPUBLISH_FIELD.search(page).group(0)
    row = Article.objects.get(pk=article.pk)
    assert (row.title, row.unpublish_at) == ("Tiêu đề cũ", takedown)
    assert not row.transitions.exists() and not row.revisions.exists()


def test_an_editor_clears_the_unpublish_time_by_leaving_it_empty(
    clock, client, editor, make_article
):
    article = make_article(
        publish_at=NOW - timedelta(hours=1), unpublish_at=NOW + timedelta(hours=2)
    )
    login(client, editor)
    panel = panel_of(client.get(change_url(article)).content.decode())
    assert "Đổi giờ gỡ" in BUTTONS.findall(panel)
    assert 'value="05/11/2026 11:30"' in SET_UNPUBLISH_FIELD.search(panel).group(0)
    assert "Sẽ gỡ khỏi trang sau 2 giờ" in panel
    response = client.post(change_url(article), set_unpublish_form(article, ""), follow=True)
    assert messages_of(response) == [
        "Đã lưu bài. Đã bỏ hẹn giờ gỡ: bài ở lại trang cho đến khi được gỡ."
    ]
    row = Article.objects.get(pk=article.pk)
    assert row.unpublish_at is None and row.is_live()
    assert row.transitions.get().note == "Bỏ hẹn giờ gỡ (trước đó: 05/11/2026 11:30:00)."
    assert "Hẹn giờ gỡ" in BUTTONS.findall(panel_of(response.content.decode()))


def test_readers_lose_the_article_at_the_second_set_in_the_panel(
    clock, client, editor, make_article
):
    from django.core.management import call_command
    from django.test import Client

    article = make_article(publish_at=NOW - timedelta(hours=1))
    reader, address = Client(), article.get_absolute_url()
    assert reader.get(address).status_code == 200  # and kept in the page cache
    login(client, editor).post(
        change_url(article), set_unpublish_form(article, "05/11/2026 09:40:15")
    )
    takedown = NOW + timedelta(minutes=10, seconds=15)
    assert Article.objects.get(pk=article.pk).unpublish_at == takedown
    clock.move_to(takedown - timedelta(seconds=1))
    assert reader.get(address).status_code == 200
    assert article in Article.objects.live()
    clock.move_to(takedown)
    assert article not in Article.objects.live()
    call_command("refresh_published", stdout=StringIO())  # the minute job: pages built before go
    assert reader.get(address).status_code == 404


def test_a_scheduled_article_keeps_its_times_when_it_is_moved(clock, client, editor, make_article):
    article = make_article(publish_at=NOW + timedelta(days=1), unpublish_at=NOW + timedelta(days=2))
    login(client, editor)
    panel = panel_of(client.get(change_url(article)).content.decode())
    # "Đổi lịch xuất bản" carries the unpublish time: one way, not two.
    assert "Hẹn giờ gỡ" not in BUTTONS.findall(panel) and "wf-set-unpublish-at" not in panel
    fields = {
        name: re.search(rf'<input id="{name}"[^>]*value="([^"]*)"', panel).group(1)
        for name in ["wf-publish-at", "wf-schedule-unpublish-at", "wf-unpublish-at"]
    }
    assert fields == {
        "wf-publish-at": "06/11/2026 09:30",
        "wf-schedule-unpublish-at": "07/11/2026 09:30",
        "wf-unpublish-at": "07/11/2026 09:30",
    }
    data = edit_form(
        article,
        _workflow="schedule",
        **{
            "workflow-schedule-publish_at": fields["wf-publish-at"],
            "workflow-schedule-unpublish_at": "08/11/2026 09:30",
        },
    )
    client.post(change_url(article), data)
    row = Article.objects.get(pk=article.pk)
    assert row.publish_at == NOW + timedelta(days=1)
    assert row.unpublish_at == NOW + timedelta(days=3)
