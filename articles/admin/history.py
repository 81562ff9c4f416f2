"""One history of an article, as its admin history page shows it: the workflow's steps
(Transition), the saves made in the admin (Django's LogEntry, saying which fields changed) with
the revision each recorded (Revision, compared on the revisions page), and the corrections,
newest first.

A save is a LogEntry; the revision a save recorded is named in its change message
(`{"revision": <pk or null>}`, added by WorkflowAdminMixin.construct_change_message), or, for
saves logged before messages named it, is the revision the same person recorded in the seconds
just before. A revision
recorded outside an admin save (a restored version, a loader) stands as an entry of its own, or
joins the restore step it belongs to.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.models import Article, Transition
from newsroom.formats import vi_datetime

Action = Transition.Action
Status = Article.Status

# Each kind of entry reads at most this many rows, newest first: years of a busy article.
ENTRIES_READ = 300
# A save's revision is recorded just before its LogEntry, in the same request.
SAVE_PAIRING = timedelta(seconds=5)
# The fields a revision keeps: a save that changed none of them recorded none.
REVISION_FIELDS = ("title", "sapo", "body")


def person(user):
    """A person as the newsroom knows them: their name, else their user name."""
    if user is None:
        return _("(tài khoản đã xoá)")
    return user.get_full_name() or user.get_username()


def revision_message(revision_id):
    """What a save's change message carries to name the revision it recorded (None: it
    recorded none, its text being unchanged)."""
    return {"revision": revision_id}


@dataclass
class Entry:
    at: datetime
    kind: str  # "step", "correction", "save", "created"
    title: str
    who: str
    changes: list = field(default_factory=list)
    note: str = ""
    states: str = ""
    compare_url: str = ""
    revision_id: int | None = None


def describe_change(message):
    """What a save changed, in the newsroom's words, from a LogEntry's change message: a list
    of short sentences ("Sửa tiêu đề, sapo", "Thêm tác giả “Hải Nhi”"). Old free-text messages
    are kept as they were written. Returns the sentences, the revision named (None if none)
    and whether the message names one at all (older messages do not)."""
    if not message:
        return [], None, False
    try:
        parts = json.loads(message) if message.startswith("[") else None
    except json.JSONDecodeError:
        parts = None
    if parts is None:
        return [message], None, False
    sentences, revision, named = [], None, False
    for part in parts:
        if not isinstance(part, dict):
            continue
        if "revision" in part:
            named = True
            if isinstance(part["revision"], int):
                revision = part["revision"]
        elif "added" in part:
            added = part["added"] or {}
            if added.get("name"):
                sentences.append(
                    _("Thêm %(name)s “%(object)s”")
                    % {"name": added["name"].lower(), "object": added.get("object", "")}
                )
        elif "changed" in part:
            changed = part["changed"] or {}
            fields = ", ".join(str(name).lower() for name in changed.get("fields", []))
            if changed.get("name"):
                sentences.append(
                    _("Sửa %(fields)s của %(name)s “%(object)s”")
                    % {
                        "fields": fields,
                        "name": changed["name"].lower(),
                        "object": changed.get("object", ""),
                    }
                )
            elif fields:
                sentences.append(_("Sửa %(fields)s") % {"fields": fields})
        elif "deleted" in part:
            deleted = part["deleted"] or {}
            sentences.append(
                _("Bỏ %(name)s “%(object)s”")
                % {
                    "name": str(deleted.get("name", "")).lower(),
                    "object": deleted.get("object", ""),
                }
            )
    return sentences, revision, named


def step_entry(transition):
    kind = "correction" if transition.action == Action.CORRECT else "step"
    states = ""
    if transition.from_status != transition.to_status:
        states = f"{status_label(transition.from_status)} → {status_label(transition.to_status)}"
    note = transition.note
    if transition.action == Action.SCHEDULE and transition.publish_at:
        when = _("Hẹn giờ lên trang lúc %(when)s") % {
            "when": vi_datetime(transition.publish_at, "seconds")
        }
        note = f"{when}. {note}" if note else when
    return Entry(
        at=transition.at,
        kind=kind,
        title=transition.get_action_display(),
        who=person(transition.by),
        note=note,
        states=states,
    )


def status_label(status):
    try:
        return Status(status).label
    except ValueError:
        return status


def timeline(article):
    """The article's history, newest first, read in a fixed number of queries."""
    steps = list(article.transitions.select_related("by")[:ENTRIES_READ])
    saves = list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Article),
            object_id=str(article.pk),
            action_flag__in=[ADDITION, CHANGE],
        )
        .select_related("user")
        .order_by("-action_time", "-pk")[:ENTRIES_READ]
    )
    revisions = list(
        article.revisions.select_related("created_by").defer("sapo", "body")[: ENTRIES_READ + 1]
    )
    compare_url = reverse("admin:articles_article_revisions", args=[article.pk])
    # Each revision and the one before it (revisions are newest first).
    previous = {newer.pk: older.pk for newer, older in zip(revisions, revisions[1:], strict=False)}

    def comparison(revision_id):
        if revision_id in previous:
            return f"{compare_url}?a={previous[revision_id]}&b={revision_id}"
        return f"{compare_url}?b={revision_id}"

    by_id = {revision.pk: revision for revision in revisions}
    paired = set()
    entries = []
    for save in saves:
        changes, revision_id, named = describe_change(save.change_message)
        if not named:
            revision_id = earlier_revision(save, revisions, paired)
        if revision_id in by_id:
            paired.add(revision_id)
        else:
            revision_id = None
        if save.action_flag == ADDITION:
            title, changes = _("Tạo bài"), []
        elif not changes and revision_id is None:
            continue  # a step's button saved the form and nothing had changed
        else:
            title = _("Lưu bài")
        entries.append(
            Entry(
                at=save.action_time,
                kind="created" if save.action_flag == ADDITION else "save",
                title=title,
                who=person(save.user),
                changes=changes,
                compare_url=comparison(revision_id) if revision_id else "",
                revision_id=revision_id,
            )
        )
    step_entries = [step_entry(step) for step in steps]
    # A step's button saves first, then takes the step: at the same second, the step is newer.
    entries = [*step_entries, *entries]
    for revision in revisions[:ENTRIES_READ]:
        if revision.pk in paired:
            continue
        restore = next(
            (
                entry
                for step, entry in zip(steps, step_entries, strict=True)
                if step.action == Action.RESTORE
                and step.by_id == revision.created_by_id
                and abs(step.at - revision.created_at) <= SAVE_PAIRING
                and not entry.compare_url
            ),
            None,
        )
        if restore is not None:
            restore.compare_url = comparison(revision.pk)
            restore.revision_id = revision.pk
            continue
        entries.append(
            Entry(
                at=revision.created_at,
                kind="save",
                title=_("Lưu phiên bản"),
                who=person(revision.created_by),
                changes=[],
                compare_url=comparison(revision.pk),
                revision_id=revision.pk,
            )
        )
    if len(saves) < ENTRIES_READ and not any(save.action_flag == ADDITION for save in saves):
        # Made outside the admin (a loader, a script): its creation is still part of its story.
        entries.append(
            Entry(
                at=article.created_at,
                kind="created",
                title=_("Tạo bài"),
                who=person(article.created_by) if article.created_by_id else _("hệ thống"),
            )
        )
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


def earlier_revision(save, revisions, paired):
    """The revision the same person recorded in the seconds before a save that does not name
    one (saves logged before saves named their revision)."""
    for revision in revisions:
        if (
            revision.pk not in paired
            and revision.created_by_id == save.user_id
            and timedelta(0) <= save.action_time - revision.created_at <= SAVE_PAIRING
        ):
            return revision.pk
    return None
