import io
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import AuditEntry
from registry.models import ExperienceArea, Perspective
from requests_app.enums import RequestStatus
from requests_app.models import UnitRequest
from tests.factories import CareUnitFactory, Role, UserFactory

NEW = "/verksamhet/forfragningar/ny/"
TOKEN = "5f0c9a52-9d1e-4d8f-9a55-1f4bb1e0a001"


def form_data(for_unit, **overrides):
    today = timezone.localdate()
    data = {
        "unit": for_unit.pk,
        "contact_name": "Karin Vårdsson",
        "contact_email": "karin.vardsson@regionexempel.se",
        "contact_phone": "013-22 00 00",
        "kind": "education",
        "kind_other": "",
        "title": "Utbildning för nya sjuksköterskor",
        "purpose": "En närstående berättar om mötet med akuten.",
        "areas": [ExperienceArea.objects.get(slug="diabetes").pk],
        "perspectives": [Perspective.objects.get(code="relative").pk],
        "age_group": "any",
        "other_wishes": "",
        "people_count": "1",
        "format": "on_site",
        "location": "Universitetssjukhuset, aulan",
        "starts_on": (today + timedelta(days=40)).isoformat(),
        "ends_on": "",
        "dates_note": "kl. 13–15",
        "duration": "hours",
        "hours": "2",
        "preparation": "Ett samtal före, ca 30 minuter",
        "is_research": "",
        "ethics_status": "",
        "reply_by": (today + timedelta(days=10)).isoformat(),
        "token": TOKEN,
        "action": "submit",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def staff(client, login, unit_staff):
    login(client, unit_staff)
    return unit_staff


def test_submit_gives_a_reference_a_mail_and_a_status_page(client, staff, unit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, form_data(unit))

    req = UnitRequest.objects.get()
    year = timezone.localdate().year
    assert req.reference == f"LB-{year}-0001"
    assert req.status == RequestStatus.SUBMITTED
    assert req.created_by == staff
    assert response.url == f"/verksamhet/forfragningar/{req.pk}/"
    page = client.get(response.url).content.decode()
    assert f"Referens LB-{year}-0001" in page
    assert "Inskickad" in page
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["karin.vardsson@regionexempel.se"] == f"Vi har tagit emot er förfrågan LB-{year}-0001"
    assert subjects["verksamhet@regionexempel.se"] == f"Vi har tagit emot er förfrågan LB-{year}-0001"
    assert subjects["levandebibliotek@regionexempel.se"].startswith(f"Ny förfrågan LB-{year}-0001")
    assert AuditEntry.objects.filter(action="requests.request.submitted", object_id=str(req.pk)).count() == 1


def test_references_count_up_within_a_year(client, staff, unit):
    for n in range(3):
        client.post(NEW, form_data(unit, token=f"5f0c9a52-9d1e-4d8f-9a55-1f4bb1e0a00{n}"))
    year = timezone.localdate().year
    assert sorted(UnitRequest.objects.values_list("reference", flat=True)) == [f"LB-{year}-000{n}" for n in (1, 2, 3)]


def test_a_double_click_makes_one_request(client, staff, unit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(NEW, form_data(unit))
        second = client.post(NEW, form_data(unit))
    assert UnitRequest.objects.count() == 1
    assert first.url == second.url
    assert len([m for m in mail.outbox if m.to == ["karin.vardsson@regionexempel.se"]]) == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Detta fält måste fyllas i."),
        ({"people_count": ""}, "people_count", "Detta fält måste fyllas i."),
        ({"contact_email": "karin@"}, "contact_email", "Fyll i en giltig e-postadress."),
        ({"kind": "other"}, "kind_other", "Beskriv kort vad det gäller."),
        ({"location": ""}, "location", "Skriv var det är."),
        ({"hours": ""}, "hours", "Skriv ungefär hur många timmar."),
        ({"is_research": "on"}, "ethics_status", "Välj hur det går med etikprövningen."),
        ({"starts_on": "", "dates_note": ""}, "starts_on", "Skriv ett datum, en period eller tider i fältet under."),
        ({"ends_on": "2020-01-01"}, "ends_on", "Slutdatumet kan inte vara före startdatumet."),
        ({"reply_by": "2020-01-01"}, "reply_by", "Välj ett datum som inte har passerat."),
    ],
)
def test_errors_are_shown_next_to_the_field_and_nothing_typed_is_lost(client, staff, unit, overrides, field, message):
    response = client.post(NEW, form_data(unit, **overrides))

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    page = response.content.decode()
    assert f'id="error_1_id_{field}"' in page or f'id="id_{field}_error"' in page  # crispy puts it by the field
    assert "En närstående berättar om mötet med akuten." in page
    assert UnitRequest.objects.count() == 0


