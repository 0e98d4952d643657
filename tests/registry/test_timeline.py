"""The person's timeline reads like a history: no raw field names, no noise at registration."""

import re

from django.test import Client

from registry.models import ExperienceResource
from registry.timeline import timeline_for
from tests.registry.test_application import application, post
from tests.registry.test_self_service import profile_data


def test_registration_is_one_row(client, db):
    post(client, application())
    person = ExperienceResource.objects.get(email="karin.lind@exempel.se")

    assert [item["label"] for item in timeline_for(person)] == ["Anmälde intresse"]


def test_a_profile_edit_is_one_row_in_the_forms_words(db, resource_user, login):
    person = ExperienceResource.objects.get(user=resource_user)
    client = Client()
    login(client, resource_user)
    client.post("/mina-sidor/uppgifter/", profile_data())

    [edit] = [item for item in timeline_for(person) if item["label"] == "Uppgifter ändrades"]
    assert edit["who"] == "personen själv"
    assert "Erfarenhetsområden" in edit["fields"]
    assert "Kommun" in edit["fields"]
    for raw in ("user", "user_id", "areas", "updated_at", "submission_token"):
        assert raw not in edit["fields"]


def test_the_page_shows_no_raw_field_names_or_iso_dates(client, db, coordinator, login):
    post(client, application())
    person = ExperienceResource.objects.get(email="karin.lind@exempel.se")
    login(client, coordinator)
    page = client.get(f"/samordning/resurser/{person.pk}/").content.decode()
    history = page.split('id="timeline-heading"')[1].split("</ol>")[0]
    assert "Anmälde intresse" in history
    assert "– user" not in history
    assert "Uppgifter ändrades" not in history
    assert "Uppgifterna registrerades" not in history
    assert not re.search(r"\d{4}-\d{2}-\d{2}", page)
