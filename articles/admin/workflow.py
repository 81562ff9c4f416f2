"""The admin's side of the editorial workflow: the panel and its steps, the review queue, the
schedule, the article's history and the revision comparison.

Every step goes through articles/workflow.py, which checks permission and state; the views here
only read the form, call it and report back.
"""

import difflib
import math
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles import workflow
from articles.models import Transition
from articles.richtext import html_to_text
from articles.states import return_step
from newsroom.admin import CheckedInputAdmin, ReadOnlyAdmin
from newsroom.formats import vi_datetime
from newsroom.formats.vi import formats as vi_formats

from .history import REVISION_FIELDS, person, revision_message, timeline
from .previews import preview_panel

Action = Transition.Action
Status = workflow.Status

# How a time is typed in the panel: day first, to the minute, whatever the browser's locale (a
# native datetime-local input would show the browser's own order). The server reads it with
# the Vietnamese input formats, which also take seconds and ISO.
TYPED_TIME_FORMAT = vi_formats.DATETIME_INPUT_FORMATS[1]
TYPED_SECONDS_FORMAT = vi_formats.DATETIME_INPUT_FORMATS[0]
# The schedule input starts at the next round quarter hour at least this far ahead.
QUARTER_HOUR = 15
SCHEDULE_MARGIN = timedelta(minutes=5)


def parse_local_datetime(value, *, label=None):
    """A time typed in the admin ("27/11/2026 09:30", seconds optional, or ISO
    "2026-11-27T09:30:15"), in the newsroom's time zone; None when nothing was typed."""
    value = (value or "").strip()
    if not value:
        return None
    field = forms.DateTimeField(input_formats=vi_formats.DATETIME_INPUT_FORMATS)
    try:
        return field.clean(value)
    except ValidationError:
        raise ValidationError(
            _("%(label)s “%(value)s” chưa đúng dạng ngày/tháng/năm giờ:phút, ví dụ %(example)s."),
            params={
                "label": label or _("Thời gian"),
                "value": value,
                "example": typed_time(default_publish_time()),
            },
            code="invalid_time",
        ) from None


def typed_time(moment):
    """`moment` as the panel's inputs show it: "05/11/2026 09:45", in the site's time zone
    (with its seconds when it has any, so that a time shown and posted back is the same)."""
    if not moment:
        return ""
    moment = timezone.localtime(moment)
    return moment.strftime(TYPED_SECONDS_FORMAT if moment.second else TYPED_TIME_FORMAT)


def default_publish_time(now=None):
    """The schedule input's first value: the next round quarter hour (in the site's time zone)
    at least SCHEDULE_MARGIN ahead, so there is time to click before it passes."""
    earliest = timezone.localtime(now or timezone.now()) + SCHEDULE_MARGIN
    moment = earliest.replace(second=0, microsecond=0)
    if moment < earliest:
        moment += timedelta(minutes=1)
    return moment + timedelta(minutes=-moment.minute % QUARTER_HOUR)


def time_until(moment, *, now=None):
    """How long until `moment`, rounded up to the minute: "2 giờ 15 phút", "1 ngày 3 giờ"."""
    minutes = math.ceil((moment - (now or timezone.now())).total_seconds() / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        _("%(n)s ngày") % {"n": days} if days else "",
        _("%(n)s giờ") % {"n": hours} if hours else "",
        _("%(n)s phút") % {"n": minutes} if minutes else "",
    ]
    return " ".join(part for part in parts if part)


def time_hint(value, *, kind, now=None):
    """What the panel says under a time input, as static/newsroom/admin/workflow.js says it
    while the person types: how long until the article goes live (`kind` "publish") or comes
    down ("unpublish"), or what is wrong with the time."""
    try:
        moment = parse_local_datetime(value)
    except ValidationError:
        return _("Hãy nhập theo dạng ngày/tháng/năm giờ:phút, ví dụ %(example)s.") % {
            "example": typed_time(default_publish_time(now))
        }
    if moment is None:
        return _("Để trống nếu bài không tự gỡ.") if kind == "unpublish" else ""
    now = now or timezone.now()
    if moment <= now:
        return _("Thời điểm này đã qua.")
    if kind == "unpublish":
        return _("Sẽ gỡ khỏi trang sau %(delay)s") % {"delay": time_until(moment, now=now)}
    return _("Sẽ lên trang sau %(delay)s") % {"delay": time_until(moment, now=now)}


