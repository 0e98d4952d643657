"""Experience areas and ways of contributing have an English name, shown in English."""

import pytest
from django.utils import translation

from matching.scoring import Wish, explain
from registry.models import ContributionType, ExperienceArea
from registry.taxonomies import CONTRIBUTION_TYPES, ENGLISH_NAMES, EXPERIENCE_AREAS
from tests.factories import active_resource, submitted_request


def test_every_seeded_one_has_an_english_name(db):
    assert set(ENGLISH_NAMES) == set(EXPERIENCE_AREAS) | set(CONTRIBUTION_TYPES)
    assert not ExperienceArea.objects.filter(name__in=EXPERIENCE_AREAS, name_en="").exists()
    assert not ContributionType.objects.filter(name__in=CONTRIBUTION_TYPES, name_en="").exists()


def test_the_name_follows_the_language_and_falls_back_to_swedish(db):
    area = ExperienceArea.objects.get(name="Psykisk ohälsa")
    new = ExperienceArea.objects.create(name="Hudsjukdom", slug="hudsjukdom")
    with translation.override("en"):
        assert str(area) == "Mental ill-health"
        assert str(new) == "Hudsjukdom"
    with translation.override("sv"):
        assert str(area) == "Psykisk ohälsa"


def test_application_form_in_english_names_areas_and_ways_in_english(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/bli-erfarenhetsresurs/").content.decode()
    assert "Mental ill-health" in page
    assert "Tell my story to staff" in page
    assert "Psykisk ohälsa" not in page


def test_shortlist_reasons_in_english(db):
    area = ExperienceArea.objects.get(name="Psykisk ohälsa")
    unit_request = submitted_request()
    unit_request.areas.set([area])
    person = active_resource()
    person.areas.set([area])
    components = {"perspective": 0, "kind": 0, "language": 0, "place": 1.0, "age": 0, "recency": 0}
    with translation.override("en"):
        wish = Wish.of(unit_request)
        explanation = explain(person, components, {"last_asked": wish.now, "asked_12m": 0}, wish)
    assert explanation.good[0] == "Mental ill-health as wished"
    assert "asked today" in explanation.lacking


@pytest.mark.parametrize("model", ["experiencearea", "contributiontype"])
def test_administrators_enter_the_english_name(client, administrator, login, model):
    login(client, administrator)
    page = client.get(f"/admin/registry/{model}/add/").content.decode()
    assert 'name="name_en"' in page
