from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Bài viết")

    def ready(self):
        from photos import rules

        from .workflow import lead_photo_locked

        rules.register_lock(lead_photo_locked)
