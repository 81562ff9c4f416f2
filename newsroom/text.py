"""Text as the site stores and compares it: plain text from typed markup, and Vietnamese without
its diacritics (for slugs and for search that ignores accents)."""

import html
import re
import unicodedata

import nh3

# NFKD splits "ệ" into "e" and its marks, but đ/Đ are letters of their own with no decomposition.
_VIETNAMESE_LETTERS = str.maketrans({"đ": "d", "Đ": "D"})
_NON_WORD = re.compile(r"[^\w]+")


def strip_diacritics(text):
    """ "Đà Nẵng" -> "Da Nang": accents and marks removed, đ -> d, case kept."""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_VIETNAMESE_LETTERS))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold(text):
    """Lower-case words without diacritics, single-spaced: what search compares.

    "An ninh Tổ quốc, Đà Nẵng!" -> "an ninh to quoc da nang". The same function folds the stored
    text and the reader's query, so SQLite and PostgreSQL return the same results.
    """
    return " ".join(_NON_WORD.sub(" ", strip_diacritics(text).lower()).split())


def plain_text(value):
    """`value` as plain text: tags taken out (scripts and styles with their content), entities
    read ("&amp;" is stored as "&"), spaces at either end trimmed. Templates escape it on output.

    For captions, credits and alt text, which readers see as text beside a photo.
    """
    text = nh3.clean(html.unescape(value or ""), tags=set(), strip_comments=True)
    return html.unescape(text).strip()