# The steps whose button carries times (step_times reads them).
TIMED_ACTIONS = {Action.PUBLISH, Action.SCHEDULE, Action.SET_UNPUBLISH_TIME}


def step_times(action, data, *, prefix="", article=None):
    """The publish and unpublish times posted for a publish, schedule or "Hẹn giờ gỡ" step,
    read and checked (workflow.check_publish_times: "Hẹn giờ gỡ" against the publish time of
    `article` when it is scheduled); raises ValidationError in words the person understands."""
    at = None
    if action == Action.SCHEDULE:
        at = parse_local_datetime(data.get(prefix + "publish_at"), label=_("Xuất bản lúc"))
        if at is None:
            raise ValidationError(_("Hãy chọn thời điểm xuất bản."), code="required")
    unpublish_at = parse_local_datetime(data.get(prefix + "unpublish_at"), label=_("Tự gỡ lúc"))
    publish_at = at
    if action == Action.SET_UNPUBLISH_TIME and article is not None and is_scheduled(article):
        publish_at = article.publish_at
    workflow.check_publish_times(at=publish_at, unpublish_at=unpublish_at)
    return at, unpublish_at


def is_scheduled(article, now=None):
    """Published, and its publish time still ahead."""
    return (
        article.status == Status.PUBLISHED
        and article.publish_at is not None
        and article.publish_at > (now or timezone.now())
    )


def word_diff(old, new):
    """Words removed (<del>) and added (<ins>) between two texts, escaped."""
    old_words, new_words = old.split(), new.split()
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape(" ".join(old_words[a_start:a_end])))
            continue
        if a_end > a_start:
            parts.append(f"<del>{escape(' '.join(old_words[a_start:a_end]))}</del>")
        if b_end > b_start:
            parts.append(f"<ins>{escape(' '.join(new_words[b_start:b_end]))}</ins>")
    return mark_safe(" ".join(parts))


# The change form's button that takes a step after saving: name="_workflow" value="<action>".
WORKFLOW_FIELD = "_workflow"
# The steps a button takes (a revision is restored from the revisions page).
STEP_ACTIONS = set(Action.values) - {Action.RESTORE}


def step_prefix(action):
    """What the inputs of a step's button are called inside the edit form ("workflow-return-note"):
    every step's inputs are posted with the form, so each step reads only its own."""
    return f"workflow-{action}-"


def posted_version(data):
    """The article's version as the person saw it, from a post; None when missing or garbage."""
    try:
        version = int(data.get("version", ""))
    except ValueError:
        return None
    return version if 0 < version < 2**31 else None


def take_step(article, action, *, by, version, data, prefix=""):
    """Take `action` on `article` through articles/workflow.py, with the inputs posted for it."""

    def typed(name):
        return data.get(prefix + name, "")

    if action == Action.SUBMIT:
        workflow.submit(article, by=by, version=version)
    elif action == Action.WITHDRAW:
        workflow.withdraw(article, by=by, version=version)
    elif action == Action.RETURN:
        workflow.return_to_reporter(article, by=by, note=typed("note"), version=version)
    elif action in (Action.PUBLISH, Action.SCHEDULE):
        at, unpublish_at = step_times(action, data, prefix=prefix)
        workflow.publish(article, by=by, at=at, unpublish_at=unpublish_at, version=version)
    elif action == Action.SET_UNPUBLISH_TIME:
        _, unpublish_at = step_times(action, data, prefix=prefix, article=article)
        workflow.set_unpublish_time(article, by=by, unpublish_at=unpublish_at, version=version)
    elif action == Action.UNPUBLISH:
        workflow.unpublish(article, by=by, note=typed("note"), version=version)
    elif action in (Action.FEATURE, Action.UNFEATURE):
        featured = action == Action.FEATURE
        workflow.set_featured(article, by=by, featured=featured, version=version)
    elif action == Action.CORRECT:
        workflow.correct(article, by=by, note=typed("note"), version=version)
    else:
        raise Http404


