from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MiniLibraryConfig(AppConfig):
    name = "minilibrary"
    verbose_name = _("Mobile mini-library")
