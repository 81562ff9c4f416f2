"""How the newsroom writes a moment: in the site's time zone, with the patterns of the Vietnamese
format module beside this file (FORMAT_MODULE_PATH). Templates write it with
`{{ moment|vi_datetime }}` (the `vi_dates` tag library); Python code that shows a time to a
person (admin columns, messages, `__str__`) calls `vi_datetime()`.
"""

from django.utils import formats, timezone

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")

# Django's own names for the patterns, which the admin's date columns use as well.
STYLES = {"short": "SHORT_DATETIME_FORMAT", "seconds": "DATETIME_FORMAT", "time": "H:i:s"}


def vi_datetime(value, style="short"):
    """`value` in the site's time zone, "" for None.

    - "short": "05/11/2026 09:30", for lists and most of the admin;
    - "seconds": "05/11/2026 09:30:15", where the second matters (publish times, saves);
    - "time": "09:30:15", for what happens within the day (a lock's end, a command's report);
    - "long": "Thứ Năm, 05/11/2026 09:30 (GMT+7)", the newspaper style of the article page.
    """
    if not value:
        return ""
    local = timezone.localtime(value)
    if style == "long":
        # Django's "l" says "Thứ 5" and "O" says "+0700"; Vietnamese papers write both out.
        offset_hours = int(local.utcoffset().total_seconds() // 3600)
        short = formats.date_format(local, STYLES["short"])
        return f"{WEEKDAYS[local.weekday()]}, {short} (GMT{offset_hours:+d})"
    if style not in STYLES:
        raise ValueError(f"Unknown date style {style!r}: use short, seconds, time or long.")
    return formats.date_format(local, STYLES[style])
