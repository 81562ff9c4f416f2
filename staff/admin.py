from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.functional import lazy
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom.admin import CheckedInputAdmin

from .forms import TwoFactorLoginForm

# The admin's frame names the site as settings do, read when a page is drawn.
site_named = lazy(lambda suffix: f"{settings.SITE_NAME} — {suffix}", str)
admin.site.site_header = site_named("Quản trị nội dung")
admin.site.site_title = site_named("Quản trị")
admin.site.index_title = "Bàn làm việc của toà soạn"

# The admin's login asks for the code of an account that signs in with two factors.
admin.site.login_form = TwoFactorLoginForm
admin.site.login_template = "registration/admin_login.html"

# django-otp's own pages of devices (superusers: remove the devices of someone who lost both
# phone and recovery codes), checked as ours are. They show no secrets
# (settings.OTP_ADMIN_HIDE_SENSITIVE_DATA).
for model, model_admin in ((TOTPDevice, TOTPDeviceAdmin), (StaticDevice, StaticDeviceAdmin)):
    admin.site.unregister(model)
    admin.site.register(model, type(model_admin.__name__, (CheckedInputAdmin, model_admin), {}))


class StaffUserAdmin(CheckedInputAdmin, UserAdmin):
    """Django's page of staff accounts, checked as ours are."""


class RoleAdmin(CheckedInputAdmin, GroupAdmin):
    """Django's page of groups, the newsroom's roles (staff/roles.py), checked as ours are."""


admin.site.unregister([User, Group])
admin.site.register(User, StaffUserAdmin)
admin.site.register(Group, RoleAdmin)

# Login attempts (django-axes): its own pages, checked as ours too.
for model, model_admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    admin.site.unregister(model)
    admin.site.register(model, type(model_admin.__name__, (CheckedInputAdmin, model_admin), {}))
