"""The shortlist's score: the hard rules hold, the words agree with the numbers, and it is fair.

The property tests build a small random pool and a random request inside one savepoint per
example, rolled back at the end, so no example sees another's people. What `ranked()` and
`shortlist()` return is checked against the rules and criteria as written out here from
their plain description, not by calling the code under test.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, Value, When
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from matching import keep
from matching.enums import InquiryStatus
from matching.models import Conflict, Inquiry, MatchingWeights
from matching.scoring import (
    CRITERIA,
    KIND_CONTRIBUTIONS,
    RowRanking,
    Wish,
    frequency_value,
    recency_value,
    score_factors,
    score_from,
)
from matching.selectors import ranked, shortlist
from registry.enums import ResourceStatus
from registry.models import AwayPeriod, ContributionType, ExperienceArea, ExperienceResource, Perspective
from requests_app.enums import AgeGroup, Format, WorkKind
from requests_app.models import UnitRequest
from tests.factories import CareUnitFactory, ExperienceResourceFactory, UnitRequestFactory

PROPERTY = hypothesis_settings(
    max_examples=40,
    deadline=None,
    database=None,  # nothing written to .hypothesis/ in the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@contextmanager
def world_of(scenario):
    """The scenario's request and people, and the request's wish. Everything made is undone at
    the end, whether the block passes or fails, so each Hypothesis example starts empty: what was
    kept in the cache from its data (the count in play, the taxonomies) too, as between tests."""
    request_spec, people_specs, weights = scenario
    with transaction.atomic():
        try:
            world = build(request_spec, people_specs, weights, timezone.now())
            yield world, Wish.of(world.request, now=world.now)
        finally:
            transaction.set_rollback(True)
            cache.clear()


# --- the rules and criteria, written out from their description --------------------------

# "Said yes, or was chosen" is what counts against the person's own monthly limit.
COMMITTED_HERE = {InquiryStatus.YES, InquiryStatus.CHOSEN}
# The request's age group -> the person's age, from the labels ("Barn och unga (under 18)", ...).
AGES = {
    AgeGroup.CHILDREN: (0, 17),
    AgeGroup.YOUNG_ADULTS: (18, 29),
    AgeGroup.ADULTS: (30, 64),
    AgeGroup.ELDERLY: (65, 130),
}
N_AREAS = 6
OTHER_REQUESTS = 5
PERSON_LANGUAGES = ["svenska", "Arabiska", "arabiska", "SOMALISKA", "persiska", "Engelska", "tigrinja"]
WISHED_LANGUAGES = ["arabiska", "Somaliska", "engelska", "svenska", "finska"]
# Where the work is, and the municipality that is.
LOCATIONS = [
    ("Universitetssjukhuset, Linköping", "Linköping"),
    ("Vårdcentralen i Åtvidaberg", "Åtvidaberg"),
    ("ÖDESHÖG hälsocentral", "Ödeshög"),
    ("", ""),
    ("Zoom", ""),
]
HOME_HERE = "where the work is"
MUNICIPALITIES = [HOME_HERE, HOME_HERE, "Åtvidaberg", "Ödeshög", "linköping", "Norrköping", ""]

# Days ago where the fairness steps change (30, 90, 180 and 365), so their edges are tried too.
days_ago_st = st.sampled_from([30, 90, 180, 365]) | st.integers(0, 800)
# (status, days ago, hours more)
inquiry_st = st.tuples(st.sampled_from(list(InquiryStatus)), days_ago_st, st.just(0) | st.integers(0, 23))


def person_st(*, can_be_ruled_out: bool = True) -> st.SearchStrategy[dict]:
    """One person; with can_be_ruled_out=False, someone no hard rule keeps off the list."""
    if can_be_ruled_out:
        ruled_out = {
            "status": st.sampled_from(
                [ResourceStatus.ACTIVE, ResourceStatus.PAUSED, ResourceStatus.APPLIED, ResourceStatus.LEFT]
            ),
            "trained": st.booleans(),
            # (first day, length) relative to the request's first day (or today when it has none)
            "away": st.lists(st.tuples(st.integers(-40, 60), st.integers(0, 10)), max_size=2),
            "conflict": st.sampled_from([None, "own unit", "other unit"]),
            "limit": st.sampled_from([None, 0, 1, 2]),
            "asked_here": st.none() | inquiry_st,
        }
    else:
        ruled_out = {
            "status": st.just(ResourceStatus.ACTIVE),
            "trained": st.just(True),
            # away well before or after the request's days, which last at most 11 days
            "away": st.lists(st.tuples(st.integers(-60, -12) | st.integers(12, 60), st.integers(0, 10)), max_size=2),
            "conflict": st.sampled_from([None, "other unit"]),
            "limit": st.sampled_from([None, OTHER_REQUESTS + 1]),
            "asked_here": st.none(),
        }
    return st.fixed_dictionaries(
        {
            **ruled_out,
            "asked": st.dictionaries(st.integers(0, OTHER_REQUESTS - 1), inquiry_st, max_size=OTHER_REQUESTS),
            "last_assignment": st.none() | days_ago_st,
            "areas": st.sets(st.integers(0, N_AREAS - 1), max_size=4),
            "perspectives": st.sets(st.integers(0, 2)),
            "contributions": st.sets(st.integers(0, 10), max_size=3),
            "languages": st.lists(st.sampled_from(PERSON_LANGUAGES), max_size=3, unique=True),
            "municipality": st.sampled_from(MUNICIPALITIES),
            # this year's age (the edges of the age groups too); build() turns it into a birth year
            "age": st.none() | st.sampled_from([17, 18, 29, 30, 64, 65]) | st.integers(0, 100),
            "can_on_site": st.booleans(),
            "can_digital": st.booleans(),
        }
    )


request_st = st.fixed_dictionaries(
    {
        "areas": st.lists(st.integers(0, N_AREAS - 1), unique=True, max_size=3),
        "perspectives": st.sets(st.integers(0, 2), max_size=2),
        "kind": st.sampled_from(["", *WorkKind.values]),
        "languages": st.lists(st.sampled_from(WISHED_LANGUAGES), unique=True, max_size=3),
        "joiner": st.sampled_from([", ", " och ", "; "]),
        "format": st.sampled_from([Format.ON_SITE, Format.BOTH, Format.DIGITAL, ""]),
        "location": st.sampled_from(LOCATIONS),  # built into "location" and "municipality" by build()
        "starts_in": st.none() | st.integers(-10, 90),
        "lasts": st.none() | st.integers(0, 10),
        "age_group": st.sampled_from(AgeGroup.values),
        "others_start": st.lists(
            st.sampled_from(["same month", "another month", None]), min_size=OTHER_REQUESTS, max_size=OTHER_REQUESTS
        ),
    }
)

weights_st = st.fixed_dictionaries({name: st.integers(0, 100) for name in CRITERIA})


def pool_st(*, anyone: tuple[int, int], allowed: tuple[int, int]) -> st.SearchStrategy[list[dict]]:
    """Up to 12 people: some drawn from anyone at all, some whom no hard rule keeps off the list."""
    return st.tuples(
        st.lists(person_st(), min_size=anyone[0], max_size=anyone[1]),
        st.lists(person_st(can_be_ruled_out=False), min_size=allowed[0], max_size=allowed[1]),
    ).map(lambda parts: parts[0] + parts[1])


# For the hard rules, mostly people who may break them; for the score, mostly people on the list.
rules_scenario_st = st.tuples(request_st, pool_st(anyone=(1, 8), allowed=(0, 4)), weights_st)
score_scenario_st = st.tuples(request_st, pool_st(anyone=(0, 2), allowed=(1, 10)), weights_st)


@dataclass
class Person:
    resource: ExperienceResource
    spec: dict
    asked: list[tuple[UnitRequest, str, datetime]]  # (request, status, sent_at)
    away: list[tuple[date, date]]
    last_assignment_on: date | None


@dataclass
class World:
    spec: dict
    request: UnitRequest
    now: datetime
    first_day: date | None
    last_day: date | None
    month: tuple[int, int]
    areas: list[ExperienceArea]
    perspectives: list[Perspective]
    contributions: list[ContributionType]
    people: list[Person]

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)


def build(request_spec: dict, people_specs: list[dict], weights: dict, now: datetime) -> World:
    request_spec, there = {**request_spec, "location": request_spec["location"][0]}, request_spec["location"][1] or "Linköping"
    today = timezone.localdate(now)
    people_specs = [
        {
            **spec,
            "municipality": there if spec["municipality"] == HOME_HERE else spec["municipality"],
            "birth_year": None if spec["age"] is None else today.year - spec["age"],
        }
        for spec in people_specs
    ]
    areas = list(ExperienceArea.objects.order_by("position", "pk")[:N_AREAS])
    perspectives = list(Perspective.objects.order_by("pk"))
    contributions = list(ContributionType.objects.order_by("position", "pk"))
    unit, elsewhere = CareUnitFactory(), CareUnitFactory()
    MatchingWeights.objects.update_or_create(pk=1, defaults=weights)

    first_day = today + timedelta(days=request_spec["starts_in"]) if request_spec["starts_in"] is not None else None
    last_day = first_day + timedelta(days=request_spec["lasts"]) if first_day and request_spec["lasts"] is not None else None
    request = UnitRequestFactory(
        unit=unit,
        kind=request_spec["kind"],
        languages=request_spec["joiner"].join(request_spec["languages"]),
        format=request_spec["format"],
        location=request_spec["location"],
        starts_on=first_day,
        ends_on=last_day,
        age_group=request_spec["age_group"],
    )
    request.areas.set([areas[i] for i in request_spec["areas"]])
    request.perspectives.set([perspectives[i] for i in request_spec["perspectives"]])
    base = first_day or today
    month_start = base.replace(day=1)
    starts = {
        "same month": lambda i: month_start + timedelta(days=7 * (i % 4)),
        "another month": lambda i: month_start - timedelta(days=3 + i),
    }
    others = [
        UnitRequestFactory(unit=elsewhere, starts_on=starts[when](i) if when else None)
        for i, when in enumerate(request_spec["others_start"])
    ]

    people, links, away_periods, conflicts, inquiries, sent = [], [], [], [], [], []
    for n, spec in enumerate(people_specs):
        last_assignment_on = today - timedelta(days=spec["last_assignment"]) if spec["last_assignment"] is not None else None
        resource = ExperienceResourceFactory(
            first_name=f"Person {n}",
            last_name="Testsson",
            status=spec["status"],
            training_completed_on=today - timedelta(days=100) if spec["trained"] else None,
            municipality=spec["municipality"],
            birth_year=spec["birth_year"],
            languages=", ".join(spec["languages"]),
            can_on_site=spec["can_on_site"],
            can_digital=spec["can_digital"],
            max_assignments_per_month=spec["limit"],
            last_assignment_on=last_assignment_on,
        )
        links += [(ExperienceResource.areas.through, resource, "experiencearea", areas[i]) for i in spec["areas"]]
        links += [
            (ExperienceResource.perspectives.through, resource, "perspective", perspectives[i]) for i in spec["perspectives"]
        ]
        links += [
            (ExperienceResource.contribution_types.through, resource, "contributiontype", contributions[i])
            for i in spec["contributions"]
        ]
        away = [(base + timedelta(days=at), base + timedelta(days=at + days)) for at, days in spec["away"]]
        away_periods += [AwayPeriod(resource=resource, starts_on=starts_on, ends_on=ends_on) for starts_on, ends_on in away]
        if spec["conflict"]:
            conflicts.append(Conflict(resource=resource, unit=unit if spec["conflict"] == "own unit" else elsewhere))
        questions = [(others[i], *inquiry) for i, inquiry in spec["asked"].items()]
        if spec["asked_here"]:
            questions.append((request, *spec["asked_here"]))
        asked = []
        for on, status, days, hours in questions:
            inquiries.append(Inquiry(request=on, resource=resource, status=status, deadline=now + timedelta(days=7)))
            sent.append(now - timedelta(days=days, hours=hours))
            asked.append((on, status, sent[-1]))
        people.append(Person(resource, spec, asked, away, last_assignment_on))

    for through in {link[0] for link in links}:
        through.objects.bulk_create(
            [
                through(experienceresource=resource, **{field: value})
                for model, resource, field, value in links
                if model is through
            ]
        )
    AwayPeriod.objects.bulk_create(away_periods)
    Conflict.objects.bulk_create(conflicts)
    if inquiries:
        created = Inquiry.objects.bulk_create(inquiries)
        # sent_at is auto_now_add, so it is set afterwards, each inquiry to its own time.
        Inquiry.objects.filter(pk__in=[inquiry.pk for inquiry in created]).update(
            sent_at=Case(*[When(pk=inquiry.pk, then=Value(at)) for inquiry, at in zip(created, sent, strict=True)])
        )
    # bulk_create() and update() send no signals: the kept rows are written as after a raw load.
    keep.keep_people(person.resource.pk for person in people)
    return World(
        request_spec, request, now, first_day, last_day, (base.year, base.month), areas, perspectives, contributions, people
    )


def rules_broken(world: World, person: Person, *, require_training: bool) -> list[str]:
    """The hard rules, one by one, from what the test itself put in the database."""
    spec, broken = person.spec, []
    if spec["status"] != ResourceStatus.ACTIVE:  # paused, applied and left are all "not active"
        broken.append("not active")
    if require_training and not spec["trained"]:
        broken.append("no training")
    if world.first_day is not None:
        wanted_from, wanted_to = world.first_day, world.last_day or world.first_day
        if any(not (ends_on < wanted_from or starts_on > wanted_to) for starts_on, ends_on in person.away):
            broken.append("away")
    if spec["limit"] is not None:

        def month_of_work(on: UnitRequest, sent_at: datetime) -> tuple[int, int]:
            day = on.starts_on or timezone.localdate(sent_at)
            return day.year, day.month

        committed = [
            1 for on, status, sent_at in person.asked if status in COMMITTED_HERE and month_of_work(on, sent_at) == world.month
        ]
        if len(committed) >= spec["limit"]:
            broken.append("monthly limit reached")
    if any(on.pk == world.request.pk for on, _status, _sent_at in person.asked):
        broken.append("already asked for this request")
    if spec["conflict"] == "own unit":
        broken.append("conflict with the requesting unit")
    return broken


def wished_languages(world: World) -> set[str]:
    return {language.lower() for language in world.spec["languages"]} - {"svenska"}


def last_asked(person: Person) -> datetime | None:
    return max((sent_at for _on, _status, sent_at in person.asked), default=None)


def asked_last_year(world: World, person: Person) -> int:
    return sum(1 for _on, _status, sent_at in person.asked if sent_at >= world.now - timedelta(days=365))


def expected_components(world: World, person: Person, wish: Wish) -> dict[str, float]:
    """Each criterion the request asks for, computed here; criteria it does not ask for are left out."""
    spec, request, expected = person.spec, world.spec, {}
    if request["areas"]:
        wanted = set(request["areas"])
        expected["areas"] = len(wanted & spec["areas"]) / len(wanted)
    if request["perspectives"]:
        expected["perspective"] = 1.0 if request["perspectives"] & spec["perspectives"] else 0.0
    if KIND_CONTRIBUTIONS.get(request["kind"]):
        own = {world.contributions[i].slug for i in spec["contributions"]}
        expected["kind"] = 1.0 if own & set(KIND_CONTRIBUTIONS[request["kind"]]) else 0.0
    if wished_languages(world):
        spoken = ", ".join(spec["languages"]).lower()
        expected["language"] = 1.0 if any(language in spoken for language in wished_languages(world)) else 0.0
    if request["format"]:
        municipality = spec["municipality"]
        # No place given: nothing to be near, so anyone who can come counts as near.
        lives_there = not request["location"] or (bool(municipality) and municipality.lower() in request["location"].lower())
        if request["format"] == Format.DIGITAL:
            expected["place"] = 1.0 if spec["can_digital"] else 0.0
        elif (spec["can_on_site"] and lives_there) or (request["format"] == Format.BOTH and spec["can_digital"]):
            expected["place"] = 1.0
        else:
            expected["place"] = 0.5 if spec["can_on_site"] else 0.0
    if request["age_group"] in AGES:
        youngest, oldest = AGES[request["age_group"]]
        born = spec["birth_year"]
        year = world.today.year
        expected["age"] = 1.0 if born is not None and year - oldest <= born <= year - youngest else 0.0
    expected["recency"] = recency_value(last_asked(person), person.last_assignment_on, wish)
    expected["frequency"] = frequency_value(asked_last_year(world, person))
    return expected


def check_explanation(world: World, person: Person, components: dict, explanation) -> None:
    spec, request = person.spec, world.spec
    good, lacking = explanation.good, explanation.lacking
    as_wished = next((item for item in good if item.endswith(" som önskat")), "")
    missing_areas = [item for item in lacking if item.startswith("saknar erfarenhet av ")]
    if request["areas"]:
        for i in request["areas"]:
            assert (world.areas[i].name in as_wished) == (i in spec["areas"]), (world.areas[i].name, good)
        assert bool(missing_areas) == (components["areas"] < 1), lacking
    else:
        assert not missing_areas, lacking

    not_perspective = [item for item in lacking if item.startswith("inte ") and item != "inte i önskad åldersgrupp"]
    if request["perspectives"]:
        hit = components["perspective"] > 0
        names = [str(world.perspectives[i]).lower() for i in request["perspectives"]]
        assert any(name in as_wished for name in names) == hit, good
        assert bool(not_perspective) == (not hit), lacking
    else:
        assert not not_perspective, lacking

    if KIND_CONTRIBUTIONS.get(request["kind"]):
        label = world.request.kind_label.lower()
        assert (f"vill medverka i {label}" in good) == bool(components["kind"]), good
        assert (f"har inte sagt att hen vill medverka i {label}" in lacking) == (not components["kind"]), lacking

    speaks = next((item for item in good if item.startswith("talar ")), None)
    not_given = [item for item in lacking if item.startswith("har inte angett ")]
    if wished_languages(world):
        spoken = ", ".join(spec["languages"]).lower()
        assert (speaks is not None) == bool(components["language"]), good
        assert bool(not_given) == (not components["language"]), lacking
        if speaks:
            for language in wished_languages(world):
                assert (language in speaks) == (language in spoken), (speaks, spoken)
    else:
        assert speaks is None, good
        assert not not_given, lacking

    place_good = [item for item in good if item in ("digitalt går bra", "kan vara med på plats") or item.startswith("bor i ")]
    place_lacking = {"vill inte vara med digitalt", "bor inte på orten", "kan inte vara med på plats"}
    if request["format"]:
        assert bool(place_good) == (components["place"] == 1.0), (components["place"], good)
        assert bool(place_lacking & set(lacking)) == (components["place"] < 1.0), (components["place"], lacking)
        for item in place_good:
            if item.startswith("bor i "):  # only said when it is true
                municipality = item.removeprefix("bor i ")
                assert municipality == spec["municipality"]
                assert municipality
                assert municipality.lower() in request["location"].lower()
                assert spec["can_on_site"]
            elif item == "kan vara med på plats":  # only when no place is given
                assert spec["can_on_site"]
                assert not request["location"]
            else:
                assert spec["can_digital"]
    else:
        assert not place_good, good
        assert not place_lacking & set(lacking), lacking

    if request["age_group"] in AGES:
        assert ("i önskad åldersgrupp" in good) == bool(components["age"]), good
        assert ("inte i önskad åldersgrupp" in lacking) == (not components["age"]), lacking
    else:
        assert "i önskad åldersgrupp" not in good
        assert "inte i önskad åldersgrupp" not in lacking

    never = last_asked(person) is None and person.last_assignment_on is None
    assert ("aldrig tillfrågad" in good) == never, good
    recently = [
        item for item in lacking if item == "tillfrågad i dag" or (item.startswith("tillfrågad för ") and item.endswith(" sedan"))
    ]
    assert "tillfrågad för 0 dagar sedan" not in lacking
    assert bool(recently) == (components["recency"] == 0), (components["recency"], lacking)
    not_lately = [item for item in good if item.startswith("inte tillfrågad på ")]
    assert bool(not_lately) == (not never and components["recency"] > 0), good

    times = asked_last_year(world, person)
    often = [item for item in lacking if item.startswith("tillfrågad ") and item.endswith(" senaste året")]
    assert bool(often) == (components["frequency"] == 0), (components["frequency"], lacking)
    if often:
        assert often == [f"tillfrågad {times} gånger senaste året"]


# --- properties ----------------------------------------------------------------------------


@pytest.mark.parametrize("require_training", [True, False])
@PROPERTY
@given(scenario=rules_scenario_st)
def test_no_hard_rule_is_ever_broken_and_no_one_allowed_is_left_out(db, settings, require_training, scenario):
    settings.REGISTRY_REQUIRE_TRAINING = require_training
    with world_of(scenario) as (world, wish):
        returned = [row["pk"] for row in ranked(wish, MatchingWeights.current())]
        _candidates, total = shortlist(world.request, limit=len(world.people) + 1, wish=wish)

        assert len(returned) == len(set(returned))
        allowed = []
        for person in world.people:
            broken = rules_broken(world, person, require_training=require_training)
            assert (person.resource.pk in returned) == (not broken), (broken, person.spec)
            if not broken:
                allowed.append(person.resource.pk)
        assert sorted(returned) == sorted(allowed)
        assert total == len(allowed)


@PROPERTY
@given(scenario=score_scenario_st)
def test_the_score_and_the_explanation_agree_with_each_criterion(db, scenario):
    with world_of(scenario) as (world, wish):
        current = MatchingWeights.current()
        by_pk = {person.resource.pk: person for person in world.people}

        rows = list(ranked(wish, current))
        candidates, _total = shortlist(world.request, limit=len(world.people) + 1, wish=wish)

        assert [candidate.resource.pk for candidate in candidates] == [row["pk"] for row in rows]
        for row, candidate in zip(rows, candidates, strict=True):
            person = by_pk[row["pk"]]
            components = {name: row[f"c_{name}"] for name in CRITERIA}
            assert score_from(components, wish, current) == pytest.approx(row["score"], abs=1e-9)
            assert candidate.score == pytest.approx(row["score"], abs=1e-9)
            assert candidate.components == pytest.approx(components)
            for name, value in expected_components(world, person, wish).items():
                assert components[name] == pytest.approx(value), (name, person.spec, world.spec)
            assert row["last_asked"] == last_asked(person)
            assert row["asked_12m"] == asked_last_year(world, person)
            check_explanation(world, person, components, candidate.explanation)


@PROPERTY
@given(scenario=score_scenario_st)
def test_the_ranking_is_best_first(db, scenario):
    with world_of(scenario) as (_world, wish):
        rows = list(ranked(wish, MatchingWeights.current()))

        scores = [row["score"] for row in rows]
        assert scores == sorted(scores, reverse=True)
        for before, after in pairwise(rows):
            if before["score"] == after["score"]:  # a tie goes to whoever waited longest to be asked
                if after["last_asked"] is None:  # never asked comes first
                    assert before["last_asked"] is None
                elif before["last_asked"] is not None:
                    assert before["last_asked"] <= after["last_asked"]


@PROPERTY
@given(scenario=st.one_of(rules_scenario_st, score_scenario_st), limit=st.integers(1, 4))
def test_a_short_list_is_the_head_of_the_whole_ranking(db, scenario, limit):
    """shortlist() may score only those who pass a cheap condition, and leaves those ruled out by
    name to Python; what it returns is still exactly the head of the whole ranking from the live
    tables, and the count is everyone's."""
    with world_of(scenario) as (world, wish):
        whole = [row["pk"] for row in ranked(wish, MatchingWeights.current())]

        candidates, total = shortlist(world.request, limit=limit, wish=wish)

        assert [candidate.resource.pk for candidate in candidates] == whole[:limit]
        assert total == len(whole)


