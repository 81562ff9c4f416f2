"""Two-factor sign-in for staff (staff/): turning it on, the admin login with a code, recovery
codes, turning it off, and STAFF_2FA_REQUIRED for editors and superusers."""

import re
import time
from binascii import unhexlify

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.models import Article
from staff import two_factor
from tests.conftest import PASSWORD

# Tests that type codes take `clock` (tests/conftest.py): codes depend on the 30-second step,
# and django-otp holds a device back for a few seconds after a wrong code.


def app_code(key, *, at_step_offset=0):
    """The six digits an authenticator app set up with `key` (hex) shows now."""
    totp = TOTP(unhexlify(key))
    totp.time = time.time() + 30 * at_step_offset
    return f"{totp.token():06d}"


def set_up(user):
    """Turn two-factor sign-in on for `user` as the setup page does; returns (key, codes)."""
    key = two_factor.new_secret()
    _, codes = two_factor.turn_on(user=user, key=key, code=app_code(key))
    return key, codes


def log_in(client, username, code="", password=PASSWORD, **extra):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "otp_token": code},
        **extra,
    )


def next_step(clock):
    """Move to the next 30-second step: an app code is accepted once."""
    clock.shift(30)


def is_logged_in(client):
    return "_auth_user_id" in client.session


# Turning it on ---------------------------------------------------------------------------------


