"""Attachments are checked as the format they claim, and served only as downloads of that type."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from requests_app.models import UnitRequest
from requests_app.validators import MAX_UNPACKED_BYTES, validate_attachment
from tests.requests_app.office_files import doc_bytes, docx_bytes

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


def check(name: str, content: bytes) -> str:
    return validate_attachment(SimpleUploadedFile(name, content))


def refused(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as error:
        check(name, content)
    return error.value.messages[0]


@pytest.mark.parametrize(
    ("name", "content", "ending"), [("a.pdf", PDF, ".pdf"), ("b.docx", docx_bytes(), ".docx"), ("c.doc", doc_bytes(), ".doc")]
)
def test_real_pdf_and_word_files_pass(name, content, ending):
    assert check(name, content) == ending


def test_a_docx_holding_a_program_is_refused():
    assert "program" in refused("a.docx", docx_bytes({"word/media/setup.exe": PROGRAM}))
    assert "program" in refused("a.docx", docx_bytes({"word/media/image1.png": PROGRAM}))  # a program by any name
    assert "program" in refused("a.docx", docx_bytes({"word/vbaProject.bin": b"macros"}))


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 1):
                member.write(chunk)
    return buffer.getvalue()


def test_a_docx_that_unpacks_to_too_much_is_refused():
    bomb = zip_bomb()
    assert len(bomb) < 1024 * 1024  # small on the wire
    assert "program" in refused("a.docx", bomb)


def test_a_zip_without_the_parts_of_a_word_file_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/", "")
        archive.writestr("[Content_Types].xml", "<Types/>")
    assert refused("a.docx", buffer.getvalue()) in (
        "Filen går inte att öppna som ett Word-dokument. Spara den som .docx eller PDF och försök igen.",
        "Filen måste vara en PDF eller ett Word-dokument.",
    )


def test_an_office_header_followed_by_junk_is_not_a_doc():
    junk = doc_bytes()[:516] + b"\x13\x37" * 3000
    assert (
        refused("a.doc", junk) == "Filen går inte att öppna som ett Word-dokument. Spara den som .docx eller PDF och försök igen."
    )


def test_a_doc_with_macros_is_refused():
    assert "makron" in refused("a.doc", doc_bytes(macros=True))


def test_a_pdf_that_is_also_a_web_page_is_refused():
    polyglot = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"
    assert "webbsida" in refused("a.pdf", polyglot)


def test_a_pdf_without_its_end_is_refused():
    assert "ingen hel PDF" in refused("a.pdf", b"%PDF-1.4\n" + b"x" * 5000)


def test_download_has_a_clean_name_and_the_checked_type(client, login, unit, unit_staff):
    login(client, unit_staff)
    hostile = 'a";filename="evil.exe";x=".pdf'
    client.post(
        "/verksamhet/forfragningar/ny/",
        {
            "unit": unit.pk,
            "action": "save",
            "attachment": SimpleUploadedFile(hostile, PDF, content_type="application/x-msdownload"),
        },
    )
    req = UnitRequest.objects.get()
    # Browsers and parsers differ in what they make of such a name; store it exactly as typed.
    UnitRequest.objects.filter(pk=req.pk).update(attachment_name=hostile)

    response = client.get(f"/verksamhet/forfragningar/{req.pk}/bilaga/")
    response.close()

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="a_filename_evil.exe_x.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_word_file_is_served_as_word_whatever_it_was_called(client, login, unit, unit_staff):
    login(client, unit_staff)
    client.post(
        "/verksamhet/forfragningar/ny/",
        {"unit": unit.pk, "action": "save", "attachment": SimpleUploadedFile("beskrivning.exe", docx_bytes())},
    )
    req = UnitRequest.objects.get()

    response = client.get(f"/verksamhet/forfragningar/{req.pk}/bilaga/")
    response.close()

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"] == 'attachment; filename="beskrivning.exe.docx"'
