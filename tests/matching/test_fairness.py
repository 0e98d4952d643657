"""The kept fairness facts: the shortlist's last_asked and asked_12m are the same whether the
facts were counted by services.refresh_fairness() (and when) or not at all."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from matching.enums import InquiryStatus
from matching.models import FairnessCount, FairnessFacts, Inquiry
from matching.scoring import with_fairness_facts
from matching.services import refresh_fairness
from registry.models import ExperienceResource
from tests.factories import ExperienceResourceFactory, UnitRequestFactory

PROPERTY = hypothesis_settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PEOPLE = 3

# One inquiry: to whom, how long before "now" it was sent, and whether it was made after the refresh.
inquiry_st = st.tuples(st.integers(0, PEOPLE - 1), st.integers(0, 900), st.integers(0, 23), st.booleans())


def make(people, requests, specs, now):
    """The inquiries of `specs`, each on its own request, sent when the spec says."""
    rows = [
        Inquiry(request=requests[i], resource=people[who], status=InquiryStatus.NO, deadline=now)
        for i, (who, _days, _hours, _after) in specs
    ]
    created = Inquiry.objects.bulk_create(rows)
    sent = [now - timedelta(days=days, hours=hours) for _i, (_who, days, hours, _after) in specs]
    if created:  # sent_at is auto_now_add: set afterwards
        Inquiry.objects.filter(pk__in=[row.pk for row in created]).update(
            sent_at=Case(*[When(pk=row.pk, then=Value(at)) for row, at in zip(created, sent, strict=True)])
        )


def facts(people, now) -> dict[int, tuple]:
    qs = with_fairness_facts(ExperienceResource.objects.filter(pk__in=[p.pk for p in people]), SimpleNamespace(now=now))
    return {row["pk"]: (row["last_asked"], row["asked_12m"]) for row in qs.values("pk", "last_asked", "asked_12m")}


def expected(people, specs, now) -> dict[int, tuple]:
    result = {}
    for index, person in enumerate(people):
        sent = [now - timedelta(days=days, hours=hours) for who, days, hours, _after in specs if who == index]
        result[person.pk] = (max(sent, default=None), sum(1 for at in sent if at >= now - timedelta(days=365)))
    return result


@PROPERTY
@given(specs=st.lists(inquiry_st, max_size=8), refreshed_days_ago=st.one_of(st.none(), st.integers(-30, 400)))
def test_the_kept_facts_give_what_counting_every_inquiry_gives(db, specs, refreshed_days_ago):
    now = timezone.now()
    with transaction.atomic():
        try:
            people = [ExperienceResourceFactory() for _ in range(PEOPLE)]
            requests = [UnitRequestFactory() for _ in specs]
            numbered = list(enumerate(specs))
            make(people, requests, [(i, spec) for i, spec in numbered if not spec[3]], now)
            if refreshed_days_ago is not None:
                refresh_fairness(now - timedelta(days=refreshed_days_ago))
            make(people, requests, [(i, spec) for i, spec in numbered if spec[3]], now)

            assert facts(people, now) == expected(people, specs, now)
        finally:
            transaction.set_rollback(True)


def test_the_refresh_counts_each_person_up_to_the_watermark(db):
    now = timezone.now()
    asked, never = ExperienceResourceFactory(), ExperienceResourceFactory()
    requests = [UnitRequestFactory() for _ in range(3)]
    make([asked], requests, [(0, (0, 10, 0, False)), (1, (0, 400, 0, False)), (2, (0, 0, 0, False))], now)

    rows = refresh_fairness(now)

    state = FairnessCount.objects.get()
    kept = FairnessFacts.objects.get(resource=asked)
    # the one sent "now" is newer than the refresh's lag: left for the shortlist to count live
    assert rows == 1
    assert state.watermark == Inquiry.objects.filter(sent_at__lt=now - timedelta(minutes=5)).order_by("-pk")[0].pk
    assert kept.asked_count == 1  # 10 days ago; 400 days ago is outside the year
    assert kept.last_asked_at == now - timedelta(days=10)
    assert not FairnessFacts.objects.filter(resource=never).exists()
    assert facts([asked, never], now) == {asked.pk: (now, 2), never.pk: (None, 0)}


@pytest.mark.parametrize("days", [365 + 5, 365 + 40])
def test_an_inquiry_counted_at_the_refresh_leaves_the_year_when_its_time_comes(db, days):
    now = timezone.now()
    person = ExperienceResourceFactory()
    make([person], [UnitRequestFactory()], [(0, (0, days, 0, False))], now)
    refresh_fairness(now - timedelta(days=60))  # then it was within the year

    assert FairnessFacts.objects.get(resource=person).asked_count == 1
    assert facts([person], now) == {person.pk: (now - timedelta(days=days), 0)}
