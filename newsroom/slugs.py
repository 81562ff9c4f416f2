"""Slugs for Vietnamese text: ASCII, never empty, unique within a model."""

import re

from django.conf import settings
from django.urls import URLResolver, get_resolver
from django.utils.text import slugify

from newsroom.text import strip_diacritics

# The admin's live slug preview: Django's URLify, then our wrapper with the same rules as below.
# Listing both keeps the wrapper after the script it wraps when Django merges admin media.
ADMIN_SLUG_SCRIPTS = ["admin/js/urlify.js", "newsroom/admin/urlify_vi.js"]


def slugify_vi(text, *, max_length=None):
    """Return an ASCII slug for `text`: "Đà Nẵng: đường dây nóng" -> "da-nang-duong-day-nong".

    With `max_length`, the slug is cut at a word boundary where possible. The result may be
    empty (a title of only punctuation); `unique_slug` supplies a fallback.
    """
    slug = slugify(strip_diacritics(text))
    if max_length and len(slug) > max_length:
        cut = slug[:max_length]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug.strip("-")


def unique_slug(instance, source, *, fallback, field_name="slug", reserved=()):
    """Return a slug for `instance` made from `source`, unique among its model's rows.

    `fallback` is used when `source` has no letter or digit at all. Collisions, and slugs in
    `reserved`, get a numeric suffix ("-2", "-3", ...); the slug stays within max_length.
    """
    model = type(instance)
    max_length = model._meta.get_field(field_name).max_length
    base = slugify_vi(source, max_length=max_length) or fallback
    others = model._default_manager.exclude(pk=instance.pk)
    # Room for a suffix of up to 7 characters: a cut-down base must still be looked up.
    prefix = base[: max_length - 8]
    taken = set(reserved) | set(
        others.filter(**{f"{field_name}__startswith": prefix}).values_list(field_name, flat=True)
    )
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
    return candidate


_LITERAL_START = re.compile(r"^\^?([\w.\-]+)(/|\\/|\$|$)")


def _first_segment(pattern):
    """The fixed first path segment a URL pattern starts with ("tim-kiem" for "tim-kiem/"), or
    None when its first segment is made of a converter or a regular expression."""
    text = getattr(pattern, "_route", None)
    if text is None:
        text = pattern.regex.pattern
    match = _LITERAL_START.match(text)
    return match.group(1) if match else None


def taken_first_segments(urlconf=None):
    """Every fixed first path segment the site's URL configuration routes ("admin", "tim-kiem",
    "robots.txt", ...), with the static and media folders: a page whose address is
    /<slug>/ (a section) must never take one of them. Read from the URLs themselves, so that a
    new address is reserved the moment it is routed."""
    taken = {
        folder.strip("/").split("/")[0]
        for folder in (settings.STATIC_URL, settings.MEDIA_URL)
        if folder and "://" not in folder
    }

    def walk(patterns):
        for entry in patterns:
            segment = _first_segment(entry.pattern)
            if segment:
                taken.add(segment)
            elif isinstance(entry, URLResolver) and not str(entry.pattern):
                walk(entry.url_patterns)  # include() at the root: its own patterns count

    walk(get_resolver(urlconf).url_patterns)
    return taken
