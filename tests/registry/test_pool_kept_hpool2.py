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


@pytest.fixture
def hundred_and_twenty(db):
    # Many share a name, so only the id settles the order between them.
    for i in range(120):
        ExperienceResourceFactory(first_name="Anna" if i % 3 else "Bo", last_name=f"Berg{i % 7}")
    return list(ExperienceResource.objects.order_by("last_name", "first_name", "id").values_list("pk", flat=True))


def shown(response) -> list[int]:
    return [r.pk for r in response.context["resources"]]


def test_a_deep_page_starts_from_a_kept_mark_and_is_still_its_slice_of_the_order(
    client, coordinator, login, hundred_and_twenty, monkeypatch
):
    from registry import selectors

    monkeypatch.setattr(selectors, "MARK_EVERY", 7)  # page 2 starts past mark 7, page 3 past mark 14
    login(client, coordinator)
    for _ in range(2):  # the marks found, then the marks kept
        for page in (3, 2, 1):
            assert shown(client.get(POOL, {"page": page})) == hundred_and_twenty[(page - 1) * 50 : page * 50]
    # Someone joins at the front of the order: the marks are found anew.
    first = ExperienceResourceFactory(first_name="Aa", last_name="Aaberg")
    everyone = [first.pk, *hundred_and_twenty]
    for page in (2, 3):
        assert shown(client.get(POOL, {"page": page})) == everyone[(page - 1) * 50 : page * 50]


def test_a_kept_mark_spares_a_query_and_a_chosen_order_or_filter_pages_by_offset(
    client, coordinator, login, hundred_and_twenty, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from registry import selectors

    monkeypatch.setattr(selectors, "MARK_EVERY", 7)
    login(client, coordinator)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            client.get(POOL, {"page": 3})
        counts.append(len(ctx.captured_queries))
    # Kept after the first view: the mark, the pool's count, the taxonomies (3) and the spread (2, matching).
    assert counts[1] == counts[0] - 7
    by_last_name = sorted(hundred_and_twenty, key=lambda pk: (ExperienceResource.objects.get(pk=pk).last_name, pk))
    assert shown(client.get(POOL, {"page": 2, "order": "name"})) == by_last_name[50:100]
    bo = [pk for pk in hundred_and_twenty if ExperienceResource.objects.get(pk=pk).first_name == "Bo"]
    assert shown(client.get(POOL, {"page": 1, "q": "Bo"})) == bo
