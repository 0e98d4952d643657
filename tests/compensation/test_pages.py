from datetime import date, time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assignments.enums import AssignmentStatus
from compensation.enums import ClaimStatus, LineKind
from compensation.models import FeeLine, TravelClaim
from compensation.services import compute_fees, create_batch
from registry.models import ExperienceArea
from registry.selectors import own_resource
from tests.assignments.factories import AssignmentFactory, SessionFactory
from tests.compensation.factories import amount_model, done_assignment, held
from tests.compensation.test_payees import make_payee
from tests.compensation.test_payouts import MARCH, people_with_fees
from tests.factories import UnitRequestFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200  # a Windows .exe


FINANCE_PAGES = [
    "pages:finance_home",
    "compensation:payable",
    "compensation:batches",
    "compensation:payees",
    "compensation:reports",
]


@pytest.mark.parametrize("name", FINANCE_PAGES[1:])
def test_finance_pages_are_closed_to_others(client, login, personas, name):
    for persona in ("resource", "unit_staff", "outsider"):
        client.logout()
        login(client, personas[persona])
        assert client.get(reverse(name)).status_code == 403, persona


def test_finance_never_sees_health_data(client, login, finance, settings):
    settings.COMPENSATION_AUTO_APPROVE = True
    amount_model()
    area = ExperienceArea.objects.create(name="HÄLSOMARKÖR-OMRÅDE", slug="halsomarkor")
    people = people_with_fees(2)
    for person in people:
        person.story = "HÄLSOMARKÖR-BERÄTTELSE"
        person.save()
        person.areas.add(area)
    for assignment in AssignmentFactory._meta.model.objects.all():
        assignment.request.purpose = "HÄLSOMARKÖR-SYFTE"
        assignment.request.title = "HÄLSOMARKÖR-RUBRIK"
        assignment.request.save()
        assignment.request.areas.add(area)
    batch = create_batch(period_start=MARCH[0], period_end=MARCH[1], actor=finance)
    login(client, finance)
    payee = people[0].payee
    urls = [reverse(n) for n in FINANCE_PAGES] + [
        reverse("compensation:batch", args=[batch.pk]),
        reverse("compensation:payee", args=[payee.pk]),
        *[reverse("compensation:batch_export", args=[batch.pk, f]) for f in ("csv", "sie")],
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"H\xc3\x84LSOMARK\xc3\x96R" not in body, url
        assert "HÄLSOMARKÖR".encode("cp437") not in body, url


def _query_count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["compensation:payable", "compensation:batches", "compensation:payees", "compensation:reports"])
def test_finance_list_pages_query_count_does_not_grow(client, login, finance, settings, name):
    settings.COMPENSATION_AUTO_APPROVE = True
    amount_model()
    login(client, finance)
    people_with_fees(1)
    create_batch(period_start=date(2026, 3, 1), period_end=date(2026, 3, 10), actor=finance)
    one = _query_count(client, reverse(name))
    people_with_fees(4)
    create_batch(period_start=date(2026, 3, 1), period_end=date(2026, 3, 10), actor=finance)
    many = _query_count(client, reverse(name))
    assert one == many


def test_own_fees_and_attest_query_counts_do_not_grow(client, login, resource_user, coordinator):
    amount_model()
    resource = own_resource(resource_user)
    done_assignment([held(date(2026, 3, 10))], resource=resource)
    login(client, resource_user)
    one = _query_count(client, reverse("compensation:own_fees"))
    client.logout()
    login(client, coordinator)
    attest_one = _query_count(client, reverse("compensation:attest"))
    for day in (11, 12, 13):
        done_assignment([held(date(2026, 3, day))], resource=resource)
    attest_many = _query_count(client, reverse("compensation:attest"))
    client.logout()
    login(client, resource_user)
    many = _query_count(client, reverse("compensation:own_fees"))
    assert (one, attest_one) == (many, attest_many)


def test_coordinator_attests_lines(client, login, coordinator):
    amount_model()
    assignment = done_assignment([held(date(2026, 3, 10))])
    line = FeeLine.objects.get(assignment=assignment)
    login(client, coordinator)
    client.post(reverse("compensation:attest"), {"line": [line.pk]})
    line.refresh_from_db()
    assert line.status == "approved"
    assert line.approved_by == coordinator


def test_coordinator_marks_no_fee_with_a_reason(client, login, coordinator):
    assignment = AssignmentFactory(status=AssignmentStatus.SIGNED)
    login(client, coordinator)
    client.post(reverse("compensation:no_fee", args=[assignment.pk]), {"reason": ""})
    assert not hasattr(assignment, "no_fee") or assignment.no_fee is None
    client.post(reverse("compensation:no_fee", args=[assignment.pk]), {"reason": "Deltar på arbetstid"})
    assignment.refresh_from_db()
    assert assignment.no_fee.reason == "Deltar på arbetstid"


