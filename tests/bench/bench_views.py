"""Reference views for `make bench` (routed by tests/bench/urls.py, which BENCHMARK_VIEW=1 makes
the URL configuration): what the framework and the machine cost before any page's own work, to
compare the real pages with."""

from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from articles.models import Article
from articles.views import ArticleDetailView

BARE_PAGE = b"<!doctype html><title>bench</title>" + b"x" * 30_000
_stored = {}


def bare(request):
    """30 KB, no query, no template: the framework's own limit."""
    return HttpResponse(BARE_PAGE)


def newest_article_page(request):
    """The newest article's page as its view builds it for this host, once per worker."""
    if "page" not in _stored:
        article = Article.objects.live().newest_first().only("pk", "slug").first()
        as_reader = RequestFactory().get(article.get_absolute_url(), HTTP_HOST=request.get_host())
        response = ArticleDetailView.as_view()(as_reader, pk=article.pk, slug=article.slug)
        _stored.update(page=response.render().content, pk=article.pk)
    return _stored["page"], _stored["pk"]


def stored_article(request):
    """The article page's own bytes sent again: no query, no template. What compressing and
    sending a real page costs; no article view can serve faster."""
    page, _pk = newest_article_page(request)
    return HttpResponse(page)


def stored_article_after_query(request):
    """The same after one SQL query that checks the article is live, without the ORM: the
    least an article view that asks the database could cost."""
    page, pk = newest_article_page(request)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, slug, updated_at, version FROM articles_article "
            "WHERE id = %s AND status = 'published' AND publish_at <= %s",
            [pk, timezone.now()],
        )
        cursor.fetchone()
    return HttpResponse(page)
