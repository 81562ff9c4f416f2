from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from . import two_factor

CODE_WIDGET_ATTRS = {
    "autocomplete": "one-time-code",
    "autocapitalize": "off",
    "spellcheck": "false",
    "size": 12,
}


class LoginForm(AdminAuthenticationForm):
    """The admin's login form, holding a name to the length its field advertises. Django sets
    that length on the field after building it, so no validator checks it, and a longer name
    would reach the login throttle, whose record holds at most that many characters."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class TwoFactorLoginForm(LoginForm):
    """The admin's login form with a box for the code of an account that signs in with two
    factors. A wrong or missing code refuses the login as a wrong password does, and counts
    as a failed login for the throttle (django-axes listens to user_login_failed)."""

    otp_token = forms.CharField(
        label="Mã xác thực",
        required=False,
        max_length=32,
        strip=True,
        help_text=(
            "6 chữ số trong ứng dụng xác thực, hoặc một mã dự phòng. "
            "Để trống nếu tài khoản chưa bật xác thực hai bước."
        ),
        widget=forms.TextInput(attrs=CODE_WIDGET_ATTRS),
    )

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not two_factor.has_two_factor(user):
            return
        code = self.cleaned_data.get("otp_token") or ""
        try:
            if not code:
                raise ValidationError(
                    "Tài khoản này đăng nhập bằng hai bước: hãy nhập mã xác thực.",
                    code="code_required",
                )
            device = two_factor.check_code(user=user, code=code)
        except ValidationError:
            user_login_failed.send(
                sender=__name__,
                credentials={"username": self.cleaned_data.get("username")},
                request=self.request,
            )
            raise
        # django-otp's user_logged_in receiver marks the session as verified by this device.
        user.otp_device = device


class CodeForm(forms.Form):
    """A code from the authenticator app, or a recovery code where `recovery` allows it."""

    code = forms.CharField(
        label="Mã xác thực",
        max_length=32,
        strip=True,
        widget=forms.TextInput(attrs=CODE_WIDGET_ATTRS),
        error_messages={"required": "Hãy nhập mã xác thực."},
    )
