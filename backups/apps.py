from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    """Backing up and restoring the whole site: every app's tables and the photos. It sits on
    top of all the other apps (it names their models), and nothing imports it."""

    name = "backups"
    verbose_name = _("Sao lưu")
