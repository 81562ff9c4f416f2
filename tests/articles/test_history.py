"""An article's one history: steps, saves (what each changed) and corrections, newest first."""

import json
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import workflow
from articles.admin.history import describe_change
from articles.models import Article, Revision
from tests.articles.test_admin import article_form
from tests.articles.test_workflow_admin import change_url, edit_form, login
from tests.conftest import NOW

Status = Article.Status

# A body with a captioned photo as Article.save() stores it, and as the body editor posts it
# back untouched: the same content, written the editor's way.
STORED_BODY = (
    '<p>Đoạn mở đầu.</p>\n\n<figure class="image"><img loading="lazy" decoding="async" alt="Ảnh" '
    'height="10" src="/media/uploads/a.jpg" width="20">\n<figcaption>Chú thích</figcaption>\n'
    "</figure>"
)
EDITOR_BODY = (
    '<p>Đoạn mở đầu.</p>\r\n\r\n<figure class="image"><img alt="Ảnh" decoding="async" '
    'height="10" loading="lazy" src="/media/uploads/a.jpg" width="20" />\r\n'
    "<figcaption>Chú thích</figcaption>\r\n</figure>\r\n"
)


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def timeline_of(response):
    page = response.content.decode()
    return page[page.index('<ol class="timeline"') : page.index("</ol>")]


def latest_change(article):
    entry = LogEntry.objects.filter(object_id=str(article.pk)).latest("action_time", "pk")
    return json.loads(entry.change_message)


@pytest.fixture
def photo_draft(draft):
    Article.objects.filter(pk=draft.pk).update(body=STORED_BODY)
    draft.refresh_from_db()
    assert draft.body == STORED_BODY
    return draft


def test_a_title_edit_is_not_a_body_change(client, editor, photo_draft):
    login(client, editor)
    data = edit_form(photo_draft, title="Tiêu đề mới", body=EDITOR_BODY)
    assert client.post(change_url(photo_draft), data).status_code == 302
    row = Article.objects.get(pk=photo_draft.pk)
    assert row.body == STORED_BODY and row.title == "Tiêu đề mới"
    revision = row.revisions.first()
    assert latest_change(row) == [
        {"changed": {"fields": ["Tiêu đề"]}},
        {"revision": revision.pk},
    ]
    entries = timeline_of(client.get(history_url(row)))
    assert "Sửa tiêu đề" in entries and "nội dung" not in entries


def test_a_body_edit_is_named_as_one(client, editor, photo_draft):
    login(client, editor)
    body = EDITOR_BODY.replace("Đoạn mở đầu.", "Đoạn mở đầu đã sửa.")
    client.post(change_url(photo_draft), edit_form(photo_draft, body=body))
    (changed, revision) = latest_change(photo_draft)
    assert changed == {"changed": {"fields": ["Nội dung"]}}
    assert revision == {"revision": photo_draft.revisions.first().pk}


def test_a_save_that_changes_nothing_says_so_and_records_no_revision(client, editor, photo_draft):
    kept = workflow.record_revision(photo_draft, by=editor)
    login(client, editor)
    client.post(change_url(photo_draft), edit_form(photo_draft, body=EDITOR_BODY))
    assert latest_change(photo_draft) == [{"revision": None}]
    assert list(photo_draft.revisions.all()) == [kept]
    assert "Lưu bài" not in timeline_of(client.get(history_url(photo_draft)))


def test_the_history_tells_steps_saves_and_corrections_newest_first(
    clock, client, reporter, editor, section, author
):
    editor.first_name, editor.last_name = "Minh", "Trần"
    editor.save()
    form = article_form(section, author, None, title="Bài mới viết")
    login(client, reporter).post(reverse("admin:articles_article_add"), form)
    article = Article.objects.get()
    clock.shift(timedelta(minutes=5))
    client.post(change_url(article), edit_form(article, sapo="Sapo viết lại.", _workflow="submit"))
    clock.shift(timedelta(minutes=5))
    article.refresh_from_db()
    login(client, editor).post(
        change_url(article),
        edit_form(article, title="Tiêu đề biên tập lại", _workflow="publish"),
    )
    clock.shift(timedelta(minutes=5))
    article.refresh_from_db()
    note = {"workflow-correct-note": "Sửa chức danh ông A."}
    client.post(change_url(article), edit_form(article, _workflow="correct", **note))
    page = client.get(history_url(article)).content.decode()
    timeline = timeline_of(client.get(history_url(article)))
    newest_first = [
        "05/11/2026 09:45:00", "Minh Trần", "Đính chính", "Sửa chức danh ông A.",
        "05/11/2026 09:40:00", "Minh Trần", "Xuất bản", "Chờ duyệt → Đã xuất bản",
        "05/11/2026 09:40:00", "Minh Trần", "Lưu bài", "Sửa tiêu đề",
        "05/11/2026 09:35:00", "phongvien", "Gửi duyệt", "Bản nháp → Chờ duyệt",
        "05/11/2026 09:35:00", "phongvien", "Lưu bài", "Sửa sapo",
        "05/11/2026 09:30:00", "phongvien", "Tạo bài",
    ]  # fmt: skip
    at = 0
    for text in newest_first:
        at = timeline.index(text, at) + len(text)
    assert (
        timeline.count('<li class="timeline__entry') == 6
    )  # the correction's save changed nothing
    revisions = list(Revision.objects.filter(article=article).order_by("created_at"))
    assert len(revisions) == 3  # as created, the sapo, the title
    compare = reverse("admin:articles_article_revisions", args=[article.pk])
    for older, newer in zip(revisions, revisions[1:], strict=False):
        assert f"{compare}?a={older.pk}&amp;b={newer.pk}" in timeline
    assert "Không có trường nào thay đổi" not in page and "02:3" not in timeline


