"""`{{ count|vi_number }}`: a count as Vietnamese writes it."""

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def vi_number(value):
    """12345 -> "12.345": thousands grouped by the format module's separator (newsroom/formats)."""
    return formats.number_format(value, force_grouping=True)