def test_a_draft_saves_with_gaps_and_is_finished_later(client, staff, unit, django_capture_on_commit_callbacks):
    response = client.post(NEW, {"unit": unit.pk, "title": "Halvfärdig", "token": TOKEN, "action": "draft"})
    draft = UnitRequest.objects.get()
    assert draft.status == RequestStatus.DRAFT
    assert draft.reference is None
    assert response.url == f"/verksamhet/forfragningar/{draft.pk}/andra/"
    # Not on the coordinators' board, and no mail yet.
    assert mail.outbox == []

    resumed = client.get(response.url)
    assert resumed.context["form"].initial["title"] == "Halvfärdig"
    # Sending it with gaps is refused, with what was typed kept.
    refused = client.post(response.url, {"unit": unit.pk, "title": "Halvfärdig", "action": "submit"})
    assert refused.status_code == 400
    assert "purpose" in refused.context["form"].errors

    with django_capture_on_commit_callbacks(execute=True):
        client.post(response.url, form_data(unit, title="Klar nu", token=""))
    draft.refresh_from_db()
    assert draft.status == RequestStatus.SUBMITTED
    assert draft.title == "Klar nu"
    assert draft.reference.endswith("-0001")
    assert UnitRequest.objects.count() == 1


def test_a_sent_request_cannot_be_edited_as_a_draft(client, staff, unit):
    client.post(NEW, form_data(unit))
    req = UnitRequest.objects.get()
    response = client.post(f"/verksamhet/forfragningar/{req.pk}/andra/", form_data(unit, title="Ändrad i efterhand"))
    assert response.url == f"/verksamhet/forfragningar/{req.pk}/"
    req.refresh_from_db()
    assert req.title == "Utbildning för nya sjuksköterskor"


def test_unit_choice_is_limited_to_the_staff_members_units(client, staff, unit):
    other = CareUnitFactory(name="Annan enhet")
    response = client.post(NEW, form_data(unit, unit=other.pk))
    assert "unit" in response.context["form"].errors
    assert UnitRequest.objects.count() == 0


def test_staff_without_a_unit_are_sent_to_pick_one_first(client, db, login):
    loose = UserFactory(email="ny@regionexempel.se", roles=[Role.UNIT_STAFF])
    login(client, loose)
    response = client.get(NEW)
    assert response.url == "/verksamhet/"


# --- attachments -----------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hej")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [("program.pdf", PDF), ("beskrivning.docx", None)],
)
def test_pdf_and_word_attachments_are_stored_privately(client, staff, unit, name, content):
    content = content or docx_bytes()
    client.post(
        NEW, {**form_data(unit), "attachment": SimpleUploadedFile(name, content, content_type="application/octet-stream")}
    )

    req = UnitRequest.objects.get()
    assert req.attachment_name == name
    assert req.attachment.name.startswith("requests/")
    assert name not in req.attachment.name  # stored under a random name
    download = client.get(f"/verksamhet/forfragningar/{req.pk}/bilaga/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "Filen måste vara en PDF eller ett Word-dokument."),
        ("arkiv.docx", None, "Filen måste vara en PDF eller ett Word-dokument."),
        ("bild.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "Filen måste vara en PDF eller ett Word-dokument."),
        ("stor.pdf", PDF + b"0" * (1024 * 1024 + 1), "Filen är för stor. Den får vara högst 1 MB."),
    ],
)
def test_bad_attachments_are_refused(client, staff, unit, settings, name, content, message):
    settings.REQUEST_ATTACHMENT_MAX_MB = 1
    content = content or zip_bytes()
    response = client.post(
        NEW, {**form_data(unit), "attachment": SimpleUploadedFile(name, content, content_type="application/pdf")}
    )

    assert response.context["form"].errors["attachment"] == [message]
    assert "Välj bilagan igen" in response.content.decode()
    assert UnitRequest.objects.count() == 0


def test_another_units_draft_token_neither_moves_nor_sends_that_draft(client, login, unit, unit_staff):
    login(client, unit_staff)
    client.post(NEW, {"unit": unit.pk, "title": "Vårt utkast", "token": TOKEN, "action": "draft"})
    draft = UnitRequest.objects.get()
    other_unit = CareUnitFactory(name="Ortopeden")
    stranger = UserFactory(email="ortopeden@regionexempel.se", roles=[Role.UNIT_STAFF])
    other_unit.staff.add(stranger)
    login(client, stranger)

    response = client.post(NEW, form_data(other_unit, title="Ortopedens förfrågan", token=TOKEN))

    draft.refresh_from_db()
    assert draft.unit == unit
    assert draft.status == RequestStatus.DRAFT
    assert draft.title == "Vårt utkast"
    assert draft.created_by == unit_staff
    theirs = UnitRequest.objects.exclude(pk=draft.pk).get()
    assert theirs.unit == other_unit
    assert theirs.status == RequestStatus.SUBMITTED
    assert response.url == f"/verksamhet/forfragningar/{theirs.pk}/"


def test_a_draft_token_sent_again_for_another_unit_makes_a_new_request(client, staff, unit):
    second = CareUnitFactory(name="Hjärtmottagningen")
    second.staff.add(staff)
    client.post(NEW, {"unit": unit.pk, "title": "Utkast", "token": TOKEN, "action": "draft"})
    draft = UnitRequest.objects.get()

    client.post(NEW, form_data(second, token=TOKEN))

    draft.refresh_from_db()
    assert (draft.unit, draft.status) == (unit, RequestStatus.DRAFT)
    assert UnitRequest.objects.filter(unit=second, status=RequestStatus.SUBMITTED).count() == 1
