"""A believable demo region: units, a few dozen experience resources, one user per role."""

import random
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from accounts.services import create_user
from assignments.models import Assignment
from assignments.services import send_for_signing, update_agreement
from compensation.demo import create_demo_models
from matching.enums import AnsweredVia
from matching.models import Inquiry
from matching.selectors import shortlist
from matching.services import answer, confirm_choice, default_deadline, send_inquiries
from notifications.models import OutboundEmail
from notifications.services import handed_to_sweep
from registry.enums import RSVP, EventKind, ResourceStatus
from registry.models import ContributionType, Event, EventInvitation, ExperienceArea, ExperienceResource, Perspective
from requests_app import services as request_services
from requests_app.enums import AgeGroup, Duration, Format, RequestStatus, WorkKind
from requests_app.models import CareUnit, UnitRequest

DEMO_PASSWORD = "Levande-bibliotek-demo"  # noqa: S105 - demo data, refused in production
# Demo only (the command refuses to run in production): a fixed TOTP secret so the
# printed instructions work; `manage.py demo_totp EMAIL` prints the current code.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - demo data, refused in production

STAFF = [
    ("samordnare@regionexempel.se", "Sara Samordnare", Role.COORDINATOR),
    ("ekonomi@regionexempel.se", "Erik Ekonom", Role.FINANCE),
    ("admin@regionexempel.se", "Alva Administratör", Role.ADMINISTRATOR),
]
UNIT_USER = ("verksamhet@regionexempel.se", "Vera Vårdutvecklare")
RESOURCE_USER = ("resurs@exempel.se", "Anna", "Andersson")

UNITS = [
    ("Diabetesmottagningen", "Universitetssjukhuset", "41230", "Box 100, 581 85 Linköping"),
    ("Psykiatriska öppenvårdsmottagningen", "Psykiatricentrum", "52110", "Box 200, 581 85 Linköping"),
    ("Barn- och ungdomsmedicin", "Barn- och kvinnocentrum", "43350", "Box 300, 601 82 Norrköping"),
    ("Vårdcentralen Ekholmen", "Primärvården", "61020", "Ekholmsvägen 10, 589 29 Linköping"),
    ("Hjärtcentrum", "Universitetssjukhuset", "41510", "Box 100, 581 85 Linköping"),
    ("Smärt- och rehabiliteringscentrum", "Närsjukvården", "47205", "Box 400, 591 85 Motala"),
]
FIRST = [
    "Anna",
    "Maria",
    "Karin",
    "Eva",
    "Lena",
    "Kerstin",
    "Ingrid",
    "Sara",
    "Fatima",
    "Aisha",
    "Johan",
    "Lars",
    "Anders",
    "Mikael",
    "Per",
    "Erik",
    "Ali",
    "Mohammed",
    "Nils",
    "Olof",
    "Birgitta",
    "Elin",
    "Hanna",
    "Oskar",
]
LAST = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Hassan",
    "Ahmed",
    "Lindqvist",
    "Berg",
    "Holm",
    "Ek",
    "Lund",
    "Sandberg",
]
MUNICIPALITIES = ["Linköping", "Norrköping", "Motala", "Mjölby", "Finspång", "Söderköping", "Åtvidaberg", "Kinda"]
LANGUAGES = ["svenska", "svenska, engelska", "svenska, arabiska", "svenska, finska", "svenska, persiska", "svenska, bosniska"]
STORIES = [
    "Jag fick diabetes typ 1 som tonåring och vet hur det är att ställa om hela vardagen.",
    "Min pappa hade demens i flera år och jag var den som höll ihop kontakterna med vården.",
    "Jag har levt med depression och ångest och vill att fler ska bli bemötta som jag blev till slut.",
    "Efter min bröstcancer vill jag hjälpa vården att se hela människan, inte bara diagnosen.",
    "Vår dotter föddes med en ovanlig diagnos och vi har träffat många olika mottagningar.",
    "Jag har haft långvarig smärta i tio år och vet mycket om rehabilitering.",
    "",
]


