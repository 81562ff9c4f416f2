"""Slugs for Vietnamese text: ASCII, never empty, unique within a model."""

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