# The panel's time inputs, by step and input (the ids browser tests and labels point at).
TIME_INPUT_IDS = {
    (Action.SCHEDULE, "publish_at"): "wf-publish-at",
    (Action.SCHEDULE, "unpublish_at"): "wf-schedule-unpublish-at",
    (Action.PUBLISH, "unpublish_at"): "wf-unpublish-at",
    (Action.SET_UNPUBLISH_TIME, "unpublish_at"): "wf-set-unpublish-at",
}


def primary_action(article, actions):
    """The one step the panel puts forward: "Xuất bản" for an editor (on anything not yet
    published or scheduled), else "Gửi duyệt" for a draft or returned article; None when the
    article's next move is nobody's in particular (it is live, scheduled, or waiting)."""
    if Action.PUBLISH in actions and article.status != Status.PUBLISHED:
        return Action.PUBLISH
    if Action.SUBMIT in actions:
        return Action.SUBMIT
    return None


def step_label(action, article, *, now):
    """A step's button, as it reads for this article."""
    scheduled = is_scheduled(article, now)
    if action == Action.SET_UNPUBLISH_TIME and article.unpublish_at:
        return _("Đổi giờ gỡ")
    if scheduled and action == Action.PUBLISH:
        return _("Xuất bản ngay")
    if scheduled and action == Action.SCHEDULE:
        return _("Đổi lịch xuất bản")
    return Action(action).label


def step_checked_form(form_class):
    """The article form, refusing a save whose step button carries a time that cannot be read
    or makes no sense (step_times): the form comes back with everything typed and says why,
    before anything is saved."""

    class StepCheckedForm(form_class):
        def clean(self):
            cleaned = super().clean()
            action = self.data.get(WORKFLOW_FIELD)
            if action in TIMED_ACTIONS:
                try:
                    step_times(action, self.data, prefix=step_prefix(action), article=self.instance)
                except ValidationError as error:
                    self.add_error(None, error)
            return cleaned

    StepCheckedForm.__name__ = StepCheckedForm.__qualname__ = form_class.__name__
    return StepCheckedForm


