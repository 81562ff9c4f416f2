from django.utils.functional import SimpleLazyObject

from .identity import current


def site(request):
    """`{{ site }}`: the masthead in force (`masthead.identity.current()`): `site.name`,
    `site.tagline`, `site.logo` (the uploaded file, with `logo_width` and `logo_height`),
    `site.logo_url`, `site.licence`, `site.social_links`... Read once a page, when a template
    first asks. The error pages, drawn without a request, use newsroom.context_processors.site."""
    return {"site": SimpleLazyObject(current)}
