"""The masthead in force (`masthead.identity.current()`): the settings until a superuser saves
it, then the row; one query on a cold cache, none on a warm one; the settings when the database
cannot be read."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import DatabaseError

from masthead import identity
from masthead.demo import DEMO_MASTHEAD, fill_demo_masthead
from masthead.models import Masthead


@pytest.fixture
def configured(settings):
    settings.SITE_NAME = "Báo Thử"
    settings.SITE_TAGLINE = "Tin nhanh miền Trung"
    settings.SITE_LICENCE_NUMBER = "12/GP-BTTTT"
    settings.SITE_LICENCE_ISSUER = "Bộ Thông tin và Truyền thông"
    settings.SITE_LICENCE_DATE = date(2024, 2, 1)
    settings.SITE_EDITOR_IN_CHIEF = "Trần Văn Bút"
    settings.SITE_PUBLISHER = "Hội Nhà báo tỉnh"
    settings.SITE_ADDRESS = "12 Lê Lợi, Huế"
    settings.SITE_PHONE = "+84 234 382 1234"
    settings.SITE_EMAIL = "toasoan@baothu.vn"
    settings.SITE_FACEBOOK_URL = "https://www.facebook.com/baothu"
    settings.SITE_ZALO_URL = "https://zalo.me/baothu"
    settings.SITE_FOOTER_NOTICE = "Ghi rõ nguồn khi phát hành lại."
    return settings


def save_masthead(**fields):
    masthead = Masthead.from_settings()
    for name, value in fields.items():
        setattr(masthead, name, value)
    masthead.save()
    return masthead


def test_until_saved_the_masthead_comes_from_the_settings(configured, db):
    site = identity.current()
    assert site.name == "Báo Thử"
    assert site.tagline == "Tin nhanh miền Trung"
    assert site.licence == (
        "Giấy phép hoạt động báo chí số 12/GP-BTTTT do Bộ Thông tin và Truyền thông cấp "
        "ngày 01/02/2024."
    )
    assert site.editor_in_chief == "Trần Văn Bút"
    assert site.phone_link == "+842343821234"
    assert site.social_links == [
        ("Facebook", "https://www.facebook.com/baothu"),
        ("Zalo", "https://zalo.me/baothu"),
    ]
    assert site.logo_url == "/static/newsroom/logo.png"
    assert not Masthead.objects.exists()


def test_a_new_setting_shows_at_once_while_nothing_is_saved(settings, db):
    assert identity.current().name == "Newsroom"
    settings.SITE_NAME = "Báo Mới Đổi Tên"
    assert identity.current().name == "Báo Mới Đổi Tên"


def test_the_product_says_nothing_of_a_demo(db):
    site = identity.current()
    assert site.tagline == ""
    assert site.footer_notice == ""
    assert site.licence == ""
    assert site.social_links == []


def test_once_saved_the_row_wins_over_the_settings(
    configured, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        save_masthead(name="Báo Đã Lưu", tagline="")
        identity.changed()
    configured.SITE_NAME = "Tên trong cấu hình"
    site = identity.current()
    assert site.name == "Báo Đã Lưu"
    assert site.tagline == ""  # emptied on purpose: not the setting's line
    assert site.licence_number == "12/GP-BTTTT"


def test_a_cold_cache_costs_one_query_and_a_warm_one_none(db, django_assert_num_queries):
    save_masthead(name="Báo Thử")
    with django_assert_num_queries(1):
        assert identity.current().name == "Báo Thử"
    with django_assert_num_queries(0):
        for _ in range(3):
            assert identity.current().name == "Báo Thử"


def test_no_row_is_cached_too(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        identity.current()
    with django_assert_num_queries(0):
        assert identity.current().name == "Newsroom"


def test_a_save_replaces_the_cached_masthead_once_committed(
    db, django_capture_on_commit_callbacks, django_assert_num_queries
):
    assert identity.current().name == "Newsroom"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        save_masthead(name="Báo Sau Khi Lưu")
        identity.changed()
    assert identity.current().name == "Newsroom"  # not committed yet
    for callback in callbacks:
        callback()
    with django_assert_num_queries(0):
        assert identity.current().name == "Báo Sau Khi Lưu"


def test_a_reader_that_read_before_the_commit_does_not_put_the_old_masthead_back(
    db, django_capture_on_commit_callbacks, monkeypatch
):
    old = identity._values(Masthead.from_settings())
    with django_capture_on_commit_callbacks(execute=True):
        save_masthead(name="Báo Mới")
        identity.changed()
    # A page that read the old row just before the commit caches it with add(): it loses.
    cache.add(identity.CACHE_KEY, old, identity.CACHE_SECONDS)
    assert identity.current().name == "Báo Mới"


def test_without_the_database_the_settings_stand_in_and_nothing_is_cached(
    configured, db, monkeypatch
):
    def unavailable(*args, **kwargs):
        raise DatabaseError("the server closed the connection")

    monkeypatch.setattr(identity, "_read", unavailable)
    assert identity.current().name == "Báo Thử"
    assert cache.get(identity.CACHE_KEY) is None


def test_a_value_cached_by_an_older_release_is_read_without_failing(db):
    values = identity._values(Masthead(name="Báo Cũ"))
    del values["x_url"]
    values["retired_field"] = "?"
    cache.set(identity.CACHE_KEY, values)
    site = identity.current()
    assert site.name == "Báo Cũ"
    assert site.x_url == ""


def test_the_licence_line_reads_well_whatever_is_missing():
    assert Masthead(licence_number="5/GP").licence == "Giấy phép hoạt động báo chí số 5/GP."
    assert (
        Masthead(licence_number="5/GP", licence_date=date(2020, 3, 9)).licence
        == "Giấy phép hoạt động báo chí số 5/GP cấp ngày 09/03/2020."
    )
    assert Masthead(licence_issuer="Bộ", licence_date=date(2020, 3, 9)).licence == ""


def test_the_demo_fills_the_masthead_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert fill_demo_masthead() is True
    site = identity.current()
    assert site.footer_notice == "Nội dung trình diễn, không phải tin thật."
    assert site.name == DEMO_MASTHEAD["name"]
    assert site.logo.name.startswith("masthead/")
    assert site.logo_height < 60 and site.logo_width < 600  # the lettering, not the banner
    Masthead.objects.update(name="Đổi trong trang quản trị")
    assert fill_demo_masthead() is False
    assert Masthead.objects.get().name == "Đổi trong trang quản trị"