class WorkflowAdminMixin:
    """Adds the workflow panel and its steps, the article's one history page (the admin's own
    history address) and the revision comparison to the article admin."""

    change_form_template = "admin/articles/article/change_form.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/quy-trinh/<str:action>/",
                wrap(self.workflow_view),
                name="articles_article_workflow",
            ),
            path(
                "<int:object_id>/phien-ban/",
                wrap(self.revisions_view),
                name="articles_article_revisions",
            ),
            path(
                "<int:object_id>/phien-ban/<int:revision_id>/khoi-phuc/",
                wrap(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def get_viewable_article(self, request, object_id):
        article = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not workflow.can_view(request.user, article):
            raise PermissionDenied
        return article

    def get_form(self, request, obj=None, change=False, **kwargs):
        return step_checked_form(super().get_form(request, obj, change, **kwargs))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        step = request.POST.get(WORKFLOW_FIELD) if request.method == "POST" else None
        if step is not None and step not in STEP_ACTIONS:
            return HttpResponseBadRequest(_("Không có bước biên tập này."))
        # A post with "_saveasnew" is an add for Django, whatever the address says: a copy has
        # no workflow yet (its form, shown again, has no `original` to point the buttons at).
        saving_as_new = request.method == "POST" and "_saveasnew" in request.POST
        article = None if saving_as_new else self.get_object(request, object_id)
        if article is not None:
            extra_context["workflow"] = self.workflow_context(request, article)
        response = super().change_view(request, object_id, form_url, extra_context)
        if step and not saving_as_new and getattr(response, "status_code", None) == 200:
            # The form came back with its errors: nothing was saved and no step taken.
            self.message_user(
                request,
                _("Bài chưa được lưu nên chưa %(step)s: hãy sửa các lỗi bên dưới rồi bấm lại.")
                % {"step": Action(step).label.lower()},
                messages.ERROR,
            )
        return response

    def construct_change_message(self, request, form, formsets, add):
        """What the history says a save changed: only the fields whose stored value moved.

        Django compares what the browser posted with what the form was given, and the body
        editor always posts the body written its own way (attributes in another order, `<img
        ... />`, line breaks), so every save said "Nội dung" changed. What counts is what was
        stored: the body as Article.save() sanitized it. The message also names the revision
        the save recorded, for the history's "So sánh" link.
        """
        if not add:
            form.changed_data = [name for name in form.changed_data if stored_change(form, name)]
        message = super().construct_change_message(request, form, formsets, add)
        revision = None
        if add or any(name in REVISION_FIELDS for name in form.changed_data):
            revision = form.instance.revisions.only("pk").first()
        message.append(revision_message(revision.pk if revision else None))
        return message

    def response_change(self, request, obj):
        """After a save made by a step's button: take the step, in the same transaction.

        A refusal for a reason the person can fix (state, a note, a newer version) leaves the
        save done and says both; a step the person may not take at all is a 403 and the save is
        undone with it. (Times that cannot be read were refused with the form: step_checked_form.)
        """
        step = request.POST.get(WORKFLOW_FIELD)
        if not step or "_saveasnew" in request.POST:
            return super().response_change(request, obj)
        try:
            # The version just saved: the form's clean() checked the one the person started
            # from, and the step runs in the same transaction as the save.
            take_step(
                obj,
                step,
                by=request.user,
                version=obj.version,
                data=request.POST,
                prefix=step_prefix(step),
            )
        except ValidationError as error:
            self.message_user(
                request,
                _("Đã lưu bài, nhưng chưa %(step)s: %(why)s")
                % {"step": Action(step).label.lower(), "why": " ".join(error.messages)},
                messages.WARNING,
            )
        else:
            self.message_user(
                request,
                _("Đã lưu bài. %(done)s") % {"done": self.done_message(obj, step)},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def workflow_context(self, request, article):
        """What the workflow panel (workflow_panel.html) shows. The read-only page of an
        article includes the same panel with the same context."""
        # Whoever may edit the article takes every step through its edit form (the buttons
        # and their inputs belong to it with form="article_form"), so that what was typed is
        # saved, checked as any save is, before the step; the others post to workflow_view.
        through_form = self.has_change_permission(request, article)
        posted = request.POST if request.method == "POST" else None
        posted_step = posted.get(WORKFLOW_FIELD) if posted is not None else None
        now = timezone.now()
        scheduled = is_scheduled(article, now)
        # A scheduled article's inputs start from its own times, so that publishing it now or
        # moving it keeps its unpublish time unless the person changes it; "Hẹn giờ gỡ" starts
        # from the time set (empty: none).
        current_unpublish = typed_time(article.unpublish_at)
        actions = workflow.available_actions(request.user, article)
        primary = primary_action(article, actions)
        steps = []
        for action in actions:
            prefix = step_prefix(action) if through_form else ""

            def typed(name, default="", prefix=prefix):
                if posted is not None and prefix + name in posted:
                    return posted[prefix + name]
                return default

            times = []
            if action == Action.SCHEDULE:
                start = article.publish_at if scheduled else default_publish_time(now)
                value = typed("publish_at", typed_time(start))
                times.append(self.time_input(action, "publish_at", value, now=now))
            if action in TIMED_ACTIONS:
                keeps = scheduled or action == Action.SET_UNPUBLISH_TIME
                start = current_unpublish if keeps else ""
                value = typed("unpublish_at", start)
                times.append(self.time_input(action, "unpublish_at", value, now=now))
            errors = []
            if posted_step == action and action in TIMED_ACTIONS:
                try:
                    step_times(action, posted, prefix=prefix, article=article)
                except ValidationError as error:
                    errors = error.messages
            steps.append(
                {
                    "action": action,
                    "label": step_label(action, article, now=now),
                    "primary": action == primary,
                    "prefix": prefix,
                    "note": typed("note"),
                    "times": times,
                    "errors": errors,
                }
            )
        steps.sort(key=lambda step: not step["primary"])
        publishing = {Action.PUBLISH, Action.SCHEDULE} & set(actions)
        lead_image = posted.get("lead_image") if posted is not None else article.lead_image_id
        returned = return_step(article)
        recent = list(article.transitions.select_related("by")[:3])
        for transition in [*recent, *([returned] if returned else [])]:
            transition.who = person(transition.by)
        return {
            "steps": steps,
            "through_form": through_form,
            "version": article.version,
            "recent": recent,
            "return_note": returned,
            "taken": (
                article.status == Status.SUBMITTED
                and article.created_by_id == request.user.pk
                and Action.WITHDRAW not in actions
                and workflow.is_taken(article)
            ),
            "corrections": article.corrections.all(),
            "preview_url": reverse("articles:preview", args=[article.pk]),
            "preview": preview_panel(request, article),
            "history_url": reverse("admin:articles_article_history", args=[article.pk]),
            "public_url": request.build_absolute_uri(article.get_absolute_url()),
            "warn_no_lead_photo": bool(publishing) and not lead_image,
            "offers_publishing": bool(publishing),
            "offers_publish": Action.PUBLISH in actions,
            "is_live": article.is_live(),
            "is_scheduled": scheduled,
            "now": timezone.localtime(now),
            "time_zone": timezone.get_current_timezone_name(),
            "now_ms": int(now.timestamp() * 1000),
        }

    @staticmethod
    def time_input(action, name, value, *, now):
        kind = "publish" if name == "publish_at" else "unpublish"
        if kind == "publish":
            label = _("Xuất bản lúc")
        elif action == Action.SET_UNPUBLISH_TIME:
            label = _("Tự gỡ lúc")  # the hint says what empty means
        else:
            label = _("Tự gỡ lúc (không bắt buộc)")
        return {
            "id": TIME_INPUT_IDS[action, name],
            "name": name,
            "kind": kind,
            "label": label,
            "value": value,
            "hint": time_hint(value, kind=kind, now=now),
            "placeholder": _("ngày/tháng/năm giờ:phút"),
        }

    def workflow_view(self, request, object_id, action):
        """A step on its own, for people who may not edit the article (its page is read-only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if action not in STEP_ACTIONS:
            raise Http404
        article = self.get_viewable_article(request, object_id)
        version = posted_version(request.POST)
        if version is None:
            return HttpResponseBadRequest(_("Thiếu phiên bản của bài mà bạn đã xem."))
        try:
            take_step(article, action, by=request.user, version=version, data=request.POST)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, self.done_message(article, action), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    @staticmethod
    def done_message(article, action):
        if action == Action.SCHEDULE:
            when = vi_datetime(article.publish_at, "seconds")
            return _("Đã lên lịch: bài tự hiện với bạn đọc lúc %(when)s.") % {"when": when}
        if action == Action.SET_UNPUBLISH_TIME and article.unpublish_at:
            when = vi_datetime(article.unpublish_at, "seconds")
            return _("Đã hẹn giờ gỡ: bài tự gỡ khỏi trang lúc %(when)s.") % {"when": when}
        if action == Action.SET_UNPUBLISH_TIME:
            return _("Đã bỏ hẹn giờ gỡ: bài ở lại trang cho đến khi được gỡ.")
        if action == Action.WITHDRAW:
            return _("Đã rút “%(title)s” về nháp: bạn sửa tiếp được rồi gửi duyệt lại.") % {
                "title": article.title
            }
        return _("%(action)s: “%(title)s”.") % {
            "action": Action(action).label,
            "title": article.title,
        }

    def history_view(self, request, object_id, extra_context=None):
        """The article's one history (the admin's "Lịch sử" address): its workflow steps, the
        saves made in the admin and what each changed, with a link to each revision's
        comparison, and its corrections, newest first (history.timeline)."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not workflow.can_view(request.user, article):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Lịch sử bài viết"),
            "subtitle": article.title,
            "article": article,
            "original": article,
            "entries": timeline(article),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/article/history.html", context)

    def revisions_view(self, request, object_id):
        """Compare two revisions (`a`, the older, and `b`), word by word; without them, the
        history lists every save with its own comparison link."""
        article = self.get_viewable_article(request, object_id)
        history_url = reverse("admin:articles_article_history", args=[article.pk])
        listed = list(article.revisions.select_related("created_by").defer("sapo", "body"))
        ids = [revision.pk for revision in listed]

        def chosen(name):
            try:
                wanted = int(request.GET.get(name, ""))
            except ValueError:
                return None
            return wanted if wanted in ids else None

        newer_id, older_id = chosen("b"), chosen("a")
        if newer_id is None:
            return HttpResponseRedirect(history_url)
        if older_id is None and ids.index(newer_id) + 1 < len(ids):
            older_id = ids[ids.index(newer_id) + 1]
        shown = article.revisions.select_related("created_by").in_bulk(
            [pk for pk in (older_id, newer_id) if pk]
        )
        newer, older = shown[newer_id], shown.get(older_id)
        for revision in [*listed, *shown.values()]:
            revision.who = person(revision.created_by)

        def diff(name, text=lambda value: value):
            return word_diff(
                text(getattr(older, name)) if older else "", text(getattr(newer, name))
            )

        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("So sánh phiên bản"),
            "subtitle": article.title,
            "article": article,
            "revisions": listed,
            "older": older,
            "newer": newer,
            "latest": listed[0],
            "history_url": history_url,
            "comparison": [
                (_("Tiêu đề"), diff("title")),
                (_("Sapo"), diff("sapo")),
                (_("Nội dung"), diff("body", html_to_text)),
            ],
            "can_restore": workflow.can_edit(request.user, article),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def restore_view(self, request, object_id, revision_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_viewable_article(request, object_id)
        revision = get_object_or_404(article.revisions, pk=revision_id)
        version = posted_version(request.POST)
        if version is None:
            return HttpResponseBadRequest(_("Thiếu phiên bản của bài mà bạn đã xem."))
        try:
            workflow.restore_revision(article, revision, by=request.user, version=version)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, _("Đã khôi phục phiên bản đã chọn."), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))


