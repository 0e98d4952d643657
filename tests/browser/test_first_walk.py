"""What people stumbled on when they first walked the app (issue 13), in the browser:
focus after a refused form, the error summary's links, layouts at 1280 px and at phone width."""

import pytest
from playwright.sync_api import expect

from tests.factories import active_resource, submitted_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _focused(page) -> dict:
    return page.evaluate("({id: document.activeElement.id, name: document.activeElement.name || ''})")


def test_request_form_focuses_the_summary_and_its_link_focuses_the_radio_group(page, axe, sign_in_as, unit_staff):
    sign_in_as(unit_staff)
    page.goto("/verksamhet/forfragningar/ny/")
    page.get_by_role("button", name="Skicka förfrågan").click()

    expect(page.locator("#form-errors")).to_be_focused()  # waits for the new page's script
    axe(page)

    page.locator("#form-errors a", has_text="Vad gäller det?").click()
    expect(page.locator('input[name="kind"]:focus')).to_have_count(1)
    focused = _focused(page)
    assert focused["name"] == "kind"
    assert focused["id"].startswith("id_kind_")


def test_application_form_summary_links_to_each_field(page, axe):
    page.goto("/bli-erfarenhetsresurs/")
    page.get_by_role("button", name="Skicka anmälan").click()

    expect(page.locator("#form-errors")).to_be_focused()  # waits for the new page's script
    links = page.locator("#form-errors a")
    assert links.count() >= 3
    axe(page)

    page.locator("#form-errors a", has_text="Förnamn").click()
    expect(page.locator("#id_first_name")).to_be_focused()


def test_labels_on_the_persons_page_do_not_run_into_their_values_at_1280(page, axe, sign_in_as, coordinator):
    person = active_resource(first_name="Lena", last_name="Berg")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_as(coordinator)
    page.goto(f"/samordning/resurser/{person.pk}/")
    axe(page)
    overlaps = page.evaluate(
        """() => [...document.querySelectorAll("dl.row > dt")].filter(dt => {
              const dd = dt.nextElementSibling, a = dt.getBoundingClientRect(), b = dd.getBoundingClientRect();
              const sameLine = a.top < b.bottom && b.top < a.bottom;
              return sameLine && (a.right > b.left || dt.scrollWidth > dt.clientWidth);
           }).map(dt => dt.textContent)"""
    )
    assert overlaps == []


def test_unit_list_fits_a_phone_with_status_in_view(page, axe, sign_in_as, unit, unit_staff):
    submitted_request(unit=unit, title="Informationsmaterial om insulinpumpar för nya patienter")
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in_as(unit_staff)
    page.goto("/verksamhet/")
    axe(page)

    sizes = page.evaluate(
        """() => { const t = document.querySelector(".table-responsive");
                   return {page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
                           table: [t.scrollWidth, t.clientWidth]}; }"""
    )
    assert sizes["page"][0] <= sizes["page"][1]
    assert sizes["table"][0] <= sizes["table"][1]
    status = page.get_by_role("columnheader", name="Status").bounding_box()
    assert status["x"] + status["width"] <= 375

    heading = page.get_by_role("heading", name="Våra förfrågningar", level=1).bounding_box()
    button = page.get_by_role("link", name="Ny förfrågan").bounding_box()
    apart = button["y"] >= heading["y"] + heading["height"] + 8 or button["x"] >= heading["x"] + heading["width"] + 8
    assert apart

    caption = page.locator("table caption").bounding_box()
    header = page.locator("table thead").bounding_box()
    assert caption["y"] + caption["height"] <= header["y"] + 1