class Command(BaseCommand):
    help = "Creates a demo region (units, resources, one user per role). Never in production."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the demo users already exist.")

    def handle(self, *args, if_empty=False, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo creates users with known passwords and must not run in production.")
        if User.objects.filter(email=STAFF[0][0]).exists():
            if not if_empty:
                self.stdout.write("The demo data is already there.")
        else:
            # Its mails are deleted before commit; none is handed to a broker that may not
            # be running yet (no "Broker unavailable" warnings on the first `make run`).
            with handed_to_sweep(), transaction.atomic():
                self._seed()
        self._print_logins()

    def _seed(self):
        rng = random.Random(2026)
        for email, name, role in STAFF:
            user = create_user(email, full_name=name, roles=[role], password=DEMO_PASSWORD)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            TOTP.activate(user, DEMO_TOTP_SECRET)
            RecoveryCodes.activate(user)

        units = [CareUnit.objects.create(name=n, organisation=o, cost_centre=c, postal_address=a) for n, o, c, a in UNITS]
        unit_user = create_user(UNIT_USER[0], full_name=UNIT_USER[1], roles=[Role.UNIT_STAFF])
        EmailAddress.objects.create(user=unit_user, email=unit_user.email, verified=True, primary=True)
        units[0].staff.add(unit_user)

        areas = list(ExperienceArea.objects.all())
        types = list(ContributionType.objects.all())
        perspectives = list(Perspective.objects.all())
        statuses = [ResourceStatus.ACTIVE] * 6 + [ResourceStatus.APPLIED, ResourceStatus.INTAKE_BOOKED, ResourceStatus.PAUSED]
        now = timezone.now()

        email, first, last = RESOURCE_USER
        resource_user = create_user(email, full_name=f"{first} {last}", roles=[Role.RESOURCE])
        EmailAddress.objects.create(user=resource_user, email=email, verified=True, primary=True)
        people = [(first, last, email, resource_user, ResourceStatus.ACTIVE)]
        for i in range(35):
            f, la = rng.choice(FIRST), rng.choice(LAST)
            people.append((f, la, f"{f}.{la}.{i}@exempel.se".lower(), None, rng.choice(statuses)))

        for first, last, email, user, status in people:
            r = ExperienceResource.objects.create(
                user=user,
                status=status,
                first_name=first,
                last_name=last,
                email=email,
                phone=f"070-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                municipality=rng.choice(MUNICIPALITIES),
                birth_year=rng.randint(1940, 2005),
                languages=rng.choice(LANGUAGES),
                story=rng.choice(STORIES),
                consent_version="2026-1",
                consent_at=now,
                training_completed_on=now.date() if status == ResourceStatus.ACTIVE else None,
            )
            r.areas.set(rng.sample(areas, rng.randint(1, 3)))
            r.contribution_types.set(rng.sample(types, rng.randint(2, 5)))
            r.perspectives.set(rng.sample(perspectives, rng.randint(1, 2)))
        self._seed_events(rng, now)
        self._seed_requests(units, unit_user, now)
        self._seed_matching()
        self._seed_assignment()
        create_demo_models()  # compensation: one model of each style
        # The demo's own history goes through the real services; its e-mails are not sent.
        OutboundEmail.objects.all().delete()

    def _seed_events(self, rng, now):
        """One past training with attendance and one coming network meeting with answers (no mails sent)."""
        coordinator = User.objects.get(email=STAFF[0][0])
        active = list(ExperienceResource.objects.filter(status=ResourceStatus.ACTIVE))
        day = timezone.localtime(now).replace(hour=13, minute=0, second=0, microsecond=0)
        past = Event.objects.create(
            kind=EventKind.TRAINING,
            title="Introduktionsutbildning, hösten",
            starts_at=day - timedelta(days=20),
            ends_at=day - timedelta(days=20) + timedelta(hours=3),
            place="Hälsans hus, sal 2, Linköping",
            capacity=20,
            created_by=coordinator,
        )
        coming = Event.objects.create(
            kind=EventKind.NETWORK,
            title="Nätverksträff: att berätta sin historia",
            starts_at=day + timedelta(days=12),
            ends_at=day + timedelta(days=12, hours=2),
            place="Hälsans hus, sal 1, Linköping",
            link="https://video.regionexempel.se/natverkstraff",
            description="Vi fikar, delar erfarenheter och övar på att berätta.",
            capacity=15,
            created_by=coordinator,
        )
        for resource in active:
            EventInvitation.objects.create(
                event=past, resource=resource, response=RSVP.YES, responded_at=now, attended=True, invited_by=coordinator
            )
            # The demo resource user finds an invitation waiting for an answer.
            answer = RSVP.PENDING if resource.user_id else rng.choice([RSVP.YES, RSVP.YES, RSVP.NO, RSVP.PENDING])
            EventInvitation.objects.create(
                event=coming,
                resource=resource,
                response=answer,
                responded_at=None if answer == RSVP.PENDING else now,
                invited_by=coordinator,
            )

    def _seed_requests(self, units, unit_user, now):
        """Requests in every stage of triage, made through the services so their timelines are real."""
        coordinator = User.objects.get(email=STAFF[0][0])
        today = timezone.localdate(now)
        area = {a.name: a for a in ExperienceArea.objects.all()}
        perspective = {p.code: p for p in Perspective.objects.all()}
        plans = [
            # unit, kind, title, areas, perspectives, format, days ahead, steps after submitting
            (0, WorkKind.EDUCATION, "Utbildningsdag om att leva med diabetes", ["Diabetes"], ["patient"], Format.ON_SITE, 40, []),
            (
                0,
                WorkKind.IMPROVEMENT,
                "Ny rutin för årskontroller",
                ["Diabetes"],
                ["patient", "relative"],
                Format.DIGITAL,
                60,
                [
                    (RequestStatus.IN_TRIAGE, ""),
                    (RequestStatus.NEEDS_INFO, "Hur många träffar handlar det om, och hur långa är de?"),
                ],
            ),
            (
                1,
                WorkKind.FOCUS_GROUP,
                "Fokusgrupp om väntan på första besöket",
                ["Psykisk ohälsa"],
                ["patient"],
                Format.BOTH,
                30,
                [(RequestStatus.IN_TRIAGE, "")],
            ),
            (
                2,
                WorkKind.RESEARCH,
                "Forskningsprojekt: ungas väg in i vården",
                ["Barn och unga"],
                ["relative"],
                Format.DIGITAL,
                90,
                [(RequestStatus.IN_TRIAGE, ""), (RequestStatus.READY, "")],
            ),
            (
                4,
                WorkKind.MANAGEMENT,
                "Patientrepresentant i styrgruppen för hjärtsviktsvård",
                ["Hjärta och kärl"],
                ["patient"],
                Format.ON_SITE,
                20,
                [],
            ),
        ]
        for i, (u, kind, title, areas, perspectives, fmt, ahead, steps) in enumerate(plans):
            draft = UnitRequest(
                unit=units[u],
                contact_name=UNIT_USER[1] if u == 0 else "Kontaktperson på " + units[u].name,
                contact_email=UNIT_USER[0] if u == 0 else f"kontakt{u}@regionexempel.se",
                kind=kind,
                title=title,
                purpose="Vi vill ha med erfarenheter från dem det gäller, från början.",
                age_group=AgeGroup.ANY,
                people_count=1 + i % 3,
                format=fmt,
                location="" if fmt == Format.DIGITAL else units[u].postal_address.split(",")[-1].strip(),
                starts_on=today + timedelta(days=ahead),
                duration=Duration.HALF_DAY,
                is_research=kind == WorkKind.RESEARCH,
                reply_by=today + timedelta(days=ahead // 2),
            )
            relations = {
                "areas": [area[n] for n in areas if n in area],
                "perspectives": [perspective[n] for n in perspectives if n in perspective],
            }
            actor = unit_user if u == 0 else coordinator
            request = request_services.save_request(draft, relations, actor=actor, submit=True)
            for target, reason in steps:
                if request.responsible_id is None:
                    request = request_services.assign(request, coordinator, actor=coordinator)
                request = request_services.set_request_status(request, target, actor=coordinator, reason=reason)
        # And a draft the unit has started but not sent.
        request_services.save_request(
            UnitRequest(
                unit=units[0],
                contact_name=UNIT_USER[1],
                contact_email=UNIT_USER[0],
                kind=WorkKind.INFORMATION,
                title="Ny broschyr om insulinpump",
            ),
            {},
            actor=unit_user,
        )

    def _seed_matching(self):
        """The ready request goes to matching: three people asked (one by hand), one has said yes."""
        coordinator = User.objects.get(email=STAFF[0][0])
        ready = UnitRequest.objects.get(status=RequestStatus.READY)
        demo = ExperienceResource.objects.get(email=RESOURCE_USER[0])
        candidates, _total = shortlist(ready, limit=3)
        people = [c.resource for c in candidates if c.resource != demo][:2]
        deadline = default_deadline(ready)
        send_inquiries(ready, people, deadline=deadline, actor=coordinator, message="Vi hoppas att du vill vara med!")
        send_inquiries(
            ready,
            [demo],
            deadline=deadline,
            actor=coordinator,
            hand_reason="Berättade om sina erfarenheter som närstående på nätverksträffen.",
        )
        first = Inquiry.objects.filter(request=ready).order_by("pk").first()
        answer(
            first,
            yes=True,
            comment="Gärna, helst på förmiddagen.",
            share_email=True,
            via=AnsweredVia.COORDINATOR,
            actor=coordinator,
        )

    def _seed_assignment(self):
        """The education day goes all the way to an agreement out for signing: the demo person and the
        demo unit user can each read and sign it (the code is printed in the terminal)."""
        coordinator = User.objects.get(email=STAFF[0][0])
        demo = ExperienceResource.objects.get(email=RESOURCE_USER[0])
        request = UnitRequest.objects.get(title="Utbildningsdag om att leva med diabetes")
        request = request_services.assign(request, coordinator, actor=coordinator)
        for target in (RequestStatus.IN_TRIAGE, RequestStatus.READY):
            request = request_services.set_request_status(request, target, actor=coordinator)
        (inquiry,) = send_inquiries(
            request,
            [demo],
            deadline=default_deadline(request),
            actor=coordinator,
            hand_reason="Har berättat om sin diabetes på en utbildningsdag förut.",
        )
        answer(inquiry, yes=True, share_email=True, via=AnsweredVia.COORDINATOR, actor=coordinator)
        confirm_choice(request, [inquiry], actor=coordinator)
        assignment = Assignment.objects.get(inquiry=inquiry)
        unit_user = User.objects.get(email=UNIT_USER[0])
        update_agreement(
            assignment,
            {
                "role": "Berättar om hur det är att leva med diabetes och svarar på frågor från deltagarna.",
                "preparation": "Läsa programmet för dagen, ungefär en halvtimme.",
                "preparation_hours": Decimal("0.5"),
                "contact_phone": "010-123 45 67",
            },
            actor=unit_user,
        )
        send_for_signing(assignment, actor=unit_user)

    def _print_logins(self):
        w = self.stdout.write
        w("")
        w(f"Demo logins ({settings.SITE_URL}/accounts/login/):")
        for email, _name, role in STAFF:
            w(f"  {role.label:<18} {email}  password: {DEMO_PASSWORD}")
        w(f"  {'':<18} second factor: add secret {DEMO_TOTP_SECRET} to an authenticator app,")
        w(f"  {'':<18} or run `.venv/bin/python manage.py demo_totp` for the current code.")
        w(f"  {Role.UNIT_STAFF.label:<18} {UNIT_USER[0]}  (no password: choose 'Skicka en kod'; the code is printed here)")
        w(f"  {Role.RESOURCE.label:<18} {RESOURCE_USER[0]}  (no password: choose 'Skicka en kod'; the code is printed here)")
        w("")
        if not Authenticator.objects.exists():
            w("Note: no authenticators exist; staff will be asked to set one up.")
