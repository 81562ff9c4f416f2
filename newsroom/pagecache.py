"""The full-page cache for readers, and the content version that invalidates it.

A reader's GET (no cookie at all: staff and anyone logged in always carry the session cookie) is
answered from the cache before sessions, users, CSRF or any view run: a hit costs no SQL query
and no template. Each cached page is stored under the current *content version*; every change
to published content (a workflow step, an admin save or delete, `refresh_published` when a
scheduled time passes) moves the version on, so no page built before the change is served
again. Pages also expire after PAGE_TTL seconds, which bounds how late a scheduled article or
a "Xem nhiều nhất" ranking can appear even with nothing else running.

A page the cache misses is still cheap to build: templates keep their costly parts in
`{% cache %}` fragments, in each worker's memory, under keys that carry what the fragment shows.
An article's own fragments carry its `updated_at` and version and the *catalogue version*,
which moves only when sections, authors, tags or photos change; so publishing one article does
not throw away every other article's rendered body. Lists beside it carry the content version.
"""

import hashlib
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.encoding import escape_uri_path
from django.utils.functional import cached_property

PAGE_TTL = 30
VERSION_KEY = "newsroom:content-version"
CATALOGUE_KEY = "newsroom:catalogue-version"
# Fragments follow their versions at once; the time limit only bounds what a change made
# outside the admin and the workflow (a shell, a script) can leave behind.
FRAGMENT_TTL = 600
# What is never a reader's page, whatever its answer says; settings.PAGE_CACHE_SKIP adds more.
UNCACHED_PREFIXES = (
    "/admin/", "/ckeditor/", "/xem-truoc/", "/luot-xem/", "/media/", "/static/",
)  # fmt: skip
# Not 404: a scan of made-up addresses would store one copy per address, and a 404 is cheap to
# build (one indexed query at most; the menu comes from fragments). A 301 only when a view of
# ours answered it (an article's old slug, a sub-section asked without its parent), not the
# slash that CommonMiddleware adds to any address (see is_cacheable_response).
CACHED_STATUSES = {200, 301}
# The query parameters our pages read: lists "page", search "q" too, Django's sitemaps "p". Each
# value makes its own copy; any other parameter (utm_source, fbclid, gclid, a cache-buster) is
# answered from the copy asked without it. Pages never write the address they were asked at
# back into themselves (canonical_url, includes/pagination.html), so a copy built for
# "?utm_source=x" is the same page as the one built for no query at all.
PAGE_PARAMETERS = ("page", "q")
SITEMAP_PARAMETERS = ("p",)
# Each worker also keeps the pages it served for a few seconds, so that a hot page is not
# fetched from Redis on every hit. Keys carry the content version: a change still shows at once.
LOCAL_SECONDS = 5
LOCAL_MAX_PAGES = 500
_local_pages = {}


def cached_page(key):
    now = time.monotonic()
    local = _local_pages.get(key)
    if local is not None and local[0] > now:
        return local[1]
    stored = cache.get(key)
    if stored is not None:
        if len(_local_pages) >= LOCAL_MAX_PAGES:
            _local_pages.clear()
        _local_pages[key] = (now + LOCAL_SECONDS, stored)
    return stored


def fresh_version():
    # A version that no earlier one can equal, should the cache lose the key (a flush, an
    # eviction): workers' local copies made under an old number are then never served.
    return time.time_ns() // 1000


# While the shared cache cannot keep a version (Redis is down), each worker makes its own and
# keeps it this long: its fragments are reused meanwhile, and a change made in another worker
# shows after at most this many seconds (in the worker that made it, at once).
OUTAGE_VERSION_SECONDS = 5
_outage = {"version": 0, "until": 0.0}


def _outage_version():
    now = time.monotonic()
    if now >= _outage["until"]:
        _outage.update(version=fresh_version(), until=now + OUTAGE_VERSION_SECONDS)
    return _outage["version"]


def _current(key):
    version = cache.get(key)
    if version is None:
        cache.add(key, fresh_version(), timeout=None)
        version = cache.get(key)
    if version is None:  # the cache cannot keep it: nothing kept before the outage is reused
        version = _outage_version()
    return version


def content_version():
    return _current(VERSION_KEY)


