from django.core.paginator import Paginator
from django.utils.functional import cached_property

ARTICLES_PER_PAGE = 20
MAX_PAGES = 50
# Search ranks its matches, which costs more for each one: fewer pages.
SEARCH_PAGES = 10


class NewestPagesPaginator(Paginator):
    """Pages over the newest MAX_PAGES pages of a list, never more.

    Counting every article of a large section or a common search word grows with the archive;
    counting up to a cap does not (`SELECT count(*) FROM (... LIMIT cap)`), and no reader pages
    back a thousand articles: older ones are found by search, the sitemaps and the feeds.
    """

    max_pages = None  # MAX_PAGES

    @cached_property
    def _counted(self):
        # One more than the pages hold tells "exactly full" from "more than that".
        return self.object_list[: self.capacity + 1].count()

    @cached_property
    def count(self):
        return min(self._counted, self.capacity)

    @property
    def capacity(self):
        return self.per_page * (self.max_pages or MAX_PAGES)

    @property
    def is_capped(self):
        return self._counted > self.capacity


class SearchResultsPaginator(NewestPagesPaginator):
    max_pages = SEARCH_PAGES
