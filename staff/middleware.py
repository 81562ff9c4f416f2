from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from . import two_factor


class TwoFactorMiddleware:
    """Hold the staff areas (the admin, the body editor's uploads, staff previews) to two-factor
    sign-in.

    - A session of an account that has two-factor sign-in but did not show a code (signed in
      before it was turned on, elsewhere, or by any path that skipped the admin's login form)
      is signed out and sent to the login form.
    - With settings.STAFF_2FA_REQUIRED, an editor or superuser without it is sent to set it
      up, whatever the address or method: every other admin page, and every post to one,
      answers with that redirect until it is done.

    It sits after django_otp's OTPMiddleware (request.user.is_verified()) and the messages
    middleware. Readers' pages are not looked at: they need no session (and must not start
    varying on the cookie).
    """

    # The staff preview (/xem-truoc/<id>/) shows drafts; a link's preview (/xem-truoc/k/...)
    # is for people without an account and answers the same to anyone.
    STAFF_AREAS = ("/ckeditor/", "/xem-truoc/")

    def __init__(self, get_response):
        self.get_response = get_response
        self.areas = None
        self.open_during_setup = None

    def __call__(self, request):
        if self.areas is None:
            self.areas = (reverse("admin:index"), *self.STAFF_AREAS)
            self.open_during_setup = (
                reverse("staff:two-factor"),
                reverse("admin:logout"),
                reverse("admin:jsi18n"),
            )
        if request.path_info.startswith(self.areas):
            refusal = self.refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def refusal(self, request):
        user = request.user
        if not (user.is_authenticated and user.is_staff) or user.is_verified():
            return None
        if two_factor.has_two_factor(user):
            logout(request)
            messages.warning(request, "Hãy đăng nhập lại với mã xác thực của bạn.")
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if (
            settings.STAFF_2FA_REQUIRED
            and not request.path_info.startswith(self.open_during_setup)
            and two_factor.must_use_two_factor(user)
        ):
            messages.warning(
                request,
                "Tài khoản biên tập và quản trị phải bật xác thực hai bước "
                "trước khi dùng trang quản trị.",
            )
            return redirect("staff:turn-on")
        return None