@PROPERTY
@given(scenario=score_scenario_st)
def test_the_cheap_ceiling_is_never_below_a_score(db, scenario):
    """RowRanking.ceiling() lets the shortlist skip scoring those whose bound is below the last
    of the best so far: it must be at least each person's real score, and it is exactly the
    score's points for what the masks and flags answer (the rest counted as full)."""
    with world_of(scenario) as (_world, wish):
        weights = MatchingWeights.current()
        ranking = RowRanking(wish, weights, connection)
        score, score_p = ranking.score()
        bound, bound_p = ranking.ceiling()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT R.resource_id, {score}, {bound} FROM matching_shortlistrow R",  # noqa: S608 (test SQL)
                [*score_p, *bound_p],
            )
            rows = cursor.fetchall()
        factors = score_factors(wish, weights)
        for _pk, real, ceiling in rows:
            assert ceiling >= real - 1e-6
            assert ceiling <= sum(factors.values()) + 1e-6
        # For those on the list, exactly: areas, perspective and kind as scored, place as full
        # when they have any points for it, the rest as full.
        ceilings = {pk: ceiling for pk, _real, ceiling in rows}
        for row in ranked(wish, weights):
            expected = sum(factors[name] * row[f"c_{name}"] for name in ("areas", "perspective", "kind"))
            expected += factors["place"] * (row["c_place"] > 0)
            expected += sum(factors[name] for name in ("language", "age", "recency", "frequency"))
            assert ceilings[row["pk"]] == pytest.approx(expected, abs=1e-6)


