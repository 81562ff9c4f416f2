"""What an article body may contain, enforced on every save with nh3 (a maintained sanitizer).

The allow-list is what our CKEditor configuration produces: paragraphs, headings, lists, links,
quotes, tables and captioned photos (image2's <figure class="image"><img><figcaption>). Links may
go to http, https and mailto addresses or to our own (relative) pages; photos may come from http,
https or our own media. Anything else is removed: scripts and styles with their content, event
handlers, style attributes, javascript:, vbscript: and data: addresses, frames, objects, forms,
SVG and MathML, <meta>, <base> and comments.

Captions, credits and alt text are plain text: `newsroom.text.plain_text()` takes any markup out.
Titles and sapos are kept as typed and escaped wherever they are shown.
"""

import html
import re
from html.parser import HTMLParser

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
NUMBER_ATTRIBUTES = {"width", "height", "colspan", "rowspan"}
IMAGE_CLASSES = {"image", "image-left", "image-center", "image-right"}
# image2 recognises a captioned photo by class="image" when the article is opened again; a
# centred photo without a caption sits in <p class="image-center">.
ALLOWED_CLASSES = {"figure": IMAGE_CLASSES, "img": IMAGE_CLASSES, "p": {"image-center"}}
# Body photos sit below the lead photo: let the browser fetch them as the reader scrolls.
IMAGE_LOADING = ' loading="lazy" decoding="async"'

_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\d{1,5}")


def _keep_attribute(tag, attribute, value):
    if attribute in NUMBER_ATTRIBUTES:
        return value if _DIGITS.fullmatch(value.strip()) else None
    return value


def sanitize_html(value):
    """Return `value` with everything outside the allow-list removed (scripts, handlers, styles).

    The same input always gives the same output, and cleaning a clean body changes nothing:
    saving an article again does not make a new revision of an unchanged body.
    """
    cleaned = nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
    return _with_lazy_images(cleaned)


class _ImageTags(HTMLParser):
    """Where each <img> start tag of sanitized HTML begins, as a browser's parser finds them: a
    "<img" inside an attribute value (alt="<img onerror=...>", which some nh3 versions write
    without escaping "<") or inside text is not a tag, and is left alone."""

    def __init__(self, markup):
        super().__init__(convert_charrefs=True)
        self.starts = []
        self._line_starts, at = [], 0  # getpos() counts lines and columns
        for line in markup.split("\n"):
            self._line_starts.append(at)
            at += len(line) + 1
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            line, column = self.getpos()
            self.starts.append(self._line_starts[line - 1] + column)


def _with_lazy_images(cleaned):
    # Written right after "<img", so that bodies already stored stay byte for byte the same
    # when saved again (no revision that changes nothing).
    # Not with nh3's set_tag_attribute_values: it writes the two in an order that changes from
    # one process to the next.
    pieces, done = [], 0
    for start in _ImageTags(cleaned).starts:
        end = start + len("<img")
        if cleaned[start:end] != "<img":  # nh3 writes lower-case tags; add nothing elsewhere
            continue
        pieces += [cleaned[done:end], IMAGE_LOADING]
        done = end
    pieces.append(cleaned[done:])
    return "".join(pieces)


def html_to_text(value):
    """Plain text of sanitized HTML, one space between blocks: the body as search reads it."""
    return _SPACES.sub(" ", html.unescape(_TAG.sub(" ", value or ""))).strip()