def test_a_restore_links_the_revision_it_made(clock, client, editor, draft):
    first = workflow.record_revision(draft, by=editor)
    clock.shift(timedelta(minutes=1))
    draft.title = "Tiêu đề khác"
    draft.save()
    workflow.record_revision(draft, by=editor)
    clock.shift(timedelta(minutes=1))
    workflow.restore_revision(draft, first, by=editor)
    page = login(client, editor).get(history_url(draft)).content.decode()
    restored = page[page.index("Khôi phục phiên bản") :]
    assert "So sánh với bản trước" in restored[: restored.index("</li>")]
    assert page.count("Lưu phiên bản") == 2  # the two revisions recorded outside a form


def test_old_free_text_and_unknown_parts_are_read_safely():
    assert describe_change("Đã sửa vài chỗ.") == (["Đã sửa vài chỗ."], None, False)
    assert describe_change("[not json") == (["[not json"], None, False)
    assert describe_change('[1, {"revision": "x"}, {"changed": {}}]') == ([], None, True)
    assert describe_change('[{"revision": 7}]') == ([], 7, True)
    assert describe_change(
        '[{"added": {"name": "Tác giả", "object": "Hải Nhi"}}, {"deleted": {"name": "thẻ", '
        '"object": "Bão"}}, {"changed": {"name": "tác giả", "object": "A", "fields": ["Thứ tự"]}}]'
    ) == (
        ["Thêm tác giả “Hải Nhi”", "Bỏ thẻ “Bão”", "Sửa thứ tự của tác giả “A”"],
        None,
        False,
    )


def test_an_article_made_outside_the_admin_still_shows_its_creation(client, editor, draft):
    page = login(client, editor).get(history_url(draft)).content.decode()
    assert "Tạo bài" in page


def test_the_history_costs_the_same_queries_however_long(clock, client, editor, draft):
    login(client, editor)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(history_url(draft)).status_code == 200
        return len(captured)

    client.get(history_url(draft))  # content types and sessions warmed
    short = queries()
    for number in range(6):
        clock.shift(timedelta(minutes=1))
        draft.refresh_from_db()
        client.post(change_url(draft), edit_form(draft, title=f"Tiêu đề {number}"))
        workflow.set_featured(draft, by=editor, featured=number % 2 == 0)
    assert queries() == short


def test_a_reporter_reads_the_history_of_their_own_articles_only(
    client, reporter, other_reporter, draft
):
    assert login(client, reporter).get(history_url(draft)).status_code == 200
    response = login(client, other_reporter).get(history_url(draft))
    assert response.status_code in (302, 403, 404)
    assert "Bài của phóng viên" not in response.content.decode()


def test_the_old_revisions_list_leads_to_the_history(client, editor, draft):
    url = reverse("admin:articles_article_revisions", args=[draft.pk])
    login(client, editor)
    for query in ["", "?a=1", "?b=abc", "?b=999999"]:
        response = client.get(url + query)
        assert response.status_code == 302
        assert response["Location"] == history_url(draft)


def test_the_first_revision_is_shown_on_its_own(client, editor, draft):
    revision = workflow.record_revision(draft, by=editor)
    url = reverse("admin:articles_article_revisions", args=[draft.pk])
    page = login(client, editor).get(url, {"b": revision.pk}).content.decode()
    assert "Phiên bản đầu tiên" in page
    assert "<ins>Bài của phóng viên</ins>" in page


def test_the_history_shows_each_unpublish_time_set_and_cleared(clock, client, editor, make_article):
    article = make_article(publish_at=NOW - timedelta(hours=1))
    workflow.record_revision(article, by=editor)  # as published: the button's saves add none
    login(client, editor)
    unpublish = "workflow-set_unpublish_time-unpublish_at"
    for typed in ["06/11/2026 08:15", ""]:
        article.refresh_from_db()
        data = edit_form(article, _workflow="set_unpublish_time", **{unpublish: typed})
        client.post(change_url(article), data)
        clock.shift(timedelta(minutes=5))
    timeline = timeline_of(client.get(history_url(article)))
    newest_first = [
        "05/11/2026 09:35:00", "bientap", "Hẹn giờ gỡ",
        "Bỏ hẹn giờ gỡ (trước đó: 06/11/2026 08:15:00).",
        "05/11/2026 09:30:00", "bientap", "Hẹn giờ gỡ",
        "Tự gỡ lúc 06/11/2026 08:15:00 (trước đó: không hẹn giờ gỡ).",
    ]  # fmt: skip
    at = 0
    for text in newest_first:
        at = timeline.index(text, at) + len(text)
    # The button's save changed nothing, and the state stayed: only the steps are told.
    assert timeline.count('<li class="timeline__entry') == 4  # and the revision, the creation
    assert "→" not in timeline