# --- fairness --------------------------------------------------------------------------------


@pytest.fixture
def request_for(unit):
    return UnitRequestFactory(unit=unit, location="Linköping", starts_on=timezone.localdate() + timedelta(days=30))


def ask(resource: ExperienceResource, *, days_ago: int, status: str = InquiryStatus.NO) -> Inquiry:
    """An inquiry about some other unit's request, sent `days_ago` days ago."""
    inquiry = Inquiry.objects.create(
        request=UnitRequestFactory(), resource=resource, status=status, deadline=timezone.now() + timedelta(days=7)
    )
    Inquiry.objects.filter(pk=inquiry.pk).update(sent_at=timezone.now() - timedelta(days=days_ago))
    keep.keep_people([resource.pk])  # update() sends no signal
    return inquiry


def twins(n: int = 2, **kwargs) -> list[ExperienceResource]:
    """People alike in everything the score looks at."""
    defaults = {"training_completed_on": timezone.localdate() - timedelta(days=200), "languages": "svenska"}
    return [ExperienceResourceFactory(**{**defaults, **kwargs}) for _ in range(n)]


def order(request_for) -> list[int]:
    candidates, _total = shortlist(request_for)
    return [candidate.resource.pk for candidate in candidates]


def by_person(request_for) -> dict:
    candidates, _total = shortlist(request_for)
    return {candidate.resource.pk: candidate for candidate in candidates}


