"""Keep them closed: every URL is listed here with the roles that may use it, and is requested
as every other role with another person's or unit's objects.

A URL pattern that is not in ACCESS fails `test_every_url_is_listed`: a new page cannot skip
its access check. To add a page, add one line to ACCESS: its route exactly as in urls.py, the
roles that may use it, the world objects its ids point to, and `scoped=True` if even the
allowed role must be refused someone else's object (a unit's request, a person's own pages).
When some allowed roles see everyone's objects and others only their own (a coordinator and a
unit's staff on the same page), give `scoped=True` and name the former in `sees_all`.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from assignments.documents.services import create_document
from assignments.enums import AssignmentStatus, CompletionStatus
from assignments.models import Assignment, CompletionReport
from compensation.models import FeeLine, TravelClaim
from compensation.services import create_batch
from evaluations.enums import QuestionKind, Respondent
from evaluations.models import Answer, Evaluation, FollowUpTheme, Question
from insights.models import ReportStatus, YearlyReport
from matching.models import Conflict, Inquiry
from registry.models import AwayPeriod, EventInvitation, ExperienceArea
from requests_app.enums import JoinKind, RequestStatus
from requests_app.models import UnitJoinRequest
from tests.assignments.factories import AssignmentFactory
from tests.assignments.factories_documents import signed_agreement, use_test_seal
from tests.compensation.factories import amount_model, done_assignment, held
from tests.compensation.test_payees import make_payee
from tests.evaluations.factories import ensure_default_questions
from tests.factories import CareUnitFactory, EventFactory, UnitRequestFactory, UserFactory, active_resource, request_at

COORDINATOR = frozenset({"coordinator"})
UNIT_STAFF = frozenset({"unit_staff"})
RESOURCE = frozenset({"resource"})
FINANCE = frozenset({"finance"})
ADMINISTRATOR = frozenset({"administrator"})
ASSIGNMENT_PARTIES = COORDINATOR | UNIT_STAFF | RESOURCE
EVERYONE = frozenset({"coordinator", "unit_staff", "resource", "finance", "administrator", "outsider", "anonymous"})
PERSONAS = sorted(EVERYONE)


@dataclass(frozen=True)
class Access:
    roles: frozenset[str]
    ids: dict[str, str] = field(default_factory=dict)  # URL parameter → key in the world
    scoped: bool = False  # the allowed roles, too, must be refused the world's (someone else's) object
    sees_all: frozenset[str] = frozenset()  # with scoped: the allowed roles that may see anyone's (coordinators)
    paths: tuple[str, ...] = ()  # for regular-expression routes: the concrete paths to request


# route (as written in urls.py) → who may use it. Third-party URL trees are listed by prefix below.
ACCESS: dict[str, Access] = {
    # public pages and links that carry their own secret
    "": Access(EVERYONE),
    "start/": Access(EVERYONE),  # sends each person on to their own start page
    "om/tillganglighet/": Access(EVERYONE),
    "om/personuppgifter/": Access(EVERYONE),
    "health/": Access(EVERYONE),
    "robots.txt": Access(EVERYONE),
    "bli-erfarenhetsresurs/": Access(EVERYONE),
    "bli-erfarenhetsresurs/tack/": Access(EVERYONE),
    "fortfarande-med/<str:token>/": Access(EVERYONE),
    "traff/<str:token>/": Access(EVERYONE),
    "svara/<str:token>/": Access(EVERYONE),
    "sa-lanar-ni/": Access(EVERYONE),
    "i18n/setlang/": Access(EVERYONE),
    # start pages per role
    "samordning/": Access(COORDINATOR),
    "verksamhet/": Access(UNIT_STAFF),
    "mina-sidor/": Access(RESOURCE),
    "ekonomi/": Access(FINANCE),
    "granskningslogg/": Access(ADMINISTRATOR),
    # the person's own pages
    "mina-sidor/traffar/": Access(RESOURCE),
    "mina-sidor/traffar/<int:pk>/svar/": Access(RESOURCE, {"pk": "invitation"}, scoped=True),
    "mina-sidor/uppgifter/": Access(RESOURCE),
    "mina-sidor/uppgifter/borta/": Access(RESOURCE),
    "mina-sidor/uppgifter/borta/<int:pk>/ta-bort/": Access(RESOURCE, {"pk": "away"}, scoped=True),
    "mina-sidor/paus/": Access(RESOURCE),
    "mina-sidor/lamna/": Access(RESOURCE),
    r"^mina-sidor/mina-uppgifter\.(?P<fmt>json|pdf)$": Access(
        RESOURCE, paths=("/mina-sidor/mina-uppgifter.json", "/mina-sidor/mina-uppgifter.pdf")
    ),
    "mina-sidor/uppdragsforfragningar/": Access(RESOURCE),
    "mina-sidor/uppdragsforfragningar/<int:pk>/": Access(RESOURCE, {"pk": "inquiry"}, scoped=True),
    "mina-sidor/jav/": Access(RESOURCE),
    "mina-sidor/jav/<int:pk>/ta-bort/": Access(RESOURCE, {"pk": "conflict"}, scoped=True),
    # the coordinators' pool and events
    "samordning/resurser/": Access(COORDINATOR),
    "samordning/resurser/ny/": Access(COORDINATOR),
    "samordning/resurser/<int:pk>/": Access(COORDINATOR, {"pk": "resource"}),
    "samordning/resurser/<int:pk>/status/": Access(COORDINATOR, {"pk": "resource"}),
    "samordning/resurser/<int:pk>/samtal/": Access(COORDINATOR, {"pk": "resource"}),
    "samordning/resurser/<int:pk>/utbildning/": Access(COORDINATOR, {"pk": "resource"}),
    "samordning/resurser/<int:pk>/avsluta/": Access(COORDINATOR, {"pk": "resource"}),
    "samordning/resurser/<int:pk>/anteckningar/": Access(COORDINATOR, {"pk": "resource"}),
    "samordning/resurser/<int:pk>/jav/": Access(COORDINATOR, {"pk": "resource"}),
    "samordning/resurser/<int:pk>/jav/<int:conflict_pk>/ta-bort/": Access(
        COORDINATOR, {"pk": "resource", "conflict_pk": "conflict"}
    ),
    "samordning/traffar/": Access(COORDINATOR),
    "samordning/traffar/ny/": Access(COORDINATOR),
    "samordning/traffar/<int:pk>/": Access(COORDINATOR, {"pk": "event"}),
    "samordning/traffar/<int:pk>/andra/": Access(COORDINATOR, {"pk": "event"}),
    "samordning/traffar/<int:pk>/bjud-in/": Access(COORDINATOR, {"pk": "event"}),
    "samordning/traffar/<int:pk>/narvaro/": Access(COORDINATOR, {"pk": "event"}),
    "samordning/traffar/<int:pk>/stall-in/": Access(COORDINATOR, {"pk": "event"}),
    # care units
    "verksamhet/anslut/": Access(UNIT_STAFF),
    "verksamhet/ny-verksamhet/": Access(UNIT_STAFF),
    "verksamhet/forfragningar/ny/": Access(UNIT_STAFF),
    "verksamhet/forfragningar/<int:pk>/": Access(UNIT_STAFF, {"pk": "request"}, scoped=True),
    "verksamhet/forfragningar/<int:pk>/andra/": Access(UNIT_STAFF, {"pk": "draft"}, scoped=True),
    "verksamhet/forfragningar/<int:pk>/meddelande/": Access(UNIT_STAFF, {"pk": "request"}, scoped=True),
    "verksamhet/forfragningar/<int:pk>/aterkalla/": Access(UNIT_STAFF, {"pk": "request"}, scoped=True),
    "verksamhet/forfragningar/<int:pk>/kopiera/": Access(UNIT_STAFF, {"pk": "request"}, scoped=True),
    "verksamhet/forfragningar/<int:pk>/bilaga/": Access(UNIT_STAFF, {"pk": "request"}, scoped=True),
    # triage and matching
    "samordning/forfragningar/": Access(COORDINATOR),
    "samordning/forfragningar/<int:pk>/": Access(COORDINATOR, {"pk": "request"}),
    "samordning/forfragningar/<int:pk>/status/": Access(COORDINATOR, {"pk": "request"}),
    "samordning/forfragningar/<int:pk>/ansvarig/": Access(COORDINATOR, {"pk": "request"}),
    "samordning/forfragningar/<int:pk>/anteckning/": Access(COORDINATOR, {"pk": "request"}),
    "samordning/forfragningar/<int:pk>/meddelande/": Access(COORDINATOR, {"pk": "request"}),
    "samordning/forfragningar/<int:pk>/bilaga/": Access(COORDINATOR, {"pk": "request"}),
    "samordning/verksamheter/": Access(COORDINATOR),
    "samordning/verksamheter/<int:pk>/beslut/": Access(COORDINATOR, {"pk": "join_request"}),
    "samordning/forfragningar/<int:pk>/matchning/": Access(COORDINATOR, {"pk": "request"}),
    "samordning/forfragningar/<int:pk>/matchning/for-hand/": Access(COORDINATOR, {"pk": "request"}),
    "samordning/forfragningar/<int:pk>/svar/": Access(COORDINATOR, {"pk": "request"}),
    "samordning/forfragningar/<int:pk>/svar/bekrafta/": Access(COORDINATOR, {"pk": "request"}),
    "samordning/forfragningar/<int:pk>/svar/<int:inquiry_pk>/": Access(COORDINATOR, {"pk": "request", "inquiry_pk": "inquiry"}),
    "samordning/forfragningar/<int:pk>/svar/<int:inquiry_pk>/kan-inte/": Access(
        COORDINATOR, {"pk": "request", "inquiry_pk": "inquiry"}
    ),
    "verksamhet/anslutningar/<int:pk>/beslut/": Access(UNIT_STAFF, {"pk": "unit_join"}, scoped=True),
    # assignments: each side's pages; the unit's and the person's only for their own assignments
    "verksamhet/uppdrag/<int:pk>/": Access(UNIT_STAFF, {"pk": "assignment"}, scoped=True),
    "verksamhet/uppdrag/<int:pk>/overenskommelse/": Access(UNIT_STAFF, {"pk": "assignment"}, scoped=True),
    "verksamhet/uppdrag/<int:pk>/tillfallen/ny/": Access(UNIT_STAFF, {"pk": "assignment"}, scoped=True),
    "verksamhet/uppdrag/<int:pk>/tillfallen/<int:session_pk>/": Access(
        UNIT_STAFF, {"pk": "assignment", "session_pk": "session"}, scoped=True
    ),
    "verksamhet/uppdrag/<int:pk>/tillfallen/<int:session_pk>/ta-bort/": Access(
        UNIT_STAFF, {"pk": "assignment", "session_pk": "session"}, scoped=True
    ),
    "verksamhet/uppdrag/<int:pk>/skicka/": Access(UNIT_STAFF, {"pk": "assignment"}, scoped=True),
    "verksamhet/uppdrag/<int:pk>/underteckna/": Access(UNIT_STAFF, {"pk": "signing"}, scoped=True),
    "verksamhet/uppdrag/<int:pk>/underteckna/kod/": Access(UNIT_STAFF, {"pk": "signing"}, scoped=True),
    "verksamhet/uppdrag/<int:pk>/rapport/": Access(UNIT_STAFF, {"pk": "assignment"}, scoped=True),
    "verksamhet/uppdrag/<int:pk>/stall-in/": Access(UNIT_STAFF, {"pk": "assignment"}, scoped=True),
    "mina-sidor/uppdrag/": Access(RESOURCE),
    "mina-sidor/uppdrag/<int:pk>/": Access(RESOURCE, {"pk": "assignment"}, scoped=True),
    "mina-sidor/uppdrag/<int:pk>/underteckna/": Access(RESOURCE, {"pk": "signing"}, scoped=True),
    "mina-sidor/uppdrag/<int:pk>/underteckna/kod/": Access(RESOURCE, {"pk": "signing"}, scoped=True),
    "mina-sidor/uppdrag/<int:pk>/bekrafta/": Access(RESOURCE, {"pk": "reported"}, scoped=True),
    "mina-sidor/uppdrag/<int:pk>/stammer-inte/": Access(RESOURCE, {"pk": "reported"}, scoped=True),
    "mina-sidor/uppdrag/<int:pk>/stall-in/": Access(RESOURCE, {"pk": "assignment"}, scoped=True),
    "samordning/uppdrag/": Access(COORDINATOR),
    "samordning/uppdrag/<int:pk>/": Access(COORDINATOR, {"pk": "assignment"}),
    "samordning/uppdrag/<int:pk>/overenskommelse/": Access(COORDINATOR, {"pk": "assignment"}),
    "samordning/uppdrag/<int:pk>/tillfallen/ny/": Access(COORDINATOR, {"pk": "assignment"}),
    "samordning/uppdrag/<int:pk>/tillfallen/<int:session_pk>/": Access(
        COORDINATOR, {"pk": "assignment", "session_pk": "session"}
    ),
    "samordning/uppdrag/<int:pk>/tillfallen/<int:session_pk>/ta-bort/": Access(
        COORDINATOR, {"pk": "assignment", "session_pk": "session"}
    ),
    "samordning/uppdrag/<int:pk>/skicka/": Access(COORDINATOR, {"pk": "assignment"}),
    "samordning/uppdrag/<int:pk>/stall-in/": Access(COORDINATOR, {"pk": "assignment"}),
    "samordning/uppdrag/<int:pk>/avgor/": Access(COORDINATOR, {"pk": "disputed"}),
    "uppdrag/overenskommelser/<int:agreement_pk>/pdf/": Access(
        ASSIGNMENT_PARTIES, {"agreement_pk": "agreement"}, scoped=True, sees_all=COORDINATOR
    ),
    "kontrollera-overenskommelse/": Access(EVERYONE),  # public: checks a copy of a signed agreement
    # compensation
    "mina-sidor/ersattning/": Access(RESOURCE),
    "mina-sidor/ersattning/utbetalningsuppgifter/": Access(RESOURCE),
    "mina-sidor/ersattning/uppdrag/<int:pk>/resa/": Access(RESOURCE, {"pk": "done"}, scoped=True),
    "mina-sidor/ersattning/arsbesked/<int:year>/": Access(RESOURCE, {"year": "year"}),  # the person's own year
    "samordning/arvoden/": Access(COORDINATOR),
    "samordning/arvoden/uppdrag/<int:pk>/inget-arvode/": Access(COORDINATOR, {"pk": "assignment"}),
    "arvoden/reseersattning/<int:pk>/": Access(COORDINATOR | UNIT_STAFF, {"pk": "claim"}, scoped=True, sees_all=COORDINATOR),
    "arvoden/reseersattning/<int:pk>/kvitto/": Access(
        COORDINATOR | UNIT_STAFF, {"pk": "claim"}, scoped=True, sees_all=COORDINATOR
    ),
    "verksamhet/kostnader/": Access(UNIT_STAFF),
    "ekonomi/att-betala/": Access(FINANCE),
    "ekonomi/utbetalningar/": Access(FINANCE),
    "ekonomi/utbetalningar/<int:pk>/": Access(FINANCE, {"pk": "batch"}),
    "ekonomi/utbetalningar/<int:pk>/kostnadsstallen/": Access(FINANCE, {"pk": "batch"}),
    "ekonomi/utbetalningar/<int:pk>/fil.<str:fmt>": Access(FINANCE, {"pk": "batch", "fmt": "fmt"}),
    "ekonomi/utbetalningar/<int:pk>/betald/": Access(FINANCE, {"pk": "batch"}),
    "ekonomi/rader/<int:pk>/aterfor/": Access(FINANCE, {"pk": "fee_line"}),
    "ekonomi/mottagare/": Access(FINANCE),
    "ekonomi/mottagare/<int:pk>/": Access(FINANCE, {"pk": "payee"}),
    "ekonomi/rapporter/": Access(FINANCE | COORDINATOR),
    # evaluations and follow-up
    "utvardering/<str:token>/": Access(EVERYONE),  # public: the link carries its own secret
    "mina-sidor/utvarderingar/": Access(RESOURCE),
    "mina-sidor/utvarderingar/<int:pk>/": Access(RESOURCE, {"pk": "resource_evaluation"}, scoped=True),
    "verksamhet/utvarderingar/": Access(UNIT_STAFF),
    "verksamhet/utvarderingar/<int:pk>/": Access(UNIT_STAFF, {"pk": "unit_evaluation"}, scoped=True),
    "samordning/uppfoljning/": Access(COORDINATOR),
    "samordning/uppfoljning/klar/": Access(COORDINATOR),
    "samordning/uppfoljning/utvarderingar/<int:pk>/": Access(COORDINATOR, {"pk": "unit_evaluation"}),
    "samordning/uppfoljning/teman/": Access(COORDINATOR),
    "samordning/uppfoljning/teman/<int:pk>/traffar/": Access(COORDINATOR, {"pk": "theme"}),
    "samordning/uppfoljning/teman/<int:pk>/traffar/<int:event_pk>/ta-bort/": Access(
        COORDINATOR, {"pk": "theme", "event_pk": "event"}
    ),
    # statistics and the yearly report; finance sees the money totals only
    "samordning/statistik/": Access(COORDINATOR),
    "samordning/statistik/<slug:slug>.csv": Access(COORDINATOR, {"slug": "unit_table"}),
    "ekonomi/statistik/": Access(FINANCE | COORDINATOR),
    "ekonomi/statistik/<slug:slug>.csv": Access(FINANCE | COORDINATOR, {"slug": "finance_table"}),
    "samordning/arsrapporter/": Access(COORDINATOR),
    "samordning/arsrapporter/ny/": Access(COORDINATOR),
    "samordning/arsrapporter/<int:pk>/pdf/": Access(COORDINATOR, {"pk": "report"}),
}

# Whole URL trees owned by a third-party app, with their own checks (tested below or in their own tests).
PREFIXES = {
    "accounts/": EVERYONE,  # django-allauth: sign-in, codes, MFA set-up
    "admin/": ADMINISTRATOR,  # Django's admin: staff with the administrator role only
}

# Health data in the world: the person's experience area, support needs, the coordinator's notes,
# what their assignments are about and their free-text evaluation answer. Finance never sees these.
HEALTH_MARKERS = (
    "MARKÖR-HÄLSA-OMRÅDE",
    "MARKÖR-HÄLSA-STÖD",
    "MARKÖR-HÄLSA-ANTECKNING",
    "MARKÖR-HÄLSA-UPPDRAG",
    "MARKÖR-HÄLSA-SVAR",
)

# Text from the world that no refused response may contain.
MARKERS = (
    "Markörsson",
    "MARKÖR-FÖRFRÅGAN",
    "MARKÖR-TRÄFF",
    "MARKÖR-BERÄTTELSE",
    "MARKÖR-JÄV",
    "MARKÖR-ENHET",
    "MARKÖR-TEMA",
    *HEALTH_MARKERS,
)


def all_routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from all_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def test_every_url_is_listed():
    unlisted = [r for r in all_routes() if r not in ACCESS and not r.startswith(tuple(PREFIXES))]
    assert unlisted == [], "Add these to ACCESS in tests/security/test_url_access.py, with the roles that may use them"


def test_every_listed_url_exists():
    assert sorted(set(ACCESS) - set(all_routes())) == []


@pytest.fixture
def world(db, unit, settings):
    """Someone else's things: another person, another unit and its request, with marker text."""
    other_user = UserFactory(email="annan@exempel.se", roles=["resource"])
    person = active_resource(user=other_user, first_name="Märta", last_name="Markörsson", story="MARKÖR-BERÄTTELSE")
    other_unit = CareUnitFactory(name="MARKÖR-ENHET")
    other_staff = UserFactory(email="annan.personal@regionexempel.se", roles=["unit_staff"])
    other_unit.staff.add(other_staff)
    request = request_at(RequestStatus.MATCHING, unit=other_unit, created_by=other_staff, title="MARKÖR-FÖRFRÅGAN")
    draft = request_at(RequestStatus.DRAFT, unit=other_unit, created_by=other_staff, title="MARKÖR-FÖRFRÅGAN utkast")
    event = EventFactory(title="MARKÖR-TRÄFF")
    # Their assignments: signed, waiting for signatures, reported, disputed, and done with fees and evaluations.
    settings.COMPENSATION_AUTO_APPROVE = True
    amount_model()
    ensure_default_questions()
    use_test_seal(settings)
    agreement = signed_agreement(unit=other_unit, resource=person, unit_signer=other_staff)
    create_document(agreement)  # the sealed PDF, so that its download has something to refuse
    assignment = agreement.assignment
    session = assignment.sessions.first()
    signing = signed_agreement(unit=other_unit, resource=person, unit_signer=other_staff, signed=False).assignment
    reported = AssignmentFactory(request=UnitRequestFactory(unit=other_unit), resource=person, status=AssignmentStatus.SIGNED)
    CompletionReport.objects.create(assignment=reported, status=CompletionStatus.REPORTED)
    disputed = AssignmentFactory(request=UnitRequestFactory(unit=other_unit), resource=person, status=AssignmentStatus.SIGNED)
    CompletionReport.objects.create(assignment=disputed, status=CompletionStatus.DISPUTED)
    payee = make_payee(person, legal_name="Märta Markörsson")
    done = done_assignment([held(date(2026, 3, 10))], resource=person, request=UnitRequestFactory(unit=other_unit))
    batch = create_batch(
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
        actor=UserFactory(email="annan.ekonom@regionexempel.se", roles=["finance"]),
    )
    claim = TravelClaim.objects.create(
        assignment=done,
        session=done.sessions.first(),
        resource=person,
        kind="parking",
        amount=80,
    )
    claim.receipt.save("kvitto.pdf", ContentFile("%PDF-1.4 kvitto för Märta Markörsson".encode()))
    evaluations = {e.respondent: e for e in Evaluation.objects.filter(assignment=done)}
    report = YearlyReport.objects.create(year=2026, status=ReportStatus.READY, quotes=[])
    report.file.save("arsrapport.pdf", ContentFile("%PDF-1.4 årsrapport, MARKÖR-ENHET".encode()))
    joining = UserFactory(email="ny.personal@regionexempel.se", roles=["unit_staff"])
    # Health data (HEALTH_MARKERS), planted in every place it is kept.
    person.areas.add(ExperienceArea.objects.create(name="MARKÖR-HÄLSA-OMRÅDE"))
    person.support_needs = "MARKÖR-HÄLSA-STÖD"
    person.coordinator_notes = "MARKÖR-HÄLSA-ANTECKNING"
    person.save()
    Assignment.objects.filter(resource=person).update(
        title="MARKÖR-HÄLSA-UPPDRAG: att leva med diabetes", description="MARKÖR-HÄLSA-UPPDRAG", role="MARKÖR-HÄLSA-UPPDRAG"
    )
    Answer.objects.create(
        evaluation=evaluations[Respondent.RESOURCE],
        question=Question.objects.filter(question_set__respondent=Respondent.RESOURCE, kind=QuestionKind.TEXT).first(),
        text="MARKÖR-HÄLSA-SVAR",
    )
    return {
        "assignment": assignment.pk,
        "agreement": agreement.pk,
        "session": session.pk,
        "signing": signing.pk,
        "reported": reported.pk,
        "disputed": disputed.pk,
        "done": done.pk,
        "payee": payee.pk,
        "batch": batch.pk,
        "fee_line": FeeLine.objects.filter(batch=batch).first().pk,
        "fmt": "csv",
        "year": 2026,
        "claim": claim.pk,
        "unit_evaluation": evaluations[Respondent.UNIT].pk,
        "resource_evaluation": evaluations[Respondent.RESOURCE].pk,
        "report": report.pk,
        "unit_table": "forfragningar-verksamhet",  # the requests per unit: names the other unit
        "finance_table": "totaler",
        "theme": FollowUpTheme.objects.create(title="MARKÖR-TEMA").pk,
        "unit_join": UnitJoinRequest.objects.create(
            kind=JoinKind.EXISTING_UNIT,
            unit=other_unit,
            user=joining,
            name=other_unit.name,
            organisation="Region",
            cost_centre="4123",
        ).pk,
        "resource": person.pk,
        "request": request.pk,
        "draft": draft.pk,
        "event": event.pk,
        "invitation": EventInvitation.objects.create(event=event, resource=person).pk,
        "inquiry": Inquiry.objects.create(request=request, resource=person, deadline=event.starts_at).pk,
        "away": AwayPeriod.objects.create(resource=person, starts_on=event.starts_at.date(), ends_on=event.starts_at.date()).pk,
        "conflict": Conflict.objects.create(resource=person, unit=unit, note="MARKÖR-JÄV").pk,
        "join_request": UnitJoinRequest.objects.create(
            user=other_staff, name="MARKÖR-ENHET 2", organisation="Region", cost_centre="4123"
        ).pk,
    }


