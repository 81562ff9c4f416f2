"""The editorial workflow: plain functions that the admin (and any future API) call.

Each checks the person's permission, checks the article's state, saves, and records the step as a
Transition, so a rule lives here once. States: draft -> submitted -> published (now, or scheduled
for a future second) -> unpublished; an editor may return a submitted article with a note.
Whether readers see an article is decided by Article.objects.live() alone, never by a job.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.pagecache import content_changed, content_changed_on_commit

from . import previews
from .models import Article, Correction, Revision, Transition

Status = Article.Status
Action = Transition.Action

REPORTER_EDITABLE = {Status.DRAFT, Status.RETURNED}


# Who may do what ------------------------------------------------------------------------------


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
    """The workflow steps this person may take on this article now, for the admin's buttons."""
    actions = []
    if article.status in REPORTER_EDITABLE and can_edit(user, article):
        actions.append(Action.SUBMIT)
    if is_editor(user):
        if article.status == Status.SUBMITTED:
            actions.append(Action.RETURN)
        actions += [Action.PUBLISH, Action.SCHEDULE]
        if article.status == Status.PUBLISHED:
            actions.append(Action.UNPUBLISH)
    if user.has_perm("articles.feature_article"):
        actions.append(Action.UNFEATURE if article.is_featured else Action.FEATURE)
    if article.status == Status.PUBLISHED and user.has_perm("articles.correct_article"):
        actions.append(Action.CORRECT)
    return actions


def _require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


def _require_status(article, statuses, message):
    if article.status not in statuses:
        raise ValidationError(message, code="wrong_state")


# The steps ------------------------------------------------------------------------------------


@transaction.atomic
def submit(article, *, by):
    """A reporter (or an editor) sends a draft or returned article for review."""
    _require(can_edit(by, article), _("Bạn không có quyền gửi duyệt bài này."))
    _require_status(
        article, REPORTER_EDITABLE, _("Chỉ gửi duyệt được bản nháp hoặc bài bị trả lại.")
    )
    article.submitted_at = timezone.now()
    _move(article, Status.SUBMITTED, action=Action.SUBMIT, by=by)


@transaction.atomic
def return_to_reporter(article, *, by, note):
    """An editor sends a submitted article back to its reporter, saying why."""
    _require(is_editor(by), _("Chỉ biên tập viên được trả lại bài."))
    _require_status(article, {Status.SUBMITTED}, _("Chỉ trả lại được bài đang chờ duyệt."))
    if not note or not note.strip():
        raise ValidationError(_("Hãy ghi lý do trả lại để phóng viên biết cần sửa gì."))
    _move(article, Status.RETURNED, action=Action.RETURN, by=by, note=note.strip())


@transaction.atomic
def publish(article, *, by, at=None, unpublish_at=None):
    """An editor publishes now (`at` None) or schedules for a future second (`at`).

    Readers see it from `at` on with no job running; an optional `unpublish_at` takes it down.
    """
    _require(is_editor(by), _("Chỉ biên tập viên được xuất bản hoặc lên lịch."))
    now = timezone.now()
    if at is not None and at <= now:
        raise ValidationError(_("Thời điểm lên lịch phải ở tương lai."), code="past")
    publish_at = at or now
    if unpublish_at is not None and unpublish_at <= publish_at:
        raise ValidationError(_("Thời điểm gỡ bài phải sau thời điểm xuất bản."), code="order")
    if not article.bylines.exists():
        raise ValidationError(_("Bài cần ít nhất một tác giả trước khi xuất bản."))
    article.publish_at = publish_at
    article.unpublish_at = unpublish_at
    action = Action.SCHEDULE if at is not None else Action.PUBLISH
    _move(article, Status.PUBLISHED, action=action, by=by, publish_at=publish_at)


@transaction.atomic
def unpublish(article, *, by, note=""):
    """An editor takes a published (or scheduled) article down."""
    _require(is_editor(by), _("Chỉ biên tập viên được gỡ bài."))
    _require_status(article, {Status.PUBLISHED}, _("Chỉ gỡ được bài đã xuất bản."))
    _move(article, Status.UNPUBLISHED, action=Action.UNPUBLISH, by=by, note=note.strip())
    previews.revoke_grants(article, by=by)


@transaction.atomic
def set_featured(article, *, by, featured):
    """An editor puts the article in "Tin nổi bật", or takes it out."""
    _require(by.has_perm("articles.feature_article"), _("Bạn không có quyền chọn tin nổi bật."))
    article.is_featured = featured
    article.updated_by = by
    article.save(update_fields=["is_featured", "updated_by"])
    _record(article, article.status, action=Action.FEATURE if featured else Action.UNFEATURE, by=by)


@transaction.atomic
def correct(article, *, by, note):
    """An editor appends a dated correction to a published article (its dateModified moves)."""
    _require(by.has_perm("articles.correct_article"), _("Bạn không có quyền đính chính."))
    _require_status(article, {Status.PUBLISHED}, _("Chỉ đính chính được bài đã xuất bản."))
    if not note or not note.strip():
        raise ValidationError(_("Hãy ghi nội dung đính chính."))
    Correction.objects.create(article=article, note=note.strip(), created_by=by)
    article.updated_by = by
    article.version += 1
    article.save()
    _record(article, article.status, action=Action.CORRECT, by=by, note=note.strip())


@transaction.atomic
def restore_revision(article, revision, *, by):
    """Put an earlier title, sapo and body back; the restore is itself a new revision."""
    _require(can_edit(by, article), _("Bạn không có quyền sửa bài này."))
    if revision.article_id != article.pk:
        raise ValidationError(_("Phiên bản này không thuộc bài viết."))
    article.title, article.sapo, article.body = revision.title, revision.sapo, revision.body
    article.updated_by = by
    article.version += 1
    article.save()
    record_revision(article, by=by)
    note = _("Phiên bản lưu lúc %(time)s") % {
        "time": f"{timezone.localtime(revision.created_at):%d/%m/%Y %H:%M}"
    }
    _record(article, article.status, action=Action.RESTORE, by=by, note=note)


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


def _move(article, to_status, *, action, by, note="", publish_at=None):
    from_status = article.status
    article.status = to_status
    article.updated_by = by
    article.version += 1
    article.save()
    _record(article, from_status, action=action, by=by, note=note, publish_at=publish_at)


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
    # Every step saves the article (its updated_at moves) or touches no article page.
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
