from django.utils.functional import SimpleLazyObject

from .models import Section


def menu_sections(request):
    """The menu's sections, queried at most once a request (the menu and the home page share it)."""
    if not hasattr(request, "_menu_sections"):
        request._menu_sections = list(Section.objects.top_level())
    return request._menu_sections


def navigation(request):
    """The section menu, queried only by templates that show it."""
    return {"navigation_sections": SimpleLazyObject(lambda: menu_sections(request))}
