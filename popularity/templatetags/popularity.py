"""{% most_viewed %}: the "Xem nhiều nhất" list, kept as a fragment (or "Tin mới" while nothing
has been viewed); {% view_beacon %}: the script an article page carries to count its view."""

from datetime import timedelta

from django import template
from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.models import Article
from popularity import rankings

register = template.Library()

# How many of the newest articles stand in for "Xem nhiều nhất" before anything was viewed.
LATEST_FALLBACK_SIZE = 5


@register.simple_tag(takes_context=True)
def most_viewed(context, *, days=None, hours=None, section=None, fallback=True, exclude=None):
    """ "Xem nhiều nhất" over the last `days` or `hours`, for the site or one section.

    Until the window has views (a new site, a quiet section), the block gives way to "Tin
    mới": the site's newest live articles, without `exclude` (the article the page shows). A
    page that already lists the newest (the home page) passes `fallback=False`.

    Kept as a fragment for the ranking's window (rankings.ranking_window), under the content
    version: an article taken down leaves the list at once, and a fragment drawn late in a
    window never outlives the ranking it shows. The ranked list is shared by every page of its
    scope; the stand-in is kept per excluded article, and costs the query the ranking's own
    check of live articles would have cost.
    """
    since = timedelta(days=days) if days else timedelta(hours=hours)
    label = f"{days} ngày qua" if days else f"{hours} giờ qua"
    scope = section.pk if section else "all"
    window = rankings.ranking_window()
    content = context["fragment"].content
    fragments = caches["template_fragments"]
    key = f"most-viewed:{scope}:{int(since.total_seconds())}:{window}:{content}"
    html = fragments.get(key)
    if html is None:
        articles = rankings.most_viewed(since=since, section=section)
        # An empty string is kept too: "no views in this window", so the stand-in is chosen
        # without asking for the ranking again.
        html = (
            render_to_string(
                "includes/most_viewed.html",
                {
                    "articles": articles,
                    "label": label,
                    "shown_from": settings.VIEW_COUNT_SHOWN_FROM,
                },
            )
            if articles
            else ""
        )
        fragments.set(key, html, rankings.RANKING_CACHE_SECONDS)
    if html or not fallback:
        return mark_safe(html)
    return mark_safe(latest_instead(exclude, context["fragment"]))


def latest_instead(exclude, fragment):
    """ "Tin mới" in place of an empty "Xem nhiều nhất", kept under the content version."""
    fragments = caches["template_fragments"]
    key = f"most-viewed-fallback:{exclude.pk if exclude else '-'}:{fragment.content}"
    html = fragments.get(key)
    if html is None:
        latest = Article.objects.live().newest_first().only("pk", "slug", "title", "publish_at")
        if exclude is not None:
            latest = latest.exclude(pk=exclude.pk)
        html = render_to_string(
            "includes/most_viewed.html", {"latest": list(latest[:LATEST_FALLBACK_SIZE])}
        )
        fragments.set(key, html, fragment.ttl)
    return html


@register.simple_tag
def view_beacon(article):
    """The beacon (popularity/static/popularity/beacon.js): once the page is shown, it posts
    the article's id to the count-view address, where popularity.counting decides whether the
    view counts."""
    return format_html(
        '<script src="{}" data-article="{}" data-endpoint="{}" defer></script>',
        static("popularity/beacon.js"),
        article.pk,
        reverse("popularity:count-view"),
    )
