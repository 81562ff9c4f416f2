"""The editorial workflow: plain functions that the admin (and any future API) call.

Each checks the person's permission, checks the article's state, saves, and records the step as a
Transition, so a rule lives here once. States: draft -> submitted -> published (now, or scheduled
for a future second) -> unpublished; an editor may return a submitted article with a note, and
its reporter may withdraw it to draft while no editor has taken it up (`withdraw`). A published
article's unpublish time is set or changed on its own (`set_unpublish_time`).
Whether readers see an article is decided by Article.objects.live() alone, never by a job.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.formats import vi_datetime
from newsroom.pagecache import content_changed, content_changed_on_commit

from .models import Article, Correction, DeletedArticle, Revision, Transition

Status = Article.Status
Action = Transition.Action

REPORTER_EDITABLE = {Status.DRAFT, Status.RETURNED}
# What readers have seen, or may see: only a superuser deletes it (can_delete).
EVER_PUBLISHED = {Status.PUBLISHED, Status.UNPUBLISHED}


# Who may do what ------------------------------------------------------------------------------


def lead_photo_locked(image):
    """Whether `image` leads an article that has gone to the editors or to readers: from then
    on what the article shows changes only through an editor, as its own text does, so its
    reporter no longer changes the photo (photos.rules.may_change_photo asks this)."""
    return Article.objects.filter(lead_image=image).exclude(status__in=REPORTER_EDITABLE).exists()


def is_editor(user):
    return user.is_active and user.has_perm("articles.publish_article")


def can_edit(user, article):
    """Editors edit any article; a reporter edits their own while it is a draft or returned."""
    if not (user.is_active and user.is_staff):
        return False
    if user.has_perm("articles.edit_any_article"):
        return True
    return (
        user.has_perm("articles.change_article")
        and article.created_by_id == user.pk
        and article.status in REPORTER_EDITABLE
    )


def can_view(user, article):
    """Staff who may open the article in the admin or preview it."""
    if not (user.is_active and user.is_staff):
        return False
    return user.has_perm("articles.edit_any_article") or article.created_by_id == user.pk


def available_actions(user, article):
    """The workflow steps this person may take on this article now, for the admin's buttons.

    Each step's function below checks the same rule again on the locked row; this only decides
    which buttons to offer. "Xuất bản" and "Lên lịch" are not offered on an article readers
    see now (`may_publish`): it is unpublished first, and its unpublish time is set, changed or
    cleared on its own ("Hẹn giờ gỡ", `set_unpublish_time`). A scheduled article may be
    published at once or rescheduled, its unpublish time with it (set_unpublish_time accepts
    it too, but the panel offers one way).
    """
    actions = []
    if article.status in REPORTER_EDITABLE and can_edit(user, article):
        actions.append(Action.SUBMIT)
    if article.status == Status.SUBMITTED and may_withdraw(user, article):
        actions.append(Action.WITHDRAW)
    if is_editor(user):
        if article.status == Status.SUBMITTED:
            actions.append(Action.RETURN)
        if may_publish(article):
            actions += [Action.PUBLISH, Action.SCHEDULE]
        else:  # readers see it now
            actions.append(Action.SET_UNPUBLISH_TIME)
        if article.status == Status.PUBLISHED:
            actions.append(Action.UNPUBLISH)
    if user.has_perm("articles.feature_article"):
        actions.append(Action.UNFEATURE if article.is_featured else Action.FEATURE)
    if article.status == Status.PUBLISHED and user.has_perm("articles.correct_article"):
        actions.append(Action.CORRECT)
    return actions


def may_publish(article):
    """Whether the article may be published or scheduled: anything readers do not see now (a
    draft, a submitted, returned or unpublished article, one scheduled for later, one whose
    unpublish time has passed). An article readers see is not published again: that would
    move its publish time, and its place in every list, without anyone meaning to."""
    return not article.is_live()


def check_publish_times(*, at=None, unpublish_at=None, now=None):
    """The times of a publish step, or of an unpublish time set later, make sense: a scheduled
    time (`at`; None for now or a time already reached) lies ahead, and an unpublish time lies
    ahead and after the publish time. Raises ValidationError; the admin asks this before it
    saves, so that a mistyped time keeps the form as it was typed."""
    now = now or timezone.now()
    if at is not None and at <= now:
        raise ValidationError(_("Thời điểm lên lịch phải ở tương lai."), code="past")
    if unpublish_at is not None and unpublish_at <= now:
        raise ValidationError(
            _("Thời điểm gỡ bài đã qua: hãy chọn một thời điểm ở tương lai."), code="past"
        )
    if unpublish_at is not None and unpublish_at <= (at or now):
        raise ValidationError(_("Thời điểm gỡ bài phải sau thời điểm xuất bản."), code="order")


def submitter_id(article):
    """Who sent the article for review this time: the person of its latest "Gửi duyệt" step,
    or its creator when it came in submitted without one (a loader, an import)."""
    latest = (
        article.transitions.filter(action=Action.SUBMIT).order_by("-at", "-pk").only("by").first()
    )
    return latest.by_id if latest is not None else article.created_by_id


def is_taken(article):
    """Whether an editor has taken up a submitted article since its latest submission.

    Taken means someone other than whoever submitted it has left a trace on it since: saved
    it (the last save, `updated_by`, is no longer the submitter's, whose own submit was the
    last save they could make), taken a step on it (featuring, restoring a revision), or made a
    preview link for it. Opening the article leaves no trace, so it does not count: an editor
    who had it open when the reporter withdrew it holds an older version, and whatever step
    they then take from that page is refused as stale, naming the reporter
    (`_require_version`). Nobody publishes a text its reporter took back.
    """
    if article.status != Status.SUBMITTED:
        return False
    submitter = submitter_id(article)
    if article.updated_by_id not in (None, submitter):  # None: never saved by a person
        return True
    since = article.submitted_at
    steps = article.transitions.exclude(by_id=submitter)
    links = article.preview_grants.all()
    if since is not None:
        steps, links = steps.filter(at__gt=since), links.filter(created_at__gt=since)
    return steps.exists() or links.exists()


def may_withdraw(user, article):
    """Whoever wrote and submitted an article may take it back to draft while it waits and no
    editor has taken it up (`is_taken`); `withdraw` checks the same on the locked row."""
    return (
        _owns(user, article)
        and article.status == Status.SUBMITTED
        and submitter_id(article) == user.pk
        and not is_taken(article)
    )


def _owns(user, article):
    return (
        user.is_active
        and user.is_staff
        and user.has_perm("articles.change_article")
        and article.created_by_id == user.pk
    )


def _require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


def _require_status(article, statuses, message):
    if article.status not in statuses:
        raise ValidationError(message, code="wrong_state")


# The steps ------------------------------------------------------------------------------------
#
# Each step locks the article's row for its transaction, checks the person, the version they saw
# (`version`: the admin always passes it; None skips the check, for scripts and loaders) and the
# state on that locked row, saves only the fields it owns and records itself. The instance passed
# in is brought up to date afterwards.


@transaction.atomic
def submit(article, *, by, version=None):
    """A reporter (or an editor) sends a draft or returned article for review."""
    current = _locked(article)
    _require(can_edit(by, current), _("Bạn không có quyền gửi duyệt bài này."))
    _require_version(current, version)
    _require_status(
        current, REPORTER_EDITABLE, _("Chỉ gửi duyệt được bản nháp hoặc bài bị trả lại.")
    )
    current.submitted_at = timezone.now()
    _move(current, Status.SUBMITTED, action=Action.SUBMIT, by=by, fields=["submitted_at"])
    _sync(article, current)


@transaction.atomic
def withdraw(article, *, by, version=None):
    """Its reporter takes a submitted article back to draft while no editor has taken it up
    (`is_taken` says what that means); they may then edit it and submit it again."""
    current = _locked(article)
    _require(_owns(by, current), _("Bạn chỉ rút lại được bài của chính mình."))
    _require_version(current, version)
    _require_status(current, {Status.SUBMITTED}, _("Chỉ rút lại được bài đang chờ duyệt."))
    _require(submitter_id(current) == by.pk, _("Bạn chỉ rút lại được bài do chính mình gửi duyệt."))
    if is_taken(current):
        raise ValidationError(
            _("Biên tập viên đã nhận bài này nên bạn không rút lại được nữa."), code="taken"
        )
    current.submitted_at = None
    _move(current, Status.DRAFT, action=Action.WITHDRAW, by=by, fields=["submitted_at"])
    _sync(article, current)


@transaction.atomic
def return_to_reporter(article, *, by, note, version=None):
    """An editor sends a submitted article back to its reporter, saying why."""
    current = _locked(article)
    _require(is_editor(by), _("Chỉ biên tập viên được trả lại bài."))
    _require_version(current, version)
    _require_status(current, {Status.SUBMITTED}, _("Chỉ trả lại được bài đang chờ duyệt."))
    if not note or not note.strip():
        raise ValidationError(_("Hãy ghi lý do trả lại để phóng viên biết cần sửa gì."))
    _move(current, Status.RETURNED, action=Action.RETURN, by=by, note=note.strip())
    _sync(article, current)


@transaction.atomic
def publish(article, *, by, at=None, unpublish_at=None, version=None):
    """An editor publishes now (`at` None) or schedules for a future second (`at`).

    Readers see it from `at` on with no job running; an optional `unpublish_at` takes it down.
    An article readers see now is not published again (`may_publish`).
    """
    current = _locked(article)
    _require(is_editor(by), _("Chỉ biên tập viên được xuất bản hoặc lên lịch."))
    _require_version(current, version)
    if not may_publish(current):
        raise ValidationError(
            _(
                "Bài đang hiện với bạn đọc nên không xuất bản lại được. Muốn đổi lịch, "
                "hãy gỡ bài trước."
            ),
            code="wrong_state",
        )
    now = timezone.now()
    check_publish_times(at=at, unpublish_at=unpublish_at, now=now)
    publish_at = at or now
    if not current.bylines.exists():
        raise ValidationError(_("Bài cần ít nhất một tác giả trước khi xuất bản."))
    current.publish_at = publish_at
    current.unpublish_at = unpublish_at
    action = Action.SCHEDULE if at is not None else Action.PUBLISH
    _move(
        current,
        Status.PUBLISHED,
        action=action,
        by=by,
        publish_at=publish_at,
        fields=["publish_at", "unpublish_at"],
    )
    _sync(article, current)


@transaction.atomic
def unpublish(article, *, by, note="", version=None):
    """An editor takes a published (or scheduled) article down."""
    current = _locked(article)
    _require(is_editor(by), _("Chỉ biên tập viên được gỡ bài."))
    _require_version(current, version)
    _require_status(current, {Status.PUBLISHED}, _("Chỉ gỡ được bài đã xuất bản."))
    _move(current, Status.UNPUBLISHED, action=Action.UNPUBLISH, by=by, note=note.strip())
    # Whoever held a preview link loses it with the readers.
    article.preview_grants.revoke(by=by)
    _sync(article, current)


@transaction.atomic
def set_unpublish_time(article, *, by, unpublish_at, version=None):
    """An editor sets, changes or (`unpublish_at` None) clears the time a published article
    comes down on its own ("Hẹn giờ gỡ"), without publishing it again.

    For an article readers see now, and for a scheduled one (whose panel changes the time with
    "Đổi lịch xuất bản" instead); not for one whose unpublish time has passed: bringing that
    back is publishing it again. Readers lose the article at that second (`Article.objects.live()`).
    Only the time changes, as with featuring: the version, updated_at and updated_by describe
    what readers read, which is the same.
    """
    current = _locked(article)
    _require(is_editor(by), _("Chỉ biên tập viên được hẹn giờ gỡ bài."))
    _require_version(current, version)
    now = timezone.now()
    _require_status(
        current, {Status.PUBLISHED}, _("Chỉ hẹn giờ gỡ được bài đã xuất bản hoặc đã lên lịch.")
    )
    if current.unpublish_at is not None and current.unpublish_at <= now:
        raise ValidationError(
            _("Bài đã tự gỡ lúc %(when)s. Muốn đưa bài lên lại, hãy xuất bản lại."),
            params={"when": vi_datetime(current.unpublish_at, "seconds")},
            code="wrong_state",
        )
    scheduled = current.publish_at is not None and current.publish_at > now
    scheduled_at = current.publish_at if scheduled else None
    check_publish_times(at=scheduled_at, unpublish_at=unpublish_at, now=now)
    before = current.unpublish_at
    if unpublish_at == before:
        raise ValidationError(
            _("Bài chưa hẹn giờ gỡ nên không có gì để bỏ.")
            if before is None
            else _("Bài đã hẹn tự gỡ đúng lúc này."),
            code="unchanged",
        )
    current.unpublish_at = unpublish_at
    current.save(update_fields=["unpublish_at"])
    if unpublish_at is None:
        note = _("Bỏ hẹn giờ gỡ (trước đó: %(before)s).") % {
            "before": vi_datetime(before, "seconds")
        }
    else:
        note = _("Tự gỡ lúc %(when)s (trước đó: %(before)s).") % {
            "when": vi_datetime(unpublish_at, "seconds"),
            "before": vi_datetime(before, "seconds") if before else _("không hẹn giờ gỡ"),
        }
    _record(current, current.status, action=Action.SET_UNPUBLISH_TIME, by=by, note=note)
    _sync(article, current)


@transaction.atomic
def set_featured(article, *, by, featured, version=None):
    """An editor puts the article in "Tin nổi bật", or takes it out.

    Only the flag changes: the version, updated_at and updated_by describe the article's
    content, so that a refused step can say truthfully who last changed what was reviewed.
    """
    current = _locked(article)
    _require(by.has_perm("articles.feature_article"), _("Bạn không có quyền chọn tin nổi bật."))
    _require_version(current, version)
    current.is_featured = featured
    current.save(update_fields=["is_featured"])
    _record(current, current.status, action=Action.FEATURE if featured else Action.UNFEATURE, by=by)
    _sync(article, current)


@transaction.atomic
def correct(article, *, by, note, version=None):
    """An editor appends a dated correction to a published article (its dateModified moves)."""
    current = _locked(article)
    _require(by.has_perm("articles.correct_article"), _("Bạn không có quyền đính chính."))
    _require_version(current, version)
    _require_status(current, {Status.PUBLISHED}, _("Chỉ đính chính được bài đã xuất bản."))
    if not note or not note.strip():
        raise ValidationError(_("Hãy ghi nội dung đính chính."))
    Correction.objects.create(article=current, note=note.strip(), created_by=by)
    _save_content(current, by=by)
    _record(current, current.status, action=Action.CORRECT, by=by, note=note.strip())
    _sync(article, current)


@transaction.atomic
def restore_revision(article, revision, *, by, version=None):
    """Put an earlier title, sapo and body back; the restore is itself a new revision."""
    current = _locked(article)
    _require(can_edit(by, current), _("Bạn không có quyền sửa bài này."))
    _require_version(current, version)
    if revision.article_id != current.pk:
        raise ValidationError(_("Phiên bản này không thuộc bài viết."))
    current.title, current.sapo, current.body = revision.title, revision.sapo, revision.body
    _save_content(current, by=by, fields=["title", "sapo", "body"])
    record_revision(current, by=by)
    note = _("Phiên bản lưu lúc %(time)s") % {"time": vi_datetime(revision.created_at)}
    _record(current, current.status, action=Action.RESTORE, by=by, note=note)
    _sync(article, current)


def can_delete(user, article):
    """Editors delete what readers never saw; an article that is or was published (status
    published or unpublished) is unpublished by editors and deleted only by a superuser."""
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    return user.has_perm("articles.delete_article") and article.status not in EVER_PUBLISHED


@transaction.atomic
def delete_article(article, *, by):
    """Delete the article, keeping a DeletedArticle record (its editorial history included)
    that outlives the row. The admin's delete page and its bulk action both come here."""
    current = _locked(article)
    _require(can_delete(by, current), _("Bạn không có quyền xoá bài này."))
    history = [
        {
            "action": step.action,
            "from_status": step.from_status,
            "to_status": step.to_status,
            "note": step.note,
            "publish_at": step.publish_at.isoformat() if step.publish_at else None,
            "by": step.by.get_username() if step.by else "",
            "at": step.at.isoformat(),
        }
        for step in current.transitions.select_related("by").order_by("at", "pk")
    ]
    record = DeletedArticle.objects.create(
        article_id=current.pk,
        title=current.title,
        slug=current.slug,
        status=current.status,
        publish_at=current.publish_at,
        history=history,
        deleted_by=by,
    )
    current.delete()
    content_changed_on_commit(articles_only=True)
    return record


