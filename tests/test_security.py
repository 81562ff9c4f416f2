"""Secure defaults: deployment checks, security headers, and login throttling."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.utils import timezone

from newsroom.security import client_ip

PASSWORD = "mat-khau-dai-1"


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


def test_the_admin_policy_lets_the_editor_run_but_loads_nothing_from_elsewhere(client):
    response = client.get("/admin/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "object-src 'none'" in policy
    assert "http:" not in policy


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(settings):
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.9", REMOTE_ADDR="127.0.0.1"
    )
    settings.HTTPS = True
    assert client_ip(request) == "203.0.113.9"
    settings.HTTPS = False
    assert client_ip(request) == "127.0.0.1"


def log_in(client, username, password):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        "bientap", "bientap@example.com", PASSWORD, is_staff=True
    )


def test_guessing_a_password_locks_the_login_for_a_while(client, staff_user):
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

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = log_in(client, "bientap", PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(staff_user.pk)


def test_a_lock_holds_one_name_from_one_address_only(client, staff_user, django_user_model):
    django_user_model.objects.create_user("phongvien", password=PASSWORD, is_staff=True)
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
def test_login_attempt_lists_answer_odd_filters_without_a_server_error(admin_client, model):
    impossible = ("?attempt_time__gte=0001-01-01", "?username__regex=(", "?attempt_time__year=9999")
    for query in impossible:
        response = admin_client.get(f"/admin/axes/{model}/{query}")
        # The list, its "?e=1" page or a 400, by database: never a server error.
        assert response.status_code in (200, 302, 400), (model, query, response.status_code)


def test_a_name_longer_than_any_account_is_a_form_error_not_a_recorded_attempt(db, client):
    # Longer than the login throttle's record holds (255): PostgreSQL refused that record.
    response = log_in(client, "a" * 1000, "doan-sai")
    assert response.status_code == 200
    assert "tối đa 150 kí tự" in response.content.decode()
    assert not AccessAttempt.objects.exists()
