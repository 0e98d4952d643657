"""The pool list and a person's page as they are built for a nation's numbers: the pages of the
pool chosen by id first, the kept count of the whole pool, and the person's page showing the
newest of long lists with their total, in the same number of queries however long they are."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEntry
from assignments.models import Assignment
from matching.forms import ConflictForm
from registry.models import ExperienceResource
from registry.panels import PERSON_PAGE_ROWS
from tests.assignments.factories import AssignmentFactory, SessionFactory
from tests.factories import CareUnitFactory, ConflictFactory, ExperienceResourceFactory, InquiryFactory, active_resource


def shown(response):
    return [r.pk for r in response.context["resources"]]


def get(client, url, data=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


@pytest.fixture
def hundred_and_twenty(db):
    # Many share a name, so only the id settles the order between them.
    for i in range(120):
        ExperienceResourceFactory(first_name="Anna" if i % 3 else "Bo", last_name=f"Berg{i % 7}", training_completed_on=None)
    return list(ExperienceResource.objects.order_by("last_name", "first_name", "id").values_list("pk", flat=True))


@pytest.mark.parametrize("page", [1, 2, 3])
def test_each_page_of_the_pool_is_its_slice_of_the_whole_order(client, coordinator, login, hundred_and_twenty, page):
    login(client, coordinator)
    response, _ = get(client, "/samordning/resurser/", {"page": page})
    assert shown(response) == hundred_and_twenty[(page - 1) * 50 : page * 50]
    assert response.context["paginator"].count == 120


def test_a_chosen_order_is_paged_without_gaps_or_repeats(client, coordinator, login, hundred_and_twenty):
    login(client, coordinator)
    seen = []
    for page in (1, 2, 3):
        response, _ = get(client, "/samordning/resurser/", {"order": "-name", "page": page})
        seen += shown(response)
    assert sorted(seen) == sorted(hundred_and_twenty)
    names = [ExperienceResource.objects.get(pk=pk).last_name for pk in seen]
    assert names == sorted(names, reverse=True)


def test_a_filtered_pool_counts_only_its_matches(client, coordinator, login, hundred_and_twenty):
    ExperienceResourceFactory(first_name="Cia", last_name="Ek", training_completed_on=date(2025, 9, 1))
    login(client, coordinator)
    get(client, "/samordning/resurser/")  # the whole pool's count is kept now
    # "Nej" is a value too: the filter is chosen, so the count is the filter's, not the pool's.
    response, _ = get(client, "/samordning/resurser/", {"trained": "false"})
    assert response.context["paginator"].count == 120
    response, _ = get(client, "/samordning/resurser/", {"trained": "true"})
    assert response.context["paginator"].count == 1
    response, _ = get(client, "/samordning/resurser/", {"q": "Bo", "page": 1})
    assert response.context["paginator"].count == 40
    assert len(shown(response)) == 40


def test_the_count_of_the_pool_is_kept_and_forgotten_when_someone_joins(client, coordinator, login, hundred_and_twenty):
    login(client, coordinator)
    _, counted = get(client, "/samordning/resurser/")
    again, kept = get(client, "/samordning/resurser/")
    # No count of the pool this time, nor of the spread under it (matching: 2), nor the taxonomies (3).
    assert kept == counted - 6
    assert "120 personer" in again.content.decode()

    ExperienceResourceFactory()
    after, _ = get(client, "/samordning/resurser/")
    assert after.context["paginator"].count == 121
    assert "121 personer" in after.content.decode()

    ExperienceResource.objects.filter(pk=hundred_and_twenty[0]).delete()
    after, _ = get(client, "/samordning/resurser/")
    assert after.context["paginator"].count == 120


def test_a_page_past_the_last_is_not_found(client, coordinator, login, hundred_and_twenty):
    login(client, coordinator)
    assert client.get("/samordning/resurser/", {"page": 4}).status_code == 404


# --- a person's page -------------------------------------------------------------------------


def busy_person(n: int):
    person = active_resource(first_name="Upptagen", last_name="Person")
    for _ in range(n):
        SessionFactory(assignment=AssignmentFactory(resource=person))
        InquiryFactory(resource=person)
    ConflictFactory(resource=person)
    return person


def test_a_persons_page_runs_as_many_queries_for_a_full_page_of_assignments_as_for_more(client, coordinator, login):
    login(client, coordinator)
    counts = {}
    for rows in (1, PERSON_PAGE_ROWS, 3 * PERSON_PAGE_ROWS):
        person = busy_person(rows)
        _, counts[rows] = get(client, f"/samordning/resurser/{person.pk}/")
    assert counts[PERSON_PAGE_ROWS] == counts[3 * PERSON_PAGE_ROWS]
    # A list shorter than a page needs no count of it: two lists, two queries fewer.
    assert counts[1] == counts[PERSON_PAGE_ROWS] - 2


def test_a_busy_persons_page_shows_the_newest_and_says_how_many_there_are(client, coordinator, login):
    person = busy_person(PERSON_PAGE_ROWS + 5)
    login(client, coordinator)
    views = AuditEntry.objects.filter(action="registry.experienceresource.viewed").count()
    page = client.get(f"/samordning/resurser/{person.pk}/").content.decode()

    newest = list(Assignment.objects.filter(resource=person).order_by("-created_at", "-id"))
    assert newest[0].reference in page
    assert newest[PERSON_PAGE_ROWS - 1].reference in page
    assert newest[PERSON_PAGE_ROWS].reference not in page
    assert f"De {PERSON_PAGE_ROWS} senaste av {PERSON_PAGE_ROWS + 5} uppdrag." in page
    assert f"De {PERSON_PAGE_ROWS} senaste av {PERSON_PAGE_ROWS + 5} förfrågningar." in page
    # The first session's date is still shown beside each assignment.
    assert newest[0].sessions.first().date.isoformat() in page
    # Opening the page is still logged.
    assert AuditEntry.objects.filter(action="registry.experienceresource.viewed").count() == views + 1


def test_a_quiet_persons_page_has_no_total(client, coordinator, login):
    person = busy_person(2)
    login(client, coordinator)
    page = client.get(f"/samordning/resurser/{person.pk}/").content.decode()
    assert "senaste av" not in page


def test_the_conflict_forms_long_list_of_units_is_the_active_ones_not_already_chosen(db):
    person = active_resource()
    taken = ConflictFactory(resource=person).unit
    units = [CareUnitFactory(name=f"Vårdcentral <{i}> & co") for i in range(3)]
    closed = CareUnitFactory(name="Stängd", is_active=False)
    html = str(ConflictForm(resource=person, for_coordinator=True)["unit"])

    assert html.startswith('<select name="unit"') and 'id="id_unit"' in html and " required" in html
    assert 'aria-describedby="id_unit_helptext"' in html
    assert '<option value="" selected>---------</option>' in html
    for unit in units:
        assert f'<option value="{unit.pk}">Vårdcentral &lt;{unit.name[13]}&gt; &amp; co</option>' in html
    assert f'value="{taken.pk}"' not in html
    assert f'value="{closed.pk}"' not in html

    # A refused form shows the choice again.
    again = ConflictForm({"unit": str(units[1].pk), "note": "x" * 5000}, resource=person, for_coordinator=True)
    assert not again.is_valid()
    assert f'<option value="{units[1].pk}" selected>' in str(again["unit"])
