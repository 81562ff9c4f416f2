import json
from datetime import timedelta

from django import template
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles import popularity
from articles.models import Article

register = template.Library()

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
SIDEBAR_SIZE = 5
# As json_script does: no "</script>" or "<!--" can close or confuse the block early.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def vi_datetime(value):
    """Vietnamese newspaper style: "Thứ Năm, 05/11/2026 09:30 (GMT+7)", in the site's time zone."""
    if not value:
        return ""
    local = timezone.localtime(value)
    offset_hours = int(local.utcoffset().total_seconds() // 3600)
    return f"{WEEKDAYS[local.weekday()]}, {local:%d/%m/%Y %H:%M} (GMT{offset_hours:+d})"


@register.filter
def vi_date(value):
    """Short date for lists: "05/11/2026 09:30"."""
    if not value:
        return ""
    return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"


def rendition_srcset(image, kind):
    return ", ".join(
        f"{default_storage.url(name)} {width}w"
        for width, _height, name in image.renditions.get(kind, [])
    )


def largest_rendition_url(image, kind="jpeg"):
    """The widest stored JPEG (for sharing cards and JSON-LD), else the original file."""
    sizes = image.renditions.get(kind) if image else None
    if sizes:
        return default_storage.url(sizes[-1][2])
    return image.file.url if image else ""


@register.filter
def share_image_url(image):
    """Path of the photo that sharing cards show."""
    return largest_rendition_url(image)


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """The full address of `path` on this site. An article page names its public address this
    way, not the address it was asked at: a preview must not hand out its own."""
    return context["request"].build_absolute_uri(path)


@register.inclusion_tag("includes/picture.html")
def picture(image, sizes="100vw", eager=False):
    """A responsive <picture>: WebP and JPEG at several widths, original size set, lazy below
    the fold (pass eager=True for the first, largest image of a page)."""
    return {
        "image": image,
        "webp_srcset": rendition_srcset(image, "webp"),
        "jpeg_srcset": rendition_srcset(image, "jpeg"),
        "fallback": largest_rendition_url(image),
        "sizes": sizes,
        "eager": eager,
    }


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
        "publisher": {
            "@type": "Organization",
            "name": "Newsroom",
            "logo": {"@type": "ImageObject", "url": absolute(static("newsroom/logo.png"))},
        },
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


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's address without stray query strings; keeps ?page=N beyond the first page."""
    request = context["request"]
    url = request.build_absolute_uri(request.path)
    page_obj = context.get("page_obj")
    if page_obj is not None and page_obj.number > 1:
        url += f"?page={page_obj.number}"
    return url


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


@register.filter
def vi_number(value):
    """12345 -> "12.345", as Vietnamese writes thousands."""
    return f"{value:,}".replace(",", ".")


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
        articles = popularity.most_viewed(since=since, section=section)
        html = render_to_string("includes/most_viewed.html", {"articles": articles, "label": label})
        fragments.set(key, html, popularity.RANKING_CACHE_SECONDS)
    return mark_safe(html)
