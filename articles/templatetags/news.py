from django import template
from django.utils import timezone

register = template.Library()

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]


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
