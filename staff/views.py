"""The two-factor page of each staff account ("Bảo mật đăng nhập"), linked from every admin
page: turn it on with an authenticator app, see recovery codes once, make new ones, turn it
off. The rules are in staff/two_factor.py."""

import django_otp
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import two_factor
from .forms import CodeForm

# The secret of an app being set up waits in the session until a code confirms it: nothing
# is stored for an account until then, and a GET of the page changes no row.
PENDING_KEY = "staff_two_factor_pending_key"
# Recovery codes just made, shown once by the next page and dropped.
NEW_CODES = "staff_two_factor_new_codes"


def page(request, template, **context):
    return render(
        request,
        template,
        {**admin.site.each_context(request), "title": "Bảo mật đăng nhập", **context},
    )


@never_cache
@staff_member_required
def overview(request, *, code_forms=None):
    user = request.user
    code_forms = code_forms or {}
    return page(
        request,
        "staff/two_factor.html",
        is_on=two_factor.has_two_factor(user),
        required=two_factor.must_use_two_factor(user),
        codes_left=two_factor.recovery_codes_left(user),
        renew_form=code_forms.get("renew") or CodeForm(prefix="renew"),
        turn_off_form=code_forms.get("turn_off") or CodeForm(prefix="turn_off"),
    )


@never_cache
@staff_member_required
def turn_on(request):
    user = request.user
    if two_factor.has_two_factor(user):
        return redirect("staff:two-factor")
    key = request.session.get(PENDING_KEY)
    if not key:
        key = request.session[PENDING_KEY] = two_factor.new_secret()
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            device, codes = two_factor.turn_on(user=user, key=key, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            del request.session[PENDING_KEY]
            # This session has shown the second factor: it stays signed in, verified.
            request.session.cycle_key()
            django_otp.login(request, device)
            request.session[NEW_CODES] = codes
            messages.success(request, "Đã bật xác thực hai bước cho tài khoản của bạn.")
            return redirect("staff:recovery-codes")
    link = two_factor.app_link(user=user, key=key)
    return page(
        request,
        "staff/two_factor_setup.html",
        form=form,
        qr_code=two_factor.qr_code_svg(link),
        secret=two_factor.secret_for_typing(key),
        required=two_factor.must_use_two_factor(user),
    )


@never_cache
@staff_member_required
def recovery_codes(request):
    codes = request.session.pop(NEW_CODES, None)
    if not codes:
        messages.info(
            request, "Mã dự phòng chỉ hiện một lần, ngay khi được tạo. Bạn có thể tạo bộ mã mới."
        )
        return redirect("staff:two-factor")
    return page(
        request,
        "staff/recovery_codes.html",
        codes=[two_factor.for_display(code) for code in codes],
    )


@never_cache
@staff_member_required
@require_POST
def renew_recovery_codes(request):
    form = CodeForm(request.POST, prefix="renew")
    if form.is_valid():
        try:
            codes = two_factor.renew_recovery_codes(
                user=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            request.session[NEW_CODES] = codes
            return redirect("staff:recovery-codes")
    return overview(request, code_forms={"renew": form})


@never_cache
@staff_member_required
@require_POST
def turn_off(request):
    form = CodeForm(request.POST, prefix="turn_off")
    if form.is_valid():
        try:
            two_factor.turn_off(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(request, "Đã tắt xác thực hai bước.")
            return redirect("staff:two-factor")
    return overview(request, code_forms={"turn_off": form})
