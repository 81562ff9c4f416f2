"""What the error pages know about the site itself, without the database."""

from django.conf import settings


def site(request):
    """`{{ site.name }}` and `{{ site.tagline }}` from the settings SITE_NAME and SITE_TAGLINE,
    for the 500 and 503 pages (newsroom/views.py), drawn while the database may be away. Every
    other page gets the masthead that superusers edit in the admin, from
    masthead.context_processors.site, whose defaults are the same settings."""
    return {"site": {"name": settings.SITE_NAME, "tagline": settings.SITE_TAGLINE}}
