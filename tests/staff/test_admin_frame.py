"""The admin's frame around a person: greeted by name, a refusal shown inside the admin in
Vietnamese (not a bare English "403 Forbidden"), permissions named in Vietnamese, and a
superuser able to turn off a colleague's lost two-factor sign-in."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import permission_denied
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff.templatetags.staff_frame import greeting_name


def greeting(client, user):
    client.force_login(user)
    page = client.get(reverse("admin:index")).content.decode()
    return page.split('<div id="user-tools">', 1)[1].split("</strong>", 1)[0]


def test_the_header_greets_by_full_name_family_name_first(client, editor):
    editor.first_name, editor.last_name = "Thu Hà", "Nguyễn"
    editor.save()

    assert greeting(client, editor).endswith("<strong>Nguyễn Thu Hà")


def test_the_header_greets_a_writer_by_their_pen_name(client, reporter, make_author):
    make_author("Hải Nhi", user=reporter)

    assert greeting(client, reporter).endswith("<strong>Hải Nhi")


def test_the_header_falls_back_to_the_user_name(client, editor):
    text = greeting(client, editor)
    assert text.endswith("<strong>bientap")
    assert "Xin chào," in text


def test_the_greeting_name_ignores_blank_names(editor, make_author):
    editor.first_name = "  "
    make_author(" ", user=editor)
    editor.refresh_from_db()
    assert greeting_name(editor) == "bientap"


def test_an_editor_opening_users_gets_a_vietnamese_page_in_the_admins_frame(client, editor):
    client.force_login(editor)

    answer = client.get(reverse("admin:auth_user_changelist"))

    assert answer.status_code == 403
    page = answer.content.decode()
    assert "Không có quyền truy cập" in page and "Forbidden" not in page
    assert 'id="nav-sidebar"' in page  # the admin's menu, to go on from here
    assert 'id="user-tools"' in page and "Bảo mật đăng nhập" in page
    assert "nhờ quản trị viên cấp quyền" in page
    assert f'href="{reverse("admin:index")}"' in page


def test_a_readers_403_stays_a_plain_page(db, rf):
    request = rf.get("/xem-truoc/k/het-han/")
    request.user = AnonymousUser()

    answer = permission_denied(request, PermissionDenied("Liên kết đã hết hạn."))

    page = answer.content.decode()
    assert answer.status_code == 403
    assert "Không có quyền truy cập" in page and "Liên kết đã hết hạn." in page
    assert "nav-sidebar" not in page and "user-tools" not in page
    assert "Forbidden" not in page


def test_staff_outside_the_admin_get_the_plain_page_too(editor):
    request = RequestFactory().get("/tim-kiem/")
    request.user = editor

    page = permission_denied(request, PermissionDenied()).content.decode()

    assert "nav-sidebar" not in page and "Không có quyền truy cập" in page


def test_permissions_are_named_in_vietnamese(superuser_client, roles):
    from staff.roles import REPORTER

    page = superuser_client.get(
        reverse("admin:auth_group_change", args=[roles[REPORTER].pk])
    ).content.decode()

    assert "Bài viết | Có thể thêm bài viết" in page
    assert "Bảo vệ đăng nhập | Có thể xoá đăng nhập sai" in page
    assert "Xác thực hai bước | Có thể xem ứng dụng xác thực" in page
    assert "Bài viết | Có thể xuất bản, lên lịch, gỡ và trả lại bài" in page
    assert "Can add" not in page and "Can change" not in page


@pytest.fixture
def colleague_with_two_factor(make_user):
    from staff.roles import EDITOR

    colleague = make_user("bientap2", EDITOR)
    TOTPDevice.objects.create(user=colleague, name="Ứng dụng xác thực", confirmed=True)
    StaticDevice.objects.create(user=colleague, name="Mã dự phòng")
    return colleague


def test_a_superuser_turns_off_a_colleagues_two_factor_sign_in(
    superuser_client, colleague_with_two_factor
):
    users = reverse("admin:auth_user_changelist")
    assert "Tắt xác thực hai bước của các tài khoản đã chọn" in (
        superuser_client.get(users).content.decode()
    )

    superuser_client.post(
        users,
        {"action": "turn_off_two_factor", "_selected_action": [colleague_with_two_factor.pk]},
    )

    assert not TOTPDevice.objects.filter(user=colleague_with_two_factor).exists()
    assert not StaticDevice.objects.filter(user=colleague_with_two_factor).exists()


def test_django_otps_english_device_pages_are_gone(superuser_client):
    assert superuser_client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert superuser_client.get("/admin/otp_static/staticdevice/").status_code == 404
