"""What people stumbled on when they first walked the app (issue 13)."""

import html
import re

import pytest

from requests_app.enums import RequestStatus
from requests_app.services import set_request_status
from tests.factories import submitted_request


def test_home_page_leads_to_the_application_form(client, db):
    page = client.get("/").content.decode()
    assert 'href="/bli-erfarenhetsresurs/"' in page


def test_start_page_counts_link_to_the_lists_they_count(client, coordinator, login):
    login(client, coordinator)
    page = client.get("/samordning/").content.decode()
    assert 'href="/samordning/resurser/?status=applied">nya intresseanmälningar</a>' in page
    assert 'href="/samordning/resurser/?status=active">aktiva erfarenhetsresurser</a>' in page


def _options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return [html.unescape(label).strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "/samordning/resurser/",
            [
                "Namn, A–Ö",
                "Namn, Ö–A",
                "Senast anmäld först",
                "Tidigast anmäld först",
                "Kommun, A–Ö",
                "Status",
                "Längst sedan senaste uppdrag först",
                "Senaste uppdrag, nyast först",
            ],
        ),
        (
            "/samordning/forfragningar/",
            ["Äldst inskickad först", "Senast inskickad först", "Svar önskas, närmast först", "Önskat datum, närmast först"],
        ),
    ],
)
def test_sort_menus_are_swedish_translated_and_without_duplicates(client, coordinator, login, url, expected):
    login(client, coordinator)
    swedish = _options(client.get(url).content.decode(), "order")
    assert swedish == expected

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = _options(client.get(url).content.decode(), "order")
    assert len(set(english)) == len(english)
    assert not set(english) & set(swedish) - {"Status"}
    assert not any("descending" in label for label in english)


def test_units_timeline_shows_the_coordinators_role_not_their_address(client, coordinator, unit, unit_staff, login):
    unit_request = submitted_request(unit=unit, created_by=unit_staff)
    set_request_status(unit_request, RequestStatus.IN_TRIAGE, actor=coordinator)
    login(client, unit_staff)

    page = client.get(f"/verksamhet/forfragningar/{unit_request.pk}/").content.decode()
    history = page.split('class="timeline"')[1].split("</ol>")[0]
    assert "Under bedömning" in history
    assert ", Samordnarna" in history
    assert coordinator.email not in page
    assert not re.search(r"\d{4}-\d{2}-\d{2}", page)


def test_coordinators_see_each_others_names_on_the_timeline(client, coordinator, unit, login):
    unit_request = submitted_request(unit=unit)
    set_request_status(unit_request, RequestStatus.IN_TRIAGE, actor=coordinator)
    login(client, coordinator)
    page = client.get(f"/samordning/forfragningar/{unit_request.pk}/").content.decode()
    assert f", {coordinator.full_name}" in page.split('class="timeline"')[1].split("</ol>")[0]
