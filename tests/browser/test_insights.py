import pytest

from insights import figures
from insights.models import ReportStatus, YearlyReport
from tests.insights.world import YEAR, build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_coordinator_reads_the_statistics_and_makes_the_yearly_report(page, axe, sign_in_as, coordinator):
    build(people=20, requests=25)
    figures.refresh()
    sign_in_as(coordinator)
    page.goto("/samordning/")
    page.get_by_role("link", name="Statistik", exact=True).click()
    page.get_by_label("År", exact=True).select_option(str(YEAR))
    page.get_by_role("button", name="Visa").click()
    page.wait_for_url(f"**/samordning/statistik/?year={YEAR}*")
    assert page.get_by_role("img", name="Personer i banken per status (nu)").is_visible()
    assert page.get_by_role("table", name="Förfrågningar per typ av arbete").is_visible()
    axe(page)
    # a wrong month: the error beside the field, what was typed kept
    page.get_by_label("Från och med månad").fill("2025-13")
    page.get_by_label("Till och med månad").fill("2025-06")
    page.get_by_role("button", name="Visa").click()
    assert page.get_by_label("Från och med månad").input_value() == "2025-13"
    assert page.get_by_label("Från och med månad").get_attribute("aria-invalid") == "true"
    axe(page)

    page.get_by_role("link", name="Årsrapporter", exact=True).first.click()
    axe(page)
    page.get_by_label("Visa citaten för år").select_option(str(YEAR))
    page.get_by_role("button", name="Visa citaten").click()
    page.locator("#id_year").select_option(str(YEAR))
    page.get_by_label("Utvecklingsmöjligheter").fill("Utveckla expertgrupper för barn")
    button = page.get_by_role("button", name="Skapa rapporten")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Rapporten skapas.", timeout=90_000)  # rendered in the request: Celery is eager in tests
    report = YearlyReport.objects.get()
    assert report.status == ReportStatus.READY
    page.reload()
    assert page.get_by_role("link", name=f"Ladda ner rapporten för {YEAR}, version 1 (PDF)").is_visible()
    axe(page)