def test_someone_never_asked_ranks_above_someone_asked_ten_days_ago(request_for):
    asked, never = twins()
    ask(asked, days_ago=10)

    assert order(request_for) == [never.pk, asked.pk]
    candidates = by_person(request_for)
    assert candidates[never.pk].score > candidates[asked.pk].score


def test_asked_four_times_in_the_last_year_ranks_below_asked_once(request_for):
    often, once = twins()
    for days_ago in (200, 230, 260, 290):
        ask(often, days_ago=days_ago)
    ask(once, days_ago=200)

    assert order(request_for) == [once.pk, often.pk]
    candidates = by_person(request_for)
    assert candidates[once.pk].components["recency"] == candidates[often.pk].components["recency"]
    assert candidates[once.pk].score > candidates[often.pk].score
    assert "tillfrågad 4 gånger senaste året" in candidates[often.pk].explanation.lacking


def test_used_last_month_ranks_below_used_two_years_ago(request_for):
    today = timezone.localdate()
    lately, long_ago = twins()
    ExperienceResource.objects.filter(pk=lately.pk).update(last_assignment_on=today - timedelta(days=25))
    ExperienceResource.objects.filter(pk=long_ago.pk).update(last_assignment_on=today - timedelta(days=730))
    keep.keep_people([lately.pk, long_ago.pk])  # update() sends no signal

    assert order(request_for) == [long_ago.pk, lately.pk]
    candidates = by_person(request_for)
    assert candidates[long_ago.pk].score > candidates[lately.pk].score
    assert "inte tillfrågad på 24 månader" in candidates[long_ago.pk].explanation.good
    assert candidates[lately.pk].components["recency"] == 0
    assert "tillfrågad för 25 dagar sedan" in candidates[lately.pk].explanation.lacking


