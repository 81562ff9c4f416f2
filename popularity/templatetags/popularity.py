"""{% most_viewed %}: the "Xem nhiều nhất" list, kept as a fragment; {% view_beacon %}: the
script an article page carries to count its view."""

from datetime import timedelta

from django import template
from django.core.cache import caches
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from popularity import rankings

register = template.Library()


@register.simple_tag(takes_context=True)
def most_viewed(context, *, days=None, hours=None, section=None):
    """ "Xem nhiều nhất" over the last `days` or `hours`, for the site or one section.

    Kept as a fragment for the ranking's window (rankings.ranking_window), under the content
    version: an article taken down leaves the list at once, and a fragment drawn late in a
    window never outlives the ranking it shows.
    """
    since = timedelta(days=days) if days else timedelta(hours=hours)
    label = f"{days} ngày qua" if days else f"{hours} giờ qua"
    scope = section.pk if section else "all"
    window = rankings.ranking_window()
    key = f"most-viewed:{scope}:{int(since.total_seconds())}:{window}:{context['fragment'].content}"
    fragments = caches["template_fragments"]
    html = fragments.get(key)
    if html is None:
        articles = rankings.most_viewed(since=since, section=section)
        html = render_to_string("includes/most_viewed.html", {"articles": articles, "label": label})
        fragments.set(key, html, rankings.RANKING_CACHE_SECONDS)
    return mark_safe(html)


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
