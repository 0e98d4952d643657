"""Writes for evaluations: send them when an assignment is done, answer once, remind once.

An evaluation is created once per respondent and assignment (a unique constraint), in the
transaction that made the assignment done; its mail is a stored row with a key, queued on
commit. The sweep (beat) makes any evaluation a missed signal left out, and sends the one
reminder by claiming the row with a conditional UPDATE first, so two runs send nothing twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import log_action
from assignments.enums import AssignmentStatus
from assignments.models import Assignment
from evaluations import emails
from evaluations.enums import FollowUpKind, QuestionKind, Respondent
from evaluations.models import Answer, Evaluation, FollowUp, FollowUpTheme, QuestionSet, new_nonce

SALT = "evaluations.answer-link"


class EvaluationError(Exception):
    """A refused answer, with a message for the person who tried."""


# --- the answer link -------------------------------------------------------------------------


def answer_token(evaluation: Evaluation) -> str:
    return signing.dumps({"evaluation": evaluation.pk, "nonce": evaluation.nonce}, salt=SALT)


def answer_link(evaluation: Evaluation) -> str:
    return f"{settings.SITE_URL}/utvardering/{answer_token(evaluation)}/"


def evaluation_from_token(token: str) -> tuple[Evaluation | None, str]:
    """The evaluation behind a link, or None and why: "invalid" or "expired"; with the evaluation,
    "answered" or "closed" when it can no longer be answered."""
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(days=settings.EVALUATION_CLOSE_DAYS))
    except signing.SignatureExpired:
        return None, "expired"
    except signing.BadSignature:
        return None, "invalid"
    if not isinstance(data, dict):
        return None, "invalid"
    evaluation = (
        Evaluation.objects.select_related("assignment", "assignment__request", "assignment__request__unit", "question_set")
        .filter(pk=data.get("evaluation"))
        .first()
    )
    if evaluation is None:
        return None, "invalid"
    if evaluation.nonce != data.get("nonce"):
        # Answering replaces the nonce: the link worked once. Say so rather than "invalid".
        return (evaluation, "answered") if evaluation.submitted_at else (None, "invalid")
    return evaluation, state_problem(evaluation)


def state_problem(evaluation: Evaluation, now: datetime | None = None) -> str:
    if evaluation.submitted_at is not None:
        return "answered"
    if (now or timezone.now()) >= evaluation.closes_at:
        return "closed"
    return ""


# --- sending ---------------------------------------------------------------------------------


def current_question_set(respondent: str) -> QuestionSet | None:
    return (
        QuestionSet.objects.filter(respondent=respondent, published_at__isnull=False, published_at__lte=timezone.now())
        .order_by("-version")
        .first()
    )


def _unit_recipient(assignment: Assignment) -> tuple[object, str, str]:
    """The unit's contact for the assignment, or the request's contact when none was named."""
    contact = assignment.contact_user
    email = assignment.contact_email or getattr(contact, "email", "") or assignment.request.contact_email
    name = assignment.contact_name or getattr(contact, "full_name", "") or assignment.request.contact_name
    return contact, name, email


def create_evaluations(assignment: Assignment, now: datetime | None = None) -> list[Evaluation]:
    """One evaluation for the unit and one for the person, with their mails. Safe to call twice."""
    now = now or timezone.now()
    if assignment.status != AssignmentStatus.DONE:
        return []
    created = []
    resource = assignment.resource
    unit_user, unit_name, unit_email = _unit_recipient(assignment)
    recipients = {
        Respondent.UNIT: (unit_user, unit_name, unit_email),
        Respondent.RESOURCE: (resource.user, resource.full_name, resource.email),
    }
    for respondent, (user, name, email) in recipients.items():
        question_set = current_question_set(respondent)
        if question_set is None:
            continue  # no published questions for this group: nothing to ask
        try:
            with transaction.atomic():
                evaluation, made = Evaluation.objects.get_or_create(
                    assignment=assignment,
                    respondent=respondent,
                    defaults={
                        "question_set": question_set,
                        "user": user,
                        "recipient_name": name,
                        "recipient_email": email,
                        "sent_at": now,
                        "closes_at": now + timedelta(days=settings.EVALUATION_CLOSE_DAYS),
                    },
                )
        except IntegrityError:
            continue  # made by another run at the same moment
        if made:
            emails.send_evaluation(evaluation, link=answer_link(evaluation))
            log_action("evaluations.evaluation.sent", obj=assignment, data={"respondent": respondent})
            created.append(evaluation)
    return created


def on_assignment_done(sender, *, assignment, actor=None, **kwargs) -> None:
    create_evaluations(assignment)


def send_reminders(now: datetime | None = None) -> int:
    """One reminder per unanswered, open evaluation, EVALUATION_REMINDER_DAYS after it was sent."""
    now = now or timezone.now()
    due = Evaluation.objects.filter(
        submitted_at__isnull=True,
        reminded_at__isnull=True,
        closes_at__gt=now,
        sent_at__lte=now - timedelta(days=settings.EVALUATION_REMINDER_DAYS),
    )
    sent = 0
    for evaluation_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = Evaluation.objects.filter(pk=evaluation_id, reminded_at__isnull=True, submitted_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:
                continue
            evaluation = Evaluation.objects.select_related("assignment", "assignment__request").get(pk=evaluation_id)
            emails.send_reminder(evaluation, link=answer_link(evaluation))
            log_action("evaluations.evaluation.reminded", obj=evaluation.assignment, data={"respondent": evaluation.respondent})
        sent += 1
    return sent


def create_missing(now: datetime | None = None) -> int:
    """Evaluations for done assignments a missed signal left without them (recent ones only)."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.EVALUATION_CLOSE_DAYS)
    missing = (
        Assignment.objects.filter(status=AssignmentStatus.DONE, done_at__gte=since)
        .annotate(evaluation_count=Count("evaluations"))
        .filter(evaluation_count__lt=len(Respondent.values))
        .select_related("request", "resource", "contact_user")
    )
    return sum(len(create_evaluations(assignment, now=now)) for assignment in missing)


