from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Uppdrag och överenskommelser")

    def ready(self):
        from assignments.documents import receivers  # noqa: F401 - connects the PDF to agreement_signed
