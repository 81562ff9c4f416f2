from django.utils.functional import SimpleLazyObject

from .models import Section


def navigation(request):
    """The section menu, queried only by templates that show it."""
    return {"navigation_sections": SimpleLazyObject(lambda: list(Section.objects.for_navigation()))}
