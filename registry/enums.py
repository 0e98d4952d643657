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


class ContactMethod(models.TextChoices):
    EMAIL = "email", _("E-post")
    PHONE = "phone", _("Telefon")
    SMS = "sms", _("Sms")


# Which status may follow which. set_resource_status() refuses anything else.
TRANSITIONS: dict[str, frozenset[str]] = {
    ResourceStatus.APPLIED: frozenset({ResourceStatus.INTAKE_BOOKED, ResourceStatus.ACTIVE, ResourceStatus.REJECTED}),
    ResourceStatus.INTAKE_BOOKED: frozenset({ResourceStatus.INTAKE_BOOKED, ResourceStatus.ACTIVE, ResourceStatus.REJECTED}),
    ResourceStatus.ACTIVE: frozenset({ResourceStatus.PAUSED, ResourceStatus.LEFT}),
    ResourceStatus.PAUSED: frozenset({ResourceStatus.ACTIVE, ResourceStatus.LEFT}),
    ResourceStatus.LEFT: frozenset(),
    ResourceStatus.REJECTED: frozenset(),
}


class EventKind(models.TextChoices):
    TRAINING = "training", _("Introduktionsutbildning")
    NETWORK = "network", _("Nätverksträff")


class RSVP(models.TextChoices):
    PENDING = "pending", _("Har inte svarat")
    YES = "yes", _("Kommer")
    NO = "no", _("Kommer inte")
    WAITLIST = "waitlist", _("På väntelista")