def test_the_explanation_says_how_long_since_someone_was_asked(request_for):
    never, nine_months, ten_days = twins(3)
    ask(nine_months, days_ago=275)
    ask(ten_days, days_ago=10)

    candidates = by_person(request_for)

    assert "aldrig tillfrågad" in candidates[never.pk].explanation.good
    assert "inte tillfrågad på 9 månader" in candidates[nine_months.pk].explanation.good
    assert "aldrig tillfrågad" not in candidates[nine_months.pk].explanation.good
    assert "tillfrågad för 10 dagar sedan" in candidates[ten_days.pk].explanation.lacking
    assert not [item for item in candidates[ten_days.pk].explanation.good if "tillfrågad" in item]


def test_a_score_exactly_half_a_millionth_rounds_the_same_in_sql_and_python(request_for):
    # recency 0.25 x 100/128 points = 0.1953125: half a millionth past 0.195312. SQLite's
    # ROUND goes up, PostgreSQL's and Python's round() to even; the score must not depend on it.
    (person,) = twins(1)
    for days_ago in (40, 50, 60, 70):  # last asked 40 days ago; 4 times this year, so frequency 0
        ask(person, days_ago=days_ago)
    set_weights(recency=1, frequency=127)
    wish = Wish.of(request_for)

    [row] = list(ranked(wish, MatchingWeights.current()))

    assert (row["c_recency"], row["c_frequency"]) == (0.25, 0.0)
    assert row["score"] == 0.195313
    assert score_from({name: row[f"c_{name}"] for name in CRITERIA}, wish, MatchingWeights.current()) == 0.195313


