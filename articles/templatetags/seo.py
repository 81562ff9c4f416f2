"""What search engines and sharing read from a page: its canonical address, absolute
addresses, and schema.org structured data (JSON-LD)."""

import json

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from masthead import identity
from photos.templatetags.photos import largest_rendition_url

register = template.Library()

# As json_script does: no "</script>" or "<!--" can close or confuse the block early.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """The full address of `path` on this site. An article page names its public address this
    way, not the address it was asked at: a preview must not hand out its own."""
    return context["request"].build_absolute_uri(path)


@register.simple_tag
def jsonld(data):
    """A <script type="application/ld+json"> block, escaped like json_script against "</script>"."""
    payload = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


@register.simple_tag(takes_context=True)
def article_jsonld(context, article):
    """schema.org NewsArticle and BreadcrumbList for an article page."""
    request = context["request"]
    absolute = request.build_absolute_uri
    # A preview of an article not yet scheduled shows the time it would go out: now.
    published = article.publish_at or timezone.now()
    crumbs = [("Trang chủ", reverse("articles:home"))]
    if article.section.parent_id:
        crumbs.append((article.section.parent.name, article.section.parent.get_absolute_url()))
    crumbs.append((article.section.name, article.section.get_absolute_url()))
    news_article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": absolute(article.get_absolute_url()),
        "headline": article.title[:110],
        "description": article.sapo,
        "datePublished": published.isoformat(),
        "dateModified": (article.last_modified or published).isoformat(),
        "author": [
            {"@type": "Person", "name": author.name, "url": absolute(author.get_absolute_url())}
            for author in article.byline
        ],
        "publisher": publisher(absolute),
        "articleSection": article.section.name,
        "inLanguage": "vi",
    }
    if article.lead_image:
        news_article["image"] = [absolute(largest_rendition_url(article.lead_image))]
    breadcrumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": name, "item": absolute(url)}
            for number, (name, url) in enumerate(crumbs, start=1)
        ],
    }
    return jsonld(news_article) + jsonld(breadcrumbs)


def publisher(absolute):
    """schema.org Organization for the masthead in force: its name, and its logo if any."""
    masthead = identity.current()
    organization = {
        "@type": "Organization",
        "name": masthead.name,
        "url": absolute(reverse("articles:home")),
    }
    if masthead.logo_url:
        organization["logo"] = {"@type": "ImageObject", "url": absolute(masthead.logo_url)}
        if masthead.logo and masthead.logo_width:
            organization["logo"] |= {"width": masthead.logo_width, "height": masthead.logo_height}
    return organization


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's address without stray query strings; keeps ?page=N beyond the first page."""
    request = context["request"]
    url = request.build_absolute_uri(request.path)
    page_obj = context.get("page_obj")
    if page_obj is not None and page_obj.number > 1:
        url += f"?page={page_obj.number}"
    return url
