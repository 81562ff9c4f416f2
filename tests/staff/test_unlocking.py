"""A reporter locked out after too many wrong passwords is told whom to ask, and an editor (not
only a superuser) unlocks them from the admin's "Đăng nhập sai" list; a superuser's record is
left to superusers."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.admin.models import DELETION, LogEntry
from django.urls import reverse

from tests.conftest import PASSWORD

ATTEMPTS = reverse("admin:axes_accessattempt_changelist")


def log_in(client, username, password, address="203.0.113.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def lock_out(client, username, address="203.0.113.7"):
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        log_in(client, username, "doan-sai", address)
    return log_in(client, username, PASSWORD, address)


def unlock(client, *attempts):
    return client.post(
        ATTEMPTS,
        {"action": "unlock", "_selected_action": [attempt.pk for attempt in attempts]},
    )


def test_a_locked_out_reporter_is_told_to_ask_an_editor(client, reporter):
    answer = lock_out(client, "phongvien")

    assert answer.status_code == 429
    page = answer.content.decode()
    assert "nhờ biên tập viên hoặc quản trị viên mở khoá" in page
    assert "“Đăng nhập sai”" in page
    assert "Access attempts" not in page


def test_an_editor_unlocks_a_locked_out_reporter(client, reporter, editor):
    assert lock_out(client, "phongvien").status_code == 429
    attempt = AccessAttempt.objects.get(username="phongvien")
    client.force_login(editor)

    listing = client.get(ATTEMPTS)
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "phongvien" in page and "Đang bị khoá" in page
    assert "Mở khoá đăng nhập cho các tài khoản đã chọn" in page
    assert "Bảo vệ đăng nhập" in client.get(reverse("admin:index")).content.decode()

    answer = unlock(client, attempt)

    assert answer.status_code == 302
    assert not AccessAttempt.objects.filter(username="phongvien").exists()
    assert "Đã mở khoá đăng nhập cho: phongvien." in client.get(ATTEMPTS).content.decode()
    entry = LogEntry.objects.get(user=editor)
    assert (entry.action_flag, entry.object_repr) == (DELETION, "Đăng nhập sai của phongvien")
    client.logout()
    assert log_in(client, "phongvien", PASSWORD).status_code == 302


def test_unlocking_frees_a_name_locked_from_every_address(client, reporter, editor, settings):
    settings.LOGIN_NAME_FAILURE_LIMIT = 6
    for host in range(1, 4):
        for _ in range(2):
            log_in(client, "phongvien", "doan-sai", f"198.51.100.{host}")
    assert log_in(client, "phongvien", PASSWORD, "192.0.2.50").status_code == 429
    client.force_login(editor)

    unlock(client, AccessAttempt.objects.filter(username="phongvien").first())

    assert not AccessAttempt.objects.exists()
    client.logout()
    assert log_in(client, "phongvien", PASSWORD, "192.0.2.50").status_code == 302


def test_an_editor_cannot_see_or_unlock_a_superusers_record(client, editor, superuser):
    lock_out(client, "quantri")
    guessed = AccessAttempt.objects.get(username="quantri")
    client.force_login(editor)

    assert "quantri" not in client.get(ATTEMPTS).content.decode()
    unlock(client, guessed)  # a crafted post names the record anyway

    assert AccessAttempt.objects.filter(pk=guessed.pk).exists()
    delete = reverse("admin:axes_accessattempt_delete", args=[guessed.pk])
    assert client.post(delete, {"post": "yes"}).status_code in (302, 404)
    assert AccessAttempt.objects.filter(pk=guessed.pk).exists()


def test_a_superuser_unlocks_a_superuser(client, superuser):
    lock_out(client, "quantri")
    client.force_login(superuser)

    assert "quantri" in client.get(ATTEMPTS).content.decode()
    unlock(client, AccessAttempt.objects.get(username="quantri"))

    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize("fixture", ["reporter", "make_user"])
def test_reporters_and_staff_without_a_role_cannot_unlock(request, client, fixture, editor):
    user = request.getfixturevalue(fixture)
    if fixture == "make_user":
        user = user("thuky")
    lock_out(client, "bientap")
    client.force_login(user)

    assert client.get(ATTEMPTS).status_code == 403
    unlock(client, AccessAttempt.objects.get())
    assert AccessAttempt.objects.exists()


def test_a_failed_login_has_no_page_of_its_own_and_no_english_name(client, reporter, superuser):
    lock_out(client, "phongvien")
    client.force_login(superuser)

    page = client.get(ATTEMPTS).content.decode()

    assert reverse(
        "admin:axes_accessattempt_change", args=[AccessAttempt.objects.get().pk]
    ) not in (page)
    assert "Attempted Access" not in page
    assert "Chọn đăng nhập sai của phongvien từ 203.0.113.7" in page
    assert 'value="delete_selected"' not in page
