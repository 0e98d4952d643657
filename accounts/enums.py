from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Samordnare")
    UNIT_STAFF = "unit_staff", _("Verksamhet")
    RESOURCE = "resource", _("Erfarenhetsresurs")
    FINANCE = "finance", _("Ekonomi")
    ADMINISTRATOR = "administrator", _("Administratör")


# Roles that see more than their own data: they sign in with password and a second factor.
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.FINANCE, Role.ADMINISTRATOR})
