"""The admin's side of the editorial workflow: buttons, review queue, schedule, revisions.

Every step goes through articles/workflow.py, which checks permission and state; the views here
only read the form, call it and report back.
"""

import difflib

from django.contrib import admin, messages
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
from django.utils.dateparse import parse_datetime
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles import workflow
from articles.models import Transition
from articles.richtext import html_to_text
from newsroom.admin import CheckedInputAdmin, ReadOnlyAdmin
from newsroom.formats import vi_datetime

from .previews import preview_panel

Action = Transition.Action


def parse_local_datetime(value):
    """A time typed in the admin ("2026-11-27T09:30:15"), in the newsroom's time zone."""
    if not value:
        return None
    try:
        moment = parse_datetime(value.strip())
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError(_("Thời gian “%(value)s” không hợp lệ.") % {"value": value})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


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
    elif action == Action.RETURN:
        workflow.return_to_reporter(article, by=by, note=typed("note"), version=version)
    elif action == Action.PUBLISH:
        unpublish_at = parse_local_datetime(typed("unpublish_at"))
        workflow.publish(article, by=by, unpublish_at=unpublish_at, version=version)
    elif action == Action.SCHEDULE:
        at = parse_local_datetime(typed("publish_at"))
        if at is None:
            raise ValidationError(_("Hãy chọn thời điểm xuất bản."))
        unpublish_at = parse_local_datetime(typed("unpublish_at"))
        workflow.publish(article, by=by, at=at, unpublish_at=unpublish_at, version=version)
    elif action == Action.UNPUBLISH:
        workflow.unpublish(article, by=by, note=typed("note"), version=version)
    elif action in (Action.FEATURE, Action.UNFEATURE):
        featured = action == Action.FEATURE
        workflow.set_featured(article, by=by, featured=featured, version=version)
    elif action == Action.CORRECT:
        workflow.correct(article, by=by, note=typed("note"), version=version)
    else:
        raise Http404


class WorkflowAdminMixin:
    """Adds the workflow panel and its actions to the article admin."""

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

    def response_change(self, request, obj):
        """After a save made by a step's button: take the step, in the same transaction.

        A refusal for a reason the person can fix (state, times, a note, a newer version) leaves
        the save done and says both; a step the person may not take at all is a 403 and the
        save is undone with it.
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
        # Whoever may edit the article takes every step through its edit form (the buttons
        # and their inputs belong to it with form="article_form"), so that what was typed is
        # saved, checked as any save is, before the step; the others post to workflow_view.
        through_form = self.has_change_permission(request, article)
        typed = request.POST if request.method == "POST" else {}
        steps = []
        for action in workflow.available_actions(request.user, article):
            prefix = step_prefix(action) if through_form else ""
            steps.append(
                {
                    "action": action,
                    "label": Action(action).label,
                    "prefix": prefix,
                    "typed": {
                        name: typed.get(prefix + name, "")
                        for name in ("note", "publish_at", "unpublish_at")
                    },
                }
            )
        transitions = list(article.transitions.select_related("by")[:30])
        returned = next((t for t in transitions if t.action == Action.RETURN), None)
        return {
            "steps": steps,
            "through_form": through_form,
            "version": article.version,
            "transitions": transitions,
            "return_note": returned if article.status == article.Status.RETURNED else None,
            "corrections": article.corrections.all(),
            "preview_url": reverse("articles:preview", args=[article.pk]),
            "preview": preview_panel(request, article),
            "revisions_url": reverse("admin:articles_article_revisions", args=[article.pk]),
            "revision_count": article.revisions.count(),
            "is_live": article.is_live(),
            "now": timezone.localtime(),
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
        return _("%(action)s: “%(title)s”.") % {
            "action": Action(action).label,
            "title": article.title,
        }

    def revisions_view(self, request, object_id):
        article = self.get_viewable_article(request, object_id)
        revisions = list(article.revisions.select_related("created_by"))
        by_id = {revision.pk: revision for revision in revisions}
        try:
            newer = by_id.get(int(request.GET.get("b", "")))
            older = by_id.get(int(request.GET.get("a", "")))
        except ValueError:
            newer = older = None
        if newer is None and revisions:
            newer = revisions[0]
        if older is None and len(revisions) > 1:
            older = revisions[1]
        comparison = None
        if newer and older:
            comparison = [
                (_("Tiêu đề"), word_diff(older.title, newer.title)),
                (_("Sapo"), word_diff(older.sapo, newer.sapo)),
                (_("Nội dung"), word_diff(html_to_text(older.body), html_to_text(newer.body))),
            ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Các phiên bản của “%(title)s”") % {"title": article.title},
            "article": article,
            "revisions": revisions,
            "older": older,
            "newer": newer,
            "comparison": comparison,
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
