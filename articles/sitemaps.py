"""Sitemaps for search engines, all built from Article.objects.live()."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from sections.models import Section

from .models import Article, Author, Tag
from .models.article import LONG_TEXT_FIELDS

NEWS_WINDOW = timedelta(hours=48)


def newest_live(**filters):
    """The publish time of the newest live article matching `filters`, as a subquery."""
    live = Article.objects.live().filter(**filters).order_by("-publish_at")
    return Subquery(live.values("publish_at")[:1])


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        # An entry needs the address and times, not the article's long texts.
        return (
            Article.objects.live()
            .select_related("section__parent")
            .defer(*LONG_TEXT_FIELDS)
            .order_by("-publish_at", "-pk")
        )

    def lastmod(self, article):
        return article.last_modified


class ListingSitemap(Sitemap):
    """Pages that list articles; lastmod is their newest live article, and a page with no live
    article at all is left out."""

    changefreq = "hourly"

    def lastmod(self, obj):
        return obj.newest_publish_at


class SectionSitemap(ListingSitemap):
    def items(self):
        # A parent's page also lists its sub-sections' articles: by primary section, that is
        # its own newest or the newest of a child.
        sections = Section.objects.select_related("parent").annotate(
            newest_publish_at=newest_live(section=OuterRef("pk"))
        )
        own = {s.pk: s for s in sections}
        for section in own.values():
            if section.parent_id and section.newest_publish_at:
                parent = own[section.parent_id]
                if (
                    not parent.newest_publish_at
                    or parent.newest_publish_at < section.newest_publish_at
                ):
                    parent.newest_publish_at = section.newest_publish_at
        return [s for s in own.values() if s.newest_publish_at]


class AuthorSitemap(ListingSitemap):
    def items(self):
        authors = Author.objects.annotate(
            newest_publish_at=newest_live(bylines__author=OuterRef("pk"))
        )
        return authors.filter(newest_publish_at__isnull=False).order_by("slug")


class TagSitemap(ListingSitemap):
    def items(self):
        tags = Tag.objects.annotate(newest_publish_at=newest_live(tags=OuterRef("pk")))
        return tags.filter(newest_publish_at__isnull=False).order_by("slug")


class NewsSitemap(ArticleSitemap):
    """Google News: live articles of the last 48 hours (templates/sitemaps/news.xml)."""

    limit = 1000

    def items(self):
        return super().items().filter(publish_at__gte=timezone.now() - NEWS_WINDOW)


SITEMAPS = {
    "chuyen-muc": SectionSitemap,
    "bai-viet": ArticleSitemap,
    "tac-gia": AuthorSitemap,
    "chu-de": TagSitemap,
}
