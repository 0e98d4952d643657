"""The shortlist's kept rows (matching.keep): after every kind of change the app makes, each
row holds exactly what the live tables say, written out here from the model's description,
and nobody outside the pool (active, not erased) has one; the same for the months in which
someone has reached their own monthly limit (MonthAtLimit)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from assignments.models import Assignment
from assignments.services.lifecycle import _record_last_assignment
from assignments.signals import assignment_done
from matching.enums import COMMITTED, InquiryStatus
from matching.models import Inquiry, MatchingWeights, MonthAtLimit, ShortlistRow
from matching.scoring import RowRanking, Wish
from matching.selectors import ranked, shortlist
from matching.services import refresh_fairness
from registry.enums import ResourceStatus
from registry.models import ContributionType, ExperienceArea, ExperienceResource, Perspective
from requests_app.models import UnitRequest
from tests.assignments.factories import AssignmentFactory, SessionFactory
from tests.factories import ExperienceResourceFactory, InquiryFactory, UnitRequestFactory

PROPERTY = hypothesis_settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PEOPLE = 3
RELATIONS = ("areas", "perspectives", "contribution_types")


def expected_rows() -> dict[int, dict]:
    """Every person in the pool and what their row must hold, from the live tables."""
    rows = {}
    for person in ExperienceResource.objects.filter(status=ResourceStatus.ACTIVE, erased_at__isnull=True):
        sent = sorted(Inquiry.objects.filter(resource=person).values_list("sent_at", flat=True), reverse=True)
        masks = {
            mask: sum(1 << pk for pk in getattr(person, relation).values_list("pk", flat=True) if pk < 63)
            for relation, mask in zip(RELATIONS, ("areas", "perspectives", "contributions"), strict=True)
        }
        rows[person.pk] = {
            "trained": person.training_completed_on is not None,
            "municipality": person.municipality,
            "languages": person.languages,
            "birth_year": person.birth_year,
            "can_on_site": person.can_on_site,
            "can_digital": person.can_digital,
            "max_assignments_per_month": person.max_assignments_per_month,
            "last_assignment_on": person.last_assignment_on,
            **masks,
            "last_asked": sent[0] if sent else None,
            "asked_2nd": sent[1] if len(sent) > 1 else None,
            "asked_4th": sent[3] if len(sent) > 3 else None,
        }
    return rows


def kept_rows() -> dict[int, dict]:
    fields = list(next(iter(expected_rows().values()), {}).keys()) or ["trained"]
    return {row.pop("resource_id"): row for row in ShortlistRow.objects.values("resource_id", *fields)}


def expected_months() -> set[tuple[int, date]]:
    """(person, first of the month) for every month in which someone in the pool with a limit of
    one or more has as many yes-answers and choices as the limit: for a request that starts that
    month, or without a start, an inquiry sent that month."""
    reached = set()
    for person in ExperienceResource.objects.filter(
        status=ResourceStatus.ACTIVE, erased_at__isnull=True, max_assignments_per_month__gte=1
    ):
        months = Counter(
            (inquiry.request.starts_on or timezone.localdate(inquiry.sent_at)).replace(day=1)
            for inquiry in Inquiry.objects.filter(resource=person, status__in=COMMITTED).select_related("request")
        )
        reached |= {(person.pk, month) for month, n in months.items() if n >= person.max_assignments_per_month}
    return reached


def assert_kept():
    expected = expected_rows()
    assert kept_rows() == expected
    assert set(ShortlistRow.objects.values_list("resource_id", flat=True)) == set(expected)
    assert set(MonthAtLimit.objects.values_list("resource_id", "month")) == expected_months()


# --- one change of each kind, through the app's own write paths --------------------------------


def taxonomy(relation: str):
    return {"areas": ExperienceArea, "perspectives": Perspective, "contribution_types": ContributionType}[relation]


def apply(change: tuple, people: list[ExperienceResource], requests: list) -> None:
    kind, who, value = change
    person = ExperienceResource.objects.get(pk=people[who].pk)
    if kind == "field":
        name, new = value
        setattr(person, name, new)
        person.save()
    elif kind == "field_only":  # save(update_fields=...) as the registry's services do
        name, new = value
        setattr(person, name, new)
        person.save(update_fields=[name, "updated_at"])
    elif kind in ("set", "add", "remove", "clear"):
        relation, picks = value
        things = list(taxonomy(relation).objects.order_by("pk")[: max(picks, default=0) + 1])
        chosen = [things[i] for i in picks if i < len(things)]
        manager = getattr(person, relation)
        if kind == "clear":
            manager.clear()
        else:
            getattr(manager, kind)(*chosen) if kind != "set" else manager.set(chosen)
    elif kind == "reverse":  # from the taxonomy's side: add or remove people, or clear it
        relation, (index, action) = value
        thing = taxonomy(relation).objects.order_by("pk")[index : index + 1].first()
        if thing is None:  # deleted by an earlier change
            return
        manager = thing.experienceresource_set
        if action == "clear":
            manager.clear()
        else:
            getattr(manager, action)(person)
    elif kind == "delete_taxonomy":
        relation, index = value
        thing = taxonomy(relation).objects.order_by("pk")[index : index + 1].first()
        if thing is not None:  # an earlier change may have deleted it
            thing.delete()
    elif kind == "ask":
        Inquiry.objects.get_or_create(
            request=requests[value],
            resource=person,
            defaults={"status": InquiryStatus.SENT, "deadline": timezone.now() + timedelta(days=5)},
        )
    elif kind == "answer":  # as matching.services.set_inquiry_status saves it
        inquiry = Inquiry.objects.filter(resource=person).order_by("-sent_at", "-pk").first()
        if inquiry is not None:
            inquiry.status = value
            inquiry.save(update_fields=["status"])
    elif kind == "move":  # a request's start changed (or removed) through its form
        request = UnitRequest.objects.get(pk=requests[value[0]].pk)
        request.starts_on = value[1]
        request.ends_on = None
        request.save()
    elif kind == "forget":  # an inquiry deleted, or its request with every inquiry on it
        inquiry = Inquiry.objects.filter(resource=person).order_by("-sent_at", "-pk").first()
        if inquiry is not None:
            (inquiry.request if value else inquiry).delete()
    elif kind == "erase":
        person.erased_at, person.status = timezone.now(), ResourceStatus.LEFT
        person.save()


FIELDS = st.sampled_from(
    [
        ("status", ResourceStatus.ACTIVE),
        ("status", ResourceStatus.PAUSED),
        ("status", ResourceStatus.LEFT),
        ("training_completed_on", None),
        ("training_completed_on", date(2025, 3, 1)),
        ("municipality", "Åtvidaberg"),
        ("municipality", ""),
        ("languages", "svenska, arabiska"),
        ("birth_year", None),
        ("birth_year", 1990),
        ("can_on_site", False),
        ("can_digital", False),
        ("max_assignments_per_month", 0),
        ("max_assignments_per_month", 1),
        ("max_assignments_per_month", 2),
        ("max_assignments_per_month", None),
    ]
)
# Two months and no start at all (then the month an inquiry was sent counts).
STARTS = (date(2031, 3, 3), date(2031, 3, 30), date(2031, 4, 1), None)
relation_st = st.sampled_from(RELATIONS)
who_st = st.integers(0, PEOPLE - 1)
change_st = st.one_of(
    st.tuples(st.sampled_from(["field", "field_only"]), who_st, FIELDS),
    st.tuples(
        st.sampled_from(["set", "add", "remove", "clear"]), who_st, st.tuples(relation_st, st.sets(st.integers(0, 4), max_size=3))
    ),
    st.tuples(
        st.just("reverse"),
        who_st,
        st.tuples(relation_st, st.tuples(st.integers(0, 2), st.sampled_from(["add", "remove", "clear"]))),
    ),
    st.tuples(st.just("delete_taxonomy"), who_st, st.tuples(relation_st, st.integers(0, 2))),
    st.tuples(st.just("ask"), who_st, st.integers(0, 5)),
    st.tuples(st.just("answer"), who_st, st.sampled_from(list(InquiryStatus))),
    st.tuples(st.just("move"), who_st, st.tuples(st.integers(0, 5), st.sampled_from(STARTS))),
    st.tuples(st.just("forget"), who_st, st.booleans()),
    st.tuples(st.just("erase"), who_st, st.none()),
)


@PROPERTY
@given(changes=st.lists(change_st, min_size=1, max_size=8))
# Found at random: the second deletion names a taxonomy row the first one removed.
@example(changes=[("delete_taxonomy", 0, ("perspectives", 0)), ("delete_taxonomy", 0, ("perspectives", 2))])
def test_every_row_holds_what_the_live_tables_say_after_each_change(db, changes):
    with transaction.atomic():
        try:
            people = [
                ExperienceResourceFactory(status=ResourceStatus.ACTIVE, max_assignments_per_month=limit) for limit in (1, 2, None)
            ]
            requests = [UnitRequestFactory(starts_on=STARTS[i % len(STARTS)]) for i in range(6)]
            assert_kept()
            for change in changes:
                apply(change, people, requests)
                assert_kept()
        finally:
            transaction.set_rollback(True)


def test_an_inquiry_made_through_the_factory_and_the_newest_four_are_kept(db):
    person = ExperienceResourceFactory()
    for _ in range(5):
        InquiryFactory(resource=person)
    assert_kept()
    Inquiry.objects.filter(resource=person).order_by("-sent_at", "-pk").first().delete()
    assert_kept()


def test_an_assignment_done_moves_the_last_assignment_into_the_row(db):
    assignment = AssignmentFactory()
    session = SessionFactory(assignment=assignment, date=timezone.localdate() - timedelta(days=3))
    # What set_assignment_status does when an assignment is done: record, then tell.
    with transaction.atomic():
        _record_last_assignment(assignment)
        assignment_done.send(sender=Assignment, assignment=assignment, actor=None)

    assert ShortlistRow.objects.get(pk=assignment.resource_id).last_assignment_on == session.date
    assert_kept()


def test_a_write_that_bypasses_the_signals_is_mended_by_the_refresh_and_the_command(db):
    person = ExperienceResourceFactory()
    ExperienceResource.objects.filter(pk=person.pk).update(municipality="Kinda", status=ResourceStatus.ACTIVE)
    ShortlistRow.objects.filter(pk=person.pk).update(areas=1 << 5)
    with pytest.raises(AssertionError):
        assert_kept()

    refresh_fairness()  # the first of the day rebuilds every row
    assert_kept()

    ShortlistRow.objects.filter(pk=person.pk).delete()
    refresh_fairness()  # a row missing: rebuilt at once
    assert_kept()

    ExperienceResource.objects.filter(pk=person.pk).update(status=ResourceStatus.PAUSED)
    call_command("keep_shortlist_rows")
    assert_kept()
    assert not ShortlistRow.objects.filter(pk=person.pk).exists()


def test_a_taxonomy_key_beyond_the_mask_is_looked_up_in_the_link_table(db):
    big = ExperienceArea.objects.create(pk=500, name="Ett sent område", slug="ett-sent-omrade")
    small = ExperienceArea.objects.order_by("pk").first()
    request = UnitRequestFactory()
    request.areas.set([big, small])
    has_both, has_big, has_none = (ExperienceResourceFactory(training_completed_on=date(2025, 1, 1)) for _ in range(3))
    has_both.areas.set([big, small])
    has_big.areas.set([big])
    assert ShortlistRow.objects.get(pk=has_big.pk).areas == 0  # 500 does not fit in the mask
    wish = Wish.of(request)

    candidates, total = shortlist(request, wish=wish)

    live = list(ranked(wish, MatchingWeights.current()))
    assert [c.resource.pk for c in candidates] == [row["pk"] for row in live]
    assert [c.components["areas"] for c in candidates] == [1.0, 0.5, 0.0]
    assert [c.resource.pk for c in candidates] == [has_both.pk, has_big.pk, has_none.pk]
    assert total == 3


def test_a_yes_through_the_service_fills_the_month_and_the_shortlist_leaves_the_person_out(db):
    from matching.services import set_inquiry_status

    person = ExperienceResourceFactory(training_completed_on=date(2025, 1, 1), max_assignments_per_month=1)
    march = UnitRequestFactory(starts_on=date(2031, 3, 10))
    also_march, april = UnitRequestFactory(starts_on=date(2031, 3, 20)), UnitRequestFactory(starts_on=date(2031, 4, 2))
    inquiry = Inquiry.objects.create(
        request=march, resource=person, status=InquiryStatus.SENT, deadline=timezone.now() + timedelta(days=5)
    )
    assert not MonthAtLimit.objects.exists()

    set_inquiry_status(inquiry, InquiryStatus.YES, actor=None)

    assert list(MonthAtLimit.objects.values_list("resource_id", "month")) == [(person.pk, date(2031, 3, 1))]
    assert RowRanking(Wish.of(also_march), MatchingWeights.current(), connection).ruled_out() == [person.pk]
    assert [c.resource.pk for c in shortlist(also_march)[0]] == []
    assert [c.resource.pk for c in shortlist(april)[0]] == [person.pk]

    march.starts_on = date(2031, 4, 5)  # moved: the yes now counts in April
    march.save()
    assert list(MonthAtLimit.objects.values_list("resource_id", "month")) == [(person.pk, date(2031, 4, 1))]
    assert [c.resource.pk for c in shortlist(also_march)[0]] == [person.pk]
    assert [c.resource.pk for c in shortlist(april)[0]] == []

    set_inquiry_status(inquiry, InquiryStatus.NO, actor=None)  # changed their mind
    assert not MonthAtLimit.objects.exists()
    assert_kept()
