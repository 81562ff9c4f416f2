"""Two-factor sign-in for staff: a time-based code (TOTP) from an authenticator app, with ten
one-time recovery codes for a lost phone. django-otp keeps both: the app's secret as a
confirmed TOTPDevice, the recovery codes as the tokens of a StaticDevice.

Optional for every staff account; with settings.STAFF_2FA_REQUIRED, editors and superusers
must set it up before the admin lets them do anything else (staff/middleware.py). The admin
login asks for the code of an account that has it (staff/forms.py).
"""

import re
import time
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote, urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.models import VerifyNotAllowed
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from newsroom.formats import vi_datetime

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Ứng dụng xác thực"
RECOVERY_DEVICE_NAME = "Mã dự phòng"
# An app's code is six digits; a recovery code is eight letters and digits (StaticToken), so
# the shape of what was typed says which of the two to check, and a mistyped app code never
# counts against the recovery codes (django-otp throttles each device on its own).
APP_CODE = re.compile(r"[0-9]{6}")
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")

WRONG_CODE = "Mã xác thực không đúng hoặc đã hết hạn."
THROTTLED = "Đã nhập sai mã nhiều lần: hãy chờ đến {time} rồi thử lại."


def has_two_factor(user):
    """Whether the account signs in with a second factor (a confirmed authenticator app)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def must_use_two_factor(user):
    """Whether the account may not use the admin without two-factor sign-in: editors and
    superusers, when settings.STAFF_2FA_REQUIRED is on. Reporters may choose."""
    if not settings.STAFF_2FA_REQUIRED:
        return False
    # Whoever may publish, by group or by a permission given directly: the same test as
    # articles.workflow.is_editor, asked by name so that sign-in needs no article code.
    return user.is_superuser or user.has_perm("articles.publish_article")


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user).count()


# Setting up ------------------------------------------------------------------------------------


def new_secret():
    """A fresh secret for an authenticator app, in django-otp's form (hex, 20 bytes)."""
    return random_hex(20)


def secret_for_typing(key):
    """The secret as an authenticator app asks for it when typed: base32, in groups of four."""
    text = b32encode(unhexlify(key)).decode("ascii")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def app_link(*, user, key):
    """The otpauth:// link an authenticator app reads from the QR code."""
    issuer = settings.SITE_NAME.replace(":", "")
    label = quote(f"{issuer}:{user.get_username()}")
    query = urlencode(
        {
            "secret": b32encode(unhexlify(key)).decode("ascii"),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": 6,
            "period": 30,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


def qr_code_svg(text):
    """`text` as a QR code: an <svg> element to put inline in the page. Drawn here, so the
    secret goes to no other service."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def cleaned(code):
    """What was typed, without the spaces and dashes people add, in lower case."""
    return re.sub(r"[\s-]", "", code or "").lower()


def turn_on(*, user, key, code):
    """Turn two-factor sign-in on for `user` with the app set up from `key`, once `code` shows
    that the app makes the right codes. Returns (device, recovery codes), the codes in clear
    for showing once. Raises ValidationError (Vietnamese) and changes nothing otherwise."""
    code = cleaned(code)
    if not re.fullmatch(r"[0-9a-f]{40}", key or ""):
        raise ValidationError("Mã bí mật không hợp lệ: hãy tải lại trang.", code="bad_key")
    if not APP_CODE.fullmatch(code):
        raise ValidationError("Hãy nhập 6 chữ số ứng dụng đang hiện.", code="bad_code")
    totp = TOTP(unhexlify(key))
    totp.time = time.time()
    if not totp.verify(int(code), tolerance=1):
        raise ValidationError(WRONG_CODE, code="wrong_code")
    with transaction.atomic():
        # Two confirmations sent at once (a double click) must not make two devices.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if has_two_factor(user):
            raise ValidationError("Tài khoản đã bật xác thực hai bước.", code="already_on")
        _remove_devices(user)
        # The code just typed is spent: the login that follows needs the next one.
        device = TOTPDevice.objects.create(
            user=user, name=APP_DEVICE_NAME, key=key, confirmed=True, last_t=totp.t()
        )
        codes = _replace_recovery_codes(user)
    return device, codes


def renew_recovery_codes(*, user, code):
    """Replace `user`'s recovery codes with ten new ones, after checking `code`; returns them."""
    check_code(user=user, code=code)
    with transaction.atomic():
        return _replace_recovery_codes(user)


def turn_off(*, user, code):
    """Turn two-factor sign-in off for `user`, after checking `code`."""
    with transaction.atomic():
        check_code(user=user, code=code)
        _remove_devices(user)


def remove(user):
    """Turn two-factor sign-in off for `user` without a code: a superuser does it for someone
    who lost both their phone and their recovery codes (the admin's list of accounts)."""
    with transaction.atomic():
        _remove_devices(user)


# Checking a code -------------------------------------------------------------------------------


def check_code(*, user, code):
    """The device that accepts `code` for `user`: the authenticator app for six digits, the
    recovery codes otherwise (a recovery code works once). Raises ValidationError, in
    Vietnamese, for a wrong code or while django-otp holds the device back after mistakes."""
    code = cleaned(code)
    if APP_CODE.fullmatch(code):
        model = TOTPDevice
    elif RECOVERY_CODE.fullmatch(code):
        model = StaticDevice
    else:
        raise ValidationError(WRONG_CODE, code="wrong_code")
    with transaction.atomic():
        devices = model.objects.filter(user=user, confirmed=True).select_for_update()
        held_until = None
        for device in devices:
            allowed, why = device.verify_is_allowed()
            if not allowed:
                if why and why.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
                    held_until = why.get("locked_until")
                continue
            if device.verify_token(code):
                return device
    if held_until is not None:
        moment = vi_datetime(held_until, "time")
        raise ValidationError(THROTTLED.format(time=moment), code="throttled")
    raise ValidationError(WRONG_CODE, code="wrong_code")


def _replace_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def _remove_devices(user):
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def for_display(code):
    """A recovery code as shown: two groups of four (the dash is ignored when typed)."""
    return f"{code[:4]}-{code[4:]}"