# --- queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("people", [1, 30])
def test_the_shortlist_runs_the_same_queries_for_one_person_as_for_thirty(request_for, people):
    areas = list(ExperienceArea.objects.order_by("position")[:3])
    request_for.areas.set(areas[:2])
    request_for.perspectives.set(Perspective.objects.all()[:1])
    kinds = ContributionType.objects.filter(slug__in=KIND_CONTRIBUTIONS[request_for.kind])
    for i in range(people):
        person = ExperienceResourceFactory(training_completed_on=timezone.localdate(), languages="arabiska")
        person.areas.set(areas[i % 3 :])
        person.perspectives.set(Perspective.objects.all())
        person.contribution_types.set(kinds)
        if i % 2:
            ask(person, days_ago=40 + i)
    MatchingWeights.current()

    with CaptureQueriesContext(connection) as ctx:
        candidates, total = shortlist(request_for)

    assert total == people
    assert len(candidates) == min(people, 25)
    assert len(ctx.captured_queries) == 11, "\n".join(query["sql"][:150] for query in ctx.captured_queries)


def ranking_queries(ctx) -> int:
    return sum(1 for query in ctx.captured_queries if ' AS score FROM "matching_shortlistrow" R ' in query["sql"])


@pytest.mark.parametrize("people", [30, 60])
def test_only_those_with_a_wished_area_are_scored_when_nobody_else_can_beat_them(request_for, people):
    area = ExperienceArea.objects.order_by("position").first()
    request_for.areas.set([area])
    set_weights(areas=50, recency=50)
    with_area = twins(people)
    for person in with_area:
        person.areas.set([area])
    without = twins(5)  # at most 50 points: the last of the 25 best has 100
    wish = Wish.of(request_for)

    with CaptureQueriesContext(connection) as ctx:
        candidates, total = shortlist(request_for, wish=wish)

    assert ranking_queries(ctx) == 1
    # With the wish given: the weights, who is ruled out by name, the count in play (not kept
    # yet), the ranking, the page's people and their links.
    assert len(ctx.captured_queries) == 6, "\n".join(query["sql"][:150] for query in ctx.captured_queries)
    assert [c.resource.pk for c in candidates] == [row["pk"] for row in ranked(wish, MatchingWeights.current())][:25]
    assert {c.resource.pk for c in candidates} <= {person.pk for person in with_area}
    assert total == people + len(without)


