from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from registry.enums import RSVP, ContactMethod, EventKind, PerspectiveCode, ResourceStatus


class Taxonomy(models.Model):
    name = models.CharField(_("namn"), max_length=100, unique=True)
    name_en = models.CharField(
        _("namn på engelska"), max_length=100, blank=True, help_text=_("Visas när någon använder sidorna på engelska.")
    )
    slug = models.SlugField(_("kortnamn"), max_length=100, unique=True)
    is_active = models.BooleanField(_("används"), default=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name in the language of the page (Swedish when no English name is entered)."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class ExperienceArea(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("erfarenhetsområde")
        verbose_name_plural = _("erfarenhetsområden")


class ContributionType(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("medverkansform")
        verbose_name_plural = _("medverkansformer")


class Perspective(models.Model):
    code = models.CharField(_("perspektiv"), max_length=20, choices=PerspectiveCode.choices, unique=True)

    class Meta:
        verbose_name = _("perspektiv")
        verbose_name_plural = _("perspektiv")
        ordering = ["id"]

    def __str__(self):
        return self.get_code_display()


class ExperienceResource(models.Model):
    """A person in the pool. Everything here is personal data; areas, story and needs are health data."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="experience_resource"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ResourceStatus.choices, default=ResourceStatus.APPLIED, db_index=True
    )
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    email = models.EmailField(_("e-postadress"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    municipality = models.CharField(_("kommun"), max_length=100, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("födelseår"), null=True, blank=True)
    languages = models.CharField(_("språk"), max_length=200, blank=True, help_text=_("T.ex. svenska, arabiska"))
    perspectives = models.ManyToManyField(Perspective, blank=True, verbose_name=_("perspektiv"))
    areas = models.ManyToManyField(ExperienceArea, blank=True, verbose_name=_("erfarenhetsområden"))
    contribution_types = models.ManyToManyField(ContributionType, blank=True, verbose_name=_("medverkansformer"))
    story = models.TextField(_("min berättelse"), blank=True)
    support_needs = models.TextField(_("stöd eller anpassning jag behöver"), blank=True)
    preferred_contact = models.CharField(
        _("hur vill du bli kontaktad?"), max_length=10, choices=ContactMethod.choices, default=ContactMethod.EMAIL
    )
    intake_at = models.DateTimeField(_("introduktionssamtal"), null=True, blank=True)
    intake_place = models.CharField(_("plats eller länk för samtalet"), max_length=300, blank=True)
    status_reason = models.TextField(_("skäl (vid avböjd eller avslutad)"), blank=True)
    can_on_site = models.BooleanField(_("jag kan vara med på plats"), default=True)
    can_digital = models.BooleanField(_("jag kan vara med digitalt"), default=True)
    max_assignments_per_month = models.PositiveSmallIntegerField(
        _("högst antal uppdrag i månaden"), null=True, blank=True, help_text=_("Lämna tomt om du inte vill sätta någon gräns.")
    )
    suitable_times = models.CharField(
        _("dagar och tider som passar"), max_length=300, blank=True, help_text=_("Till exempel: förmiddagar, inte fredagar.")
    )
    leave_requested_at = models.DateTimeField(_("vill lämna sedan"), null=True, blank=True)
    left_at = models.DateTimeField(_("lämnade"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personuppgifter borttagna"), null=True, blank=True)
    # One per submitted form: a double click or a resent form cannot make a second person.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    coordinator_notes = models.TextField(_("anteckningar (bara samordnare)"), blank=True)
    consent_version = models.CharField(_("version av samtyckestexten"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("samtycke lämnat"), null=True, blank=True)
    training_completed_on = models.DateField(_("introduktionsutbildning genomförd"), null=True, blank=True)
    # Kept current by the assignments app when an assignment is done, so the pool can be
    # filtered and sorted by it without the registry knowing about assignments.
    last_assignment_on = models.DateField(_("senaste uppdrag"), null=True, blank=True, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registrerad av"),
    )
    created_at = models.DateTimeField(_("anmäld"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("erfarenhetsresurs")
        verbose_name_plural = _("erfarenhetsresurser")
        ordering = ["last_name", "first_name", "id"]  # the id last: pages of the pool are stable
        indexes = [
            models.Index(fields=["status", "last_name"]),
            # The pool list's own order: its pages are read from the index, not sorted, and a deep
            # page skips its rows in the index alone (it holds the id). Migration 0010 adds the
            # search's indexes on PostgreSQL.
            models.Index(fields=["last_name", "first_name", "id"], name="resource_by_name_and_id"),
        ]
        constraints = [
            models.UniqueConstraint(Lower("email"), condition=~models.Q(email=""), name="unique_resource_email"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class AwayPeriod(models.Model):
    """A period when the person does not want to be asked (travel, treatment, rest)."""

    resource = models.ForeignKey(ExperienceResource, on_delete=models.CASCADE, related_name="away_periods")
    starts_on = models.DateField(_("från och med"))
    ends_on = models.DateField(_("till och med"))
    note = models.CharField(_("anteckning (frivillig)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("period då jag inte kan")
        verbose_name_plural = _("perioder då jag inte kan")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="away_period_ends_after_start")
        ]

    def __str__(self):
        return f"{self.starts_on}–{self.ends_on}"


class YearlyCheck(models.Model):
    """The yearly "are you still with us?" question: one row per person and year, so it goes out once."""

    class Answer(models.TextChoices):
        STAYING = "staying", _("Ja, jag är kvar")
        PAUSE = "pause", _("Jag vill pausa")
        LEAVE = "leave", _("Jag vill lämna")

    resource = models.ForeignKey(ExperienceResource, on_delete=models.CASCADE, related_name="yearly_checks")
    year = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resource", "year"], name="one_yearly_check_per_year")]
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.resource_id} {self.year}"


class Event(models.Model):
    """An introduction training or a network meeting that coordinators invite people to."""

    kind = models.CharField(_("typ"), max_length=20, choices=EventKind.choices, default=EventKind.NETWORK)
    title = models.CharField(_("rubrik"), max_length=200)
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    place = models.CharField(
        _("plats"), max_length=300, blank=True, help_text=_("Adress och rum. Lämna tomt om träffen bara är digital.")
    )
    link = models.URLField(_("länk till digitalt möte"), blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("antal platser"), null=True, blank=True, help_text=_("Lämna tomt om antalet inte är begränsat.")
    )
    cancelled_at = models.DateTimeField(_("inställd"), null=True, blank=True)
    # One per create form: a double click makes one event, not two.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("träff")
        verbose_name_plural = _("träffar")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start")
        ]

    def __str__(self):
        return self.title


class EventInvitation(models.Model):
    """One person invited to one event: their answer, and later whether they came."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    resource = models.ForeignKey(ExperienceResource, on_delete=models.CASCADE, related_name="event_invitations")
    response = models.CharField(_("svar"), max_length=10, choices=RSVP.choices, default=RSVP.PENDING)
    responded_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("var med"), null=True, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")
        ordering = ["resource__last_name", "resource__first_name"]
        constraints = [models.UniqueConstraint(fields=["event", "resource"], name="one_invitation_per_person")]

    def __str__(self):
        return f"{self.event_id}:{self.resource_id}"
