"""The pool list keeps what is the same for every view: the taxonomies it offers and names, and
the count of a filtered pool. Each is forgotten when what it was made from changes."""

from datetime import date

import pytest
from django.conf import settings
from django.test.html import parse_html
from django.utils import timezone
from django.utils.formats import date_format

from registry.models import ExperienceArea, ExperienceResource, Perspective
from tests.factories import ExperienceResourceFactory

POOL = "/samordning/resurser/"


@pytest.fixture
def people(db):
    cancer = ExperienceArea.objects.get(slug="cancer")
    relative = Perspective.objects.get(code="relative")
    for i in range(3):
        person = ExperienceResourceFactory(first_name=f"Anna{i}", last_name="Berg")
        person.areas.set([cancer])
        person.perspectives.set([relative])
    ExperienceResourceFactory(first_name="Bo", last_name="Ek")
    return {"cancer": cancer, "relative": relative}


def count(client, **params) -> int:
    return client.get(POOL, params).context["paginator"].count


def test_a_filtered_count_is_forgotten_when_someone_joins_changes_or_leaves(client, coordinator, login, people):
    login(client, coordinator)
    cancer = people["cancer"].pk
    assert count(client, area=cancer) == 3
    newcomer = ExperienceResourceFactory(first_name="Cia")
    newcomer.areas.set([people["cancer"]])  # a change of links
    assert count(client, area=cancer) == 4
    assert count(client, area=cancer, status="paused") == 0
    newcomer.status = "paused"
    newcomer.save()  # a change of the person
    assert count(client, area=cancer, status="paused") == 1
    newcomer.delete()
    assert count(client, area=cancer) == 3
    ExperienceResource.objects.filter(first_name="Anna0").get().areas.clear()
    assert count(client, area=cancer) == 2


def test_a_filter_on_the_last_assignment_is_counted_every_time(client, coordinator, login, people):
    login(client, coordinator)
    assert count(client, last_assignment="never") == 4
    # The assignments app records the last assignment with QuerySet.update(): no signal.
    ExperienceResource.objects.filter(first_name="Bo").update(last_assignment_on=date(2020, 1, 1))
    assert count(client, last_assignment="never") == 3


def test_the_taxonomies_are_offered_and_named_anew_after_a_change(client, coordinator, login, people):
    login(client, coordinator)
    page = client.get(POOL).content.decode()
    assert ">Cancer</option>" in page and "<td>Cancer</td>" in page
    people["cancer"].name = "Cancer & tumörer"
    people["cancer"].save()
    page = client.get(POOL).content.decode()
    assert ">Cancer &amp; tumörer</option>" in page and "<td>Cancer &amp; tumörer</td>" in page
    ExperienceArea.objects.create(name="Nytt område", slug="nytt")
    assert ">Nytt område</option>" in client.get(POOL).content.decode()


def test_in_english_the_taxonomies_have_their_english_names(client, coordinator, login, people):
    login(client, coordinator)
    ExperienceResource.objects.get(first_name="Bo").areas.set([ExperienceArea.objects.get(name="Psykisk ohälsa")])
    client.get(POOL)  # kept in Swedish first: the names are chosen for each page's language
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(POOL).content.decode()
    assert ">Relative</option>" in page and "<td>Relative</td>" in page
    assert ">Mental ill-health</option>" in page and "<td>Mental ill-health</td>" in page


def test_a_chosen_taxonomy_that_is_no_choice_is_an_error_beside_the_field(client, coordinator, login, people):
    login(client, coordinator)
    page = client.get(POOL, {"area": "99999", "perspective": "x"}).content.decode()
    for name in ("area", "perspective"):
        assert f'<div id="id_{name}_error" class="invalid-feedback">' in page
    assert page.count("Välj ett giltigt alternativ. Det valet finns inte bland tillgängliga alternativ.") == 2


def test_a_row_shows_the_person_as_before(client, coordinator, login, people):
    person = ExperienceResource.objects.get(first_name="Anna1")
    person.last_assignment_on = date(2026, 3, 5)
    person.save()
    login(client, coordinator)
    page = client.get(POOL, {"q": "Anna1"}).content.decode()
    row = page[page.index("<tbody>") + len("<tbody>") : page.index("</tbody>")]
    created = date_format(timezone.localtime(person.created_at), "j F Y")
    expected = (
        f'<tr><td><a href="/samordning/resurser/{person.pk}/">Anna1 Berg</a></td><td>Aktiv</td>'
        f"<td>Närstående</td><td>Cancer</td><td></td><td>5 mars 2026</td><td>{created}</td></tr>"
    )
    expected = expected.replace("<td></td>", f"<td>{person.municipality}</td>")
    assert str(parse_html(row)) == str(parse_html(expected))
