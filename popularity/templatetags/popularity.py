"""{% most_viewed %}: the "Xem nhiều nhất" list, kept as a fragment."""

from datetime import timedelta

from django import template
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from popularity import rankings

register = template.Library()


@register.simple_tag(takes_context=True)
def most_viewed(context, *, days=None, hours=None, section=None):
    """ "Xem nhiều nhất" over the last `days` or `hours`, for the site or one section.

    Kept as a fragment for as long as the ranking itself is cached, under the content version:
    an article taken down leaves the list at once.
    """
    since = timedelta(days=days) if days else timedelta(hours=hours)
    label = f"{days} ngày qua" if days else f"{hours} giờ qua"
    scope = section.pk if section else "all"
    key = f"most-viewed:{scope}:{int(since.total_seconds())}:{context['fragment'].content}"
    fragments = caches["template_fragments"]
    html = fragments.get(key)
    if html is None:
        articles = rankings.most_viewed(since=since, section=section)
        html = render_to_string("includes/most_viewed.html", {"articles": articles, "label": label})
        fragments.set(key, html, rankings.RANKING_CACHE_SECONDS)
    return mark_safe(html)