def paths_for(route: str, access: Access, world: dict) -> list[str]:
    if access.paths:
        return list(access.paths)
    return ["/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(world[access.ids[m.group(1)]]), route)]


def refused(response, persona: str) -> str:
    """Why the response is not a refusal, or "" if it is one."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    leaked = [m for m in MARKERS if m.encode() in body]
    if leaked:
        return f"leaks {leaked}"
    if response.status_code in (403, 404, 405):
        return ""
    if response.status_code == 302 and response.url.startswith("/accounts/login/"):
        return ""  # signed out, or a staff session without its second factor: to sign-in
    return f"answered {response.status_code} {getattr(response, 'url', '')}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_refuses_every_other_role(client, login, personas, world, persona):
    if persona != "anonymous":
        login(client, personas[persona])
    problems = []
    for route, access in ACCESS.items():
        if persona in access.roles and (not access.scoped or persona in access.sees_all):
            continue
        for path in paths_for(route, access, world):
            for method in ("get", "post"):
                response = getattr(client, method)(path)
                if problem := refused(response, persona):
                    problems.append(f"{method.upper()} {path}: {problem}")
    assert problems == []


@pytest.mark.parametrize("persona", sorted(EVERYONE - ADMINISTRATOR))
def test_the_admin_is_for_administrators_only(client, login, personas, world, persona):
    if persona != "anonymous":
        login(client, personas[persona])
    for path in (
        "/admin/",
        f"/admin/registry/experienceresource/{world['resource']}/change/",
        "/admin/notifications/outboundemail/",
    ):
        response = client.get(path)
        assert response.status_code in (302, 403), path
        if response.status_code == 302:
            assert response.url.startswith(("/admin/login/", "/accounts/login/")), path


AREA = "MARKÖR-HÄLSA-OMRÅDE"  # a name in the list of areas every form offers; health data only beside a person

# Pages a role may open that show another unit's or person's name on purpose.
SHOWN_ON_PURPOSE = {
    ("unit_staff", "verksamhet/anslut/"): ("MARKÖR-ENHET",),  # the units one may ask to join
    ("unit_staff", "verksamhet/"): ("MARKÖR-ENHET",),  # the same choice on the start page
    ("resource", "mina-sidor/jav/"): ("MARKÖR-ENHET",),  # the units one may name a conflict of interest with
}


@pytest.mark.parametrize("persona", ["unit_staff", "resource", "outsider", "anonymous"])
def test_own_pages_show_nothing_of_others(client, login, personas, world, persona):
    """The pages a unit's staff or a person may open show their own things only, never the world's."""
    if persona != "anonymous":
        login(client, personas[persona])
    problems = []
    for route, access in ACCESS.items():
        if persona not in access.roles or access.scoped:
            continue  # refused, or the world's object by id refused: tested above
        if set(re.findall(r"<(?:\w+:)?(\w+)>", route)) - set(access.ids):
            continue  # a link that carries its own secret
        for path in paths_for(route, access, world):
            body = content_of(client.get(path))
            allowed = (*SHOWN_ON_PURPOSE.get((persona, route), ()), AREA)
            if leaked := [m for m in MARKERS if m not in allowed and m in body]:
                problems.append(f"{path}: shows {leaked}")
    assert problems == []


def content_of(response) -> str:
    """The text of a response: a page, a CSV, a workbook's sheets or a PDF's text."""
    body = b"".join(response.streaming_content) if response.streaming else response.content  # read to the end: closed
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind or body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            return "".join(book.read(name).decode("utf-8", "replace") for name in book.namelist() if name.endswith(".xml"))
    if body.startswith(b"%PDF") and shutil.which("pdftotext"):  # without it the PDF's compressed text is not read
        return subprocess.run([shutil.which("pdftotext"), "-", "-"], input=body, capture_output=True, check=False).stdout.decode(
            "utf-8", "replace"
        )
    for encoding in ("utf-8", "cp437", "latin-1"):  # SIE files are in PC8 (cp437)
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    return ""


def route_of(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.route if match.route in ACCESS else None


def test_finance_never_sees_health_data(client, login, finance, world):
    """Every page finance can open, and every page, file and export linked from them: no health data."""
    login(client, finance)
    queue = [
        path
        for route, access in ACCESS.items()
        if "finance" in access.roles and access.roles != EVERYONE
        for path in (paths_for(route, access, world) if access.ids or access.paths else ["/" + route])
    ]
    queue += [f"/ekonomi/utbetalningar/{world['batch']}/fil.{fmt}" for fmt in ("csv", "xlsx", "sie", "pdf")]
    seen, leaks = set(), []
    while queue and len(seen) < 400:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200:
            content_of(response)  # a download read to its end is closed
            continue
        body = content_of(response)
        if leaked := [m for m in HEALTH_MARKERS if m in body]:
            leaks.append(f"{path}: {leaked}")
        if "html" in response.get("Content-Type", ""):
            for href in re.findall(r'href="(/[^"#]*)"', body):
                href = html.unescape(href)
                access = ACCESS.get(route_of(href))
                if access and access.roles != EVERYONE and href not in seen:
                    queue.append(href)  # public pages are tested signed out
    assert len(seen) > 12, "finance's pages should be many; did the sign-in break?"
    assert leaks == []
