"""The yearly question "are you still with us?", and the purge of people who left.

Both run from Celery beat as sweeps over the database: a row per person and year (with a
unique constraint) is claimed before the mail is queued, so running a sweep twice, or on
two workers at once, sends nothing twice.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from accounts.audit import log_action
from notifications import links
from registry import emails
from registry.enums import ResourceStatus
from registry.models import ExperienceResource, YearlyCheck
from registry.services import erase_personal_data, request_to_leave, set_resource_status

SALT = "registry.yearly-check"
LINK_MAX_AGE = timedelta(days=90)
LINK_KIND = "yearly_check"


def answer_token(check: YearlyCheck) -> str:
    return signing.dumps({"check": check.pk}, salt=SALT)


def token_for_check(pk: int) -> str | None:
    """The token made when the mail is sent; the outbox holds only a placeholder (notifications.links)."""
    check = YearlyCheck.objects.filter(pk=pk).first()
    return answer_token(check) if check else None


def check_from_token(token: str) -> YearlyCheck | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    check = YearlyCheck.objects.select_related("resource").filter(pk=data.get("check")).first()
    if check is None or check.resource.erased_at is not None:
        return None  # the person has left: their link ended with them
    return check


def due_for_yearly_check():
    cutoff = timezone.now() - timedelta(days=settings.YEARLY_CHECK_INTERVAL_DAYS)
    return (
        ExperienceResource.objects.filter(status__in=[ResourceStatus.ACTIVE, ResourceStatus.PAUSED], created_at__lt=cutoff)
        .exclude(email="")
        .annotate(last_check=Max("yearly_checks__sent_at"))
        .filter(Q(last_check__isnull=True) | Q(last_check__lt=cutoff))
    )


def send_yearly_checks() -> int:
    year = timezone.localdate().year
    sent = 0
    for resource in due_for_yearly_check():
        try:
            with transaction.atomic():
                check = YearlyCheck.objects.create(resource=resource, year=year)
                link = f"{settings.SITE_URL}/fortfarande-med/{links.placeholder(LINK_KIND, check.pk)}/"
                emails.send_yearly_check(resource, year=year, link=link)
        except IntegrityError:
            continue  # another run already asked this person this year
        sent += 1
    return sent


@transaction.atomic
def record_answer(check: YearlyCheck, answer: str) -> bool:
    """False if the question was already answered (the link is single use)."""
    locked = YearlyCheck.objects.select_for_update().get(pk=check.pk)
    if locked.answered_at is not None:
        return False
    locked.answer = answer
    locked.answered_at = timezone.now()
    locked.save(update_fields=["answer", "answered_at"])
    resource = locked.resource
    log_action("registry.resource.yearly_check_answered", actor=resource.user, obj=resource, data={"answer": answer})
    if answer == YearlyCheck.Answer.PAUSE and resource.status == ResourceStatus.ACTIVE:
        set_resource_status(resource, ResourceStatus.PAUSED, actor=resource.user)
    elif answer == YearlyCheck.Answer.LEAVE:
        request_to_leave(resource, actor=resource.user)
    return True


def unanswered_checks():
    """The coordinators' follow-up list: asked, and no answer within the set time."""
    cutoff = timezone.now() - timedelta(days=settings.YEARLY_CHECK_ANSWER_DAYS)
    return YearlyCheck.objects.filter(
        answered_at__isnull=True, sent_at__lt=cutoff, resource__erased_at__isnull=True
    ).select_related("resource")


def purge_departed() -> int:
    """Erases what is left of people who left more than RETENTION_DAYS_AFTER_LEAVING ago."""
    cutoff = timezone.now() - timedelta(days=settings.RETENTION_DAYS_AFTER_LEAVING)
    ids = list(
        ExperienceResource.objects.filter(status=ResourceStatus.LEFT, left_at__lt=cutoff, erased_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        with transaction.atomic():
            resource = ExperienceResource.objects.select_for_update().get(pk=pk)
            if resource.erased_at is None:
                erase_personal_data(resource)
    return len(ids)
