from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import AuditEntry
from assignments.enums import SessionOutcome
from assignments.hooks import fee_text
from compensation.calculator import Pricer
from compensation.enums import LineKind, LineStatus
from compensation.models import CompensationModel, FeeLine, RateLine
from compensation.money import format_kr, round_kronor
from compensation.services import compute_fees, fee_description, mark_no_fee
from tests.compensation.factories import amount_model, done_assignment, held, pbb_model
from tests.factories import UnitRequestFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)


def fee_of(sessions, **kwargs):
    assignment = done_assignment(sessions, **kwargs)
    return list(FeeLine.objects.filter(assignment=assignment, kind=LineKind.FEE).order_by("on_date", "pk"))


def test_up_to_four_hours_is_a_half_day_and_the_explanation_says_so():
    amount_model()
    [line] = fee_of([held(DAY, time(9, 0), time(12, 0))])
    assert line.amount_ore == 90000
    assert line.explanation == "Halvdag, upp till 4 timmar: 900\u00a0kr enligt ersättningsmodell 2026"
    assert line.status == LineStatus.COMPUTED


def test_exactly_four_hours_is_still_a_half_day():
    amount_model()
    [line] = fee_of([held(DAY, time(9, 0), time(13, 0))])
    assert line.amount_ore == 90000


def test_a_minute_over_four_hours_is_a_full_day():
    amount_model()
    [line] = fee_of([held(DAY, time(9, 0), time(13, 1))])
    assert line.amount_ore == 180000
    assert line.explanation == "Heldag, över 4 timmar: 1\u00a0800\u00a0kr enligt ersättningsmodell 2026"


def test_other_length_uses_the_reported_hours():
    amount_model()
    [line] = fee_of([(DAY, time(9, 0), time(12, 0), SessionOutcome.OTHER_LENGTH, Decimal("5.0"))])
    assert line.amount_ore == 180000


def test_preparation_counts_toward_length_when_the_model_says_so():
    amount_model(preparation_counts=True)
    lines = fee_of(
        [held(DAY, time(9, 0), time(12, 0)), held(date(2026, 3, 17), time(9, 0), time(12, 0))], preparation_hours=Decimal("1.5")
    )
    # 3 h + 1.5 h preparation on the first session: over 4 hours; the second is 3 h.
    assert [line.amount_ore for line in lines] == [180000, 90000]
    assert "1,5 timmar förberedelse" in lines[0].explanation


def test_preparation_does_not_count_when_the_model_says_no():
    amount_model(preparation_counts=False)
    [line] = fee_of([held(DAY, time(9, 0), time(12, 0))], preparation_hours=Decimal("1.5"))
    assert line.amount_ore == 90000


def test_share_of_prisbasbelopp_rounds_half_up_to_whole_kronor():
    pbb_model()
    [line] = fee_of([held(DAY, time(9, 0), time(12, 0))])
    # 1.8 % of 59 200 = 1 065.60 -> 1 066
    assert line.amount_ore == 106600
    assert line.explanation == (
        "Halvdag: 1,8\u00a0% av prisbasbeloppet 2026 (59\u00a0200\u00a0kr) = 1\u00a0066\u00a0kr enligt ersättningsmodell B"
    )


def test_short_sessions_are_paid_per_hour():
    pbb_model()
    [line] = fee_of([held(DAY, time(9, 0), time(10, 30))])
    # 1.5 h x 0.5 % x 59 200 = 444
    assert line.amount_ore == 44400


@pytest.mark.parametrize(
    ("day", "expected_ore"),
    [
        (date(2025, 12, 31), 105800),  # 1.8 % of 58 800 = 1 058.40
        (date(2026, 1, 1), 106600),  # 1.8 % of 59 200 = 1 065.60
    ],
)
def test_prisbasbelopp_of_the_sessions_year(day, expected_ore):
    pbb_model(valid_from=date(2025, 1, 1))
    [line] = fee_of([held(day)])
    assert line.amount_ore == expected_ore


def test_sessions_on_both_sides_of_a_new_version_use_their_own_model():
    amount_model(valid_from=date(2025, 1, 1), valid_until=date(2025, 12, 31), name="ersättningsmodell 2025", half=800)
    amount_model(valid_from=date(2026, 1, 1))
    lines = fee_of([held(date(2025, 12, 31)), held(date(2026, 1, 1))])
    assert [line.amount_ore for line in lines] == [80000, 90000]
    assert lines[0].explanation.endswith("ersättningsmodell 2025")


def test_late_cancellation_is_paid_as_the_model_says():
    amount_model(late_cancellation_percent=50)
    [line] = fee_of([(DAY, time(9, 0), time(12, 0), SessionOutcome.LATE_CANCELLED, None)])
    assert line.amount_ore == 45000
    assert line.explanation.startswith("Inställt sent.")


