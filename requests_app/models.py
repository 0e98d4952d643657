from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from config.choices import choice_label
from registry.models import ExperienceArea, Perspective
from requests_app.enums import (
    OPEN_STATUSES,
    AgeGroup,
    Duration,
    EthicsStatus,
    Format,
    JoinKind,
    JoinStatus,
    RequestStatus,
    WorkKind,
)
from requests_app.validators import validate_cost_centre


class CareUnit(models.Model):
    """A care unit (verksamhet) that borrows experience resources; pays fees from its cost centre."""

    name = models.CharField(_("namn"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200)
    cost_centre = models.CharField(_("kostnadsställe"), max_length=40, validators=[validate_cost_centre])
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


class UnitJoinRequest(models.Model):
    """Unit staff asking for a unit that is not in the list yet, or to join one that is.

    Either way nothing of the unit is visible until it is approved: a new unit by a
    coordinator; joining by a coordinator or, when UNIT_MEMBERS_APPROVE_JOINS is on, by
    someone who already works there. For a join, `unit` is the unit asked for and the name,
    organisation and cost centre are copied from it.
    """

    kind = models.CharField(_("gäller"), max_length=20, choices=JoinKind.choices, default=JoinKind.NEW_UNIT)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_join_requests")
    name = models.CharField(_("verksamhetens namn"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200)
    cost_centre = models.CharField(_("kostnadsställe"), max_length=40, validators=[validate_cost_centre])
    postal_address = models.TextField(_("postadress"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=JoinStatus.choices, default=JoinStatus.PENDING)
    unit = models.ForeignKey(CareUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ansökan om ny verksamhet")
        verbose_name_plural = _("ansökningar om ny verksamhet")
        ordering = ["created_at"]
        constraints = [
            # A double click asks once.
            models.UniqueConstraint(
                fields=["user", "unit"],
                condition=models.Q(kind=JoinKind.EXISTING_UNIT, status=JoinStatus.PENDING),
                name="one_pending_join_per_unit",
            )
        ]

    def __str__(self):
        return self.name


class RequestCounter(models.Model):
    """The last reference number used in a year. Locked while a request is numbered, so there are no gaps."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class UnitRequest(models.Model):
    """A care unit's request for experience resources (verksamhetsförfrågan)."""

    reference = models.CharField(_("referens"), max_length=20, unique=True, null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.DRAFT, db_index=True
    )
    # Incremented on every change a coordinator or the unit makes; a form carries the version it
    # was built from, so a change made meanwhile by someone else is noticed instead of overwritten.
    version = models.PositiveIntegerField(default=1, editable=False)
    unit = models.ForeignKey(CareUnit, on_delete=models.PROTECT, related_name="requests", verbose_name=_("verksamhet"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_for_requests",
        verbose_name=_("ansvarig samordnare"),
    )

    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("kontaktpersonens e-post"), blank=True)
    contact_phone = models.CharField(_("kontaktpersonens telefon"), max_length=40, blank=True)

    kind = models.CharField(_("vad gäller det?"), max_length=20, choices=WorkKind.choices, blank=True)
    kind_other = models.CharField(_("beskriv kort vad det är"), max_length=200, blank=True)
    title = models.CharField(
        _("rubrik"), max_length=200, blank=True, help_text=_("En kort rad, t.ex. ”Ny information om strokevård”.")
    )
    purpose = models.TextField(_("syfte och vad erfarenhetsresursen ska bidra med"), blank=True)

    areas = models.ManyToManyField(ExperienceArea, blank=True, verbose_name=_("erfarenhetsområden"))
    perspectives = models.ManyToManyField(Perspective, blank=True, verbose_name=_("perspektiv"))
    age_group = models.CharField(_("åldersgrupp"), max_length=20, choices=AgeGroup.choices, default=AgeGroup.ANY)
    languages = models.CharField(
        _("språk utöver svenska"),
        max_length=200,
        blank=True,
        help_text=_("Om personen behöver tala ett visst språk, t.ex. arabiska."),
    )
    other_wishes = models.TextField(_("andra önskemål"), blank=True)
    people_count = models.PositiveSmallIntegerField(_("hur många personer?"), null=True, blank=True)

    format = models.CharField(_("på plats eller digitalt?"), max_length=10, choices=Format.choices, blank=True)
    location = models.CharField(_("plats"), max_length=300, blank=True, help_text=_("Adress, ort eller vilket videoverktyg."))
    starts_on = models.DateField(_("från och med"), null=True, blank=True)
    ends_on = models.DateField(_("till och med"), null=True, blank=True)
    dates_note = models.CharField(
        _("datum och tider"), max_length=300, blank=True, help_text=_("T.ex. ”tre tisdagar i mars, kl. 13–16”.")
    )
    duration = models.CharField(_("hur lång tid tar det?"), max_length=10, choices=Duration.choices, blank=True)
    hours = models.DecimalField(_("antal timmar"), max_digits=4, decimal_places=1, null=True, blank=True)
    preparation = models.CharField(
        _("förberedelser"), max_length=300, blank=True, help_text=_("T.ex. ”läsa material, ca 1 timme”.")
    )

    is_research = models.BooleanField(_("det är ett forskningsprojekt"), default=False)
    ethics_status = models.CharField(_("etikprövning"), max_length=20, choices=EthicsStatus.choices, blank=True)
    reply_by = models.DateField(_("svar önskas senast"), null=True, blank=True)

    # MEDIA_ROOT is never served by URL: the file goes out only through a view that checks who asks.
    attachment = models.FileField(_("bilaga"), upload_to="requests/%Y/", blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)

    status_reason = models.TextField(_("skäl"), blank=True)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True, db_index=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("förfrågan")
        verbose_name_plural = _("förfrågningar")
        ordering = ["-submitted_at", "-created_at"]
        # The shortlist's monthly limit reads the inquiries of the requests in one month.
        indexes = [
            models.Index(fields=["starts_on"], name="request_starts_on"),
            # The board: the open requests (some thousands of a million) in the order they were sent.
            models.Index(
                fields=["submitted_at", "id"],
                condition=models.Q(status__in=sorted(str(s) for s in OPEN_STATUSES)),
                name="request_open_by_submitted",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=RequestStatus.DRAFT) | models.Q(reference__isnull=False),
                name="submitted_request_has_reference",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="request_period_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.reference or _("Utkast")

    @property
    def kind_label(self) -> str:
        if self.kind == WorkKind.OTHER and self.kind_other:
            return self.kind_other
        return choice_label(WorkKind, self.kind)

    @property
    def status_label(self) -> str:
        """As get_status_display(), without building the choices' dict on every call (the board's 50 rows)."""
        return choice_label(RequestStatus, self.status)


class RequestMessage(models.Model):
    """A message between the coordinators and the unit. Both sides see it."""

    request = models.ForeignKey(UnitRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_unit = models.BooleanField(default=False)
    body = models.TextField(_("meddelande"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.request_id}:{self.pk}"


class RequestNote(models.Model):
    """An internal note. Only coordinators ever see it."""

    request = models.ForeignKey(UnitRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("anteckning"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.request_id}:{self.pk}"
