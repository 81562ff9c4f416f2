import axes.apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = "Nhân sự và đăng nhập"
    # This module holds a second configuration, for django-axes: this one is staff's own.
    default = True


class LoginProtectionConfig(axes.apps.AppConfig):
    """django-axes under a Vietnamese name (settings.INSTALLED_APPS names this class, as Django
    documents for renaming another package's app): its pages of failed logins show as
    "Bảo vệ đăng nhập" in the admin."""

    default = False
    verbose_name = _("Bảo vệ đăng nhập")
