"""Fully signed agreements for the PDF's tests, built as rows (no signing services), and a test seal.

The content has the shape `assignments.services.agreements.build_content` freezes: parties, what
and why, sessions, place, preparation, confidentiality, shared contact details and the clauses.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import tempfile
from datetime import date, time, timedelta
from pathlib import Path

import factory
from django.utils import timezone

from assignments.enums import AssignmentStatus, Party, SessionMode
from assignments.models import Agreement, AgreementTemplate, Signature
from assignments.seal import make_self_signed
from requests_app.models import CareUnit
from tests.assignments.factories import AssignmentFactory, SessionFactory
from tests.factories import CareUnitFactory, ExperienceResourceFactory, UnitRequestFactory, UserFactory

# Every field's text, so a test can look for each in the PDF. Swedish letters on purpose.
TEXTS = {
    "title": "Berätta om att leva med typ 1-diabetes för sjuksköterskestudenter",
    "kind": "Två föreläsningar i kursen Vård vid kronisk sjukdom, med frågestund.",
    "purpose": "Studenterna ska förstå vardagen med diabetes ur patientens perspektiv.",
    "role": "Föreläsare som berättar om sin egen erfarenhet och svarar på frågor.",
    "preparation": "Läs kursens studiehandledning och förbered en berättelse på 20 minuter.",
    "cancellation": "Avboka senast 48 timmar före tillfället genom att ringa kontaktpersonen.",
    "confidentiality": "Du har tystnadsplikt om allt du får höra om enskilda patienter.",
    "support": "Ring samordnarna på 010-123 45 67 om något känns svårt före, under eller efter.",
    "personal_data": "Regionen sparar dina uppgifter så länge uppdraget pågår och därefter i två år.",
    "other": "Resor ersätts enligt regionens reseregler.",
    "fee": "Arvode 1 000 kr för halv dag, betalas ut månaden efter uppdraget.",
}


_numbers = itertools.count(1)


@functools.cache
def test_seal_files() -> tuple[Path, Path]:
    """One self-signed certificate and key for the whole test run (RSA key generation is slow)."""
    directory = Path(tempfile.mkdtemp(prefix="lb-test-seal-"))
    cert, key = directory / "cert.pem", directory / "key.pem"
    make_self_signed(cert, key, common_name="Testregionen – sigill för tester")
    return cert, key


def use_test_seal(settings) -> Path:
    cert, key = test_seal_files()
    settings.AGREEMENT_SEAL_CERT_FILE = cert
    settings.AGREEMENT_SEAL_KEY_FILE = key
    return cert


class AgreementTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementTemplate
        django_get_or_create = ("version",)

    # Not 1: a data migration seeds version 1 with the region's default clauses.
    version = 900
    cancellation = TEXTS["cancellation"]
    confidentiality = TEXTS["confidentiality"]
    personal_data = TEXTS["personal_data"]
    support = TEXTS["support"]
    other = TEXTS["other"]


def content_for(assignment, template: AgreementTemplate) -> dict:
    unit = assignment.request.unit
    sessions = list(assignment.sessions.all())
    return {
        "reference": assignment.reference,
        "request_reference": assignment.request.reference or "",
        "region": "Region Östergötland",
        "template_version": template.version,
        "unit": {
            "name": unit.name,
            "organisation": unit.organisation,
            "cost_centre": unit.cost_centre,
            "contact": {"name": assignment.contact_name, "email": assignment.contact_email, "phone": assignment.contact_phone},
        },
        "resource": {"name": assignment.resource.full_name},
        "what": {
            "title": assignment.title,
            "kind": assignment.description,
            "purpose": assignment.purpose,
            "role": assignment.role,
        },
        "sessions": [
            {
                "date": s.date.isoformat(),
                "starts_at": s.starts_at.strftime("%H:%M"),
                "ends_at": s.ends_at.strftime("%H:%M"),
                "hours": format(s.planned_hours.normalize(), "f"),
                "mode": str(SessionMode(s.mode).label),
                "address": s.address if s.mode == SessionMode.ON_SITE else "",
                "link": s.link if s.mode == SessionMode.DIGITAL else "",
            }
            for s in sessions
        ],
        "place": sorted({s.address for s in sessions if s.mode == SessionMode.ON_SITE and s.address}),
        "digital": any(s.mode == SessionMode.DIGITAL for s in sessions),
        "hours": "5",
        "preparation": {"text": assignment.preparation, "hours": "2"},
        "confidentiality": {"applies": True, "text": template.confidentiality},
        "shared_contact": [{"what": "E-post", "value": assignment.resource.email}],
        "cancellation": template.cancellation,
        "fee": TEXTS["fee"],
        "support": template.support,
        "personal_data": template.personal_data,
        "other": template.other,
    }


def signed_agreement(*, unit=None, resource=None, unit_signer=None, signed=True) -> Agreement:
    """An assignment with two sessions and an agreement both parties signed (or, with
    signed=False, that only the unit signed)."""
    unit = unit or CareUnit.objects.filter(name="Vårdcentralen Ekholmen").first()
    unit = unit or CareUnitFactory(name="Vårdcentralen Ekholmen", organisation="Primärvården i Östergötland")
    resource = resource or ExperienceResourceFactory(
        first_name="Åsa", last_name="Öberg", email=f"asa.oberg.{next(_numbers)}@exempel.se"
    )
    assignment = AssignmentFactory(
        request=UnitRequestFactory(unit=unit),
        resource=resource,
        status=AssignmentStatus.SIGNED if signed else AssignmentStatus.SIGNING,
        title=TEXTS["title"],
        description=TEXTS["kind"],
        purpose=TEXTS["purpose"],
        role=TEXTS["role"],
        preparation=TEXTS["preparation"],
        contact_name="Karin Vårdsson",
        contact_email="karin.vardsson@regionexempel.se",
        contact_phone="013-22 33 44",
        confidentiality=True,
        share_email=True,
    )
    first = date.today() + timedelta(days=20)
    SessionFactory(assignment=assignment, date=first, starts_at=time(9, 0), ends_at=time(12, 0), address="Hälsans hus, sal Ärlan")
    SessionFactory(
        assignment=assignment,
        date=first + timedelta(days=7),
        starts_at=time(13, 15),
        ends_at=time(15, 15),
        mode=SessionMode.DIGITAL,
        address="",
        link="https://mote.regionexempel.se/abc-123",
    )
    template = AgreementTemplateFactory()
    content = content_for(assignment, template)
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()
    now = timezone.now()
    agreement = Agreement.objects.create(
        assignment=assignment, version=1, template=template, content=content, content_hash=digest, sent_at=now
    )
    unit_signer = unit_signer or UserFactory(full_name="Karin Vårdsson", email=f"karin.{assignment.pk}@regionexempel.se")
    Signature.objects.create(
        agreement=agreement,
        party=Party.UNIT,
        user=unit_signer,
        signer_name=unit_signer.full_name,
        signed_at=now - timedelta(hours=3),
        method="email_code",
        content_hash=digest,
    )
    if signed:
        Signature.objects.create(
            agreement=agreement,
            party=Party.RESOURCE,
            user=resource.user,
            signer_name=resource.full_name,
            signed_at=now,
            method="email_code",
            content_hash=digest,
        )
        agreement.signed_at = now
        agreement.save(update_fields=["signed_at"])
    return agreement
