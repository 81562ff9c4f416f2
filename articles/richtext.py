"""What an article body may contain, enforced on every save with nh3 (a maintained sanitizer).

The allow-list is what our CKEditor configuration produces: paragraphs, headings, lists, links,
quotes, tables and captioned photos (image2's <figure class="image"><img><figcaption>).
"""

import html
import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "ul", "ol", "li", "a", "blockquote", "hr",
    "figure", "figcaption", "img",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
IMAGE_CLASSES = {"image", "image-left", "image-center", "image-right"}
# image2 recognises a captioned photo by class="image" when the article is opened again.
ALLOWED_CLASSES = {"figure": IMAGE_CLASSES, "img": IMAGE_CLASSES}

_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


def sanitize_html(value):
    """Return `value` with everything outside the allow-list removed (scripts, handlers, styles)."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        # Body photos sit below the lead photo: let the browser fetch them as the reader scrolls.
        set_tag_attribute_values={"img": {"loading": "lazy", "decoding": "async"}},
        strip_comments=True,
    ).strip()


def html_to_text(value):
    """Plain text of sanitized HTML, one space between blocks: the body as search reads it."""
    return _SPACES.sub(" ", html.unescape(_TAG.sub(" ", value or ""))).strip()
