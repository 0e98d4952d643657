"""The load test's data (`make load` runs it): a PostgreSQL database whose name contains "bench".

    SECRET_KEY=... DATABASE_URL=postgres://postgres@127.0.0.1:5432/lb_load_bench \
        .venv/bin/python bench/load_seed.py --out var/load/fixtures.json

Builds, once (a later run only rewrites the fixtures file; --rebuild starts over), through the
app's own services so that timelines, logs and outbox rows are real:

- staff who sign in with a password and a TOTP code from a known secret (--coordinators,
  --finance), care units with one staff member each who signs in by e-mailed code (--units);
- a pool of active people (--people), a third of them with an account of their own;
- per unit, requests in every stage of triage (submitted, in triage, needs info, ready);
- requests under matching with inquiries waiting for an answer (--inquiries in all), reachable by
  their answer links (no sign-in, as in the mail);
- agreements out for signing (--signing), each between a unit's staff member and a person with
  an account, so both sides can sign;
- attested fee lines with payee details, two payout batches and lines still to pay.

Writes --out, a JSON file the Locust users read: the accounts per role, which request,
inquiry and assignment belongs to whom, and the inquiries' answer links. The links are signed
with SECRET_KEY, so the seed must run with the same SECRET_KEY as the server (`make load`
keeps one in var/load/secret_key).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from shortlist import database_config, ensure_database  # noqa: E402 - bench/ is not a package

PASSWORD = "load-test-password-2026"  # noqa: S105 - made-up accounts in a bench database only
TOTP_SECRET = "LOADTESTLOADTESTLOADTESTLOADTEST"  # noqa: S105 - base32; the Locust users compute the codes
STAFF_DOMAIN = "regionexempel.se"
PEOPLE_DOMAIN = "load.exempel.se"
MUNICIPALITIES = ["Linköping", "Norrköping", "Motala", "Mjölby", "Finspång", "Söderköping", "Åtvidaberg", "Kinda"]
FIRST = ["Anna", "Lars", "Maria", "Ahmed", "Karin", "Johan", "Fatima", "Erik", "Sara", "Mehmet", "Eva", "Nils"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Hassan", "Lind"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "var" / "load" / "fixtures.json"))
    parser.add_argument("--coordinators", type=int, default=80)
    parser.add_argument("--finance", type=int, default=30)
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--people", type=int, default=450)
    parser.add_argument("--inquiries", type=int, default=2000)
    parser.add_argument("--signing", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rebuild", action="store_true", help="drop the database and build it again")
    return parser.parse_args()


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def staff_email(role: str, i: int) -> str:
    return f"load-{role}-{i}@{STAFF_DOMAIN}"


def person_email(i: int) -> str:
    return f"person-{i}@{PEOPLE_DOMAIN}"


def build(args: argparse.Namespace) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP
    from django.utils import timezone

    from accounts.enums import Role
    from accounts.services import create_user
    from notifications.services import handed_to_sweep
    from registry.enums import ResourceStatus
    from registry.models import ContributionType, ExperienceArea, ExperienceResource, Perspective
    from requests_app.models import CareUnit

    rng = random.Random(args.seed)
    started = time.perf_counter()

    def account(email, name, role, *, password=None, totp=False):
        user = create_user(email, full_name=name, roles=[role], password=password)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        if totp:
            TOTP.activate(user, TOTP_SECRET)
        return user

    with handed_to_sweep():  # no broker is needed to build; the outbox rows stay, unsent
        for i in range(args.coordinators):
            account(staff_email("coordinator", i), f"Samordnare {i}", Role.COORDINATOR, password=PASSWORD, totp=True)
        for i in range(args.finance):
            account(staff_email("finance", i), f"Ekonom {i}", Role.FINANCE, password=PASSWORD, totp=True)
        units = []
        for i in range(args.units):
            unit = CareUnit.objects.create(
                name=f"Lastenhet {i}",
                organisation=rng.choice(["Universitetssjukhuset", "Vrinnevisjukhuset", "Primärvården"]),
                cost_centre=f"{50000 + i}",
                postal_address=f"Vårdvägen {i}, 581 85 Linköping",
            )
            unit.staff.add(account(staff_email("unit", i), f"Enhetschef {i}", Role.UNIT_STAFF))
            units.append(unit)
        print(f"  staff and {len(units)} units: {time.perf_counter() - started:.0f} s", flush=True)

        areas, types = list(ExperienceArea.objects.all()), list(ContributionType.objects.all())
        perspectives = list(Perspective.objects.all())
        now = timezone.now()
        for i in range(args.people):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = person_email(i)
            user = account(email, f"{first} {last}", Role.RESOURCE) if i % 3 == 0 else None
            person = ExperienceResource.objects.create(
                user=user,
                status=ResourceStatus.ACTIVE,
                first_name=first,
                last_name=last,
                email=email,
                phone=f"070-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                municipality=rng.choice(MUNICIPALITIES),
                birth_year=rng.randint(1940, 2005),
                languages="svenska",
                story="Jag har lång erfarenhet av vården, som patient och som närstående.",
                consent_version="2026-1",
                consent_at=now,
                training_completed_on=now.date() - timedelta(days=rng.randint(30, 900)),
            )
            person.areas.set(rng.sample(areas, rng.randint(1, 3)))
            person.contribution_types.set(rng.sample(types, rng.randint(2, 5)))
            person.perspectives.set(rng.sample(perspectives, rng.randint(1, 2)))
        print(f"  {args.people} people: {time.perf_counter() - started:.0f} s", flush=True)

        build_requests(rng, units, areas, perspectives)
        print(f"  requests and inquiries: {time.perf_counter() - started:.0f} s", flush=True)
        build_signing(rng, units, args.signing)
        print(f"  agreements out for signing: {time.perf_counter() - started:.0f} s", flush=True)
        build_fees(rng, units)
        print(f"  fee lines and batches: {time.perf_counter() - started:.0f} s", flush=True)
    print(f"Built the load data in {time.perf_counter() - started:.0f} s.", flush=True)


def _request(rng, unit, staff, areas, perspectives, *, title, days):
    from django.utils import timezone

    from requests_app import services
    from requests_app.enums import AgeGroup, Duration, Format, WorkKind
    from requests_app.models import UnitRequest

    today = timezone.localdate()
    draft = UnitRequest(
        unit=unit,
        contact_name=staff.full_name,
        contact_email=staff.email,
        kind=rng.choice([WorkKind.EDUCATION, WorkKind.IMPROVEMENT, WorkKind.FOCUS_GROUP]),
        title=title,
        purpose="Vi vill ha med erfarenheter från dem det gäller, från början.",
        age_group=AgeGroup.ANY,
        people_count=rng.randint(1, 3),
        format=Format.ON_SITE,
        location=unit.postal_address,
        starts_on=today + timedelta(days=days),
        duration=Duration.HALF_DAY,
        reply_by=today + timedelta(days=days // 2),
    )
    relations = {"areas": rng.sample(areas, 1), "perspectives": rng.sample(perspectives, 1)}
    return services.save_request(draft, relations, actor=staff, submit=True)


def build_requests(rng, units, areas, perspectives) -> None:
    """Per unit: requests submitted, in triage, needing information and ready; then matching."""
    from accounts.models import User
    from matching.services import default_deadline, send_inquiries
    from registry.models import ExperienceResource
    from requests_app import services
    from requests_app.enums import RequestStatus

    coordinators = list(User.objects.filter(email__startswith="load-coordinator-").order_by("pk")[:10])
    stages = [
        [],
        [RequestStatus.IN_TRIAGE],
        [RequestStatus.IN_TRIAGE, RequestStatus.NEEDS_INFO],
        [RequestStatus.IN_TRIAGE, RequestStatus.READY],
    ]
    matching = []
    for n, unit in enumerate(units):
        staff = unit.staff.get()
        for k, steps in enumerate([*stages, stages[-1]]):
            req = _request(rng, unit, staff, areas, perspectives, title=f"Förfrågan {k} från {unit.name}", days=20 + 5 * k)
            coordinator = coordinators[(n + k) % len(coordinators)]
            for target in steps:
                if req.responsible_id is None:
                    req = services.assign(req, coordinator, actor=coordinator)
                reason = "Hur många tillfällen gäller det?" if target == RequestStatus.NEEDS_INFO else ""
                req = services.set_request_status(req, target, actor=coordinator, reason=reason)
            if k == len(stages):  # the second ready one goes to matching
                matching.append((req, coordinator))
    pool = list(ExperienceResource.objects.filter(status="active").order_by("pk"))
    per_request = max(1, ARGS.inquiries // max(1, len(matching)))
    for req, coordinator in matching:
        people = rng.sample(pool, min(per_request, len(pool)))
        send_inquiries(req, people, deadline=default_deadline(req), actor=coordinator, hand_reason="Lasttest.")


def build_signing(rng, units, count: int, *, first: int = 0) -> None:
    """Agreements out for signing: the person (with an account) said yes and was chosen."""
    from accounts.models import User
    from assignments.models import Assignment
    from assignments.services import send_for_signing, update_agreement
    from matching.enums import AnsweredVia
    from matching.services import answer, confirm_choice, default_deadline, send_inquiries
    from registry.models import ExperienceArea, ExperienceResource, Perspective
    from requests_app import services
    from requests_app.enums import RequestStatus

    coordinator = User.objects.filter(email__startswith="load-coordinator-").order_by("pk").first()
    people = list(ExperienceResource.objects.filter(user__isnull=False).order_by("pk"))
    areas, perspectives = list(ExperienceArea.objects.all()), list(Perspective.objects.all())
    for i in range(first, first + count):
        unit = units[i % len(units)]
        staff = unit.staff.get()
        person = people[i % len(people)]
        req = _request(rng, unit, staff, areas, perspectives, title=f"Uppdrag {i} för {unit.name}", days=25 + i % 30)
        req = services.assign(req, coordinator, actor=coordinator)
        for target in (RequestStatus.IN_TRIAGE, RequestStatus.READY):
            req = services.set_request_status(req, target, actor=coordinator)
        (inquiry,) = send_inquiries(req, [person], deadline=default_deadline(req), actor=coordinator, hand_reason="Lasttest.")
        answer(inquiry, yes=True, share_email=True, via=AnsweredVia.COORDINATOR, actor=coordinator)
        confirm_choice(req, [inquiry], actor=coordinator)
        assignment = Assignment.objects.get(inquiry=inquiry)
        update_agreement(
            assignment,
            {"role": "Berättar om sin erfarenhet och svarar på frågor.", "contact_phone": "010-123 45 67"},
            actor=staff,
        )
        send_for_signing(assignment, actor=staff)


def build_fees(rng, units) -> None:
    """Attested fee lines for a hundred people with payee details; October and November in batches."""
    from django.utils import timezone

    from assignments.models import Assignment
    from compensation.models import FeeLine, Payee
    from compensation.services import create_batch
    from registry.models import ExperienceResource
    from requests_app.models import UnitRequest

    people = list(ExperienceResource.objects.filter(user__isnull=True).order_by("pk")[:100])
    requests = list(UnitRequest.objects.filter(status="matched").select_related("unit")[:50])
    if not requests:
        requests = list(UnitRequest.objects.select_related("unit")[:50])
    assignments = Assignment.objects.bulk_create(
        Assignment(request=requests[i % len(requests)], resource=p, reference=f"LB-LOAD-{i:05d}", status="done", title="Lasttest")
        for i, p in enumerate(people)
    )
    for i, p in enumerate(people):
        Payee.objects.create(
            resource=p,
            legal_name=f"{p.first_name} {p.last_name}",
            personnummer="191212121212",
            street="Gatan 1",
            postal_code="58225",
            city="Linköping",
            paid_via="bank",
            clearing_number="8327",
            bank_account="123456789",
            tax_status="f" if i % 20 == 0 else "a",
        )
    now, year = timezone.now(), timezone.localdate().year
    lines = []
    for month in (9, 10, 11):
        for i in range(1500):
            a = assignments[i % len(assignments)]
            unit = requests[i % len(requests)].unit
            lines.append(
                FeeLine(
                    assignment=a,
                    resource_id=a.resource_id,
                    unit=unit,
                    cost_centre=unit.cost_centre,
                    kind="fee" if i % 5 else "mileage_tax_free",
                    on_date=date(year, month, 1 + i % 28),
                    amount_ore=rng.choice([90000, 180000]),
                    quantity=Decimal(1),
                    explanation="Halvdag, upp till 4 timmar: 900 kr enligt ersättningsmodell 2026",
                    status="approved",
                    approved_at=now,
                )
            )
    FeeLine.objects.bulk_create(lines, batch_size=2000)
    for month in (9, 10):  # November's lines stay on "to pay"
        end = date(year, month + 1, 1) - timedelta(days=1)
        create_batch(period_start=date(year, month, 1), period_end=end, actor=None)


def top_up(rng, args: argparse.Namespace) -> None:
    """A later run finds what an earlier one answered and signed used up. Before each run on
    existing data, the requests under matching ask more people who were not yet asked for them
    until --inquiries wait for an answer by link (people without an account; a 10-minute run
    answers about 1,900) and a third as many on the own page of people with one. Agreements are
    sent for signing until --signing wait with no signature yet. So every run's journeys have
    the same work to do."""
    from django.db.models import Exists, OuterRef

    from assignments.models import Assignment, Signature
    from matching.enums import InquiryStatus
    from matching.models import Inquiry
    from matching.services import default_deadline, send_inquiries
    from registry.models import ExperienceResource
    from requests_app.models import CareUnit, UnitRequest

    requests = list(UnitRequest.objects.filter(status="matching", responsible__isnull=False).order_by("pk"))
    for with_account, wanted in ((False, args.inquiries), (True, args.inquiries // 3)):
        waiting = Inquiry.objects.filter(status=InquiryStatus.SENT, resource__user__isnull=not with_account).count()
        missing, sent = wanted - waiting, 0
        for req in requests if missing > 0 else []:
            asked = Inquiry.objects.filter(request=req, resource=OuterRef("pk"))
            free = list(
                ExperienceResource.objects.filter(status="active", user__isnull=not with_account)
                .exclude(Exists(asked))
                .values_list("pk", flat=True)
            )
            share = min(-(-missing // len(requests)), len(free), missing - sent)
            chosen = list(ExperienceResource.objects.filter(pk__in=rng.sample(free, share)))
            if chosen:
                deadline = default_deadline(req)
                sent += len(send_inquiries(req, chosen, deadline=deadline, actor=req.responsible, hand_reason="Lasttest."))
            if sent >= missing:
                break
        if sent:
            kind = "on their own page" if with_account else "by link"
            print(f"Topped up: {sent} more inquiries to answer {kind} ({waiting + sent:,} waiting).", flush=True)
    signed = Signature.objects.filter(agreement__assignment=OuterRef("pk"))
    to_sign = Assignment.objects.filter(status="signing").exclude(Exists(signed)).count()
    if to_sign < args.signing:
        units = list(CareUnit.objects.filter(name__startswith="Lastenhet").order_by("pk"))
        build_signing(rng, units, args.signing - to_sign, first=Assignment.objects.count())
        print(f"Topped up: {args.signing - to_sign} more agreements to sign ({args.signing} waiting).", flush=True)


def fixtures() -> dict:
    """What the Locust users need, read back from the database (so a rerun needs no rebuild)."""
    from accounts.models import User
    from assignments.models import Assignment
    from compensation.models import PayoutBatch
    from matching.enums import InquiryStatus
    from matching.models import Inquiry
    from matching.services import answer_token
    from registry.models import ExperienceResource
    from requests_app.models import CareUnit, UnitRequest

    def emails(prefix):
        return list(User.objects.filter(email__startswith=prefix).order_by("pk").values_list("email", flat=True))

    units = []
    for unit in CareUnit.objects.filter(name__startswith="Lastenhet").prefetch_related("staff").order_by("pk"):
        units.append(
            {
                "email": unit.staff.all()[0].email,
                "unit": unit.pk,
                "requests": list(UnitRequest.objects.filter(unit=unit).exclude(status="draft").values_list("pk", flat=True)),
                "signing": list(Assignment.objects.filter(request__unit=unit, status="signing").values_list("pk", flat=True)),
            }
        )
    people = []
    for person in ExperienceResource.objects.filter(user__isnull=False, email__endswith=PEOPLE_DOMAIN).order_by("pk"):
        people.append(
            {
                "email": person.email,
                "inquiries": list(Inquiry.objects.filter(resource=person).values_list("pk", flat=True)),
                "signing": list(Assignment.objects.filter(resource=person, status="signing").values_list("pk", flat=True)),
            }
        )
    waiting = Inquiry.objects.filter(status=InquiryStatus.SENT, resource__user__isnull=True).order_by("pk")
    return {
        "password": PASSWORD,
        "totp_secret": TOTP_SECRET,
        "coordinators": emails("load-coordinator-"),
        "finance": emails("load-finance-"),
        "units": units,
        "people": people,
        "pool": list(ExperienceResource.objects.filter(status="active").values_list("pk", flat=True)[:1000]),
        "triage": list(
            UnitRequest.objects.filter(unit__name__startswith="Lastenhet").exclude(status="draft").values_list("pk", flat=True)
        ),
        "matching": list(UnitRequest.objects.filter(status="matching").values_list("pk", flat=True)),
        "answer_links": [f"/svara/{answer_token(i)}/" for i in waiting],
        "batches": list(PayoutBatch.objects.values_list("pk", flat=True)),
    }


ARGS: argparse.Namespace


def count_statistics() -> None:
    """What beat does every 10 minutes in service (no worker or beat runs during the load test):
    count the statistics' figures. Before a first count nothing of the statistics pages is
    cached (insights.cache), so every view of them would be drawn anew, fee sums included."""
    from insights import figures

    started = time.perf_counter()
    state = figures.refresh()
    print(f"Statistics' figures counted in {time.perf_counter() - started:.0f} s: {state.rows:,} rows.", flush=True)


def main() -> int:
    global ARGS
    ARGS = args = parse_args()
    config = database_config()
    ensure_database(config, drop=args.rebuild)
    setup_django()
    from accounts.models import User

    if not User.objects.filter(email=staff_email("coordinator", 0)).exists():
        print(f"Building the load data in {config['NAME']}…", flush=True)
        build(args)
    else:
        print(f"The load data is already in {config['NAME']} (--rebuild starts over).")
        top_up(random.Random(args.seed), args)
    count_statistics()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    data = fixtures()
    out.write_text(json.dumps(data))
    to_sign = sum(len(p["signing"]) for p in data["people"])
    print(f"Wrote {out}: {len(data['answer_links'])} open answer links, {to_sign} agreements to sign.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
