"""Factories and builders for compensation's tests."""

from datetime import date, time
from decimal import Decimal

import factory
from django.utils import timezone

from assignments.enums import AssignmentStatus, SessionOutcome
from assignments.models import CompletionReport
from assignments.signals import assignment_done
from compensation.enums import RateKind
from compensation.models import CompensationModel, PriceBaseAmount, RateLine
from tests.assignments.factories import AssignmentFactory, SessionFactory

PBB = {2023: 52_500, 2024: 57_300, 2025: 58_800, 2026: 59_200}


def ensure_price_base_amounts():
    """The data migration's rows; a transactional test's flush can remove them."""
    for year, amount in PBB.items():
        PriceBaseAmount.objects.get_or_create(year=year, defaults={"amount": amount})


class CompensationModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompensationModel

    name = "ersättningsmodell 2026"
    valid_from = date(2026, 1, 1)
    valid_until = None


def amount_model(valid_from=date(2026, 1, 1), valid_until=None, name="ersättningsmodell 2026", half=900, full=1800, **kw):
    """Västra Götaland's style: up to 4 hours a half day, over 4 a full day; travel and lost income."""
    model = CompensationModelFactory(name=name, valid_from=valid_from, valid_until=valid_until, **kw)
    RateLine.objects.create(
        model=model, kind=RateKind.SESSION_FEE, label="Halvdag, upp till 4 timmar", up_to_hours=Decimal(4), amount=Decimal(half)
    )
    RateLine.objects.create(model=model, kind=RateKind.SESSION_FEE, label="Heldag, över 4 timmar", amount=Decimal(full))
    RateLine.objects.create(model=model, kind=RateKind.MILEAGE, label="Milersättning", amount=Decimal("3.00"))
    RateLine.objects.create(model=model, kind=RateKind.PUBLIC_TRANSPORT, label="Kollektivtrafik")
    RateLine.objects.create(model=model, kind=RateKind.PARKING, label="Parkering", amount=Decimal(200))
    RateLine.objects.create(model=model, kind=RateKind.LOST_INCOME, label="Förlorad arbetsinkomst", amount=Decimal(1500))
    return model


def pbb_model(valid_from=date(2026, 1, 1), valid_until=None, name="ersättningsmodell B", **kw):
    """Shares of the prisbasbelopp: 0.5 % an hour up to 2 hours, 1.8 % up to 4, 3.6 % above."""
    model = CompensationModelFactory(name=name, valid_from=valid_from, valid_until=valid_until, **kw)
    RateLine.objects.create(
        model=model,
        kind=RateKind.SESSION_FEE,
        label="Kort tillfälle, per timme",
        up_to_hours=Decimal(2),
        per_hour=True,
        pbb_percent=Decimal("0.5"),
    )
    RateLine.objects.create(
        model=model, kind=RateKind.SESSION_FEE, label="Halvdag", up_to_hours=Decimal(4), pbb_percent=Decimal("1.8")
    )
    RateLine.objects.create(model=model, kind=RateKind.SESSION_FEE, label="Heldag", pbb_percent=Decimal("3.6"))
    RateLine.objects.create(model=model, kind=RateKind.MILEAGE, label="Milersättning", amount=Decimal("2.50"))
    return model


def done_assignment(sessions, *, send=True, actor=None, preparation_hours=Decimal(0), **kwargs):
    """An assignment with the given sessions [(date, start, end, outcome, actual_hours)], made done
    the way assignments' completion service does it, then assignment_done sent."""
    assignment = AssignmentFactory(status=AssignmentStatus.SIGNED, preparation_hours=preparation_hours, **kwargs)
    for day, start, end, outcome, actual in sessions:
        SessionFactory(assignment=assignment, date=day, starts_at=start, ends_at=end, outcome=outcome, actual_hours=actual)
    CompletionReport.objects.create(assignment=assignment, status="confirmed")
    assignment.status = AssignmentStatus.DONE
    assignment.done_at = timezone.now()
    assignment.save()
    if send:
        assignment_done.send(sender=type(assignment), assignment=assignment, actor=actor)
    return assignment


def held(day, hours_start=time(13, 0), hours_end=time(16, 0)):
    return (day, hours_start, hours_end, SessionOutcome.HELD, None)
