from django.urls import reverse

from .views import count_view


class ViewBeaconMiddleware:
    """Answer the view beacon before the rest of the middleware.

    The beacon is the busiest address of the site (one POST per article view) and needs no
    session, user, locale, messages or CSRF token, whose work would otherwise be most of what
    a beacon costs (docs/benchmarks.md). It sits right after SecurityMiddleware,
    the page cache (which never stores a POST) and GZip in settings.MIDDLEWARE.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.beacon_path = None

    def __call__(self, request):
        if self.beacon_path is None:
            self.beacon_path = reverse("popularity:count-view")
        if request.path_info == self.beacon_path:
            return count_view(request)
        return self.get_response(request)
