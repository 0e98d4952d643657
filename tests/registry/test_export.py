import json
import shutil
import subprocess

import pytest

from accounts.models import AuditEntry
from registry.models import AwayPeriod, ExperienceArea, ExperienceResource
from tests.factories import ExperienceResourceFactory


@pytest.fixture
def me(resource_user):
    resource = ExperienceResource.objects.get(user=resource_user)
    resource.story = "Jag har levt med diabetes sedan 1980."
    resource.coordinator_notes = "Föredrar digitala möten"
    resource.save()
    resource.areas.set([ExperienceArea.objects.get(slug="diabetes")])
    AwayPeriod.objects.create(resource=resource, starts_on="2027-03-01", ends_on="2027-03-10", note="Resa")
    ExperienceResourceFactory(first_name="Gunnel", story="Någon annans hjärtsjukdom")
    return resource


def test_json_export_holds_everything_about_me_and_nobody_else(client, resource_user, me, login):
    login(client, resource_user)
    response = client.get("/mina-sidor/mina-uppgifter.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mina-uppgifter.json"'
    data = json.loads(response.content)
    assert data["profile"]["first_name"] == "Anna"
    assert data["profile"]["story"] == "Jag har levt med diabetes sedan 1980."
    assert data["coordinator_notes"] == "Föredrar digitala möten"
    assert data["experience_areas"] == ["Diabetes"]
    assert data["periods_away"] == [{"from": "2027-03-01", "until": "2027-03-10", "note": "Resa"}]
    assert "Gunnel" not in response.content.decode()
    assert AuditEntry.objects.filter(action="registry.resource.data_exported", object_id=str(me.pk)).count() == 1


def test_pdf_export_is_readable(client, resource_user, me, login):
    login(client, resource_user)
    response = client.get("/mina-sidor/mina-uppgifter.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run([pdftotext, "-", "-"], input=response.content, capture_output=True, check=True).stdout.decode()
    assert "Mina uppgifter i Levande bibliotek" in text
    assert "Jag har levt med diabetes sedan 1980." in text
    assert "Gunnel" not in text


def test_other_formats_do_not_exist(client, resource_user, me, login):
    login(client, resource_user)
    assert client.get("/mina-sidor/mina-uppgifter.xml").status_code == 404


def test_export_is_for_the_resource_only(client, coordinator, login):
    login(client, coordinator)
    assert client.get("/mina-sidor/mina-uppgifter.json").status_code == 403
