"""Downloading the sealed PDF (the two parties and coordinators only, every download logged) and
the public page that tells whether a copy is the one we issued."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from accounts.enums import Role
from accounts.models import AuditEntry
from assignments.documents import services
from tests.assignments.factories_documents import TEXTS, signed_agreement, use_test_seal
from tests.factories import CareUnitFactory, ExperienceResourceFactory, UserFactory

pytestmark = pytest.mark.django_db

VERIFY = "/kontrollera-overenskommelse/"


@pytest.fixture(autouse=True)
def seal(settings):
    return use_test_seal(settings)


@pytest.fixture
def document(unit, resource_user):
    return services.create_document(signed_agreement(unit=unit, resource=resource_user.experience_resource))


def url(document):
    return f"/uppdrag/overenskommelser/{document.agreement_id}/pdf/"


def pdf_bytes(document) -> bytes:
    with document.file.open("rb") as f:
        return f.read()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("who", ["unit_staff", "resource", "coordinator"])
def test_the_parties_and_coordinators_download_the_sealed_file(client, login, personas, document, who):
    login(client, personas[who])
    response = client.get(url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="overenskommelse-{document.agreement.assignment.reference}-v1.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    # The view says private, no-store; the signed-in middleware adds never-cache directives.
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    assert body(response) == pdf_bytes(document)


def test_every_download_is_in_the_audit_log(client, login, unit_staff, document):
    login(client, unit_staff)
    body(client.get(url(document)))
    body(client.get(url(document)))
    entries = AuditEntry.objects.filter(action="assignments.agreement.document_downloaded")
    assert entries.count() == 2
    entry = entries.first()
    assert entry.actor == unit_staff
    assert entry.object_id == str(document.agreement.assignment_id)
    assert entry.data == {"version": 1, "reference": document.reference}


@pytest.mark.parametrize("who", ["finance", "administrator", "outsider"])
def test_other_roles_get_404(client, login, personas, document, who):
    login(client, personas[who])
    assert client.get(url(document)).status_code == 404
    assert not AuditEntry.objects.filter(action="assignments.agreement.document_downloaded").exists()


def test_another_units_staff_get_404(client, login, document):
    other = UserFactory(email="annan@regionexempel.se", roles=[Role.UNIT_STAFF])
    CareUnitFactory(name="Hjärtcentrum").staff.add(other)
    login(client, other)
    assert client.get(url(document)).status_code == 404


def test_another_person_gets_404(client, login, document):
    other = UserFactory(email="annan.resurs@exempel.se", roles=[Role.RESOURCE])
    ExperienceResourceFactory(user=other, email=other.email)
    login(client, other)
    assert client.get(url(document)).status_code == 404


def test_an_agreement_without_its_pdf_yet_is_404(client, login, coordinator):
    agreement = signed_agreement()
    login(client, coordinator)
    assert client.get(f"/uppdrag/overenskommelser/{agreement.pk}/pdf/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, document):
    response = client.get(url(document))
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url(document)}"


def test_the_link_shows_when_the_pdf_exists_and_a_note_while_it_is_made(document):
    html = render_to_string("assignments/_document_link.html", {"agreement": document.agreement})
    assert f'href="{url(document)}"' in html
    waiting = signed_agreement()
    assert "PDF:en skapas" in render_to_string("assignments/_document_link.html", {"agreement": waiting})
    unsigned = signed_agreement(signed=False)
    assert render_to_string("assignments/_document_link.html", {"agreement": unsigned}).strip() == ""


# --- the public verification page -------------------------------------------------------------


def upload(client, data: bytes, name="overenskommelse.pdf"):
    return client.post(VERIFY, {"file": SimpleUploadedFile(name, data, content_type="application/pdf")})


def test_the_page_needs_no_sign_in(client, db):
    response = client.get(VERIFY)
    assert response.status_code == 200
    assert "Kontrollera en överenskommelse" in response.content.decode()


def test_an_intact_file_says_who_signed_and_when(client, document):
    response = upload(client, pdf_bytes(document))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Filen är intakt" in page
    assert document.reference in page
    for signature in document.agreement.signatures.all():
        assert signature.signer_name in page


def test_one_changed_byte_is_not_the_file_we_issued(client, document):
    data = bytearray(pdf_bytes(document))
    data[len(data) // 2] ^= 0x01
    response = upload(client, bytes(data))
    page = response.content.decode()
    assert "Den här filen är inte den vi utfärdade" in page
    assert "Filen är intakt" not in page
    assert document.reference not in page


def test_a_file_that_is_not_a_pdf_is_refused_beside_the_field(client, db):
    response = upload(client, b"MZ\x90\x00 not a pdf at all", name="avtal.pdf")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Filen måste vara en PDF." in page
    assert 'aria-invalid="true"' in page or "is-invalid" in page


def test_a_file_over_the_limit_is_refused(client, settings, db):
    settings.AGREEMENT_VERIFY_MAX_MB = 1
    response = upload(client, b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1))
    assert response.status_code == 400
    assert "Filen är för stor" in response.content.decode()


def test_a_typed_reference_tells_only_that_it_exists_when_and_the_hash(client, document):
    typed = document.reference.lower().replace("-", " ")
    response = client.get(VERIFY, {"referens": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Det finns en sådan överenskommelse" in page
    assert document.sha256 in page
    # Nothing of the content or the parties to someone who does not hold the file.
    for secret in [TEXTS["title"], TEXTS["purpose"], "Karin Vårdsson", "Anna Andersson", document.agreement.assignment.reference]:
        assert secret not in page


def test_an_unknown_reference_says_so(client, db):
    response = client.get(VERIFY, {"referens": "OK-0000-0000-0000"})
    assert "Vi hittar ingen överenskommelse med den referensen" in response.content.decode()


def test_checks_are_rate_limited_per_client_ip(settings, document):
    settings.AGREEMENT_VERIFY_PER_HOUR = 3
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(3):
        assert client.get(VERIFY, {"referens": document.reference}).status_code == 200
    limited = client.get(VERIFY, {"referens": document.reference})
    assert limited.status_code == 429
    page = limited.content.decode()
    assert "Vänta en stund" in page
    assert document.sha256 not in page
    assert f'value="{document.reference}"' in page  # what was typed is kept
    assert upload(client, pdf_bytes(document)).status_code == 429
    # Another address is not affected.
    assert Client(REMOTE_ADDR="10.0.0.8").get(VERIFY, {"referens": document.reference}).status_code == 200
    # Reading the empty page does not count.
    assert client.get(VERIFY).status_code == 200
