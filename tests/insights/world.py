"""A known world for the statistics tests: built with factories from a seeded random generator,
and kept as plain Python lists so every figure can be counted again without the database."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from assignments.enums import AssignmentStatus, SessionOutcome
from compensation.enums import LineKind, LineStatus
from compensation.models import FeeLine
from evaluations.enums import QuestionKind
from evaluations.models import Answer, Evaluation, QuestionSet
from insights.figures import NOT_HELD
from matching.enums import InquiryStatus
from matching.models import Inquiry
from registry.enums import EventKind, PerspectiveCode, ResourceStatus
from registry.models import Event, ExperienceArea, ExperienceResource, Perspective
from requests_app.enums import RequestStatus, WorkKind
from requests_app.models import UnitRequest
from tests.assignments.factories import AssignmentFactory, SessionFactory
from tests.factories import CareUnitFactory, ExperienceResourceFactory, UnitRequestFactory

YEAR = 2025
TZ = timezone.get_fixed_timezone(60)  # replaced by the current zone in `at`


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


@dataclass
class World:
    units: list = field(default_factory=list)
    areas: list = field(default_factory=list)
    people: list = field(default_factory=list)  # ExperienceResource
    requests: list = field(default_factory=list)  # (UnitRequest, submitted_at, matched_at | None, area ids)
    assignments: list = field(default_factory=list)  # (Assignment, done_at | None, [Session])
    inquiries: list = field(default_factory=list)  # Inquiry
    trainings: list = field(default_factory=list)  # Event
    evaluations: list = field(default_factory=list)  # (Evaluation, {question key: Answer})
    fee_lines: list = field(default_factory=list)  # compensation FeeLine


STATUS_MIX = [ResourceStatus.ACTIVE] * 6 + [
    ResourceStatus.PAUSED,
    ResourceStatus.LEFT,
    ResourceStatus.APPLIED,
    ResourceStatus.REJECTED,
]
OUTCOMES = [
    RequestStatus.MATCHED,
    RequestStatus.COMPLETED,
    RequestStatus.DECLINED,
    RequestStatus.IN_TRIAGE,
    RequestStatus.WITHDRAWN,
]
SESSION_OUTCOMES = [
    SessionOutcome.HELD,
    SessionOutcome.HELD,
    SessionOutcome.OTHER_LENGTH,
    SessionOutcome.NO_SHOW,
    SessionOutcome.CANCELLED_IN_TIME,
]


def build(seed: int = 12, people: int = 40, requests: int = 60) -> World:
    rnd = random.Random(seed)
    world = World()
    # the areas the migration seeds; people and requests use the first four
    world.areas = list(ExperienceArea.objects.order_by("position", "name"))
    used_areas = world.areas[:4]
    perspectives = [Perspective.objects.get_or_create(code=c)[0] for c in PerspectiveCode.values]
    world.units = [
        CareUnitFactory(name="Diabetesmottagningen", organisation="Region Exempel"),
        CareUnitFactory(name="Strokeenheten", organisation="Region Exempel"),
        CareUnitFactory(name="Hemtjänsten Norr", organisation="Exempels kommun"),
    ]
    for _i in range(people):
        status = rnd.choice(STATUS_MIX)
        person = ExperienceResourceFactory(
            status=status,
            municipality=rnd.choice(["Linköping", "Norrköping", "Motala", ""]),
            birth_year=rnd.choice([None, 1940, 1955, 1962, 1975, 1990, 2001]),
            training_completed_on=date(YEAR, rnd.randint(1, 12), 1) if rnd.random() < 0.5 else None,
            left_at=at(date(YEAR, rnd.randint(1, 12), 3)) if status == ResourceStatus.LEFT else None,
        )
        created = at(date(rnd.choice([YEAR - 1, YEAR]), rnd.randint(1, 12), rnd.randint(1, 28)))
        ExperienceResource.objects.filter(pk=person.pk).update(created_at=created)
        person.created_at = created
        person.area_ids = {a.pk for a in rnd.sample(used_areas, rnd.randint(0, 3))}
        person.areas.set(person.area_ids)
        person.perspective_codes = {p.code for p in rnd.sample(perspectives, rnd.randint(0, 2))}
        person.perspectives.set([p for p in perspectives if p.code in person.perspective_codes])
        world.people.append(person)
    active = [p for p in world.people if p.status == ResourceStatus.ACTIVE]
    for i in range(requests):
        unit = rnd.choice(world.units)
        submitted = at(date(rnd.choice([YEAR - 1, YEAR, YEAR]), rnd.randint(1, 12), rnd.randint(1, 28)), rnd.randint(8, 17))
        status = rnd.choice(OUTCOMES)
        request = UnitRequestFactory(unit=unit, kind=rnd.choice(WorkKind.values[:5]), status=status, reference=f"LB-T-{i:04d}")
        UnitRequest.objects.filter(pk=request.pk).update(submitted_at=submitted)
        area_ids = {a.pk for a in rnd.sample(used_areas, rnd.randint(0, 2))}
        request.areas.set(area_ids)
        matched = None
        chosen = rnd.sample(active, rnd.randint(1, 3)) if status in (RequestStatus.MATCHED, RequestStatus.COMPLETED) else []
        if chosen:
            matched = submitted + timedelta(days=rnd.randint(0, 40), hours=rnd.randint(0, 20))
        for person in chosen:
            sent = submitted + timedelta(hours=1)
            inquiry = Inquiry.objects.create(
                request=request,
                resource=person,
                status=InquiryStatus.CHOSEN,
                deadline=sent + timedelta(days=7),
                closed_at=matched,
            )
            Inquiry.objects.filter(pk=inquiry.pk).update(sent_at=sent)
            inquiry.sent_at = sent
            world.inquiries.append(inquiry)
            done = status == RequestStatus.COMPLETED or rnd.random() < 0.3
            done_at = matched + timedelta(days=rnd.randint(1, 60)) if done else None
            assignment = AssignmentFactory(
                request=request,
                resource=person,
                inquiry=inquiry,
                status=AssignmentStatus.DONE if done else AssignmentStatus.SIGNED,
                done_at=done_at,
            )
            sessions = []
            for _s in range(rnd.randint(1, 3)):
                outcome = rnd.choice(SESSION_OUTCOMES) if done else ""
                start = rnd.choice([time(9, 0), time(13, 0), time(13, 30)])
                end = rnd.choice([time(16, 0), time(16, 15), time(17, 0)])
                sessions.append(
                    SessionFactory(
                        assignment=assignment,
                        date=matched.date() + timedelta(days=5),
                        starts_at=start,
                        ends_at=end,
                        outcome=outcome,
                        actual_hours=Decimal("2.5") if outcome == SessionOutcome.OTHER_LENGTH else None,
                    )
                )
            world.assignments.append((assignment, done_at, sessions))
        # some people were only asked (and said no)
        for person in rnd.sample(active, rnd.randint(0, 2)):
            if person in chosen:
                continue
            sent = submitted + timedelta(hours=2)
            inquiry = Inquiry.objects.create(
                request=request, resource=person, status=InquiryStatus.NO, deadline=sent + timedelta(days=7)
            )
            Inquiry.objects.filter(pk=inquiry.pk).update(sent_at=sent)
            inquiry.sent_at = sent
            world.inquiries.append(inquiry)
        world.requests.append((request, submitted, matched, area_ids))
    evaluate(world, rnd)
    for month in (2, 5, 9):
        world.trainings.append(
            Event.objects.create(
                kind=EventKind.TRAINING, title="Intro", starts_at=at(date(YEAR, month, 10)), ends_at=at(date(YEAR, month, 10), 15)
            )
        )
    cancelled = Event.objects.create(
        kind=EventKind.TRAINING,
        title="Intro",
        starts_at=at(date(YEAR, 11, 10)),
        ends_at=at(date(YEAR, 11, 10), 15),
        cancelled_at=timezone.now(),
    )
    assert cancelled.cancelled_at
    pay(world, random.Random(seed + 1))
    return world


def pay(world: World, rnd: random.Random) -> None:
    """Fee lines as compensation makes them: one fee per session held, mileage for some, and a
    reversal. The first two units share a cost centre; the third changed its cost centre in July;
    a fourth unit was billed for two people only (a total that must be withheld)."""
    held = [(a, s) for a, done_at, sessions in world.assignments if done_at for s in sessions if s.outcome not in NOT_HELD]
    for assignment, session in held:
        unit = assignment.request.unit
        cost_centre = unit.cost_centre
        if unit in world.units[:2]:
            cost_centre = "41000"  # the hospital's two clinics bill one cost centre
        elif session.date < date(YEAR, 7, 1):
            cost_centre = "40999"
        status = rnd.choice([LineStatus.COMPUTED, LineStatus.APPROVED])
        kinds = [(LineKind.FEE, rnd.choice([90_000, 180_000]))]
        if rnd.random() < 0.3:
            kinds.append((LineKind.MILEAGE_TAX_FREE, rnd.randint(1, 400) * 250))
        for kind, amount in kinds:
            world.fee_lines.append(
                FeeLine.objects.create(
                    assignment=assignment,
                    session=session,
                    resource=assignment.resource,
                    unit=unit,
                    cost_centre=cost_centre,
                    kind=kind,
                    on_date=session.date,
                    amount_ore=amount,
                    explanation="Arvode enligt ersättningsmodell 2025",
                    status=status,
                )
            )
    first = next(line for line in world.fee_lines if line.on_date.year == YEAR and line.kind == LineKind.FEE)
    world.fee_lines.append(
        FeeLine.objects.create(
            assignment=first.assignment,
            resource=first.resource,
            unit=first.unit,
            cost_centre=first.cost_centre,
            kind=first.kind,
            on_date=first.on_date,
            amount_ore=-first.amount_ore,
            explanation="Rättelse",
            reverses=first,
            reason="Fel tillfälle",
        )
    )
    small = CareUnitFactory(name="Tandvårdskliniken", organisation="Exempels kommun", cost_centre="47000")
    two = list({a.resource_id: a for a, _s in held}.values())[:2]  # two different people
    for assignment in two:
        world.fee_lines.append(
            FeeLine.objects.create(
                assignment=assignment,
                resource=assignment.resource,
                unit=small,
                cost_centre=small.cost_centre,
                kind=LineKind.FEE,
                on_date=date(YEAR, 6, 1),
                amount_ore=123_450,
                explanation="Arvode",
            )
        )


QUOTES = [
    "Perspektivet som dessa personer bidrar med är helt nödvändigt.",
    "Andra erfarenheter in i diskussionen.",
    "Jag blev lyssnad på.",
]


def evaluate(world: World, rnd: random.Random) -> None:
    """Most done assignments get answered evaluations from the unit and the person."""
    sets = {qs.respondent: qs for qs in QuestionSet.objects.filter(published_at__isnull=False).order_by("version")}
    for assignment, done_at, _sessions in world.assignments:
        if done_at is None:
            continue
        for respondent, question_set in sets.items():
            if rnd.random() < 0.2:
                continue  # never answered
            submitted = done_at + timedelta(days=rnd.randint(0, 20))
            evaluation = Evaluation.objects.create(
                assignment=assignment,
                respondent=respondent,
                question_set=question_set,
                closes_at=done_at + timedelta(days=30),
                submitted_at=submitted,
                quote_allowed=rnd.random() < 0.5,
            )
            answers = {}
            for question in question_set.questions.all():
                if question.kind == QuestionKind.RATING:
                    answers[question.key] = Answer.objects.create(
                        evaluation=evaluation, question=question, rating=rnd.choice([2, 3, 4, 4, 5, 5])
                    )
                elif question.kind == QuestionKind.YES_NO:
                    answers[question.key] = Answer.objects.create(
                        evaluation=evaluation, question=question, choice=rnd.random() < 0.8
                    )
                elif rnd.random() < 0.5:
                    answers[question.key] = Answer.objects.create(
                        evaluation=evaluation, question=question, text=rnd.choice(QUOTES)
                    )
            world.evaluations.append((evaluation, answers))
