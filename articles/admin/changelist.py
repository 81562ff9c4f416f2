"""The article list of the admin: a row per article that a newsroom can scan.

Each row shows the lead photo's smallest size, the full title, the section and bylines, the state
as a badge ("Hẹn giờ" with its time, "Bị trả lại" with the editor's note), the last update and
the views of the last 24 hours. The filters (state, section, author, "mine", dates) sit as menus
above the list, so the title keeps the width. Whatever a page lists, it costs the same queries:
the state and the views are worked out by the database, bylines and return notes come in one
more query each.
"""

from datetime import timedelta

from django.contrib import admin
from django.contrib.admin import ShowFacets
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import BigIntegerField, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Byline
from articles.models.article import LONG_TEXT_FIELDS
from articles.states import State, in_state, return_step, with_return_step, with_state
from newsroom.admin import CheckedChangeList
from newsroom.formats import vi_datetime
from staff.templatetags.staff_frame import greeting_name

# What a returned article's row shows of the editor's note (all of it on hovering).
RETURN_NOTE_CHARS = 70
THUMBNAIL_SIZE = (56, 32)
VIEWS_WINDOW = timedelta(hours=24)


def with_recent_views(articles, since=VIEWS_WINDOW):
    """`articles`, each carrying `.recent_views`: its views in the whole hours of the window
    `since` long ending now, as "Xem nhiều nhất" counts them (popularity's hourly buckets, the
    hour under way included); one subquery, no query per article."""
    # Reached through the relation popularity declares: articles never imports popularity.
    view_bucket = Article._meta.get_field("view_buckets").related_model
    hourly = view_bucket.Granularity.HOUR
    start = view_bucket.period_of(timezone.now(), hourly) - (since - timedelta(hours=1))
    views = (
        view_bucket.objects.filter(
            article=OuterRef("pk"), granularity=hourly, period_start__gte=start
        )
        .order_by()
        .values("article")
        .annotate(total=Sum("views"))
        .values("total")
    )
    return articles.annotate(
        recent_views=Coalesce(Subquery(views), Value(0), output_field=BigIntegerField())
    )


def listed(articles):
    """What a row of the list reads, in the list's own query and one more for return notes.
    (The bylines come with the admin's queryset: `with_bylines()`.)"""
    articles = articles.select_related("section", "lead_image", "updated_by__author").defer(
        *LONG_TEXT_FIELDS
    )
    return with_return_step(with_recent_views(with_state(articles)))


def person_name(user):
    """A person as the admin names them (its greeting): full name, byline, else user name."""
    return greeting_name(user) if user else ""


