# django-otp's modules register its pages of devices when imported: imported here first,
# before the admin discovers them, so that the pages can be taken out again (below).
import django_otp.plugins.otp_static.admin  # noqa: F401
import django_otp.plugins.otp_totp.admin  # noqa: F401
from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.admin.utils import NestedObjects
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db import router
from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom.admin import CheckedInputAdmin

from . import throttling, two_factor
from .forms import TwoFactorLoginForm

# The admin's frame is named after the site by masthead/admin.py (the masthead in force).
admin.site.index_title = "Bàn làm việc của toà soạn"

# The admin's login asks for the code of an account that signs in with two factors.
admin.site.login_form = TwoFactorLoginForm
admin.site.login_template = "registration/admin_login.html"

# django-otp's pages list its devices in English, field by field. A superuser helps someone who
# lost both phone and recovery codes from the list of accounts instead ("Tắt xác thực hai bước").
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


# Permissions ------------------------------------------------------------------------------------

# Django names the four permissions it makes for each model in English ("Can add bài viết");
# the pickers of roles and accounts name them in Vietnamese, as our own permissions are named.
DEFAULT_PERMISSIONS = {
    "add": _("Có thể thêm %s"),
    "change": _("Có thể sửa %s"),
    "delete": _("Có thể xoá %s"),
    "view": _("Có thể xem %s"),
}
# Models and apps of other packages that name themselves in English only (django-otp).
OTHER_NAMES = {
    ("otp_totp", "totpdevice"): _("ứng dụng xác thực"),
    ("otp_static", "staticdevice"): _("bộ mã dự phòng"),
    ("otp_static", "statictoken"): _("mã dự phòng"),
}
OTHER_APP_NAMES = {"otp_totp": _("Xác thực hai bước"), "otp_static": _("Xác thực hai bước")}


def permission_label(permission):
    """A permission as the pickers show it: its app, then what it allows, in Vietnamese
    ("Bài viết | Có thể thêm bài viết")."""
    content_type = permission.content_type
    key = (content_type.app_label, content_type.model)
    model = content_type.model_class()
    if model is None:
        app_name, model_name = content_type.app_label, content_type.model
    else:
        app_name, model_name = model._meta.app_config.verbose_name, model._meta.verbose_name
    app_name = OTHER_APP_NAMES.get(content_type.app_label, app_name)
    model_name = OTHER_NAMES.get(key, model_name)
    action, _underscore, codename_model = permission.codename.partition("_")
    if action in DEFAULT_PERMISSIONS and codename_model == content_type.model:
        allows = DEFAULT_PERMISSIONS[action] % model_name
    else:
        allows = permission.name
    return f"{app_name} | {allows}"


def deleted_objects(objs, request, admin_site):
    """django.contrib.admin.utils.get_deleted_objects, naming each row in Vietnamese
    (OTHER_NAMES) and leaving out the rows of many-to-many link tables, which Django names after
    its models' code names ("User_groups object (3)")."""
    if not objs:
        return [], {}, set(), []
    collector = NestedObjects(using=router.db_for_write(objs[0]._meta.model), origin=objs)
    collector.collect(objs)
    perms_needed = set()

    def described(obj):
        model, opts = type(obj), obj._meta
        if opts.auto_created:
            return None
        name = capfirst(OTHER_NAMES.get((opts.app_label, opts.model_name), opts.verbose_name))
        if (opts.app_label, opts.model_name) in OTHER_NAMES:
            return name if model is StaticToken else f"{name}: {obj}"
        if not admin_site.is_registered(model):
            return f"{name}: {obj}"
        if not admin_site.get_model_admin(model).has_delete_permission(request, obj):
            perms_needed.add(opts.verbose_name)
        try:
            url = reverse(
                f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]
            )
        except NoReverseMatch:
            return f"{name}: {obj}"
        return format_html('{}: <a href="{}">{}</a>', name, url, obj)

    def kept(items):
        shown = []
        for item in items:
            if isinstance(item, list):
                item = kept(item)
            if item:
                shown.append(item)
        return shown

    counts = {}
    for model, rows in collector.model_objs.items():
        if not model._meta.auto_created:
            key = (model._meta.app_label, model._meta.model_name)
            counts[capfirst(OTHER_NAMES.get(key, model._meta.verbose_name_plural))] = len(rows)
    protected = [described(obj) for obj in collector.protected]
    return kept(collector.nested(described)), counts, perms_needed, protected


class PermissionNamesAdmin:
    """Mixin for the admins of accounts and roles: their permission pickers speak Vietnamese."""

    permission_fields = ()

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in self.permission_fields and field is not None:
            field.queryset = field.queryset.select_related("content_type")
            field.label_from_instance = permission_label
        return field


# Accounts and roles -----------------------------------------------------------------------------


