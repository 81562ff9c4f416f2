"""`{{ moment|vi_datetime }}`: how pages and the admin write a time (newsroom/formats)."""

from django import template

from newsroom.formats import vi_datetime as say

register = template.Library()


@register.filter
def vi_datetime(value, style="short"):
    """`value` in the site's time zone: "05/11/2026 09:30"; with "seconds",
    "05/11/2026 09:30:15"; with "long", "Thứ Năm, 05/11/2026 09:30 (GMT+7)"."""
    return say(value, style)