class ArticleChangeList(CheckedChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # The columns' annotations go on the root queryset, before Django orders by them.
        if not getattr(self, "listed", False):
            self.root_queryset = listed(self.root_queryset)
            self.listed = True
        return super().get_queryset(request, exclude_parameters)


# Filters --------------------------------------------------------------------------------------


class MenuFilter:
    """A filter drawn as a menu in the bar above the list (templates/admin/articles/article/
    list_filter.html), not as a column of links beside it. Its first choice, "all", bears
    `all_label`, else the filter's name: `menu_title`, else the field's."""

    template = "admin/articles/article/list_filter.html"
    menu_title = None
    all_label = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.menu_title:
            self.title = self.menu_title

    @property
    def menu_id(self):
        """The menu's id in the page: its query parameter, or the field it filters by."""
        return f"filter-{getattr(self, 'parameter_name', None) or self.field_path}"


class StateFilter(MenuFilter, admin.SimpleListFilter):
    title = _("trạng thái")
    parameter_name = "trang_thai"

    def lookups(self, request, model_admin):
        return State.choices

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value not in State.values:
            raise IncorrectLookupParameters(value)
        return in_state(queryset, value)


class MineFilter(MenuFilter, admin.SimpleListFilter):
    """Articles the person made or signs (a byline of their author)."""

    title = _("người viết")
    all_label = _("Bài của mọi người")
    parameter_name = "cua_toi"

    def lookups(self, request, model_admin):
        return [("1", _("Bài của tôi"))]

    def queryset(self, request, queryset):
        if self.value() != "1":
            return queryset
        signed = Byline.objects.filter(article=OuterRef("pk"), author__user=request.user)
        return queryset.filter(Q(created_by=request.user) | Exists(signed))


class SectionFilter(MenuFilter, admin.RelatedFieldListFilter):
    menu_title = _("chuyên mục")


class AuthorFilter(MenuFilter, admin.RelatedFieldListFilter):
    menu_title = _("tác giả")
    # Every article has a byline: "none" would always be empty.
    include_empty_choice = False


class PublishDateFilter(MenuFilter, admin.DateFieldListFilter):
    menu_title = _("ngày xuất bản")


class UpdateDateFilter(MenuFilter, admin.DateFieldListFilter):
    menu_title = _("ngày cập nhật")


class FeaturedFilter(MenuFilter, admin.BooleanFieldListFilter):
    menu_title = _("tin nổi bật")


# The admin ------------------------------------------------------------------------------------


class ArticleListMixin:
    """The article admin's list (ArticleAdmin): its columns, filters, order and page."""

    list_display = ["thumbnail", "headline", "filed", "state_badge", "last_update", "views"]
    list_display_links = ["headline"]
    list_filter = [
        StateFilter,
        ("section", SectionFilter),
        ("authors", AuthorFilter),
        MineFilter,
        ("publish_at", PublishDateFilter),
        ("updated_at", UpdateDateFilter),
        ("is_featured", FeaturedFilter),
    ]
    search_fields = ["title", "sapo", "slug"]
    list_per_page = 50
    date_hierarchy = None
    ordering = ["-updated_at"]
    # The menus above the list have no room for counts, and counting costs a query per filter.
    show_facets = ShowFacets.NEVER
    # One bulk action (deleting) that is seldom taken: below the list, not above it.
    actions_on_top = False
    actions_on_bottom = True

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def changelist_view(self, request, extra_context=None):
        # "Bài viết", not Django's "Chọn bài viết để thay đổi": the list is where the work is.
        extra_context = {"title": _("Bài viết"), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    @admin.display(description="")
    def thumbnail(self, article):
        width, height = THUMBNAIL_SIZE
        if not article.lead_image:
            return mark_safe('<span class="article-thumb article-thumb--none"></span>')
        return format_html(
            '<img class="article-thumb" src="{}" width="{}" height="{}" alt="" loading="lazy">',
            article.lead_image.smallest_size()[0],
            width,
            height,
        )

    @admin.display(description=_("tiêu đề"), ordering="title")
    def headline(self, article):
        return article.title

    @admin.display(description=_("chuyên mục, tác giả"))
    def filed(self, article):
        bylines = ", ".join(author.name for author in article.byline)
        featured = (
            format_html(' <span class="article-flag">{}</span>', _("Nổi bật"))
            if article.is_featured
            else ""
        )
        return format_html(
            '<span class="article-section">{}{}</span><span class="article-bylines">{}</span>',
            article.section.name,
            featured,
            bylines or "—",
        )

    @admin.display(description=_("trạng thái"))
    def state_badge(self, article):
        state = State(article.state)
        badge = format_html('<span class="state state--{}">{}</span>', state.value, state.label)
        step = return_step(article)
        if state == State.RETURNED and step is not None:
            note = Truncator(step.note).chars(RETURN_NOTE_CHARS)
            detail = format_html(
                '<span class="state-detail state-note" title="{}">“{}”</span>',
                _("%(who)s, %(when)s: %(note)s")
                % {"who": person_name(step.by), "when": vi_datetime(step.at), "note": step.note},
                note,
            )
        else:
            # The time that goes with the state: sent for review, going or gone live, taken down.
            when = {
                State.SUBMITTED: article.submitted_at,
                State.SCHEDULED: article.publish_at,
                State.PUBLISHED: article.publish_at,
                State.UNPUBLISHED: article.unpublish_at,
            }.get(state)
            detail = format_html('<span class="state-detail">{}</span>', vi_datetime(when))
            detail = detail if when else ""
        return format_html("{}{}", badge, detail)

    @admin.display(description=_("cập nhật"), ordering="updated_at")
    def last_update(self, article):
        parts = [vi_datetime(article.updated_at), person_name(article.updated_by)]
        return format_html_join("", "<span>{}</span>", ([part] for part in parts if part))

    @admin.display(description=_("xem 24 giờ"), ordering="recent_views")
    def views(self, article):
        return number_format(article.recent_views, force_grouping=True)
