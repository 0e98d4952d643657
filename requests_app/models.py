from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CareUnit(models.Model):
    """A care unit (verksamhet) that borrows experience resources; pays fees from its cost centre."""

    name = models.CharField(_("namn"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200)
    cost_centre = models.CharField(_("kostnadsställe"), max_length=40)
    postal_address = models.TextField(_("postadress"), blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="care_units", verbose_name=_("personal"))

    class Meta:
        verbose_name = _("verksamhet")
        verbose_name_plural = _("verksamheter")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_unit_name_per_organisation")]

    def __str__(self):
        return self.name
