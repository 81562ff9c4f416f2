"""Secure defaults: deployment checks, security headers, and login throttling."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import RequestFactory

from newsroom.security import client_ip
from staff.throttling import throttle_address
from tests.conftest import PASSWORD


def production_environment():
    """What a production server is given: no test-only variable (pytest's, the browser
    tests' DJANGO_ALLOW_ASYNC_UNSAFE), DEBUG and HTTPS left to their defaults."""
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "SECRET_KEY": "k" * 20 + "-production-like-key-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "baomoi.example.vn",
    }


def test_production_settings_pass_the_deployment_checks():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=django_settings.BASE_DIR,
        env=production_environment(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_send_readers_to_https_with_secure_cookies():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER)"
    )
    output = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=django_settings.BASE_DIR,
        env=production_environment(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert output.strip().endswith("True True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https')")


def test_reader_pages_carry_a_strict_content_security_policy(client, make_article, settings):
    settings.PAGE_CACHE = True
    article = make_article()
    for attempt in ("MISS", "HIT"):
        response = client.get(article.get_absolute_url())
        assert response["X-Cache"] == attempt
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"


def test_the_admin_policy_lets_the_editor_run_but_loads_nothing_from_elsewhere(client, db):
    # (The admin's frame names the site from the masthead, which may be read from the database.)
    response = client.get("/admin/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "object-src 'none'" in policy
    assert "http:" not in policy


def forwarded(header, remote="192.0.2.1"):
    return RequestFactory().get("/", HTTP_X_FORWARDED_FOR=header, REMOTE_ADDR=remote)


def test_behind_the_tls_proxy_the_address_is_the_one_the_proxy_saw(settings):
    request = forwarded("10.0.0.1, 203.0.113.9", remote="127.0.0.1")
    settings.TRUSTED_PROXY_COUNT = None  # the default: one proxy with HTTPS, none without
    settings.HTTPS = True
    assert client_ip(request) == "203.0.113.9"
    settings.HTTPS = False
    assert client_ip(request) == "127.0.0.1"


def test_with_no_proxy_counted_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(forwarded("203.0.113.9")) == "192.0.2.1"


def test_with_one_proxy_the_client_cannot_choose_its_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client sent "X-Forwarded-For: 6.6.6.6"; the proxy appended what it saw.
    assert client_ip(forwarded("6.6.6.6, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(forwarded("203.0.113.9")) == "203.0.113.9"


def test_with_two_proxies_the_client_is_the_second_entry_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    # client -> CDN (appends the client) -> TLS proxy (appends the CDN) -> the site
    assert client_ip(forwarded("203.0.113.9, 10.0.0.2")) == "203.0.113.9"
    assert client_ip(forwarded("6.6.6.6, 7.7.7.7, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"


@pytest.mark.parametrize(
    "header",
    ["", " ", ",", "garbage", "203.0.113.9:443", "[2001:db8::1]", "fe80::1%eth0", "10.0.0.2",
     "1.2.3.4.5, 10.0.0.2", "\x00, 10.0.0.2", "a" * 5000],
)  # fmt: skip
def test_an_unusable_x_forwarded_for_falls_back_to_the_connection(settings, header):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(forwarded(header)) == "192.0.2.1"


def test_a_connection_address_that_is_no_address_gives_none(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(forwarded("", remote="not-an-address")) is None
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="")) is None


def test_addresses_are_written_one_way(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(forwarded(" 2001:DB8:0:0:0:0:0:1 ")) == "2001:db8::1"


def test_an_unusable_proxy_count_stops_the_site_at_start():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=django_settings.BASE_DIR,
        env={**production_environment(), "TRUSTED_PROXY_COUNT": "last"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be a whole number" in result.stderr


def test_throttling_counts_an_ipv6_slash_64_as_one_client(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    def address(remote):
        return throttle_address(RequestFactory().get("/", REMOTE_ADDR=remote))

    assert address("2001:db8:1:2::1") == address("2001:db8:1:2:ffff:ffff:ffff:ffff")
    assert address("2001:db8:1:2::1") == "2001:db8:1:2::"
    assert address("2001:db8:1:3::1") != address("2001:db8:1:2::1")
    assert address("203.0.113.9") == "203.0.113.9"  # IPv4 as it is
    assert address("::ffff:203.0.113.9") == "203.0.113.9"
    assert address("garbage") is None


def log_in(client, username, password, **extra):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}, **extra
    )


@pytest.fixture
def staff_user(make_user):
    return make_user("bientap")


def test_guessing_a_password_locks_the_login_for_a_while(client, clock, staff_user):
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, "bientap", "doan-sai")
        assert response.status_code == 200
        assert "Bạn hãy nhập đúng Tên đăng nhập và mật khẩu" in response.content.decode()
    response = log_in(client, "bientap", "doan-sai")
    assert response.status_code == 429
    # Locked: even the right password is refused now, with a Vietnamese explanation.
    response = log_in(client, "bientap", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Tạm khoá đăng nhập" in page
    assert "15 phút" in page
    assert "_auth_user_id" not in client.session

    clock.shift(timedelta(minutes=16))
    response = log_in(client, "bientap", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff_user.pk)


def test_a_lock_holds_one_name_from_one_address_only(client, staff_user, make_user):
    make_user("phongvien")
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        log_in(client, "bientap", "doan-sai")
    assert log_in(client, "bientap", PASSWORD).status_code == 429
    # Another person at the same address logs in; the locked-out editor can from elsewhere.
    assert log_in(client, "phongvien", PASSWORD).status_code == 302
    client.logout()
    other = client.post(
        "/admin/login/?next=/admin/",
        {"username": "bientap", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert other.status_code == 302


def test_a_successful_login_clears_earlier_mistakes(client, staff_user):
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "bientap", "doan-sai")
    assert log_in(client, "bientap", PASSWORD).status_code == 302
    client.logout()
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "bientap", "doan-sai").status_code == 200
    assert log_in(client, "bientap", PASSWORD).status_code == 302


@pytest.mark.parametrize("model", ["accessattempt", "accesslog", "accessfailurelog"])
def test_login_attempt_lists_answer_odd_filters_without_a_server_error(superuser_client, model):
    impossible = ("?attempt_time__gte=0001-01-01", "?username__regex=(", "?attempt_time__year=9999")
    for query in impossible:
        response = superuser_client.get(f"/admin/axes/{model}/{query}")
        # The list, its "?e=1" page or a 400, by database: never a server error.
        assert response.status_code in (200, 302, 400), (model, query, response.status_code)


def test_a_name_longer_than_any_account_is_a_form_error_not_a_recorded_attempt(db, client):
    # Longer than the login throttle's record holds (255): PostgreSQL refused that record.
    response = log_in(client, "a" * 1000, "doan-sai")
    assert response.status_code == 200
    assert "tối đa 150 kí tự" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_a_lock_holds_every_address_of_an_ipv6_slash_64(client, staff_user):
    for host in range(1, django_settings.AXES_FAILURE_LIMIT + 1):
        log_in(client, "bientap", "doan-sai", REMOTE_ADDR=f"2001:db8:1:2::{host:x}")
    same_network = log_in(client, "bientap", PASSWORD, REMOTE_ADDR="2001:db8:1:2:abcd::99")
    assert same_network.status_code == 429
    other_network = log_in(client, "bientap", PASSWORD, REMOTE_ADDR="2001:db8:1:3::1")
    assert other_network.status_code == 302


@pytest.mark.parametrize("remote", ["not-an-address", "fe80::1%eth0", ""])
def test_a_login_from_no_usable_address_is_throttled_not_a_server_error(client, staff_user, remote):
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "bientap", "doan-sai", REMOTE_ADDR=remote).status_code == 200
    assert log_in(client, "bientap", "doan-sai", REMOTE_ADDR=remote).status_code == 429
    assert AccessAttempt.objects.get().ip_address is None


def test_a_forged_x_forwarded_for_does_not_escape_the_lock(client, staff_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        log_in(client, "bientap", "doan-sai", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.9")
    again = log_in(client, "bientap", PASSWORD, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert again.status_code == 429


def guess_from_many_addresses(client, failures, *, first_host=1):
    """`failures` wrong passwords for "bientap", never more than four from one address."""
    for n in range(failures):
        address = f"198.51.100.{first_host + n // 4}"
        response = log_in(client, "bientap", "doan-sai", REMOTE_ADDR=address)
        assert response.status_code in (200, 429)
    return response


def test_guesses_spread_over_many_addresses_lock_the_name_everywhere(
    client, clock, staff_user, make_user
):
    make_user("phongvien")
    limit = django_settings.LOGIN_NAME_FAILURE_LIMIT
    assert guess_from_many_addresses(client, limit).status_code == 429
    # The right password from an address that never failed is refused too, in Vietnamese.
    response = log_in(client, "bientap", PASSWORD, REMOTE_ADDR="203.0.113.50")
    assert response.status_code == 429
    page = response.content.decode()
    assert "từ nhiều địa chỉ khác nhau" in page
    assert f"ít nhất {limit} lần" in page
    assert "_auth_user_id" not in client.session
    # Other accounts are not concerned.
    assert log_in(client, "phongvien", PASSWORD, REMOTE_ADDR="203.0.113.50").status_code == 302
    client.logout()

    clock.shift(timedelta(minutes=16))
    response = log_in(client, "bientap", PASSWORD, REMOTE_ADDR="203.0.113.50")
    assert response.status_code == 302


def test_fewer_guesses_than_the_name_limit_leave_the_name_open(client, staff_user):
    guess_from_many_addresses(client, django_settings.LOGIN_NAME_FAILURE_LIMIT - 1)
    response = log_in(client, "bientap", PASSWORD, REMOTE_ADDR="203.0.113.50")
    assert response.status_code == 302


def test_the_editor_logging_in_does_not_wipe_out_the_guesses_made_elsewhere(client, staff_user):
    limit = django_settings.LOGIN_NAME_FAILURE_LIMIT
    guess_from_many_addresses(client, limit - 4)
    assert log_in(client, "bientap", PASSWORD, REMOTE_ADDR="203.0.113.50").status_code == 302
    client.logout()
    response = guess_from_many_addresses(client, 4, first_host=100)
    assert response.status_code == 429
