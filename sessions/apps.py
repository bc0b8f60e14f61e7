from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeSessionsConfig(AppConfig):
    # "sessions" is taken by django.contrib.sessions; refer to models here as "programme_sessions.X".
    name = "sessions"
    label = "programme_sessions"
    verbose_name = _("Meetings and registrations")

    def ready(self):
        from . import signals  # noqa: F401