@pytest.mark.parametrize("outcome", [SessionOutcome.CANCELLED_IN_TIME, SessionOutcome.NO_SHOW])
def test_unpaid_outcomes_make_no_line(outcome):
    amount_model()
    assert fee_of([(DAY, time(9, 0), time(12, 0), outcome, None)]) == []


def test_no_fee_makes_no_line(coordinator):
    amount_model()
    assignment = done_assignment([held(DAY)], send=False)
    mark_no_fee(assignment, reason="Deltar på arbetstid", actor=coordinator)
    compute_fees(assignment)
    assert FeeLine.objects.filter(assignment=assignment).count() == 0
    assert fee_text(assignment) == "Inget arvode betalas: Deltar på arbetstid"


def test_the_signal_twice_computes_once():
    amount_model()
    assignment = done_assignment([held(DAY)])
    compute_fees(assignment)
    assert FeeLine.objects.filter(assignment=assignment).count() == 1


def test_automatic_approval_setting(settings):
    settings.COMPENSATION_AUTO_APPROVE = True
    amount_model()
    [line] = fee_of([held(DAY)])
    assert line.status == LineStatus.APPROVED


def test_missing_model_is_logged_not_raised():
    assignment = done_assignment([held(DAY)])
    assert FeeLine.objects.filter(assignment=assignment).count() == 0
    assert AuditEntry.objects.filter(action="compensation.fees.failed").count() == 1


def test_agreement_fee_text_prices_the_planned_sessions():
    amount_model()
    assignment = done_assignment([held(DAY, time(9, 0), time(12, 0))], send=False)
    text = fee_text(assignment)
    assert text.splitlines()[0] == "2026-03-10: Halvdag, upp till 4 timmar: 900\u00a0kr enligt ersättningsmodell 2026"
    assert "Resa med egen bil: 3,00 kr per kilometer." in text


def test_fee_description_for_an_inquiry():
    amount_model()
    request = UnitRequestFactory(duration="full_day", hours=None, starts_on=DAY)
    assert (
        fee_description(request)
        == "Arvode per tillfälle: Heldag, över 4 timmar: 1\u00a0800\u00a0kr enligt ersättningsmodell 2026."
    )


# --- dated versions ------------------------------------------------------------------------


def test_overlapping_versions_are_refused():
    amount_model(valid_from=date(2026, 1, 1))
    later = CompensationModel(name="ny", valid_from=date(2026, 6, 1))
    with pytest.raises(ValidationError):
        later.full_clean()


def test_a_new_version_after_closing_the_old_one_is_accepted():
    old = amount_model(valid_from=date(2026, 1, 1))
    old.valid_until = date(2026, 5, 31)
    old.full_clean()
    old.save()
    CompensationModel(name="ny", valid_from=date(2026, 6, 1)).full_clean()


def test_a_model_fees_were_computed_from_is_frozen():
    model = amount_model()
    fee_of([held(DAY)])
    model.name = "ändrad"
    with pytest.raises(ValidationError):
        model.full_clean()
    model.refresh_from_db()
    model.valid_until = DAY - (DAY - date(2026, 3, 9))  # before the priced session
    with pytest.raises(ValidationError):
        model.full_clean()
    model.valid_until = DAY
    model.full_clean()


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(
    minutes=st.integers(min_value=30, max_value=600),
    new_half=st.integers(min_value=0, max_value=5000),
    new_full=st.integers(min_value=0, max_value=9000),
)
def test_a_line_never_changes_after_a_rate_change(minutes, new_half, new_full):
    from django.db import transaction

    with transaction.atomic():
        model = amount_model()
        end_minutes = 8 * 60 + minutes
        end = time(min(end_minutes // 60, 23), end_minutes % 60 if end_minutes // 60 < 24 else 59)
        [line] = fee_of([held(DAY, time(8, 0), end)])
        before = (line.amount_ore, line.explanation)
        RateLine.objects.filter(model=model, label__startswith="Halvdag").update(amount=new_half)
        RateLine.objects.filter(model=model, label__startswith="Heldag").update(amount=new_full)
        line.refresh_from_db()
        assert (line.amount_ore, line.explanation) == before
        transaction.set_rollback(True)


@settings(max_examples=40, deadline=None)
@given(
    hours=st.decimals(min_value=Decimal("0.25"), max_value=Decimal(12), places=2),
    percent=st.decimals(min_value=Decimal("0.1"), max_value=Decimal(10), places=3),
)
def test_explanation_states_the_amount_that_was_computed(hours, percent):
    from django.db import transaction

    with transaction.atomic():
        model = pbb_model()
        RateLine.objects.filter(model=model, label="Halvdag").update(pbb_percent=percent)
        priced = Pricer().session_fee(DAY, hours)
        expected = round_kronor(Decimal(59200) * percent / 100 * (hours if hours <= 2 else 1)) if hours <= 4 else None
        if expected is not None and 2 < hours <= 4:
            assert priced.amount_ore == expected
        assert f"{format_kr(priced.amount_ore)} enligt ersättningsmodell B" in priced.explanation
        transaction.set_rollback(True)