def record_revision(article, *, by):
    """Keep the title, sapo and body as saved, unless they match the latest revision."""
    latest = article.revisions.first()
    if latest and (latest.title, latest.sapo, latest.body) == (
        article.title,
        article.sapo,
        article.body,
    ):
        return latest
    return Revision.objects.create(
        article=article, title=article.title, sapo=article.sapo, body=article.body, created_by=by
    )


def next_version():
    """What a save writes into `version`: one more than the row holds, worked out by the
    database (never read, add one, save back), so two saves can never write the same number."""
    return F("version") + 1


def _locked(article):
    """The article's row as it is now, locked until the step's transaction ends."""
    try:
        return (
            Article.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .get(pk=article.pk)
        )
    except Article.DoesNotExist:
        raise ValidationError(_("Bài viết này không còn nữa."), code="gone") from None


def _require_version(current, version):
    """Refuse a step taken from an older copy than the row's: it would publish (or return, or
    correct...) something the person did not see."""
    if version is None or version == current.version:
        return
    who = current.updated_by.get_username() if current.updated_by else _("người khác")
    raise ValidationError(
        _(
            "Bài đã được %(who)s lưu lúc %(time)s, sau khi bạn mở trang; thao tác chưa được "
            "thực hiện, để bạn xem bản mới nhất trước. Hãy tải lại trang rồi làm lại."
        ),
        params={"who": who, "time": vi_datetime(current.updated_at, "seconds")},
        code="stale",
    )