class StaffUserAdmin(PermissionNamesAdmin, CheckedInputAdmin, UserAdmin):
    """Django's page of staff accounts, checked as ours are, showing who signs in with two
    factors; superusers turn it off for someone who lost their phone and recovery codes."""

    permission_fields = ("user_permissions",)
    list_display = [*UserAdmin.list_display, "two_factor_on"]
    actions = ["turn_off_two_factor"]

    def get_queryset(self, request):
        confirmed_app = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_two_factor=Exists(confirmed_app))

    @admin.display(description=_("xác thực hai bước"), boolean=True, ordering="has_two_factor")
    def two_factor_on(self, user):
        return user.has_two_factor

    @admin.action(
        description=_("Tắt xác thực hai bước của các tài khoản đã chọn"),
        permissions=["turn_off_two_factor"],
    )
    def turn_off_two_factor(self, request, queryset):
        users = list(queryset)
        for user in users:
            two_factor.remove(user)
        self.message_user(
            request,
            _(
                "Đã tắt xác thực hai bước của %(count)d tài khoản: họ đăng nhập bằng mật khẩu "
                "và tự bật lại ở trang “Bảo mật đăng nhập”."
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )

    def has_turn_off_two_factor_permission(self, request):
        return request.user.is_superuser

    def get_deleted_objects(self, objs, request):
        """What deleting accounts deletes with them, as Django lists it but in Vietnamese: the
        links to roles and rights (Django's own link tables) are not listed, and two-factor
        devices are named as the security page names them, their codes not shown."""
        return deleted_objects(objs, request, self.admin_site)


class RoleAdmin(PermissionNamesAdmin, CheckedInputAdmin, GroupAdmin):
    """Django's page of groups, the newsroom's roles (staff/roles.py), checked as ours are."""

    permission_fields = ("permissions",)


admin.site.unregister([User, Group])
admin.site.register(User, StaffUserAdmin)
admin.site.register(Group, RoleAdmin)


# Login protection (django-axes) -----------------------------------------------------------------


def superusers_names():
    return User.objects.filter(is_superuser=True).values("username")


class FailedLoginAdmin(CheckedInputAdmin, AccessAttemptAdmin):
    """Wrong passwords by user name and address (django-axes' AccessAttempt), and who is locked
    out. A reporter who cannot sign in asks an editor, who unlocks them here ("Mở khoá").

    Editors see and unlock every account but superusers': clearing a superuser's record would
    let whoever guesses that password go on guessing, so only a superuser does it. The list is
    all there is: a record has no page of its own (what it holds is in the columns).
    """

    list_display = [
        "username",
        "ip_address",
        "failures_since_start",
        "status",
        "attempt_time",
        "user_agent",
    ]
    list_display_links = None
    list_filter = [f for f in AccessAttemptAdmin.list_filter if f != "path_info"]
    actions = ["unlock"]

    def get_queryset(self, request):
        attempts = super().get_queryset(request)
        if request.user.is_superuser:
            return attempts
        return attempts.exclude(username__in=superusers_names())

    def get_actions(self, request):
        # Deleting a record is unlocking: the action says so and records who unlocked whom.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def action_checkbox(self, attempt):
        # Django labels the box with the record's name, which django-axes writes in English.
        label = _("Chọn đăng nhập sai của %(username)s từ %(address)s") % {
            "username": attempt.username or "?",
            "address": attempt.ip_address or "?",
        }
        box = forms.CheckboxInput({"class": "action-select", "aria-label": label}, lambda v: False)
        return box.render(helpers.ACTION_CHECKBOX_NAME, str(attempt.pk))

    @admin.display(description=_("tình trạng"))
    def status(self, attempt):
        return super().status(attempt)

    @admin.action(
        description=_("Mở khoá đăng nhập cho các tài khoản đã chọn"), permissions=["delete"]
    )
    def unlock(self, request, queryset):
        names = throttling.unlock(queryset)
        attempt_type = ContentType.objects.get_for_model(AccessAttempt)
        LogEntry.objects.bulk_create(
            LogEntry(
                user_id=request.user.pk,
                content_type=attempt_type,
                object_repr=_("Đăng nhập sai của %(username)s") % {"username": name},
                action_flag=DELETION,
                change_message=_("Mở khoá đăng nhập"),
            )
            for name in names
        )
        self.message_user(
            request,
            _("Đã mở khoá đăng nhập cho: %(names)s.") % {"names": ", ".join(sorted(names))}
            if names
            else _("Đã xoá các lần đăng nhập sai đã chọn."),
            messages.SUCCESS,
        )


class HiddenLoginLogAdmin(CheckedInputAdmin):
    """django-axes' logs of logins and of failures, which these settings do not keep
    (AXES_DISABLE_ACCESS_LOG; AXES_ENABLE_ACCESS_FAILURE_LOG is off): left out of the admin's
    menus, their addresses still answer for superusers."""

    list_display_links = None
    actions = None

    def has_module_permission(self, request):
        return False


for model, model_admin in (
    (AccessAttempt, FailedLoginAdmin),
    (AccessLog, type("AccessLogAdmin", (HiddenLoginLogAdmin, AccessLogAdmin), {})),
    (
        AccessFailureLog,
        type("AccessFailureLogAdmin", (HiddenLoginLogAdmin, AccessFailureLogAdmin), {}),
    ),
):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
