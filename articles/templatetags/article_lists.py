"""Lists of articles: `{% article_sidebars article %}` beside an article, `{% latest_stories %}`
on the 404 page."""

from django import template

from articles.models import Article

register = template.Library()

SIDEBAR_SIZE = 5


@register.inclusion_tag("includes/article_sidebars.html", takes_context=True)
def article_sidebars(context, article):
    """Beside an article: "Tin liên quan" (the editor's picks, then articles sharing the most
    tags) and "Tin cùng chuyên mục" (the newest of its section), neither repeating the other."""
    live = Article.objects.live()
    related = list(live.related_to(article).for_listing()[:SIDEBAR_SIZE])
    same_section = (
        live.in_section(article.section)
        .exclude(pk__in=[article.pk, *(a.pk for a in related)])
        .newest_first()
        .for_listing()[:SIDEBAR_SIZE]
    )
    return {"related": related, "same_section": same_section, "fragment": context["fragment"]}


NOT_FOUND_LATEST = 6


@register.inclusion_tag("includes/latest_stories.html", takes_context=True)
def latest_stories(context, count=NOT_FOUND_LATEST):
    """The newest live articles, for a page that has nothing else to show (the 404 page)."""
    latest = Article.objects.live().newest_first().for_listing()[:count]
    return {"articles": latest, "fragment": context["fragment"]}
