from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape

from masthead import identity
from sections.models import Section

from .models import Article

FEED_SIZE = 50


class LatestArticlesFeed(Feed):
    """RSS of the newest live articles of the whole site."""

    feed_type = Rss201rev2Feed
    language = "vi"

    def title(self):
        return f"{identity.current().name} — Tin mới nhất"

    def description(self):
        return f"Tin tức mới nhất từ {identity.current().name}."

    def link(self):
        return reverse("articles:home")

    def articles(self, obj):
        return Article.objects.live()

    def items(self, obj=None):
        return self.articles(obj).newest_first().for_listing().with_bylines()[:FEED_SIZE]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        # Feed readers render the description as HTML; a sapo is plain text.
        return escape(article.sapo)

    def item_pubdate(self, article):
        return article.publish_at

    def item_updateddate(self, article):
        return article.last_modified

    def item_author_name(self, article):
        return ", ".join(author.name for author in article.byline)

    def item_categories(self, article):
        return [article.section.name]


class SectionFeed(LatestArticlesFeed):
    """RSS of one section's newest live articles (its sub-sections' included)."""

    def get_object(self, request, slug):
        sections = Section.objects.select_related("parent").with_sub_sections()
        return get_object_or_404(sections, slug=slug)

    def title(self, section):
        return f"{identity.current().name} — {section.name}"

    def description(self, section):
        return section.description or f"Tin mới nhất chuyên mục {section.name}."

    def link(self, section):
        return section.get_absolute_url()

    def articles(self, section):
        return Article.objects.live().in_section(section)