def claim_setup(resource_user):
    today = timezone.localdate()
    amount_model(valid_from=date(today.year, 1, 1), name="ersättningsmodell i år")
    assignment = AssignmentFactory(status=AssignmentStatus.SIGNED, resource=own_resource(resource_user))
    session = SessionFactory(assignment=assignment, date=today, starts_at=time(9), ends_at=time(12))
    return assignment, session


def test_receipt_upload_rejects_a_renamed_program(client, login, resource_user):
    assignment, session = claim_setup(resource_user)
    login(client, resource_user)
    response = client.post(
        reverse("compensation:own_claim", args=[assignment.pk]),
        {
            "session": session.pk,
            "kind": "parking",
            "amount": "80",
            "receipt": SimpleUploadedFile("kvitto.pdf", PROGRAM, content_type="application/pdf"),
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["receipt"]
    assert TravelClaim.objects.count() == 0


def test_receipt_upload_rejects_a_file_over_the_limit(client, login, resource_user, settings):
    settings.RECEIPT_MAX_MB = 1
    assignment, session = claim_setup(resource_user)
    login(client, resource_user)
    big = PDF + b"0" * (1024 * 1024)
    response = client.post(
        reverse("compensation:own_claim", args=[assignment.pk]),
        {
            "session": session.pk,
            "kind": "parking",
            "amount": "80",
            "receipt": SimpleUploadedFile("kvitto.pdf", big, content_type="application/pdf"),
        },
    )
    assert response.status_code == 400


def test_person_claims_mileage_and_the_unit_approves(client, login, resource_user, unit_staff, unit):
    assignment, session = claim_setup(resource_user)
    assignment.request.unit = unit
    assignment.request.save()
    login(client, resource_user)
    response = client.post(
        reverse("compensation:own_claim", args=[assignment.pk]),
        {"session": session.pk, "kind": "mileage", "kilometres": "37", "from_place": "Hemma", "to_place": "Sjukhuset"},
    )
    assert response.status_code == 302
    claim = TravelClaim.objects.get()
    client.logout()
    login(client, unit_staff)
    client.post(reverse("compensation:claim", args=[claim.pk]), {"decision": "approve", "reason": ""})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    lines = {line.kind: line.amount_ore for line in claim.lines.all()}
    # 37 km x 3.00 = 111 kr: 37 x 2.50 = 92.50 -> 93 kr tax free, the rest taxable.
    assert lines == {LineKind.MILEAGE_TAX_FREE: 9300, LineKind.MILEAGE_TAXABLE: 1800}


def test_a_claim_is_rejected_only_with_a_reason_and_others_units_get_404(client, login, resource_user, unit_staff):
    assignment, session = claim_setup(resource_user)  # another unit than unit_staff's
    claim = TravelClaim.objects.create(
        assignment=assignment, session=session, resource=assignment.resource, kind="parking", amount=80
    )
    login(client, unit_staff)
    assert client.get(reverse("compensation:claim", args=[claim.pk])).status_code == 404


def test_the_person_downloads_a_yearly_statement(client, login, resource_user, finance, settings):
    from compensation.services import mark_exported, mark_paid

    settings.COMPENSATION_AUTO_APPROVE = True
    amount_model()
    resource = own_resource(resource_user)
    make_payee(resource)
    done_assignment([held(date(2026, 3, 10))], resource=resource)
    batch = create_batch(period_start=MARCH[0], period_end=MARCH[1], actor=finance)
    batch = mark_paid(mark_exported(batch, actor=finance), actor=finance)
    login(client, resource_user)
    response = client.get(reverse("compensation:own_statement", args=[batch.paid_at.year]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert client.get(reverse("compensation:own_statement", args=[1999])).status_code == 404


def test_fee_description_is_a_plain_function_of_the_request():
    from compensation.services import fee_description

    amount_model()
    assert fee_description(UnitRequestFactory(duration="", hours=None)) == ""


def test_assignment_panels_show_lines_and_the_no_fee_form(rf, coordinator, resource_user):
    from assignments import hooks

    amount_model()
    assignment = done_assignment([held(date(2026, 3, 10))], send=False)
    request = rf.get("/samordning/uppdrag/1/")
    request.user = coordinator
    [html] = hooks.render_panels(hooks.ASSIGNMENT_PAGE, request, assignment)
    assert "Markera: inget arvode" in html
    compute_fees(assignment)
    request.user = resource_user
    [html] = hooks.render_panels(hooks.RESOURCE_ASSIGNMENT_PAGE, request, assignment)
    assert "Halvdag, upp till 4 timmar: 900\u00a0kr enligt ersättningsmodell 2026" in html
    assert "Markera: inget arvode" not in html
