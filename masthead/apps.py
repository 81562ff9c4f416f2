from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MastheadConfig(AppConfig):
    name = "masthead"
    verbose_name = _("Toà soạn")
