"""Writes for matching: send inquiries, record answers, confirm the choice, remind and expire.

Every change of an inquiry's status goes through set_inquiry_status(). Everything that
depends on the request's state locks the request row first, so two coordinators (or a
coordinator and a late answer) cannot cross each other.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import log_action
from matching import emails, keep
from matching.enums import INQUIRY_TRANSITIONS, OPEN_INQUIRY, AnsweredVia, InquiryStatus
from matching.models import Conflict, FairnessCount, FairnessFacts, Inquiry, MatchingWeights
from matching.scoring import CRITERIA, Wish, annotate_components, eligible, explain
from matching.signals import choice_confirmed
from notifications import links
from registry.models import ExperienceResource
from requests_app.enums import CLOSED_STATUSES, RequestStatus
from requests_app.models import CareUnit, UnitRequest
from requests_app.services import set_request_status

SALT = "matching.inquiry-answer"
LINK_KIND = "inquiry_answer"
SENDABLE = frozenset({RequestStatus.READY, RequestStatus.MATCHING})


class MatchingError(Exception):
    """A refused action, with a message for the person who tried it."""


# --- the answer link -------------------------------------------------------------------------


def answer_token(inquiry: Inquiry) -> str:
    return signing.dumps({"inquiry": inquiry.pk, "nonce": inquiry.nonce}, salt=SALT)


def answer_link(inquiry: Inquiry) -> str:
    return f"{settings.SITE_URL}/svara/{answer_token(inquiry)}/"


def mailed_answer_link(inquiry: Inquiry) -> str:
    """The link as stored in the outbox: its token is made when the mail is sent (notifications.links)."""
    return f"{settings.SITE_URL}/svara/{links.placeholder(LINK_KIND, inquiry.pk)}/"


def token_for_inquiry(pk: int) -> str | None:
    inquiry = Inquiry.objects.filter(pk=pk).first()
    return answer_token(inquiry) if inquiry else None


def inquiry_from_token(token: str) -> tuple[Inquiry | None, str]:
    """The inquiry behind a link, or None and why: "invalid", "expired" or "used"."""
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(days=settings.INQUIRY_LINK_MAX_DAYS))
    except signing.SignatureExpired:
        return None, "expired"
    except signing.BadSignature:
        return None, "invalid"
    inquiry = Inquiry.objects.select_related("request", "request__unit", "resource").filter(pk=data.get("inquiry")).first()
    if inquiry is None or inquiry.resource.erased_at is not None:
        return None, "invalid"  # a link never outlives the person it was sent to
    if not inquiry.nonce or inquiry.nonce != data.get("nonce"):
        return inquiry, "used"
    return inquiry, ""


# --- sending ---------------------------------------------------------------------------------


def default_deadline(unit_request: UnitRequest, now: datetime | None = None) -> datetime:
    """A few days before the unit wants its answer, but never less than two days away."""
    now = now or timezone.now()
    latest = now + timedelta(days=settings.INQUIRY_REPLY_DAYS)
    if unit_request.reply_by:
        before_unit = timezone.make_aware(datetime.combine(unit_request.reply_by - timedelta(days=2), datetime.max.time()))
        latest = min(latest, before_unit)
    earliest = now + timedelta(days=2)
    end_of_day = timezone.localtime(max(latest, earliest)).replace(hour=23, minute=59, second=0, microsecond=0)
    return end_of_day


def _lock_request(unit_request: UnitRequest) -> UnitRequest:
    return UnitRequest.objects.select_for_update().select_related("unit").get(pk=unit_request.pk)


@transaction.atomic
def send_inquiries(
    unit_request: UnitRequest,
    resources: list[ExperienceResource],
    *,
    deadline: datetime,
    actor,
    message: str = "",
    hand_reason: str = "",
) -> list[Inquiry]:
    """Asks each person once. From the shortlist the hard rules are checked again now;
    a person added by hand needs a reason, which is logged with the choice."""
    locked = _lock_request(unit_request)
    if locked.status not in SENDABLE:
        raise MatchingError(_("Förfrågan måste vara redo för matchning innan någon tillfrågas."))
    if deadline <= timezone.now():
        raise MatchingError(_("Sista svarsdag måste ligga framåt i tiden."))
    by_hand = bool(hand_reason.strip())
    wish = Wish.of(locked)
    weights = MatchingWeights.current()
    ids = [r.pk for r in resources]
    rows = {
        row["pk"]: row
        for row in annotate_components(ExperienceResource.objects.filter(pk__in=ids), wish, weights).values(
            "pk", "score", "last_asked", "asked_12m", *[f"c_{n}" for n in CRITERIA]
        )
    }
    if not by_hand:
        allowed = set(eligible(wish).filter(pk__in=ids).values_list("pk", flat=True))
        # Already asked for this request (a double click): skipped below, not "no longer eligible".
        allowed |= set(Inquiry.objects.filter(request=locked, resource__in=ids).values_list("resource_id", flat=True))
        refused = [r for r in resources if r.pk not in allowed]
        if refused:
            names = ", ".join(r.full_name for r in refused)
            raise MatchingError(
                _("%(names)s kan inte tillfrågas längre (någon har ändrat något). Listan är uppdaterad.") % {"names": names}
            )
    created = []
    for resource in ExperienceResource.objects.filter(pk__in=ids).prefetch_related("areas", "perspectives", "contribution_types"):
        row = rows[resource.pk]
        components = {n: row[f"c_{n}"] for n in CRITERIA}
        explanation = explain(resource, components, {"last_asked": row["last_asked"], "asked_12m": row["asked_12m"]}, wish)
        try:
            with transaction.atomic():
                inquiry = Inquiry.objects.create(
                    request=locked,
                    resource=resource,
                    deadline=deadline,
                    message=message.strip(),
                    by_hand=by_hand,
                    hand_reason=hand_reason.strip(),
                    score=round(row["score"]),
                    reasons={"good": explanation.good, "lacking": explanation.lacking},
                    sent_by=actor,
                )
        except IntegrityError:
            continue  # already asked (a double click, or a colleague just now)
        data = {"resource": resource.pk, "score": inquiry.score}
        if by_hand:
            data["hand_reason"] = inquiry.hand_reason
        log_action("matching.inquiry.sent_by_hand" if by_hand else "matching.inquiry.sent", actor=actor, obj=locked, data=data)
        emails.send_inquiry(inquiry, link=mailed_answer_link(inquiry))
        created.append(inquiry)
    if created and locked.status == RequestStatus.READY:
        set_request_status(locked, RequestStatus.MATCHING, actor=actor)
    return created


# --- the one transition function -------------------------------------------------------------


@transaction.atomic
def set_inquiry_status(inquiry: Inquiry, target: str, *, actor, comment: str = "", via: str = "") -> Inquiry:
    """The one way an inquiry changes status: guard, lock, change, log, mail."""
    locked = Inquiry.objects.select_for_update().select_related("request", "resource").get(pk=inquiry.pk)
    current, target = InquiryStatus(locked.status), InquiryStatus(target)
    if target not in INQUIRY_TRANSITIONS[current]:
        raise MatchingError(
            _("Förfrågan kan inte gå från ”%(from)s” till ”%(to)s”.") % {"from": current.label, "to": target.label}
        )
    now = timezone.now()
    locked.status = target
    fields = ["status"]
    if target in (InquiryStatus.YES, InquiryStatus.NO):
        locked.comment, locked.answered_at, locked.answered_via, locked.nonce = comment.strip(), now, via, ""
        fields += ["comment", "answered_at", "answered_via", "nonce"]
    if target not in OPEN_INQUIRY:
        locked.closed_at, locked.nonce = now, ""
        fields += ["closed_at", "nonce"]
    elif locked.closed_at:  # a late yes recorded after the inquiry expired: open again
        locked.closed_at = None
        fields.append("closed_at")
    locked.save(update_fields=sorted(set(fields)))
    log_action(
        f"matching.inquiry.{target}",
        actor=actor,
        obj=locked.request,
        data={"resource": locked.resource_id, "from": current.value, "via": via},
    )
    if target == InquiryStatus.EXPIRED:
        emails.send_expired(locked)
    elif target == InquiryStatus.CHOSEN:
        emails.send_chosen(locked)
    elif target == InquiryStatus.NOT_NEEDED:
        emails.send_not_needed(locked)
    elif target == InquiryStatus.CANCELLED:
        emails.send_closed(locked)
    return locked


@transaction.atomic
def answer(
    inquiry: Inquiry,
    *,
    yes: bool,
    comment: str = "",
    share_email: bool = False,
    share_phone: bool = False,
    via: str = AnsweredVia.LINK,
    actor=None,
) -> Inquiry:
    """The person's yes or no. Late, second or closed answers are refused and change nothing.

    A coordinator (via=coordinator) may also record an answer that came after the deadline,
    by phone say, as long as the request is still open.
    """
    locked_request = _lock_request(inquiry.request)
    current = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    late_ok = via == AnsweredVia.COORDINATOR
    if current.status != InquiryStatus.SENT and not (late_ok and current.status == InquiryStatus.EXPIRED):
        if current.status in (InquiryStatus.YES, InquiryStatus.NO):
            raise MatchingError(_("Du har redan svarat. Vill du ändra ditt svar, kontakta samordnaren."))
        raise MatchingError(_("Den här förfrågan är inte öppen längre. Tack ändå!"))
    if timezone.now() > current.deadline and not late_ok:
        raise MatchingError(_("Tiden för att svara har gått ut. Tack ändå! Samordnaren hör av sig om det behövs."))
    if locked_request.status in CLOSED_STATUSES or locked_request.status == RequestStatus.MATCHED:
        raise MatchingError(_("Den här förfrågan är inte öppen längre. Tack ändå!"))
    if yes:
        current.share_email, current.share_phone = share_email, share_phone
        current.save(update_fields=["share_email", "share_phone"])
    return set_inquiry_status(current, InquiryStatus.YES if yes else InquiryStatus.NO, actor=actor, comment=comment, via=via)


@transaction.atomic
def withdraw_yes(inquiry: Inquiry, *, reason: str, actor) -> Inquiry:
    """A yes taken back before the choice (the person told a coordinator they can no longer come).

    The inquiry becomes a no with the reason as its comment; the person is no longer counted
    against their monthly limit and can be asked again for other requests.
    """
    locked_request = _lock_request(inquiry.request)
    current = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    reason = reason.strip()
    if not reason:
        raise MatchingError(_("Skriv varför personen inte kan längre."))
    if current.status != InquiryStatus.YES or locked_request.status not in SENDABLE:
        raise MatchingError(_("Bara ett ja som ännu inte är valt kan tas tillbaka. Sidan visar hur det ser ut nu."))
    # Logged as matching.inquiry.no with "from": "yes".
    return set_inquiry_status(current, InquiryStatus.NO, actor=actor, comment=reason, via=AnsweredVia.COORDINATOR)


@transaction.atomic
def confirm_choice(unit_request: UnitRequest, chosen: list[Inquiry], *, actor) -> UnitRequest:
    """The final choice: the request becomes matched, the unit is told who, the chosen get a
    confirmation, and everyone else still open gets a kind thank-you."""
    locked = _lock_request(unit_request)
    if locked.status != RequestStatus.MATCHING:
        raise MatchingError(_("Förfrågan är inte under matchning. Sidan visar hur det ser ut nu."))
    ids = {i.pk for i in chosen}
    inquiries = list(Inquiry.objects.select_for_update().filter(request=locked).order_by("pk"))
    picked = [i for i in inquiries if i.pk in ids]
    if not picked:
        raise MatchingError(_("Välj minst en person som har tackat ja."))
    if any(i.status != InquiryStatus.YES for i in picked) or len(picked) != len(ids):
        raise MatchingError(_("Bara den som har tackat ja kan väljas. Sidan visar hur det ser ut nu."))
    for inquiry in picked:
        set_inquiry_status(inquiry, InquiryStatus.CHOSEN, actor=actor)
    for inquiry in inquiries:
        if inquiry.pk in ids:
            continue
        if inquiry.status == InquiryStatus.YES:
            set_inquiry_status(inquiry, InquiryStatus.NOT_NEEDED, actor=actor)
        elif inquiry.status == InquiryStatus.SENT:
            set_inquiry_status(inquiry, InquiryStatus.CANCELLED, actor=actor)
    matched = set_request_status(locked, RequestStatus.MATCHED, actor=actor, tell_unit=False)
    chosen_now = list(Inquiry.objects.filter(pk__in=ids).select_related("resource").order_by("pk"))
    emails.send_match_to_unit(matched, chosen_now)
    choice_confirmed.send(sender=UnitRequest, unit_request=matched, chosen=chosen_now, actor=actor)
    return matched


def close_open_inquiries(unit_request: UnitRequest, *, actor) -> int:
    """When a request is declined or withdrawn, nobody is left waiting for an answer."""
    closed = 0
    for inquiry in Inquiry.objects.filter(request=unit_request, status__in=OPEN_INQUIRY):
        set_inquiry_status(inquiry, InquiryStatus.CANCELLED, actor=actor)
        closed += 1
    return closed


def end_links_of_erased(resource) -> None:
    """The person has left and been erased: open inquiries close, and no answer link works."""
    for inquiry in Inquiry.objects.filter(resource=resource, status__in=OPEN_INQUIRY):
        set_inquiry_status(inquiry, InquiryStatus.CANCELLED, actor=None)
    Inquiry.objects.filter(resource=resource).exclude(nonce="").update(nonce="")


def tell_chosen_withdrawn(unit_request: UnitRequest) -> None:
    """The unit called off an assignment people were already chosen for: they hear it from us."""
    for inquiry in Inquiry.objects.filter(request=unit_request, status=InquiryStatus.CHOSEN).select_related("resource"):
        emails.send_withdrawn(inquiry)


# --- the sweeps (Celery beat) -----------------------------------------------------------------


def send_reminders(now: datetime | None = None) -> int:
    """One reminder per unanswered inquiry, sent when the deadline is near.

    The row is claimed with a conditional UPDATE before the mail is queued (with a unique
    key), so two runs at once, or a run after a crash, send nothing twice.
    """
    now = now or timezone.now()
    due = Inquiry.objects.filter(
        status=InquiryStatus.SENT,
        reminded_at__isnull=True,
        deadline__gt=now,
        deadline__lte=now + timedelta(hours=settings.INQUIRY_REMINDER_HOURS),
    )
    sent = 0
    for inquiry_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = Inquiry.objects.filter(pk=inquiry_id, reminded_at__isnull=True, status=InquiryStatus.SENT).update(
                reminded_at=now
            )
            if not claimed:
                continue
            inquiry = Inquiry.objects.select_related("request", "resource").get(pk=inquiry_id)
            emails.send_reminder(inquiry, link=mailed_answer_link(inquiry))
            log_action("matching.inquiry.reminded", obj=inquiry.request, data={"resource": inquiry.resource_id})
        sent += 1
    return sent


def expire_overdue(now: datetime | None = None) -> int:
    """Unanswered inquiries past their deadline become "no answer in time", once."""
    now = now or timezone.now()
    expired = 0
    for inquiry in Inquiry.objects.filter(status=InquiryStatus.SENT, deadline__lt=now):
        try:
            set_inquiry_status(inquiry, InquiryStatus.EXPIRED, actor=None)
        except MatchingError:
            continue  # answered or expired by another run a moment ago
        expired += 1
    return expired


# --- conflicts of interest -------------------------------------------------------------------


def add_conflict(resource: ExperienceResource, unit: CareUnit, *, note: str = "", actor) -> Conflict:
    conflict, _created = Conflict.objects.get_or_create(
        resource=resource, unit=unit, defaults={"note": note.strip(), "created_by": actor}
    )
    return conflict


def remove_conflict(conflict: Conflict, *, actor) -> None:
    conflict.delete()


# --- the kept fairness facts -------------------------------------------------------------------

# Inquiries sent in the last minutes are left to the shortlist's live count: one still being
# written (its id taken, not yet committed) must not fall below the watermark unseen.
FAIRNESS_LAG = timedelta(minutes=5)


def refresh_fairness(now: datetime | None = None) -> int:
    """Counts every person's fairness facts afresh (see models.FairnessFacts); beat runs it.

    One transaction: the shortlist reads the old facts and watermark until it commits. Two
    refreshes at once wait for each other on the FairnessCount row. Returns the rows written.
    """
    now = now or timezone.now()
    with transaction.atomic():
        state, _created = FairnessCount.objects.select_for_update().get_or_create(pk=1)
        counted_from = now - timedelta(days=365)
        settled = Inquiry.objects.filter(sent_at__lt=now - FAIRNESS_LAG).order_by("-pk").values_list("pk", flat=True)[:1]
        watermark = next(iter(settled), 0)
        rows = (
            Inquiry.objects.filter(pk__lte=watermark)
            .order_by()
            .values("resource_id")
            .annotate(last=Max("sent_at"), count=Count("pk", filter=Q(sent_at__gte=counted_from)))
        )
        FairnessFacts.objects.all().delete()
        FairnessFacts.objects.bulk_create(
            (FairnessFacts(resource_id=row["resource_id"], last_asked_at=row["last"], asked_count=row["count"]) for row in rows),
            batch_size=5000,
        )
        previous = state.counted_at
        state.watermark, state.counted_from, state.counted_at = watermark, counted_from, now
        state.save()
    # The shortlist's kept rows (matching.keep) are rebuilt by the first refresh of each day,
    # mending any write that bypassed their receivers, and at once when they are not one per
    # person in the pool (after a load by raw SQL, say): a rebuild reads every active person.
    if previous is None or timezone.localdate(previous) != timezone.localdate(now) or not keep.complete():
        keep.rebuild()
    return FairnessFacts.objects.count()
