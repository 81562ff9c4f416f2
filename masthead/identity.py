"""The masthead in force, as every page reads it: `current()`, cached; `changed()` after a save.

The cache (the project's default: Redis, else each worker's memory) keeps the row's values, or
an empty marker while no row has been saved, in which case the settings are read afresh on each
call (so a new SITE_NAME shows without waiting for the cache). A page asks the database at most
once on a cold cache, and not at all on a warm one. A save announces itself with `changed()`:
once committed, the new values are written over the cached ones and the pages' versions move on
(newsroom/pagecache.py), so every page, feed and fragment shows the change at once. Without
Redis, other workers see it within CACHE_SECONDS.
"""

import logging

from django.core.cache import cache
from django.db import DatabaseError, transaction

from newsroom.pagecache import content_changed

from .models import ROW_ID, Masthead

logger = logging.getLogger(__name__)

CACHE_KEY = "newsroom:masthead"
# Bounds how long a worker without Redis keeps a masthead that another worker changed.
CACHE_SECONDS = 600
# What the cache keeps while no row has been saved: the settings stand in.
UNSAVED = {}
KEPT_FIELDS = [field.attname for field in Masthead._meta.concrete_fields]


def _values(masthead):
    values = {name: getattr(masthead, name) for name in KEPT_FIELDS}
    values["logo"] = masthead.logo.name or ""
    return values


def _read():
    masthead = Masthead.objects.filter(pk=ROW_ID).first()
    return UNSAVED if masthead is None else _values(masthead)


def current():
    """The masthead pages show (a Masthead, not to be saved): the saved row, or the settings'
    `Masthead.from_settings()` until there is one. When the database cannot be read (it is
    away, or the table is not made yet), the settings' masthead, and nothing is cached."""
    values = cache.get(CACHE_KEY)
    if values is None:
        try:
            values = _read()
        except DatabaseError:
            logger.warning("The masthead could not be read; the settings' is shown", exc_info=True)
            return Masthead.from_settings()
        # add(), not set(): a save committed meanwhile has written its own values (changed()).
        cache.add(CACHE_KEY, values, CACHE_SECONDS)
    if not values:
        return Masthead.from_settings()
    known = {name: value for name, value in values.items() if name in KEPT_FIELDS}
    return Masthead(**known)


def forget():
    """Drop the cached masthead (a restore replaced the row): the next page reads it again."""
    cache.delete(CACHE_KEY)


def changed():
    """The masthead was saved: once the transaction commits, pages read the new one."""

    def refresh():
        cache.set(CACHE_KEY, _read(), CACHE_SECONDS)
        content_changed()

    transaction.on_commit(refresh)