def _save_content(current, *, by, fields=()):
    """Save `fields`, who saved and when, and the next version (Article.save adds the fields
    it derives)."""
    current.updated_by = by
    current.version = next_version()
    current.save(update_fields=[*fields, "updated_by", "updated_at", "version"])
    current.refresh_from_db(fields=["version"])


def _move(current, to_status, *, action, by, note="", publish_at=None, fields=()):
    from_status = current.status
    current.status = to_status
    _save_content(current, by=by, fields=["status", *fields])
    _record(current, from_status, action=action, by=by, note=note, publish_at=publish_at)


def _sync(article, current):
    """Bring the caller's instance up to date with the row the step saved."""
    if article is current:
        return
    for field in Article._meta.concrete_fields:
        setattr(article, field.attname, getattr(current, field.attname))


def _record(article, from_status, *, action, by, note="", publish_at=None):
    Transition.objects.create(
        article=article,
        from_status=from_status,
        to_status=article.status,
        action=action,
        note=note,
        publish_at=publish_at,
        by=by,
    )
    # A step changes the article's own row or only the lists it stands in (featuring), never
    # the sections, authors, tags or photos other articles' fragments show.
    content_changed_on_commit(articles_only=True)


# What depends on published content ------------------------------------------------------------


def refresh_published(*, since, until):
    """Note articles whose publish or unpublish time fell in (since, until]; returns how many.

    Idempotent: running it twice over the same window changes nothing more than once would.
    """
    went_up = Q(publish_at__gt=since, publish_at__lte=until)
    went_down = Q(unpublish_at__gt=since, unpublish_at__lte=until)
    count = Article.objects.filter(status=Status.PUBLISHED).filter(went_up | went_down).count()
    if count:
        content_changed(articles_only=True)
    return count
