"""The two demo compensation models that `manage.py seed_demo` creates, one of each style."""

from datetime import date
from decimal import Decimal

from compensation.enums import RateKind
from compensation.models import CompensationModel, RateLine


def create_demo_models() -> list[CompensationModel]:
    if CompensationModel.objects.exists():
        return []
    # 2025: shares of the prisbasbelopp, per hour for short sessions (a region's style).
    shares = CompensationModel.objects.create(
        name="ersättningsmodell 2025",
        valid_from=date(2025, 1, 1),
        valid_until=date(2025, 12, 31),
        preparation_counts=True,
        late_cancellation_percent=100,
    )
    for label, up_to, per_hour, percent in [
        ("Kortare tillfälle, per timme", Decimal(2), True, Decimal("0.5")),
        ("Halvdag, upp till 4 timmar", Decimal(4), False, Decimal("1.8")),
        ("Heldag, över 4 timmar", None, False, Decimal("3.6")),
    ]:
        RateLine.objects.create(
            model=shares, kind=RateKind.SESSION_FEE, label=label, up_to_hours=up_to, per_hour=per_hour, pbb_percent=percent
        )
    # 2026: fixed amounts for a half or a full day (Västra Götaland's style).
    amounts = CompensationModel.objects.create(
        name="ersättningsmodell 2026",
        valid_from=date(2026, 1, 1),
        preparation_counts=False,
        late_cancellation_percent=100,
    )
    RateLine.objects.create(
        model=amounts, kind=RateKind.SESSION_FEE, label="Halvdag, upp till 4 timmar", up_to_hours=Decimal(4), amount=Decimal(900)
    )
    RateLine.objects.create(model=amounts, kind=RateKind.SESSION_FEE, label="Heldag, över 4 timmar", amount=Decimal(1800))
    for model in (shares, amounts):
        RateLine.objects.create(model=model, kind=RateKind.MILEAGE, label="Milersättning", amount=Decimal("2.50"))
        RateLine.objects.create(model=model, kind=RateKind.PUBLIC_TRANSPORT, label="Buss och tåg")
        RateLine.objects.create(model=model, kind=RateKind.PARKING, label="Parkering", amount=Decimal(300))
    RateLine.objects.create(model=amounts, kind=RateKind.LOST_INCOME, label="Förlorad arbetsinkomst", amount=Decimal(1600))
    return [shares, amounts]