def test_everyone_is_ranked_when_someone_without_the_area_could_beat_the_best_with_it(request_for):
    area = ExperienceArea.objects.order_by("position").first()
    request_for.areas.set([area])
    set_weights(areas=50, recency=50)
    with_area = twins(30)
    for person in with_area:
        person.areas.set([area])
        ask(person, days_ago=0)  # 50 points: no more than anyone without the area can have
    never_asked = twins(5)  # 50 points too, and ahead on a tie: never asked comes first
    wish = Wish.of(request_for)

    with CaptureQueriesContext(connection) as ctx:
        candidates, total = shortlist(request_for, wish=wish)

    assert ranking_queries(ctx) == 2  # the narrowed ranking, then everyone's
    returned = [c.resource.pk for c in candidates]
    assert returned == [row["pk"] for row in ranked(wish, MatchingWeights.current())][:25]
    assert set(returned[:5]) == {person.pk for person in never_asked}
    assert total == 35


def test_those_ruled_out_by_name_are_left_out_of_the_list_and_the_count(request_for):
    area = ExperienceArea.objects.order_by("position").first()
    request_for.areas.set([area])
    set_weights(areas=50, recency=50)
    people = twins(30)
    for person in people:
        person.areas.set([area])
    away, conflicted = people[:3], people[3:5]
    for person in away:
        AwayPeriod.objects.create(resource=person, starts_on=request_for.starts_on, ends_on=request_for.starts_on)
    for person in conflicted:
        Conflict.objects.create(resource=person, unit=request_for.unit)
    wish = Wish.of(request_for)

    candidates, total = shortlist(request_for, wish=wish)

    returned = {c.resource.pk for c in candidates}
    assert returned == {person.pk for person in people[5:]}
    assert total == 25


