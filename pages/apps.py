from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The product's public pages and each role's start page: the top layer, reads every app."""

    name = "pages"
    verbose_name = _("Sidor")