# --- answering -------------------------------------------------------------------------------


def submit(evaluation: Evaluation, *, answers: dict, quote_allowed: bool, actor=None, via: str) -> Evaluation:
    """Store the answers once. `answers` maps a question's key to its value (int, bool or str)."""
    now = timezone.now()
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        problem = state_problem(locked, now)
        if problem == "answered":
            raise EvaluationError(_("Utvärderingen är redan besvarad. Svaren ändras inte."))
        if problem == "closed":
            raise EvaluationError(_("Utvärderingen är stängd. Tack ändå!"))
        rows = []
        for question in locked.question_set.questions.all():
            value = answers.get(question.key)
            if value in (None, ""):
                continue
            row = Answer(evaluation=locked, question=question)
            if question.kind == QuestionKind.RATING:
                row.rating = int(value)
            elif question.kind == QuestionKind.YES_NO:
                row.choice = bool(value)
            else:
                row.text = str(value).strip()
            rows.append(row)
        Answer.objects.bulk_create(rows)
        # A new nonce: the link in the mail works once; opened again it says "already answered".
        locked.submitted_at, locked.quote_allowed, locked.nonce = now, quote_allowed, new_nonce()
        locked.save(update_fields=["submitted_at", "quote_allowed", "nonce"])
        log_action(
            "evaluations.evaluation.submitted",
            actor=actor,
            obj=locked.assignment,
            data={"respondent": locked.respondent, "via": via, "quote_allowed": quote_allowed},
        )
    return locked


# --- follow-up -------------------------------------------------------------------------------


def mark_followed_up(kind: str, object_id: int, *, note: str, method: str, themes=(), new_theme: str = "", actor) -> FollowUp:
    """Record that a coordinator followed up one item; it leaves the list."""
    if kind not in FollowUpKind.values:
        raise EvaluationError(_("Okänd sorts uppföljning."))
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            kind=kind, object_id=object_id, note=note.strip(), method=method, followed_up_by=actor
        )
        themes = list(themes)
        if new_theme.strip():
            theme, _created = FollowUpTheme.objects.get_or_create(title=new_theme.strip(), defaults={"created_by": actor})
            themes.append(theme)
        if themes:
            follow_up.themes.set(themes)
        log_action(
            "evaluations.follow_up.done",
            actor=actor,
            obj=follow_up,
            data={"kind": kind, "object_id": object_id, "method": method, "themes": [t.pk for t in themes]},
        )
    return follow_up


def link_theme_to_event(theme: FollowUpTheme, event, *, actor) -> None:
    theme.events.add(event)
    log_action("evaluations.theme.linked", actor=actor, obj=theme, data={"event": event.pk})


def unlink_theme_from_event(theme: FollowUpTheme, event, *, actor) -> None:
    theme.events.remove(event)
    log_action("evaluations.theme.unlinked", actor=actor, obj=theme, data={"event": event.pk})
