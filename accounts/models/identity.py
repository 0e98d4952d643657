"""Organisations' identity providers (SAML 2.0 or OpenID Connect) and how their groups map to roles.

The protocol settings (entity id, metadata URL or certificate, client id and secret) live in
allauth's SocialApp; what this app decides on top of it lives here: which e-mail domains the
provider may speak for, which groups give which role, which sign-ins count as strong.
"""

from allauth.socialaccount.models import SocialApp
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role


class IdentityProvider(models.Model):
    app = models.OneToOneField(
        SocialApp, on_delete=models.CASCADE, related_name="policy", verbose_name=_("inloggningstjänst (allauth)")
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    email_domains = models.TextField(
        _("e-postdomäner"),
        help_text=_(
            "En domän per rad, t.ex. regionexempel.se. Tjänsten får bara logga in personer med adresser i dessa domäner, "
            "så att en kommuns tjänst aldrig kan logga in någon i regionen."
        ),
    )
    groups_attribute = models.CharField(
        _("attribut eller claim med grupper"),
        max_length=200,
        blank=True,
        help_text=_("T.ex. groups, eller http://schemas.microsoft.com/ws/2008/06/identity/claims/groups."),
    )
    hsa_attribute = models.CharField(
        _("attribut eller claim med HSA-id"),
        max_length=200,
        blank=True,
        help_text=_("T.ex. urn:sambi:names:attribute:hsaIdentity."),
    )
    strong_contexts = models.TextField(
        _("starka inloggningssätt"),
        blank=True,
        help_text=_(
            "Ett värde per rad: AuthnContextClassRef (SAML) eller acr/amr (OpenID Connect) som betyder stark inloggning, "
            "t.ex. SITHS-kort eller MFA. Då frågar vi inte efter vår egen säkerhetskod."
        ),
    )
    allow_unit_staff = models.BooleanField(
        _("personal i verksamheter får logga in"),
        default=True,
        help_text=_("Den som inte har någon roll från grupperna får ett konto och ber om att få gå med i en verksamhet."),
    )

    class Meta:
        verbose_name = _("organisationens inloggning")
        verbose_name_plural = _("organisationernas inloggning")

    def __str__(self):
        return self.app.name or self.app.client_id

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def domains(self) -> list[str]:
        return [d.lower().lstrip("@") for d in self._lines(self.email_domains)]

    @property
    def strong_values(self) -> set[str]:
        return set(self._lines(self.strong_contexts))


class RoleMapping(models.Model):
    """Members of `group` at this provider get `role` (checked again at every sign-in)."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="role_mappings")
    group = models.CharField(_("grupp eller attributvärde"), max_length=300)
    role = models.CharField(
        _("roll"),
        max_length=32,
        choices=[(r.value, r.label) for r in (Role.COORDINATOR, Role.FINANCE, Role.ADMINISTRATOR)],
    )

    class Meta:
        verbose_name = _("grupp som ger en roll")
        verbose_name_plural = _("grupper som ger roller")
        constraints = [models.UniqueConstraint(fields=["provider", "group", "role"], name="unique_role_mapping")]

    def __str__(self):
        return f"{self.group} → {self.get_role_display()}"
