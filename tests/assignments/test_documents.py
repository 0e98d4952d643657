"""The signed agreement's PDF: rendered once after the last signature, every field in it,
sealed so that any change shows, and a sweep that catches what the task missed."""

import datetime
import hashlib
import io
import re
import shutil
import subprocess
from xml.etree import ElementTree

import pytest
import segno
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.metadata.xmp_xml import parse_xmp
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.status import SignatureCoverageLevel

from assignments import tasks
from assignments.documents import receivers, render, services
from assignments.models import Agreement, AgreementDocument
from assignments.seal import validate_seal
from assignments.signals import agreement_signed
from tests.assignments.factories_documents import TEXTS, signed_agreement, use_test_seal

pytestmark = pytest.mark.django_db

PDFAID = "http://www.aiim.org/pdfa/ns/id/"
PDFUAID = "http://www.aiim.org/pdfua/ns/id/"
EXTENSION = "http://www.aiim.org/pdfa/ns/extension/"
PDF_NS = "http://ns.adobe.com/pdf/1.3/"
DC = "http://purl.org/dc/elements/1.1/"


@pytest.fixture(autouse=True)
def seal(settings):
    settings.SITE_URL = "https://lb.regionexempel.se"
    return use_test_seal(settings)


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return path


def pdf_text(data: bytes) -> str:
    out = subprocess.run([poppler("pdftotext"), "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def read(document) -> bytes:
    with document.file.open("rb") as f:
        return f.read()


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_holds_every_field_in_swedish():
    agreement = signed_agreement()
    document = services.create_document(agreement)
    text = pdf_text(read(document))
    c = agreement.content
    expected = [
        "Region Östergötland",
        "Överenskommelse mellan uppdragsgivare och erfarenhetsresurs",
        c["reference"],
        "Vårdcentralen Ekholmen",
        "Primärvården i Östergötland",
        c["unit"]["cost_centre"],
        "Karin Vårdsson",
        "karin.vardsson@regionexempel.se",
        "013-22 33 44",
        "Åsa Öberg",
        *(TEXTS[key] for key in ("title", "kind", "purpose", "role", "preparation", "cancellation", "confidentiality")),
        *(TEXTS[key] for key in ("support", "personal_data", "other", "fee")),
        "09:00–12:00",
        "13:15–15:15",
        "Hälsans hus, sal Ärlan",
        "På plats",
        "Digitalt",
        "Förberedelsetid 2 timmar",
        f"E-post: {agreement.assignment.resource.email}",
        "Tystnadsplikt",
        "Uppdragsgivare",
        "Erfarenhetsresurs",
        "Engångskod via e-post",
        agreement.content_hash,
        document.reference,
        f"https://lb.regionexempel.se/kontrollera-overenskommelse/?referens={document.reference}",
    ]
    missing = [item for item in expected if flat(item) not in text]
    assert missing == [], text
    # A link may wrap inside its table cell.
    assert "https://mote.regionexempel.se/abc-123" in text.replace(" ", "")
    first = agreement.assignment.sessions.first()
    assert first.date.strftime("%Y") in text
    for signature in agreement.signatures.all():
        assert timezone.localtime(signature.signed_at).strftime("%H:%M") in text


def test_the_signature_page_has_a_qr_code_to_the_verification_page():
    agreement = signed_agreement()
    reference = "OK-7K3Q-X9MP-2RTD"
    html = render.render_html(agreement, reference=reference)
    url = f"https://lb.regionexempel.se/kontrollera-overenskommelse/?referens={reference}"
    expected = segno.make(url, error="m")
    assert expected.svg_inline(scale=3, border=0, omitsize=False) in html
    assert segno.make(render.verification_url(reference), error="m") == expected


def test_the_pdf_is_a4_tagged_and_pdfa():
    document = services.create_document(signed_agreement())
    data = read(document)
    info = subprocess.run([poppler("pdfinfo"), "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert re.search(r"Page size:\s+595\.2\d* x 841\.8\d* pts \(A4\)", info)
    assert re.search(r"Tagged:\s+yes", info)
    root = PdfFileReader(io.BytesIO(data)).root
    assert str(root["/Lang"]) == "sv"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().data
    assert b'pdfaid:part="3"' in xmp
    assert b'pdfaid:conformance="A"' in xmp
    assert data.startswith(b"%PDF-1.7")  # PDF/A-3 is PDF 1.7; the seal must not raise it to 2.0


def xmp_fields(data: bytes) -> dict:
    """The sealed file's XMP metadata, read back as pyHanko's model: {(namespace, name): value}."""
    root = PdfFileReader(io.BytesIO(data)).root
    stream = root["/Metadata"].get_object().data
    return {(name.ns, name.local_name): value for structure in parse_xmp(io.BytesIO(stream)) for name, value in structure}


def test_the_sealed_pdf_identifies_itself_as_pdfa_3a_and_pdfua_1():
    document = services.create_document(signed_agreement())
    data = read(document)
    fields = xmp_fields(data)
    assert fields[(PDFAID, "part")].value == "3"
    assert fields[(PDFAID, "conformance")].value == "A"
    assert fields[(PDFUAID, "part")].value == "1"
    # PDF/A allows pdfuaid only when the file declares it in an extension schema, with the
    # namespace as a text value (pyHanko's own rewrite of the XMP would make it an
    # rdf:resource; its reader shows both alike, so the XML is read for that).
    (schema,) = fields[(EXTENSION, "schemas")].value.entries
    schema = {name.local_name: value.value for name, value in schema.value}
    assert schema["prefix"] == "pdfuaid"
    assert str(schema["namespaceURI"]) == PDFUAID
    stream = PdfFileReader(io.BytesIO(data)).root["/Metadata"].get_object().data
    packet = stream.split(b"?>", 1)[1].rsplit(b"<?", 1)[0]
    xml = ElementTree.fromstring(packet)  # noqa: S314 - the file this test just made
    (namespace,) = xml.iter("{http://www.aiim.org/pdfa/ns/schema#}namespaceURI")
    assert namespace.text == PDFUAID and not namespace.attrib
    (part,) = schema["property"].entries
    assert {name.local_name: value.value for name, value in part.value}["name"] == "part"
    # The seal's revision leaves the metadata as rendered: the info dictionary and the XMP
    # still agree (PDF/A), and the seal still covers the whole file.
    info = PdfFileReader(io.BytesIO(data)).trailer["/Info"].get_object()
    assert fields[(PDF_NS, "Producer")].value == str(info["/Producer"])
    (title,) = fields[(DC, "title")].value.entries
    assert title.value == str(info["/Title"])
    root = PdfFileReader(io.BytesIO(data)).root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]  # PDF/UA: the title, not the file name
    status = validate_seal(data)
    assert status.bottom_line is True
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE


def test_the_seal_validates_against_the_region_certificate(seal):
    document = services.create_document(signed_agreement())
    data = read(document)
    status = validate_seal(data, trust_roots=[load_cert_from_pemder(str(seal))])
    assert status.bottom_line is True
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE


def test_the_stored_hash_is_of_the_sealed_file():
    document = services.create_document(signed_agreement())
    data = read(document)
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert validate_seal(data).bottom_line is True  # with the configured certificate as trust root


def test_one_changed_byte_breaks_the_seal():
    document = services.create_document(signed_agreement())
    data = bytearray(read(document))
    # A byte inside the rendered page content, which the seal covers.
    position = data.index(b"stream", 200) + 20
    data[position] ^= 0x01
    status = validate_seal(bytes(data))
    assert status.intact is False
    assert status.bottom_line is False


def test_rendered_once_even_when_the_task_runs_twice():
    agreement = signed_agreement()
    tasks.render_agreement_document(agreement_id=agreement.pk)
    first = AgreementDocument.objects.get(agreement=agreement)
    tasks.render_agreement_document(agreement_id=agreement.pk)
    assert AgreementDocument.objects.filter(agreement=agreement).count() == 1
    assert AgreementDocument.objects.get(agreement=agreement).sha256 == first.sha256
    _dirs, files = default_storage.listdir(first.file.name.rsplit("/", 1)[0])
    assert files == [first.file.name.rsplit("/", 1)[1]]


def test_the_last_signature_renders_the_pdf_after_commit(django_capture_on_commit_callbacks):
    agreement = signed_agreement()
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        agreement_signed.send(sender=Agreement, agreement=agreement)
    assert not AgreementDocument.objects.exists()  # nothing before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert AgreementDocument.objects.filter(agreement=agreement).count() == 1


def test_a_broker_outage_only_delays_the_pdf(monkeypatch, django_capture_on_commit_callbacks):
    agreement = signed_agreement()

    def broker_down(**kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(receivers.render_agreement_document, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        agreement_signed.send(sender=Agreement, agreement=agreement)
    assert not AgreementDocument.objects.exists()
    assert tasks.render_missing_documents() == 1
    assert AgreementDocument.objects.filter(agreement=agreement).count() == 1


def test_the_sweep_renders_only_fully_signed_versions_without_a_pdf():
    missing = signed_agreement()
    has_one = signed_agreement()
    services.create_document(has_one)
    unsigned = signed_agreement(signed=False)
    voided = signed_agreement()
    Agreement.objects.filter(pk=voided.pk).update(voided_at=timezone.now())
    assert tasks.render_missing_documents() == 1
    assert set(AgreementDocument.objects.values_list("agreement_id", flat=True)) == {missing.pk, has_one.pk}
    assert not AgreementDocument.objects.filter(agreement__in=[unsigned, voided]).exists()
    assert tasks.render_missing_documents() == 0


def test_an_unsigned_version_gets_no_pdf():
    assert services.create_document(signed_agreement(signed=False)) is None
    assert not AgreementDocument.objects.exists()


def test_the_reference_is_random_and_not_the_assignments():
    agreement = signed_agreement()
    document = services.create_document(agreement)
    assert re.fullmatch(r"OK-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", document.reference)
    assert agreement.assignment.reference not in document.reference


def test_make_seal_cert_creates_a_pair_once_and_never_in_production(settings, tmp_path):
    settings.AGREEMENT_SEAL_CERT_FILE = tmp_path / "seal" / "cert.pem"
    settings.AGREEMENT_SEAL_KEY_FILE = tmp_path / "seal" / "key.pem"
    call_command("make_seal_cert", stdout=io.StringIO())
    cert = settings.AGREEMENT_SEAL_CERT_FILE.read_bytes()
    assert settings.AGREEMENT_SEAL_KEY_FILE.stat().st_mode & 0o077 == 0  # the key is readable by its owner only
    call_command("make_seal_cert", stdout=io.StringIO())
    assert settings.AGREEMENT_SEAL_CERT_FILE.read_bytes() == cert  # kept, not replaced
    document = services.create_document(signed_agreement())
    assert validate_seal(read(document)).bottom_line is True
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("make_seal_cert", "--force", stdout=io.StringIO())


def test_without_the_seal_files_nothing_is_stored_and_the_sweep_tries_again(settings, tmp_path):
    settings.AGREEMENT_SEAL_CERT_FILE = tmp_path / "missing.pem"
    agreement = signed_agreement()
    with pytest.raises(ImproperlyConfigured):
        services.create_document(agreement)
    assert not AgreementDocument.objects.exists()
    assert tasks.render_missing_documents() == 0
    use_test_seal(settings)
    assert tasks.render_missing_documents() == 1


def make_issued(directory):
    """A CA and a seal certificate it issued, as a region's PKI would give them."""
    now = datetime.datetime.now(datetime.UTC)

    def name(cn):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    ca_key, key = rsa.generate_private_key(65537, 2048), rsa.generate_private_key(65537, 2048)
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("Testregionens CA"))
        .issuer_name(name("Testregionens CA"))
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(*[False] * 5, True, True, False, False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    leaf = (
        x509.CertificateBuilder()
        .subject_name(name("Testregionens sigill"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.KeyUsage(True, True, *[False] * 7), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    (directory / "ca.pem").write_bytes(ca.public_bytes(pem))
    (directory / "cert.pem").write_bytes(leaf.public_bytes(pem))
    (directory / "key.pem").write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


def test_a_certificate_from_a_pki_is_sealed_with_its_chain(settings, tmp_path):
    make_issued(tmp_path)
    settings.AGREEMENT_SEAL_CERT_FILE = tmp_path / "cert.pem"
    settings.AGREEMENT_SEAL_KEY_FILE = tmp_path / "key.pem"
    settings.AGREEMENT_SEAL_CHAIN_FILE = str(tmp_path / "ca.pem")
    document = services.create_document(signed_agreement())
    status = validate_seal(read(document), trust_roots=[load_cert_from_pemder(str(tmp_path / "ca.pem"))])
    assert status.bottom_line is True
