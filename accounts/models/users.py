from functools import cached_property

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import STAFF_ROLES, Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        """`createsuperuser` makes the first administrator (see README)."""
        user = self.create_user(email, password, **extra)
        RoleGrant.objects.create(user=user, role=Role.ADMINISTRATOR)
        return user


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Signs in with the e-mail address; there is no username."""

    email = models.EmailField(_("e-postadress"), unique=True)
    full_name = models.CharField(_("namn"), max_length=200, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    date_joined = models.DateTimeField(_("skapad"), default=timezone.now)
    # Kept for when the identity providers are down: may still sign in with password + TOTP
    # after LOCAL_PASSWORDS_BREAK_GLASS_ONLY has turned local passwords off for everyone else.
    break_glass = models.BooleanField(
        _("nödkonto"), default=False, help_text=_("Får logga in med lösenord även när organisationskonton krävs.")
    )
    hsa_id = models.CharField(_("HSA-id"), max_length=64, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def roles(self) -> frozenset[str]:
        """The user's roles; one query, then cached on the instance."""
        if not self.pk:
            return frozenset()
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, role: str) -> bool:
        return self.is_active and role in self.roles

    @property
    def is_staff_role(self) -> bool:
        """Coordinator, finance or administrator: signs in with password and MFA."""
        return bool(self.roles & STAFF_ROLES)

    @property
    def is_staff(self) -> bool:
        # Django's admin asks this; only administrators may use it.
        return self.has_role(Role.ADMINISTRATOR)


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("användare"))
    role = models.CharField(_("roll"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(_("tilldelad"), auto_now_add=True)
    # Set when the role came from an identity provider's group: such a role follows the group
    # and is taken away at the next sign-in when the group no longer gives it.
    identity_provider = models.ForeignKey(
        "accounts.IdentityProvider", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("från organisationens inloggning"),
    )

    class Meta:
        verbose_name = _("roll")
        verbose_name_plural = _("roller")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"