def stored_change(form, name):
    """Whether a field the form reports changed was stored changed: the value saved (after
    Article.save() derived it) differs from the value the form started from. The version the
    person edited from is no change at all; relations and fields outside the model are kept as
    Django reports them."""
    if name == "edited_version":
        return False
    try:
        field = form.instance._meta.get_field(name)
    except LookupError:
        return True
    if field.many_to_many or not field.concrete or name not in form.initial:
        return True
    return form.initial[name] != field.value_from_object(form.instance)


class ArticleListAdmin(ReadOnlyAdmin, CheckedInputAdmin, admin.ModelAdmin):
    """A read-only list of articles that opens each in the article admin."""

    list_display_links = None
    list_per_page = 50

    @admin.display(description=_("tiêu đề"))
    def open_link(self, article):
        url = reverse("admin:articles_article_change", args=[article.pk])
        return format_html('<a href="{}">{}</a>', url, article.title)

    @admin.display(description=_("tác giả"))
    def byline_names(self, article):
        return ", ".join(author.name for author in article.byline)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section", "created_by").with_bylines()


class ReviewQueueAdmin(ArticleListAdmin):
    """Submitted articles, the longest waiting first."""

    list_display = ["open_link", "section", "byline_names", "created_by", "waiting_since"]
    ordering = ["submitted_at", "pk"]
    list_filter = ["section"]
    search_fields = ["title"]

    @admin.display(description=_("gửi duyệt lúc"), ordering="submitted_at")
    def waiting_since(self, article):
        return vi_datetime(article.submitted_at)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=workflow.Status.SUBMITTED)


class ScheduleAdmin(ArticleListAdmin):
    """Published articles whose time has not come yet, the soonest first."""

    list_display = ["open_link", "section", "byline_names", "goes_live"]
    ordering = ["publish_at", "pk"]
    search_fields = ["title"]

    @admin.display(description=_("xuất bản lúc"), ordering="publish_at")
    def goes_live(self, article):
        return vi_datetime(article.publish_at, "seconds")

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .filter(status=workflow.Status.PUBLISHED, publish_at__gt=timezone.now())
        )
        return queryset.order_by("publish_at", "pk")
