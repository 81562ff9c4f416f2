"""The site's addresses plus the reference views of `make bench` (settings.BENCHMARK_VIEW)."""

from django.urls import path

from newsroom.urls import handler500
from newsroom.urls import urlpatterns as site_urlpatterns

from . import bench_views

urlpatterns = [
    path("bench/bare/", bench_views.bare),
    path("bench/stored-article/", bench_views.stored_article),
    path("bench/stored-article-after-query/", bench_views.stored_article_after_query),
    *site_urlpatterns,
]

__all__ = ["handler500", "urlpatterns"]
