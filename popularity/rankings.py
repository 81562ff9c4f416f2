"""Xem nhiều nhất: the short lists of the most viewed live articles that pages show."""

import time

from django.core.cache import cache

from articles.models import Article

# Rankings are worked out afresh in each window of this many seconds (the clock's, the same for
# every worker): with a flush every FLUSH_EVERY seconds, a counted view is listed at most
# FLUSH_EVERY + RANKING_CACHE_SECONDS later.
RANKING_CACHE_SECONDS = 30


def ranking_window():
    """The number of the clock's current ranking window. Cached rankings, and the fragments
    drawn from them, are kept under it: what one window ranked is never shown in the next."""
    return int(time.time() // RANKING_CACHE_SECONDS)


def most_viewed(*, since, section=None, limit=5):
    """Live articles ranked by views in the window, each with `.views`; the ranking is cached
    for the current ranking window, but whether each article is live is checked on every call."""
    scope = section.pk if section else "all"
    key = f"newsroom:most-viewed:{scope}:{int(since.total_seconds())}:{limit}:{ranking_window()}"
    ranking = cache.get(key)
    if ranking is None:
        ranked = Article.objects.live().most_viewed(since=since)
        if section is not None:
            ranked = ranked.in_section(section)
        ranking = list(ranked.values_list("pk", "views")[:limit])
        cache.set(key, ranking, RANKING_CACHE_SECONDS)
    views = dict(ranking)
    articles = Article.objects.live().filter(pk__in=views).only("pk", "slug", "title")
    ordered = sorted(articles, key=lambda article: -views[article.pk])
    for article in ordered:
        article.views = views[article.pk]
    return ordered