def _move_on(key):
    if cache.add(key, fresh_version(), timeout=None):
        return
    try:
        cache.incr(key)
    except ValueError:  # evicted between add() and incr()
        cache.add(key, fresh_version(), timeout=None)


def content_changed(*, articles_only=False):
    """Published content changed: no page cached before now may be served again.

    `articles_only`: only articles changed, each saved (so its `updated_at` moved), not the
    sections, authors, tags or photos they show; their own fragments stay good.
    """
    _move_on(VERSION_KEY)
    if not articles_only:
        _move_on(CATALOGUE_KEY)
    _outage["until"] = 0.0


def content_changed_on_commit(*, articles_only=False):
    """For code inside a transaction: move the version once the change is committed."""
    transaction.on_commit(lambda: content_changed(articles_only=articles_only))


class FragmentVersions:
    """What templates' `{% cache %}` fragments vary on (the `fragment` context variable): both
    versions, read together in one round trip when a template first asks."""

    ttl = FRAGMENT_TTL

    @cached_property
    def _versions(self):
        found = cache.get_many([VERSION_KEY, CATALOGUE_KEY])
        if len(found) < 2:
            return {key: _current(key) for key in (VERSION_KEY, CATALOGUE_KEY)}
        return found

    @property
    def content(self):
        return self._versions[VERSION_KEY]

    @property
    def catalogue(self):
        return self._versions[CATALOGUE_KEY]


def fragment_versions(request):
    """Context processor: `fragment.ttl`, `fragment.content`, `fragment.catalogue`."""
    return {"fragment": FragmentVersions()}


def is_cacheable_request(request):
    """A reader's GET: staff and anyone logged in carry the session cookie and are never served
    from (or stored in) the page cache."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path_info.startswith(UNCACHED_PREFIXES)
        and not request.path_info.startswith(tuple(settings.PAGE_CACHE_SKIP))
    )


def page_query(request):
    """The part of the query string that changes the page (see PAGE_PARAMETERS), sorted.

    A repeated parameter counts once, with the last value: the one views read
    (`request.GET.get`), so "?page=1&page=2" is the copy of "?page=2".
    """
    path = request.path_info
    names = SITEMAP_PARAMETERS if path.startswith("/sitemap") else PAGE_PARAMETERS
    return urlencode(sorted((name, request.GET[name]) for name in names if name in request.GET))


def page_key(request, version):
    # Compressed and plain copies are kept apart (GZipMiddleware runs below this one).
    gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    raw = f"{request.get_host()}{escape_uri_path(request.path)}?{page_query(request)}|{gzip}"
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"newsroom:page:{version}:{digest}"


class PageCacheMiddleware:
    """Serve and store readers' pages (see the module's docstring). Sits right after
    SecurityMiddleware, before everything that would cost a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE or not is_cacheable_request(request):
            return self.get_response(request)
        version = content_version()
        key = page_key(request, version)
        stored = cached_page(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status, headers=headers)
            response["X-Cache"] = "HIT"
            return response
        response = self.get_response(request)
        if self.is_cacheable_response(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            headers = {
                name: value for name, value in response.items() if name.lower() != "set-cookie"
            }
            cache.set(key, (response.status_code, headers, response.content), PAGE_TTL)
            # Shared caches (a CDN) may keep it as long as we do; browsers revalidate.
            patch_cache_control(response, public=True, max_age=0, s_maxage=PAGE_TTL)
            response["X-Cache"] = "MISS"
        return response

    @staticmethod
    def is_cacheable_response(request, response):
        if response.status_code not in CACHED_STATUSES or response.streaming:
            return False
        if response.status_code == 301 and request.resolver_match is None:
            return False  # no view of ours answered: a middleware's redirect of any address
        if response.cookies:  # a page that sets a cookie is someone's own
            return False
        control = response.get("Cache-Control", "")
        return not any(word in control for word in ("private", "no-store", "no-cache"))


class InvalidatesPagesAdmin:
    """ModelAdmin mixin for what readers see: a save or delete moves the content version once
    the transaction commits (so cached pages show the change at once). Set `articles_only`
    for the articles' own admin (see `content_changed`)."""

    articles_only = False

    def changed(self):
        content_changed_on_commit(articles_only=self.articles_only)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.changed()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self.changed()