def test_the_setup_page_shows_a_qr_code_and_the_secret_and_stores_nothing(client, reporter, clock):
    client.force_login(reporter)
    response = client.get("/admin/bao-mat/bat/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and "<path" in page  # drawn inline, no outside service
    key = client.session["staff_two_factor_pending_key"]
    assert two_factor.secret_for_typing(key) in page
    assert "Bật xác thực hai bước" in page
    assert not TOTPDevice.objects.exists()
    # Reloading the page keeps the same secret (the app may already hold it).
    client.get("/admin/bao-mat/bat/")
    assert client.session["staff_two_factor_pending_key"] == key


def test_turning_it_on_needs_a_code_from_the_app_then_shows_ten_recovery_codes_once(
    client, reporter, clock
):
    client.force_login(reporter)
    client.get("/admin/bao-mat/bat/")
    key = client.session["staff_two_factor_pending_key"]

    wrong = f"{(int(app_code(key)) + 1) % 1_000_000:06d}"
    response = client.post("/admin/bao-mat/bat/", {"code": wrong})
    assert response.status_code == 200
    assert "Mã xác thực không đúng hoặc đã hết hạn." in response.content.decode()
    assert not TOTPDevice.objects.exists()

    response = client.post("/admin/bao-mat/bat/", {"code": app_code(key)})
    assert response.status_code == 302
    assert response["Location"] == "/admin/bao-mat/ma-du-phong/"
    device = TOTPDevice.objects.get(user=reporter)
    assert device.confirmed and device.key == key

    page = client.get("/admin/bao-mat/ma-du-phong/").content.decode()
    shown = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", page)
    assert len(shown) == 10
    stored = set(StaticToken.objects.filter(device__user=reporter).values_list("token", flat=True))
    assert {code.replace("-", "") for code in shown} == stored
    # Shown once: the next visit has nothing to show.
    again = client.get("/admin/bao-mat/ma-du-phong/")
    assert again.status_code == 302
    page = client.get(again["Location"]).content.decode()
    assert "Mã dự phòng chỉ hiện một lần" in page
    assert not any(code in page for code in shown)

    # The session that set it up counts as verified: the admin stays open.
    assert client.get("/admin/").status_code == 200


def test_the_admin_links_every_staff_member_to_the_security_page(client, reporter):
    client.force_login(reporter)
    page = client.get("/admin/").content.decode()
    assert '<a href="/admin/bao-mat/">Bảo mật đăng nhập</a>' in page


def test_the_security_page_is_for_staff_only(client, make_user):
    assert client.get("/admin/bao-mat/").status_code == 302
    reader = make_user("docgia", is_staff=False)
    client.force_login(reader)
    for path in ("/admin/bao-mat/", "/admin/bao-mat/bat/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert not TOTPDevice.objects.exists()


# Logging in ------------------------------------------------------------------------------------


def test_the_login_page_has_a_box_for_the_code(client, db):
    page = client.get("/admin/login/").content.decode()
    assert 'name="otp_token"' in page
    assert 'autocomplete="one-time-code"' in page
    assert "Để trống nếu tài khoản chưa bật xác thực hai bước." in page


def test_an_account_without_two_factor_logs_in_with_its_password_alone(client, reporter):
    response = log_in(client, "phongvien")
    assert response.status_code == 302
    assert is_logged_in(client)


def test_an_account_with_two_factor_needs_its_code_to_log_in(client, editor, clock):
    key, _ = set_up(editor)
    next_step(clock)

    response = log_in(client, "bientap")
    assert response.status_code == 200
    assert "hãy nhập mã xác thực" in response.content.decode()
    assert not is_logged_in(client)

    clock.shift(10)  # past django-otp's hold after a mistake
    wrong = f"{(int(app_code(key)) + 1) % 1_000_000:06d}"
    response = log_in(client, "bientap", wrong)
    assert response.status_code == 200
    assert "Mã xác thực không đúng hoặc đã hết hạn." in response.content.decode()
    assert not is_logged_in(client)

    clock.shift(10)
    response = log_in(client, "bientap", app_code(key))
    assert response.status_code == 302
    assert is_logged_in(client)
    assert client.session["otp_device_id"] == TOTPDevice.objects.get(user=editor).persistent_id
    assert client.get("/admin/").status_code == 200


def test_a_wrong_password_with_the_right_code_is_refused(client, editor, clock):
    key, _ = set_up(editor)
    next_step(clock)
    response = log_in(client, "bientap", app_code(key), password="doan-sai")
    assert response.status_code == 200
    assert "Bạn hãy nhập đúng Tên đăng nhập và mật khẩu" in response.content.decode()
    assert not is_logged_in(client)


def test_an_app_code_is_accepted_once(client, editor, clock):
    key, _ = set_up(editor)
    next_step(clock)
    code = app_code(key)
    assert log_in(client, "bientap", code).status_code == 302
    client.logout()
    response = log_in(client, "bientap", code)
    assert "Mã xác thực không đúng hoặc đã hết hạn." in response.content.decode()
    assert not is_logged_in(client)


def test_the_code_just_used_to_turn_it_on_does_not_log_in(client, editor, clock):
    key = two_factor.new_secret()
    code = app_code(key)
    two_factor.turn_on(user=editor, key=key, code=code)
    response = log_in(client, "bientap", code)
    assert "Mã xác thực không đúng hoặc đã hết hạn." in response.content.decode()
    assert not is_logged_in(client)


def test_wrong_codes_count_as_failed_logins_for_the_throttle(client, editor, clock):
    key, _ = set_up(editor)
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        clock.shift(60)
        response = log_in(client, "bientap", "000000")
        assert response.status_code == 200
    assert AccessAttempt.objects.get(username="bientap").failures_since_start == (
        django_settings.AXES_FAILURE_LIMIT - 1
    )
    clock.shift(60)
    assert log_in(client, "bientap", "000000").status_code == 429
    # Locked: now even the right password and code are refused.
    clock.shift(60)
    assert log_in(client, "bientap", app_code(key)).status_code == 429
    assert not is_logged_in(client)


def test_a_missing_code_counts_as_a_failed_login_too(client, editor, clock):
    set_up(editor)
    log_in(client, "bientap")
    assert AccessAttempt.objects.get(username="bientap").failures_since_start == 1


def test_a_recovery_code_logs_in_once(client, editor, clock):
    _, codes = set_up(editor)
    next_step(clock)
    # Typed as shown, with the dash, even in capitals.
    typed = two_factor.for_display(codes[3]).upper()
    assert log_in(client, "bientap", typed).status_code == 302
    assert is_logged_in(client)
    assert client.get("/admin/").status_code == 200
    assert StaticToken.objects.filter(device__user=editor).count() == 9

    client.logout()
    clock.shift(60)
    response = log_in(client, "bientap", codes[3])
    assert response.status_code == 200
    assert "Mã xác thực không đúng hoặc đã hết hạn." in response.content.decode()
    assert not is_logged_in(client)


def test_after_a_wrong_code_the_right_one_waits_a_moment(client, editor, clock):
    key, _ = set_up(editor)
    next_step(clock)
    log_in(client, "bientap", "000000")
    response = log_in(client, "bientap", app_code(key))
    assert response.status_code == 200
    assert "Đã nhập sai mã nhiều lần: hãy chờ đến" in response.content.decode()
    clock.shift(5)
    assert log_in(client, "bientap", app_code(key)).status_code == 302


@pytest.mark.parametrize(
    "code",
    ["x", " ", "1" * 32, "１２３４５６", "12345\x00", "<script>", "abcdefgh", "12 34 56 78",
     "-" * 32],
)  # fmt: skip
def test_junk_in_the_code_box_is_a_form_error(client, editor, clock, code):
    set_up(editor)
    next_step(clock)
    response = log_in(client, "bientap", code)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="errornote"' in page
    assert "<script>" not in page
    assert not is_logged_in(client)


def test_a_code_longer_than_the_box_is_a_form_error(client, editor, clock):
    set_up(editor)
    response = log_in(client, "bientap", "1" * 1000)
    assert response.status_code == 200
    assert "tối đa 32 kí tự" in response.content.decode()
    assert not is_logged_in(client)


def test_a_session_that_skipped_the_code_is_signed_out_of_the_admin(client, editor, clock):
    set_up(editor)
    # A session made without the login form (or before two-factor was turned on elsewhere).
    client.force_login(editor)
    response = client.get("/admin/articles/article/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/admin/articles/article/")
    assert not is_logged_in(client)


# Recovery codes and turning it off -------------------------------------------------------------


@pytest.fixture
def verified_editor(client, editor, clock):
    """The editor, signed in with two factors; returns the app's key and recovery codes."""
    key, codes = set_up(editor)
    next_step(clock)
    assert log_in(client, "bientap", app_code(key)).status_code == 302
    next_step(clock)
    return key, codes


def test_new_recovery_codes_replace_the_old_ones_after_a_code(client, editor, verified_editor):
    key, old_codes = verified_editor
    response = client.post("/admin/bao-mat/ma-du-phong/tao-lai/", {"renew-code": "000000"})
    assert response.status_code == 200
    assert "Mã xác thực không đúng hoặc đã hết hạn." in response.content.decode()
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(old_codes)


def test_new_recovery_codes_are_shown_once_and_the_old_ones_stop_working(
    client, editor, verified_editor
):
    key, old_codes = verified_editor
    response = client.post("/admin/bao-mat/ma-du-phong/tao-lai/", {"renew-code": app_code(key)})
    assert response["Location"] == "/admin/bao-mat/ma-du-phong/"
    page = client.get(response["Location"]).content.decode()
    new_codes = [c.replace("-", "") for c in re.findall(r"<li>([a-z2-7-]{9})</li>", page)]
    assert len(new_codes) == 10
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new_codes)
    assert not set(new_codes) & set(old_codes)
    assert StaticDevice.objects.filter(user=editor).count() == 1


def test_turning_it_off_needs_a_valid_code(client, editor, verified_editor, clock):
    key, codes = verified_editor
    for junk in ("", "000000", "abcdefgh", "x" * 1000, "\x00"):
        response = client.post("/admin/bao-mat/tat/", {"turn_off-code": junk})
        assert response.status_code == 200
        assert 'id="id_turn_off-code_error"' in response.content.decode()  # the form's error
        assert TOTPDevice.objects.filter(user=editor).exists()
    clock.shift(10)  # past django-otp's hold after the wrong recovery code
    response = client.post("/admin/bao-mat/tat/", {"turn_off-code": codes[0]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticDevice.objects.filter(user=editor).exists()
    # Off: the password alone logs in again.
    client.logout()
    assert log_in(client, "bientap").status_code == 302


def test_turning_it_off_by_a_get_changes_nothing(client, editor, verified_editor):
    assert client.get("/admin/bao-mat/tat/").status_code == 405
    assert TOTPDevice.objects.filter(user=editor).exists()


# STAFF_2FA_REQUIRED ----------------------------------------------------------------------------


@pytest.fixture
def required(settings):
    settings.STAFF_2FA_REQUIRED = True


def test_required_mode_sends_an_editor_who_logs_in_to_the_setup_page(
    client, editor, required, clock
):
    response = log_in(client, "bientap")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == "/admin/bao-mat/bat/"
    page = client.get("/admin/bao-mat/bat/").content.decode()
    assert "phải bật xác thực hai bước" in page


def test_required_mode_sends_a_superuser_to_the_setup_page(client, superuser, required):
    client.force_login(superuser)
    assert client.get("/admin/auth/user/")["Location"] == "/admin/bao-mat/bat/"


def test_required_mode_leaves_reporters_free(client, reporter, required):
    assert log_in(client, "phongvien").status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/articles/article/").status_code == 200


def test_required_mode_refuses_crafted_requests_before_setup(
    client, editor, section, required, jpeg_upload
):
    client.force_login(editor)
    for path in ("/admin/", "/admin/articles/article/", "/admin/auth/user/", "/admin/axes/"):
        assert client.get(path)["Location"] == "/admin/bao-mat/bat/", path
    response = client.post(
        "/admin/articles/article/add/",
        {"title": "Bài lén", "sapo": "x", "body": "<p>x</p>", "section": section.pk},
    )
    assert response["Location"] == "/admin/bao-mat/bat/"
    assert not Article.objects.exists()
    response = client.post("/ckeditor/upload/?CKEditorFuncNum=1", {"upload": jpeg_upload})
    assert response["Location"] == "/admin/bao-mat/bat/"


def test_required_mode_opens_the_admin_once_two_factor_is_set_up(client, editor, required, clock):
    client.force_login(editor)
    client.get("/admin/bao-mat/bat/")
    key = client.session["staff_two_factor_pending_key"]
    client.post("/admin/bao-mat/bat/", {"code": app_code(key)})
    assert client.get("/admin/").status_code == 200
    # And the next login asks for the code, then opens the admin.
    client.logout()
    next_step(clock)
    assert log_in(client, "bientap", app_code(key)).status_code == 302
    assert client.get("/admin/articles/article/").status_code == 200


def test_with_required_mode_off_a_session_without_two_factor_works_as_before(client, editor):
    client.force_login(editor)
    assert client.get("/admin/articles/article/").status_code == 200


# What a superuser sees of someone's two-factor sign-in ------------------------------------------


def test_django_otps_device_pages_are_gone(superuser_client, editor, clock):
    """A superuser helps someone who lost phone and codes from the list of accounts
    (tests/staff/test_admin_frame.py); django-otp's English pages of devices are not served."""
    set_up(editor)
    totp = TOTPDevice.objects.get(user=editor)
    for path in (
        "/admin/otp_totp/totpdevice/",
        f"/admin/otp_totp/totpdevice/{totp.pk}/change/",
        f"/admin/otp_totp/totpdevice/{totp.pk}/config/",
        "/admin/otp_static/staticdevice/",
    ):
        assert superuser_client.get(path).status_code == 404, path


def test_the_account_pages_show_no_secret(superuser_client, editor, clock):
    key, codes = set_up(editor)
    for path in (
        "/admin/auth/user/",
        f"/admin/auth/user/{editor.pk}/change/",
        f"/admin/auth/user/{editor.pk}/delete/",
    ):
        page = superuser_client.get(path).content.decode()
        assert key not in page
        assert two_factor.secret_for_typing(key).replace(" ", "") not in page
        assert not any(code in page for code in codes)
