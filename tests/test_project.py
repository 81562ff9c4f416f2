from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.mark.django_db
def test_migrations_match_the_models():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


def test_configured_cache_round_trips():
    """On CI's PostgreSQL run the cache is Redis (REDIS_URL); elsewhere local memory."""
    cache.set("newsroom-test", "Đà Nẵng", 30)
    assert cache.get("newsroom-test") == "Đà Nẵng"
    cache.delete("newsroom-test")


@pytest.mark.django_db
def test_system_checks_pass():
    call_command("check", fail_level="WARNING")
