from django.db import models
from django.utils.translation import gettext_lazy as _


class ResourceStatus(models.TextChoices):
    APPLIED = "applied", _("Har anmält intresse")
    INTAKE_BOOKED = "intake_booked", _("Introduktionssamtal bokat")
    ACTIVE = "active", _("Aktiv")
    PAUSED = "paused", _("Pausad")
    LEFT = "left", _("Har lämnat")
    REJECTED = "rejected", _("Avböjd")


class PerspectiveCode(models.TextChoices):
    PATIENT = "patient", _("Patient")
    RELATIVE = "relative", _("Närstående")
    SERVICE_USER = "service_user", _("Brukare")
