"""Evaluations after an assignment (utvärdering), and the coordinators' follow-up (uppföljning)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import Assignment
from evaluations.enums import FollowUpKind, FollowUpMethod, QuestionKind, Respondent
from registry.models import Event


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class QuestionSet(models.Model):
    """The questions one respondent group answers, versioned: an evaluation keeps the version it was sent
    with, so editing the questions never changes what an earlier answer meant. The newest published
    version for a group is the one new evaluations get."""

    respondent = models.CharField(_("vem svarar"), max_length=10, choices=Respondent.choices)
    version = models.PositiveIntegerField(_("version"))
    introduction = models.TextField(_("inledning"), blank=True, help_text=_("Visas överst i formuläret."))
    published_at = models.DateTimeField(
        _("publicerad"), null=True, blank=True, help_text=_("Nya utvärderingar får den senast publicerade versionen.")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("frågeformulär")
        verbose_name_plural = _("frågeformulär")
        ordering = ["respondent", "-version"]
        constraints = [models.UniqueConstraint(fields=["respondent", "version"], name="one_question_set_per_version")]

    def __str__(self):
        values = {"respondent": self.get_respondent_display(), "version": self.version}
        return str(_("%(respondent)s, version %(version)s") % values)


class Question(models.Model):
    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="questions")
    # Stable across versions, so statistics can follow "overall" from one version to the next.
    key = models.SlugField(_("nyckel"), max_length=50)
    text = models.CharField(_("fråga"), max_length=300)
    help_text = models.CharField(_("förklaring"), max_length=300, blank=True)
    kind = models.CharField(_("svarstyp"), max_length=10, choices=QuestionKind.choices)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    required = models.BooleanField(_("måste besvaras"), default=False)
    # The unit's answer is shown to the person on Mina sidor (closing the loop), e.g. "what it led to".
    shown_to_resource = models.BooleanField(_("visas för erfarenhetsresursen"), default=False)

    class Meta:
        verbose_name = _("fråga")
        verbose_name_plural = _("frågor")
        ordering = ["question_set", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["question_set", "key"], name="one_question_per_key")]

    def __str__(self):
        return self.text


class Evaluation(models.Model):
    """One respondent's evaluation of one assignment: sent by mail, answered once."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="evaluations")
    respondent = models.CharField(_("vem svarar"), max_length=10, choices=Respondent.choices)
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="evaluations")
    # Who it went to, as it was when sent (the unit's contact may change later).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recipient_name = models.CharField(_("mottagare"), max_length=200, blank=True)
    recipient_email = models.EmailField(_("e-post"), blank=True)
    # Part of the signed link: a new nonce makes every earlier link stop working.
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    sent_at = models.DateTimeField(_("skickad"), default=timezone.now)
    reminded_at = models.DateTimeField(_("påmind"), null=True, blank=True)
    closes_at = models.DateTimeField(_("stänger"))
    submitted_at = models.DateTimeField(_("besvarad"), null=True, blank=True)
    # The respondent allows their answers to be quoted anonymously in reports.
    quote_allowed = models.BooleanField(_("får citeras anonymt"), default=False)

    class Meta:
        verbose_name = _("utvärdering")
        verbose_name_plural = _("utvärderingar")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["submitted_at", "closes_at"])]
        # One per respondent and assignment: a signal sent twice, or a sweep after it, makes no second one.
        constraints = [models.UniqueConstraint(fields=["assignment", "respondent"], name="one_evaluation_per_respondent")]

    def __str__(self):
        return f"{self.assignment_id}:{self.respondent}"

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None and timezone.now() < self.closes_at


class Answer(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    rating = models.PositiveSmallIntegerField(_("betyg"), null=True, blank=True)
    choice = models.BooleanField(_("ja eller nej"), null=True, blank=True)
    text = models.TextField(_("svar"), blank=True)

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        ordering = ["evaluation", "question__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "question"], name="one_answer_per_question"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5), name="rating_one_to_five"
            ),
        ]

    def __str__(self):
        return f"{self.evaluation_id}:{self.question_id}"


class FollowUpTheme(models.Model):
    """A theme the follow-up raised (e.g. "clearer meeting structure"), taken up at network meetings."""

    title = models.CharField(_("tema"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    events = models.ManyToManyField(Event, blank=True, related_name="follow_up_themes", verbose_name=_("nätverksträffar"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tema från uppföljningen")
        verbose_name_plural = _("teman från uppföljningen")
        ordering = ["title"]

    def __str__(self):
        return self.title


class FollowUp(models.Model):
    """A coordinator followed up one item on the list (a call, a meeting). The item then leaves the list;
    for items about a person (never asked, said no three times) only until something new happens."""

    kind = models.CharField(_("vad"), max_length=20, choices=FollowUpKind.choices)
    # The id of what was followed up: an assignment, an evaluation, a request or a person, by kind.
    object_id = models.PositiveBigIntegerField()
    method = models.CharField(_("hur"), max_length=10, choices=FollowUpMethod.choices, default=FollowUpMethod.CALL)
    note = models.TextField(_("anteckning"))
    themes = models.ManyToManyField(FollowUpTheme, blank=True, related_name="follow_ups", verbose_name=_("teman"))
    followed_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    followed_up_at = models.DateTimeField(_("följdes upp"), default=timezone.now)

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["-followed_up_at", "-pk"]
        indexes = [models.Index(fields=["kind", "object_id", "followed_up_at"])]

    def __str__(self):
        return f"{self.kind}:{self.object_id}"
