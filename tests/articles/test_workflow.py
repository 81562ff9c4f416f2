"""articles/workflow.py: every step, who may take it, and what it records."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from articles import workflow
from articles.models import (
    Article,
    Correction,
    DeletedArticle,
    PreviewGrant,
    Revision,
    Transition,
)
from newsroom.pagecache import content_version
from tests.conftest import NOW

Status = Article.Status
Action = Transition.Action


def steps(article):
    return list(
        article.transitions.order_by("at", "pk").values_list("action", "from_status", "to_status")
    )


def test_reporter_submits_own_draft_and_it_is_recorded(clock, draft, reporter):
    workflow.submit(draft, by=reporter)
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert draft.submitted_at == NOW
    transition = draft.transitions.get()
    assert (transition.action, transition.from_status, transition.to_status) == (
        Action.SUBMIT,
        Status.DRAFT,
        Status.SUBMITTED,
    )
    assert transition.by == reporter and transition.at == NOW


def test_reporter_cannot_submit_someone_elses_draft(draft, other_reporter):
    with pytest.raises(PermissionDenied):
        workflow.submit(draft, by=other_reporter)
    assert Article.objects.get(pk=draft.pk).status == Status.DRAFT


@pytest.mark.parametrize(
    "step",
    [
        lambda a, u: workflow.publish(a, by=u),
        lambda a, u: workflow.publish(a, by=u, at=NOW + timedelta(hours=1)),
        lambda a, u: workflow.unpublish(a, by=u),
        lambda a, u: workflow.return_to_reporter(a, by=u, note="Sửa lại"),
        lambda a, u: workflow.set_featured(a, by=u, featured=True),
        lambda a, u: workflow.correct(a, by=u, note="Sửa tên"),
    ],
    ids=["publish", "schedule", "unpublish", "return", "feature", "correct"],
)
def test_reporter_cannot_take_editor_steps(clock, make_article, reporter, step):
    article = make_article(created_by=reporter, status=Status.SUBMITTED)
    before = (article.status, article.publish_at, article.is_featured)
    with pytest.raises(PermissionDenied):
        step(article, reporter)
    article.refresh_from_db()
    assert (article.status, article.publish_at, article.is_featured) == before
    assert not article.transitions.exists()
    assert not Correction.objects.exists()


def test_editor_returns_with_a_note_and_the_reporter_can_edit_again(draft, reporter, editor):
    workflow.submit(draft, by=reporter)
    assert not workflow.can_edit(reporter, draft)
    workflow.return_to_reporter(draft, by=editor, note="Thiếu nguồn tin ở đoạn hai.")
    assert draft.status == Status.RETURNED
    assert draft.transitions.first().note == "Thiếu nguồn tin ở đoạn hai."
    assert workflow.can_edit(reporter, draft)
    workflow.submit(draft, by=reporter)
    assert steps(draft) == [
        (Action.SUBMIT, Status.DRAFT, Status.SUBMITTED),
        (Action.RETURN, Status.SUBMITTED, Status.RETURNED),
        (Action.SUBMIT, Status.RETURNED, Status.SUBMITTED),
    ]


def test_return_needs_a_note_and_a_submitted_article(draft, reporter, editor):
    with pytest.raises(ValidationError):
        workflow.return_to_reporter(draft, by=editor, note="Sửa lại")
    workflow.submit(draft, by=reporter)
    with pytest.raises(ValidationError):
        workflow.return_to_reporter(draft, by=editor, note="   ")
    assert Article.objects.get(pk=draft.pk).status == Status.SUBMITTED


def test_editor_publishes_now(clock, draft, reporter, editor):
    workflow.submit(draft, by=reporter)
    workflow.publish(draft, by=editor)
    assert draft.status == Status.PUBLISHED and draft.publish_at == NOW
    assert draft.is_live()
    assert steps(draft)[-1] == (Action.PUBLISH, Status.SUBMITTED, Status.PUBLISHED)


def test_scheduled_article_goes_live_at_its_second_with_no_job(clock, draft, editor):
    at = NOW + timedelta(minutes=1, seconds=30)
    workflow.publish(draft, by=editor, at=at)
    assert draft.transitions.get().action == Action.SCHEDULE
    assert draft.transitions.get().publish_at == at
    clock.move_to(at - timedelta(seconds=1))
    assert not Article.objects.live().filter(pk=draft.pk).exists()
    clock.move_to(at)
    assert Article.objects.live().filter(pk=draft.pk).exists()


def test_unpublish_time_takes_it_down_on_its_own(clock, draft, editor):
    workflow.publish(draft, by=editor, unpublish_at=NOW + timedelta(hours=2))
    assert Article.objects.live().filter(pk=draft.pk).exists()
    clock.move_to(NOW + timedelta(hours=2))
    assert not Article.objects.live().filter(pk=draft.pk).exists()


@pytest.mark.parametrize(
    ("at", "unpublish_at"),
    [(NOW - timedelta(seconds=1), None), (NOW, None), (None, NOW - timedelta(hours=1))],
    ids=["past", "now", "unpublish-before-publish"],
)
def test_schedule_times_must_make_sense(clock, draft, editor, at, unpublish_at):
    with pytest.raises(ValidationError):
        workflow.publish(draft, by=editor, at=at, unpublish_at=unpublish_at)
    assert Article.objects.get(pk=draft.pk).status == Status.DRAFT


def test_editor_unpublishes_and_it_disappears(clock, make_article, editor):
    article = make_article()
    workflow.unpublish(article, by=editor, note="Thông tin chưa được kiểm chứng.")
    assert not Article.objects.live().filter(pk=article.pk).exists()
    assert steps(article) == [(Action.UNPUBLISH, Status.PUBLISHED, Status.UNPUBLISHED)]
    with pytest.raises(ValidationError):
        workflow.unpublish(article, by=editor)


def test_editor_features_and_unfeatures(make_article, editor):
    article = make_article()
    workflow.set_featured(article, by=editor, featured=True)
    assert Article.objects.featured().filter(pk=article.pk).exists()
    workflow.set_featured(article, by=editor, featured=False)
    assert [s[0] for s in steps(article)] == [Action.FEATURE, Action.UNFEATURE]


def test_correction_is_dated_listed_and_moves_date_modified(clock, make_article, editor, client):
    article = make_article(publish_at=NOW - timedelta(days=1))
    clock.shift(timedelta(hours=3))
    workflow.correct(article, by=editor, note="Sửa lại chức danh của ông A.")
    article.refresh_from_db()
    assert article.last_modified == NOW + timedelta(hours=3)
    content = client.get(article.get_absolute_url()).content.decode()
    assert "Sửa lại chức danh của ông A." in content
    assert "Thứ Năm, 05/11/2026 12:30 (GMT+7)" in content
    with pytest.raises(ValidationError):
        workflow.correct(article, by=editor, note="")


def test_cannot_correct_an_unpublished_article(draft, editor):
    with pytest.raises(ValidationError):
        workflow.correct(draft, by=editor, note="Sửa")


def test_reporter_cannot_edit_after_submitting_or_publishing(draft, reporter, editor):
    assert workflow.can_edit(reporter, draft)
    workflow.submit(draft, by=reporter)
    assert not workflow.can_edit(reporter, draft)
    workflow.publish(draft, by=editor)
    assert not workflow.can_edit(reporter, draft)
    assert workflow.can_edit(editor, draft)


def test_revisions_are_kept_and_restored(draft, reporter):
    workflow.record_revision(draft, by=reporter)
    workflow.record_revision(draft, by=reporter)  # nothing changed: no new revision
    assert draft.revisions.count() == 1
    first = draft.revisions.get()
    draft.title, draft.body = "Tiêu đề mới", "<p>Nội dung mới.</p>"
    draft.save()
    workflow.record_revision(draft, by=reporter)
    workflow.restore_revision(draft, first, by=reporter)
    draft.refresh_from_db()
    assert draft.title == "Bài của phóng viên"
    assert draft.revisions.count() == 3
    assert steps(draft)[-1][0] == Action.RESTORE


def test_restoring_needs_the_right_to_edit(draft, reporter, other_reporter):
    revision = Revision.objects.create(article=draft, title="x", sapo="y", body="z")
    with pytest.raises(PermissionDenied):
        workflow.restore_revision(draft, revision, by=other_reporter)


# Every step, with the fields of an article it may be taken on, and the step taken by whom may
# take it (`people`: reporter, editor, superuser). Each changes what readers may see (the article
# appears, goes, moves in or out of "Tin nổi bật", reads differently), except submit and return,
# which the README's rule ("each workflow step" moves the content version on) covers as well.
PUBLISHED = {"status": Status.PUBLISHED}
ANNOUNCING_STEPS = {
    "submit": (
        {"status": Status.DRAFT},
        lambda a, people: workflow.submit(a, by=people["reporter"]),
    ),
    "return": (
        {"status": Status.SUBMITTED},
        lambda a, people: workflow.return_to_reporter(a, by=people["editor"], note="Thiếu nguồn."),
    ),
    "publish": (
        {"status": Status.SUBMITTED},
        lambda a, people: workflow.publish(a, by=people["editor"]),
    ),
    "schedule": (
        {"status": Status.SUBMITTED},
        lambda a, people: workflow.publish(a, by=people["editor"], at=NOW + timedelta(hours=1)),
    ),
    "schedule-a-scheduled-article-later": (
        {**PUBLISHED, "publish_at": NOW + timedelta(minutes=30)},
        lambda a, people: workflow.publish(a, by=people["editor"], at=NOW + timedelta(hours=1)),
    ),
    "withdraw": (
        {"status": Status.SUBMITTED},
        lambda a, people: workflow.withdraw(a, by=people["reporter"]),
    ),
    "unpublish": (PUBLISHED, lambda a, people: workflow.unpublish(a, by=people["editor"])),
    "set_unpublish_time": (
        PUBLISHED,
        lambda a, people: workflow.set_unpublish_time(
            a, by=people["editor"], unpublish_at=NOW + timedelta(hours=2)
        ),
    ),
    "set_unpublish_time-cleared": (
        {**PUBLISHED, "unpublish_at": NOW + timedelta(hours=2)},
        lambda a, people: workflow.set_unpublish_time(a, by=people["editor"], unpublish_at=None),
    ),
    "feature": (
        PUBLISHED,
        lambda a, people: workflow.set_featured(a, by=people["editor"], featured=True),
    ),
    "unfeature": (
        {**PUBLISHED, "is_featured": True},
        lambda a, people: workflow.set_featured(a, by=people["editor"], featured=False),
    ),
    "correct": (
        PUBLISHED,
        lambda a, people: workflow.correct(a, by=people["editor"], note="Sửa tên."),
    ),
    "restore": (
        PUBLISHED,
        lambda a, people: workflow.restore_revision(a, a.revisions.last(), by=people["editor"]),
    ),
    "delete": (PUBLISHED, lambda a, people: workflow.delete_article(a, by=people["superuser"])),
}


@pytest.mark.parametrize("name", list(ANNOUNCING_STEPS))
def test_each_step_announces_a_content_change_once_committed(
    clock, make_article, reporter, editor, superuser, django_capture_on_commit_callbacks, name
):
    fields, step = ANNOUNCING_STEPS[name]
    article = make_article(
        **{"created_by": reporter, "publish_at": NOW - timedelta(days=1), **fields}
    )
    Revision.objects.create(article=article, title="Bản cũ", sapo="x", body="<p>y</p>")
    before = content_version()
    with django_capture_on_commit_callbacks() as after_commit:
        step(article, {"reporter": reporter, "editor": editor, "superuser": superuser})
    # Not before the commit: a reader asking in between would store the old page under the
    # new version.
    assert content_version() == before
    for callback in after_commit:
        callback()
    assert content_version() > before


def test_every_workflow_step_is_in_the_announcing_table():
    """A step added to the workflow is added to ANNOUNCING_STEPS too."""
    taken = {name.split("-")[0] for name in ANNOUNCING_STEPS}
    assert {*Action.values, "delete"} <= taken


def test_refresh_command_notices_scheduled_times_and_is_idempotent(clock, draft, editor):
    workflow.publish(draft, by=editor, at=NOW + timedelta(seconds=30))
    out = StringIO()
    call_command("refresh_published", stdout=out)
    assert out.getvalue().startswith("0 bài")
    clock.shift(timedelta(minutes=1))
    before = content_version()
    call_command("refresh_published", stdout=out)
    assert "1 bài" in out.getvalue()
    assert content_version() == before + 1
    call_command("refresh_published", stdout=out)
    assert content_version() == before + 1


# Publish what was reviewed ---------------------------------------------------------------------

EVERY_STEP = {
    "submit": lambda a, u, v: workflow.submit(a, by=u, version=v),
    "return": lambda a, u, v: workflow.return_to_reporter(a, by=u, note="Sửa lại", version=v),
    "publish": lambda a, u, v: workflow.publish(a, by=u, version=v),
    "schedule": lambda a, u, v: workflow.publish(a, by=u, at=NOW + timedelta(hours=1), version=v),
    "unpublish": lambda a, u, v: workflow.unpublish(a, by=u, version=v),
    "feature": lambda a, u, v: workflow.set_featured(a, by=u, featured=True, version=v),
    "correct": lambda a, u, v: workflow.correct(a, by=u, note="Sửa tên", version=v),
    "restore": lambda a, u, v: workflow.restore_revision(a, a.revisions.last(), by=u, version=v),
    "withdraw": lambda a, u, v: workflow.withdraw(a, by=u, version=v),
    "set_unpublish_time": lambda a, u, v: workflow.set_unpublish_time(
        a, by=u, unpublish_at=NOW + timedelta(hours=3), version=v
    ),
}
# The state each step may be taken from.
STEP_FROM = {
    "submit": Status.DRAFT,
    "return": Status.SUBMITTED,
    "publish": Status.SUBMITTED,
    "schedule": Status.SUBMITTED,
    "withdraw": Status.SUBMITTED,
}


def saved_behind(article, *, by, **fields):
    """Someone else saves the article after `article` was read: its version moves."""
    Article.objects.filter(pk=article.pk).update(
        version=F("version") + 1, updated_by=by, updated_at=timezone.now(), **fields
    )


def snapshot(article):
    row = Article.objects.get(pk=article.pk)
    return {
        "row": (row.status, row.title, row.publish_at, row.is_featured, row.version),
        "steps": list(row.transitions.values_list("pk", flat=True)),
        "corrections": Correction.objects.count(),
        "revisions": row.revisions.count(),
    }


@pytest.mark.parametrize("name", list(EVERY_STEP))
def test_a_step_from_an_older_version_is_refused_naming_who_saved_and_when_and_changes_nothing(
    clock, make_article, editor, name
):
    article = make_article(
        status=STEP_FROM.get(name, Status.PUBLISHED),
        publish_at=NOW - timedelta(days=1),
        created_by=editor,  # who may withdraw it: whoever wrote and submitted it
    )
    Revision.objects.create(article=article, title="Bản cũ", sapo="x", body="<p>y</p>")
    seen = article.version
    clock.shift(timedelta(minutes=5))
    saved_behind(article, by=editor, title="Tiêu đề vừa sửa")
    before = snapshot(article)
    with pytest.raises(ValidationError) as refused:
        EVERY_STEP[name](article, editor, seen)
    assert refused.value.code == "stale"
    # NOW + 5 minutes, in Hà Nội time.
    assert "bientap lưu lúc 05/11/2026 09:35:00" in refused.value.messages[0]
    assert snapshot(article) == before


@pytest.mark.parametrize("name", list(EVERY_STEP))
def test_a_step_with_the_version_seen_is_taken(clock, make_article, editor, name):
    article = make_article(
        status=STEP_FROM.get(name, Status.PUBLISHED),
        publish_at=NOW - timedelta(days=1),
        created_by=editor,  # who may withdraw it: whoever wrote and submitted it
    )
    Revision.objects.create(article=article, title="Bản cũ", sapo="x", body="<p>y</p>")
    EVERY_STEP[name](article, editor, article.version)
    assert article.transitions.count() == 1


def test_a_step_writes_only_its_own_fields_not_what_it_read_earlier(clock, draft, reporter):
    stale_copy = Article.objects.get(pk=draft.pk)
    Article.objects.filter(pk=draft.pk).update(title="Tiêu đề sửa sau", sapo="Sapo sửa sau")
    workflow.submit(stale_copy, by=reporter)
    row = Article.objects.get(pk=draft.pk)
    assert (row.title, row.sapo, row.status) == ("Tiêu đề sửa sau", "Sapo sửa sau", "submitted")
    # The caller's copy is brought up to date with the row.
    assert (stale_copy.title, stale_copy.status) == ("Tiêu đề sửa sau", Status.SUBMITTED)


def test_the_version_moves_in_the_database_not_by_read_add_save(clock, draft, reporter, editor):
    stale_copy = Article.objects.get(pk=draft.pk)
    for _ in range(3):
        saved_behind(draft, by=editor)
    workflow.submit(stale_copy, by=reporter)  # no version given: a script, not the admin
    assert Article.objects.get(pk=draft.pk).version == draft.version + 4
    assert stale_copy.version == draft.version + 4


def test_featuring_leaves_the_content_version_and_last_editor_alone(make_article, editor, reporter):
    article = make_article(updated_by=reporter)
    workflow.set_featured(article, by=editor, featured=True)
    row = Article.objects.get(pk=article.pk)
    assert row.is_featured and row.version == article.version == 1
    assert row.updated_by == reporter


# Deleting ---------------------------------------------------------------------------------------


def test_deleting_keeps_a_record_with_the_history_that_outlives_the_row(
    clock, draft, reporter, editor, superuser, django_capture_on_commit_callbacks
):
    workflow.submit(draft, by=reporter)
    workflow.publish(draft, by=editor)
    pk, slug = draft.pk, draft.slug
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        record = workflow.delete_article(draft, by=superuser)
    assert content_version() > before
    assert not Article.objects.filter(pk=pk).exists()
    assert not Transition.objects.filter(article_id=pk).exists()
    record = DeletedArticle.objects.get(pk=record.pk)
    assert (record.article_id, record.title, record.slug) == (pk, draft.title, slug)
    assert (record.status, record.publish_at, record.deleted_by) == (
        Status.PUBLISHED,
        NOW,
        superuser,
    )
    assert [(s["action"], s["from_status"], s["to_status"], s["by"]) for s in record.history] == [
        ("submit", "draft", "submitted", "phongvien"),
        ("publish", "submitted", "published", "bientap"),
    ]
    assert record.history[0]["at"] == NOW.isoformat()


@pytest.mark.parametrize(
    ("role", "status", "allowed"),
    [
        ("reporter", Status.DRAFT, False),
        ("editor", Status.DRAFT, True),
        ("editor", Status.SUBMITTED, True),
        ("editor", Status.PUBLISHED, False),
        ("editor", Status.UNPUBLISHED, False),
        ("superuser", Status.PUBLISHED, True),
        ("superuser", Status.UNPUBLISHED, True),
    ],
)
def test_only_a_superuser_deletes_what_was_ever_published(
    make_article, reporter, editor, superuser, role, status, allowed
):
    people = {"reporter": reporter, "editor": editor, "superuser": superuser}
    article = make_article(status=status, created_by=reporter)
    assert workflow.can_delete(people[role], article) is allowed
    if allowed:
        workflow.delete_article(article, by=people[role])
    else:
        with pytest.raises(PermissionDenied):
            workflow.delete_article(article, by=people[role])
    assert Article.objects.filter(pk=article.pk).exists() is not allowed
    assert DeletedArticle.objects.exists() is allowed


# Which steps each person is offered, in each state ----------------------------------------------

SOON, EARLIER = NOW + timedelta(hours=2), NOW - timedelta(hours=2)
STATES = {
    "draft": {"status": Status.DRAFT, "publish_at": None},
    "returned": {"status": Status.RETURNED, "publish_at": None},
    "submitted": {"status": Status.SUBMITTED, "publish_at": None},
    "scheduled": {"status": Status.PUBLISHED, "publish_at": SOON},
    "live": {"status": Status.PUBLISHED, "publish_at": EARLIER},
    "expired": {"status": Status.PUBLISHED, "publish_at": EARLIER, "unpublish_at": NOW},
    "unpublished": {"status": Status.UNPUBLISHED, "publish_at": EARLIER},
}
A = Action
OFFERED = {
    # state: (the reporter who wrote it, an editor)
    "draft": ([A.SUBMIT], [A.SUBMIT, A.PUBLISH, A.SCHEDULE, A.FEATURE]),
    "returned": ([A.SUBMIT], [A.SUBMIT, A.PUBLISH, A.SCHEDULE, A.FEATURE]),
    "submitted": ([A.WITHDRAW], [A.RETURN, A.PUBLISH, A.SCHEDULE, A.FEATURE]),
    "scheduled": ([], [A.PUBLISH, A.SCHEDULE, A.UNPUBLISH, A.FEATURE, A.CORRECT]),
    "live": ([], [A.SET_UNPUBLISH_TIME, A.UNPUBLISH, A.FEATURE, A.CORRECT]),
    "expired": ([], [A.PUBLISH, A.SCHEDULE, A.UNPUBLISH, A.FEATURE, A.CORRECT]),
    "unpublished": ([], [A.PUBLISH, A.SCHEDULE, A.FEATURE]),
}


@pytest.mark.parametrize("state", list(STATES))
def test_each_person_is_offered_the_steps_of_the_state(
    clock, make_article, reporter, other_reporter, editor, superuser, state
):
    article = make_article(created_by=reporter, **STATES[state])
    for_reporter, for_editor = OFFERED[state]
    assert workflow.available_actions(reporter, article) == for_reporter
    assert workflow.available_actions(editor, article) == for_editor
    assert workflow.available_actions(superuser, article) == for_editor
    assert workflow.available_actions(other_reporter, article) == []


@pytest.mark.parametrize("state", ["live"])
def test_an_article_readers_see_is_not_published_again(clock, make_article, editor, state):
    article = make_article(**STATES[state])
    for at in [None, NOW + timedelta(hours=1)]:
        with pytest.raises(ValidationError) as refused:
            workflow.publish(article, by=editor, at=at)
        assert refused.value.code == "wrong_state"
    row = Article.objects.get(pk=article.pk)
    assert row.publish_at == EARLIER and not row.transitions.exists()


@pytest.mark.parametrize("state", ["scheduled", "expired", "unpublished"])
def test_an_article_readers_do_not_see_may_be_published_now(clock, make_article, editor, state):
    article = make_article(**STATES[state])
    workflow.publish(article, by=editor)
    assert article.is_live() and article.publish_at == NOW


# A reporter withdraws their submission ------------------------------------------------------


@pytest.fixture
def submitted(clock, draft, reporter):
    workflow.submit(draft, by=reporter)
    clock.shift(timedelta(minutes=10))
    return draft


def test_reporter_withdraws_a_submission_no_editor_has_taken(clock, submitted, reporter):
    assert workflow.may_withdraw(reporter, submitted)
    workflow.withdraw(submitted, by=reporter, version=submitted.version)
    row = Article.objects.get(pk=submitted.pk)
    assert row.status == Status.DRAFT and row.submitted_at is None
    assert steps(row)[-1] == (Action.WITHDRAW, Status.SUBMITTED, Status.DRAFT)
    assert row.transitions.first().by == reporter
    assert workflow.can_edit(reporter, row)


def test_withdrawing_from_an_older_page_is_refused(clock, submitted, reporter, editor):
    seen = submitted.version
    saved_behind(submitted, by=reporter)
    with pytest.raises(ValidationError) as refused:
        workflow.withdraw(submitted, by=reporter, version=seen)
    assert refused.value.code == "stale"
    assert Article.objects.get(pk=submitted.pk).status == Status.SUBMITTED


TAKING = {
    "an editor saved it": lambda article, editor: saved_behind(article, by=editor),
    "an editor featured it": lambda article, editor: workflow.set_featured(
        article, by=editor, featured=True
    ),
    "an editor made a preview link": lambda article, editor: PreviewGrant.objects.create(
        article=article, token="t" * 40, created_by=editor, expires_at=NOW + timedelta(days=1)
    ),
}


@pytest.mark.parametrize("taking", list(TAKING))
def test_reporter_cannot_withdraw_once_an_editor_has_taken_it(
    clock, submitted, reporter, editor, taking
):
    TAKING[taking](submitted, editor)
    article = Article.objects.get(pk=submitted.pk)
    assert workflow.is_taken(article)
    assert not workflow.may_withdraw(reporter, article)
    assert Action.WITHDRAW not in workflow.available_actions(reporter, article)
    with pytest.raises(ValidationError) as refused:
        workflow.withdraw(article, by=reporter)
    assert refused.value.code == "taken"
    assert Article.objects.get(pk=submitted.pk).status == Status.SUBMITTED


def test_what_an_editor_did_before_the_submission_does_not_count(
    clock, submitted, reporter, editor
):
    workflow.return_to_reporter(submitted, by=editor, note="Thêm nguồn.")
    clock.shift(timedelta(minutes=5))
    workflow.submit(submitted, by=reporter)
    assert not workflow.is_taken(submitted)
    workflow.withdraw(submitted, by=reporter)
    assert submitted.status == Status.DRAFT


def test_only_whoever_wrote_and_submitted_it_may_withdraw(
    clock, make_article, reporter, other_reporter, editor
):
    article = make_article(created_by=reporter, status=Status.DRAFT, publish_at=None)
    workflow.submit(article, by=reporter)
    for someone in [other_reporter, editor]:
        with pytest.raises(PermissionDenied):
            workflow.withdraw(article, by=someone)
    # An editor sent the reporter's draft for review: not the reporter's submission to undo.
    workflow.return_to_reporter(article, by=editor, note="Sửa.")
    workflow.submit(article, by=editor)
    assert not workflow.may_withdraw(reporter, article)
    with pytest.raises(PermissionDenied):
        workflow.withdraw(article, by=reporter)


def test_only_a_submitted_article_is_withdrawn(clock, draft, reporter):
    with pytest.raises(ValidationError) as refused:
        workflow.withdraw(draft, by=reporter)
    assert refused.value.code == "wrong_state"


# An editor sets, changes or clears the unpublish time of a published article -----------------

LATER = NOW + timedelta(hours=3)


def unpublish_time_of(article):
    return Article.objects.get(pk=article.pk).unpublish_at


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_an_editor_sets_the_unpublish_time_of_a_live_article_without_publishing_it_again(
    clock, make_article, editor, superuser, who
):
    person = {"editor": editor, "superuser": superuser}[who]
    article = make_article(publish_at=EARLIER)
    before = Article.objects.get(pk=article.pk)
    workflow.set_unpublish_time(article, by=person, unpublish_at=LATER, version=article.version)
    row = Article.objects.get(pk=article.pk)
    assert row.unpublish_at == LATER and article.unpublish_at == LATER
    # Not published again: its publish time, its place in the lists and its content stay.
    assert (row.status, row.publish_at) == (Status.PUBLISHED, EARLIER)
    assert (row.version, row.updated_at) == (before.version, before.updated_at)
    transition = row.transitions.get()
    assert (transition.action, transition.from_status, transition.to_status) == (
        Action.SET_UNPUBLISH_TIME,
        Status.PUBLISHED,
        Status.PUBLISHED,
    )
    assert transition.by == person
    assert transition.note == "Tự gỡ lúc 05/11/2026 12:30:00 (trước đó: không hẹn giờ gỡ)."


def test_the_article_leaves_readers_at_the_second_set(clock, make_article, editor):
    article = make_article(publish_at=EARLIER)
    at = NOW + timedelta(minutes=10, seconds=15)
    workflow.set_unpublish_time(article, by=editor, unpublish_at=at)
    clock.move_to(at - timedelta(seconds=1))
    assert Article.objects.live().filter(pk=article.pk).exists()
    assert Article.objects.get(pk=article.pk).is_live()
    clock.move_to(at)
    assert not Article.objects.live().filter(pk=article.pk).exists()
    assert not Article.objects.get(pk=article.pk).is_live()


def test_an_editor_changes_and_clears_the_unpublish_time(clock, make_article, editor):
    article = make_article(publish_at=EARLIER, unpublish_at=NOW + timedelta(hours=1))
    workflow.set_unpublish_time(article, by=editor, unpublish_at=LATER)
    assert unpublish_time_of(article) == LATER
    workflow.set_unpublish_time(article, by=editor, unpublish_at=None)
    assert unpublish_time_of(article) is None
    clock.shift(timedelta(days=365))
    assert Article.objects.live().filter(pk=article.pk).exists()
    notes = list(article.transitions.order_by("at", "pk").values_list("note", flat=True))
    assert notes == [
        "Tự gỡ lúc 05/11/2026 12:30:00 (trước đó: 05/11/2026 10:30:00).",
        "Bỏ hẹn giờ gỡ (trước đó: 05/11/2026 12:30:00).",
    ]


def test_a_reporter_cannot_set_the_unpublish_time(clock, make_article, reporter):
    article = make_article(publish_at=EARLIER, created_by=reporter)
    assert Action.SET_UNPUBLISH_TIME not in workflow.available_actions(reporter, article)
    with pytest.raises(PermissionDenied):
        workflow.set_unpublish_time(article, by=reporter, unpublish_at=LATER)
    assert unpublish_time_of(article) is None and not article.transitions.exists()


@pytest.mark.parametrize(
    ("unpublish_at", "message"),
    [
        (
            NOW - timedelta(minutes=1),
            "Thời điểm gỡ bài đã qua: hãy chọn một thời điểm ở tương lai.",
        ),
        (NOW, "Thời điểm gỡ bài đã qua: hãy chọn một thời điểm ở tương lai."),
    ],
    ids=["past", "now"],
)
def test_an_unpublish_time_in_the_past_is_refused_and_nothing_changes(
    clock, make_article, editor, unpublish_at, message
):
    article = make_article(publish_at=EARLIER, unpublish_at=LATER)
    with pytest.raises(ValidationError) as refused:
        workflow.set_unpublish_time(article, by=editor, unpublish_at=unpublish_at)
    assert refused.value.code == "past" and refused.value.messages == [message]
    assert unpublish_time_of(article) == LATER and not article.transitions.exists()


def test_a_scheduled_articles_unpublish_time_comes_after_its_publish_time(
    clock, make_article, editor
):
    article = make_article(publish_at=SOON)
    with pytest.raises(ValidationError) as refused:
        workflow.set_unpublish_time(article, by=editor, unpublish_at=SOON - timedelta(minutes=1))
    assert refused.value.messages == ["Thời điểm gỡ bài phải sau thời điểm xuất bản."]
    assert unpublish_time_of(article) is None
    workflow.set_unpublish_time(article, by=editor, unpublish_at=SOON + timedelta(hours=1))
    assert unpublish_time_of(article) == SOON + timedelta(hours=1)
    assert Article.objects.get(pk=article.pk).publish_at == SOON


@pytest.mark.parametrize("state", ["draft", "submitted", "returned", "unpublished", "expired"])
def test_the_unpublish_time_is_set_only_on_an_article_still_published(
    clock, make_article, editor, state
):
    article = make_article(**STATES[state])
    before = unpublish_time_of(article)
    with pytest.raises(ValidationError) as refused:
        workflow.set_unpublish_time(article, by=editor, unpublish_at=LATER)
    assert refused.value.code == "wrong_state"
    assert unpublish_time_of(article) == before and not article.transitions.exists()


def test_an_expired_article_says_to_publish_it_again(clock, make_article, editor):
    article = make_article(**STATES["expired"])
    with pytest.raises(ValidationError) as refused:
        workflow.set_unpublish_time(article, by=editor, unpublish_at=LATER)
    assert refused.value.messages == [
        "Bài đã tự gỡ lúc 05/11/2026 09:30:00. Muốn đưa bài lên lại, hãy xuất bản lại."
    ]


def test_an_unchanged_unpublish_time_is_not_a_step(clock, make_article, editor):
    article = make_article(publish_at=EARLIER, unpublish_at=LATER)
    with pytest.raises(ValidationError) as refused:
        workflow.set_unpublish_time(article, by=editor, unpublish_at=LATER)
    assert refused.value.messages == ["Bài đã hẹn tự gỡ đúng lúc này."]
    workflow.set_unpublish_time(article, by=editor, unpublish_at=None)
    with pytest.raises(ValidationError) as refused:
        workflow.set_unpublish_time(article, by=editor, unpublish_at=None)
    assert refused.value.messages == ["Bài chưa hẹn giờ gỡ nên không có gì để bỏ."]
    assert article.transitions.count() == 1


def test_a_deleted_article_keeps_its_unpublish_time_steps(clock, make_article, editor, superuser):
    article = make_article(publish_at=EARLIER)
    workflow.set_unpublish_time(article, by=editor, unpublish_at=LATER)
    record = workflow.delete_article(article, by=superuser)
    assert [step["action"] for step in record.history] == [Action.SET_UNPUBLISH_TIME]
