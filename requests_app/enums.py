from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Inskickad")
    IN_TRIAGE = "in_triage", _("Under bedömning")
    NEEDS_INFO = "needs_info", _("Behöver mer information")
    READY = "ready", _("Redo för matchning")
    MATCHING = "matching", _("Matchning pågår")
    MATCHED = "matched", _("Matchad")
    COMPLETED = "completed", _("Avslutad")
    DECLINED = "declined", _("Avböjd")
    WITHDRAWN = "withdrawn", _("Återkallad")


# Named groups, so views and filters never spell out lists of raw statuses.
OPEN_STATUSES = frozenset(
    {
        RequestStatus.SUBMITTED,
        RequestStatus.IN_TRIAGE,
        RequestStatus.NEEDS_INFO,
        RequestStatus.READY,
        RequestStatus.MATCHING,
        RequestStatus.MATCHED,
    }
)
# Waiting for a coordinator to act (what "waiting time" on the board measures).
WAITING_STATUSES = frozenset({RequestStatus.SUBMITTED, RequestStatus.IN_TRIAGE, RequestStatus.READY})
CLOSED_STATUSES = frozenset({RequestStatus.COMPLETED, RequestStatus.DECLINED, RequestStatus.WITHDRAWN})

# Which status may follow which. set_request_status() refuses anything else.
TRANSITIONS: dict[str, frozenset[str]] = {
    RequestStatus.DRAFT: frozenset({RequestStatus.SUBMITTED}),
    RequestStatus.SUBMITTED: frozenset({RequestStatus.IN_TRIAGE, RequestStatus.DECLINED, RequestStatus.WITHDRAWN}),
    RequestStatus.IN_TRIAGE: frozenset(
        {RequestStatus.NEEDS_INFO, RequestStatus.READY, RequestStatus.DECLINED, RequestStatus.WITHDRAWN}
    ),
    RequestStatus.NEEDS_INFO: frozenset({RequestStatus.IN_TRIAGE, RequestStatus.DECLINED, RequestStatus.WITHDRAWN}),
    RequestStatus.READY: frozenset(
        {RequestStatus.MATCHING, RequestStatus.NEEDS_INFO, RequestStatus.DECLINED, RequestStatus.WITHDRAWN}
    ),
    RequestStatus.MATCHING: frozenset(
        {RequestStatus.MATCHED, RequestStatus.READY, RequestStatus.DECLINED, RequestStatus.WITHDRAWN}
    ),
    RequestStatus.MATCHED: frozenset({RequestStatus.COMPLETED, RequestStatus.WITHDRAWN}),
    RequestStatus.COMPLETED: frozenset(),
    RequestStatus.DECLINED: frozenset(),
    RequestStatus.WITHDRAWN: frozenset(),
}

# Never set with a coordinator's status button: matching moves a request to "matching"
# when the first inquiry goes out and to "matched" when the choice is confirmed (with the
# unit's mail naming who), and withdrawing is the unit's own act.
NOT_BY_COORDINATOR = frozenset({RequestStatus.MATCHING, RequestStatus.MATCHED, RequestStatus.WITHDRAWN})
# Asked in the message form ("Vänta på svar"), so the question is written once, in one place.
ASKED_IN_MESSAGE = frozenset({RequestStatus.NEEDS_INFO})


def coordinator_moves(current: str) -> list[RequestStatus]:
    """The status buttons a coordinator is offered on a request, in the order of the flow."""
    allowed = TRANSITIONS[current] - NOT_BY_COORDINATOR - ASKED_IN_MESSAGE
    return [RequestStatus(s) for s in RequestStatus.values if s in allowed]


# What the unit itself may do; everything else is the coordinators'.
UNIT_TRANSITIONS = frozenset({RequestStatus.SUBMITTED, RequestStatus.WITHDRAWN})
REASON_REQUIRED = frozenset({RequestStatus.DECLINED, RequestStatus.NEEDS_INFO})


class WorkKind(models.TextChoices):
    IMPROVEMENT = "improvement", _("Förbättringsarbete")
    RESEARCH = "research", _("Forskningsprojekt")
    EDUCATION = "education", _("Utbildning")
    WORKSHOP = "workshop", _("Workshop")
    FOCUS_GROUP = "focus_group", _("Fokusgrupp eller intervju")
    MANAGEMENT = "management", _("Lednings- eller projektgrupp")
    INFORMATION = "information", _("Informationsmaterial")
    DIGITAL_TOOL = "digital_tool", _("Digitalt verktyg eller e-tjänst")
    JURY = "jury", _("Jury för kvalitetspris")
    OTHER = "other", _("Annat")


class AgeGroup(models.TextChoices):
    ANY = "any", _("Ingen särskild ålder")
    CHILDREN = "children", _("Barn och unga (under 18)")
    YOUNG_ADULTS = "young_adults", _("Unga vuxna (18–29)")
    ADULTS = "adults", _("Vuxna (30–64)")
    ELDERLY = "elderly", _("Äldre (65 och uppåt)")


class Format(models.TextChoices):
    ON_SITE = "on_site", _("På plats")
    DIGITAL = "digital", _("Digitalt")
    BOTH = "both", _("Båda går bra")


class Duration(models.TextChoices):
    HOURS = "hours", _("Några timmar")
    HALF_DAY = "half_day", _("Halvdag (upp till 4 timmar)")
    FULL_DAY = "full_day", _("Heldag")


class EthicsStatus(models.TextChoices):
    NOT_APPLIED = "not_applied", _("Inte ansökt än")
    PENDING = "pending", _("Ansökan är inskickad")
    APPROVED = "approved", _("Godkänd")
    NOT_NEEDED = "not_needed", _("Behövs inte")


class JoinKind(models.TextChoices):
    NEW_UNIT = "new_unit", _("Ny verksamhet")
    EXISTING_UNIT = "existing_unit", _("Gå med i en verksamhet")


class JoinStatus(models.TextChoices):
    PENDING = "pending", _("Väntar på godkännande")
    APPROVED = "approved", _("Godkänd")
    REJECTED = "rejected", _("Avböjd")
