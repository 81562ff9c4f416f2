"""What every page's template knows about the site itself."""

from django.conf import settings


def site(request):
    """`{{ site.name }}`, `{{ site.tagline }}` and `{{ site.logo }}` (a static path), from the
    settings SITE_NAME, SITE_TAGLINE and SITE_LOGO. The error pages, drawn without a request,
    get the same dictionary from newsroom/views.py."""
    return {
        "site": {
            "name": settings.SITE_NAME,
            "tagline": settings.SITE_TAGLINE,
            "logo": settings.SITE_LOGO,
        }
    }