def test_the_count_in_play_is_kept_and_counted_again_after_any_change_to_a_row(request_for):
    people = twins(5)
    wish = Wish.of(request_for)
    assert shortlist(request_for, wish=wish)[1] == 5
    with CaptureQueriesContext(connection) as ctx:
        assert shortlist(request_for, wish=wish)[1] == 5
    assert not [query for query in ctx.captured_queries if "COUNT(*)" in query["sql"]]  # kept

    people[0].status = ResourceStatus.PAUSED
    people[0].save()
    assert shortlist(request_for, wish=wish)[1] == 4
    people[1].max_assignments_per_month = 0
    people[1].save()
    assert shortlist(request_for, wish=wish)[1] == 3
    people[2].training_completed_on = None
    people[2].save()
    assert shortlist(request_for, wish=wish)[1] == 2
    twins(1)
    assert shortlist(request_for, wish=wish)[1] == 3
    # A write that bypasses the signals, then what must follow it (matching.keep).
    ExperienceResource.objects.filter(pk=people[3].pk).update(status=ResourceStatus.LEFT)
    keep.keep_people([people[3].pk])
    assert shortlist(request_for, wish=wish)[1] == 2
    ExperienceResource.objects.filter(pk=people[4].pk).update(max_assignments_per_month=0)
    keep.rebuild()
    assert shortlist(request_for, wish=wish)[1] == 1


# --- weights -----------------------------------------------------------------------------------


def set_weights(**weights) -> None:
    MatchingWeights.objects.update_or_create(pk=1, defaults={name: weights.get(name, 0) for name in CRITERIA})


def test_the_weights_decide_what_counts(request_for):
    request_for.areas.set(ExperienceArea.objects.order_by("position")[:2])
    expert, newcomer = twins()
    expert.areas.set(ExperienceArea.objects.order_by("position")[:2])
    for days_ago in (3, 6, 9, 12, 15):
        ask(expert, days_ago=days_ago)

    set_weights(areas=30)
    candidates = by_person(request_for)
    assert order(request_for) == [expert.pk, newcomer.pk]
    assert candidates[expert.pk].score == pytest.approx(100)
    assert candidates[newcomer.pk].score == pytest.approx(0)

    set_weights(recency=15, frequency=10)
    candidates = by_person(request_for)
    assert order(request_for) == [newcomer.pk, expert.pk]
    assert candidates[newcomer.pk].score == pytest.approx(100)
    assert candidates[expert.pk].score == pytest.approx(0)


def test_a_criterion_the_request_does_not_ask_about_does_not_count(request_for):
    arabic, swedish = twins()
    ExperienceResource.objects.filter(pk=arabic.pk).update(languages="svenska, arabiska")
    keep.keep_people([arabic.pk])  # update() sends no signal
    MatchingWeights.current()

    scores = {pk: candidate.score for pk, candidate in by_person(request_for).items()}
    assert scores[arabic.pk] == pytest.approx(scores[swedish.pk])
    for language_weight in (0, 100):
        MatchingWeights.objects.filter(pk=1).update(language=language_weight)
        again = {pk: candidate.score for pk, candidate in by_person(request_for).items()}
        assert again == pytest.approx(scores)

    UnitRequest.objects.filter(pk=request_for.pk).update(languages="arabiska")  # now it does ask
    request_for.refresh_from_db()
    candidates = by_person(request_for)
    assert candidates[arabic.pk].score > candidates[swedish.pk].score
    assert "talar arabiska" in candidates[arabic.pk].explanation.good


@pytest.mark.parametrize(
    ("municipality", "location"),
    [("Åtvidaberg", "Vårdcentralen i Åtvidaberg"), ("Ödeshög", "ödeshög hälsocentral"), ("Linköping", "LINKÖPING")],
)
def test_someone_living_where_the_work_is_gets_full_points_for_place(unit, municipality, location):
    request = UnitRequestFactory(unit=unit, format=Format.ON_SITE, location=location)
    here, elsewhere = twins(can_digital=False)
    ExperienceResource.objects.filter(pk=here.pk).update(municipality=municipality)
    ExperienceResource.objects.filter(pk=elsewhere.pk).update(municipality="Norrköping")
    keep.keep_people([here.pk, elsewhere.pk])  # update() sends no signal

    candidates = by_person(request)

    assert candidates[here.pk].components["place"] == 1.0
    assert f"bor i {municipality}" in candidates[here.pk].explanation.good
    assert candidates[elsewhere.pk].components["place"] == 0.5
    assert "bor inte på orten" in candidates[elsewhere.pk].explanation.lacking
    assert order(request) == [here.pk, elsewhere.pk]


def test_every_kind_of_work_names_ways_of_contributing_that_exist(db):
    for kind in WorkKind:
        slugs = KIND_CONTRIBUTIONS[kind]
        assert slugs
        assert ContributionType.objects.filter(slug__in=slugs).count() == len(slugs), kind
