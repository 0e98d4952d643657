"""Browser test of an assignment from the choice to done: the unit drafts the agreement, the person
signs on a phone by keyboard, the unit signs, the signed PDF is downloaded and checked on the
public verification page, the unit reports and the person confirms. Every page is scanned with axe."""

import importlib

import pytest

from assignments.enums import AssignmentStatus
from assignments.models import AgreementTemplate, Assignment
from assignments.seal import validate_seal
from tests.assignments.conftest import make_chosen
from tests.assignments.factories_documents import use_test_seal
from tests.assignments.helpers import last_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 375, "height": 740}


@pytest.fixture(autouse=True)
def _template(transactional_db):
    """The data migration's version 1; a transactional test's flush can remove it."""
    clauses = importlib.import_module("assignments.migrations.0003_default_agreement_template").CLAUSES
    AgreementTemplate.objects.get_or_create(version=1, defaults=clauses)


def test_from_draft_to_done(page, axe, sign_in_as, coordinator, unit, unit_staff, resource_user, settings, tmp_path):
    use_test_seal(settings)
    assignment = make_chosen(coordinator, unit, unit_staff, resource_user, title="Utbildningsdag om diabetes")

    # The unit drafts: what is missing is listed, the form keeps what was typed when it is refused.
    sign_in_as(unit_staff)
    page.goto(f"/verksamhet/forfragningar/{assignment.request_id}/")
    page.wait_for_selector("text=Uppdrag och överenskommelser")
    axe(page)
    page.get_by_role("link", name="Skriv överenskommelsen").click()
    page.wait_for_url(f"**/verksamhet/uppdrag/{assignment.pk}/")
    assert "Beskriv erfarenhetsresursens roll." in page.locator("main").inner_text()
    axe(page)
    page.get_by_role("link", name="Fyll i överenskommelsen").click()
    page.wait_for_url("**/overenskommelse/")
    axe(page)
    page.get_by_label("Vad personen behöver förbereda").fill("Läsa programmet, en halvtimme.")
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_selector("#form-errors")
    role = page.get_by_label("Erfarenhetsresursens roll")
    assert role.get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Vad personen behöver förbereda").input_value() == "Läsa programmet, en halvtimme."
    page.locator("#form-errors a").first.click()
    assert role.evaluate("field => document.activeElement === field")
    axe(page)
    role.fill("Berättar om hur det är att leva med diabetes och svarar på frågor.")
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_selector("text=Sparat.")
    axe(page)
    page.get_by_role("button", name="Skicka för underskrift").click()
    page.wait_for_selector("text=Överenskommelsen är skickad för underskrift.")
    axe(page)

    # The person signs on a phone, by keyboard only.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    sign_in_as(resource_user)
    page.goto("/mina-sidor/")
    axe(page)
    page.get_by_role("link", name="Mina uppdrag", exact=False).first.click()
    page.wait_for_url("**/mina-sidor/uppdrag/")
    axe(page)
    page.get_by_role("link", name="Läs och skriv under: Utbildningsdag om diabetes").click()
    page.wait_for_url(f"**/mina-sidor/uppdrag/{assignment.pk}/underteckna/")
    main = page.locator("main")
    for part in ("Parter", "Tillfällen", "Tystnadsplikt", "Arvode", "Personuppgifter", "Berättar om hur det är"):
        assert part in main.inner_text()
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe(page)
    page.get_by_role("button", name="Skicka en kod till min e-post").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Vi har skickat en kod till")
    axe(page)
    # Signing without the tick: the error is beside the box.
    page.get_by_label("Koden från e-posten").focus()
    page.keyboard.type(last_code(resource_user.email))
    page.keyboard.press("Enter")
    page.wait_for_selector("#form-errors")
    approve = page.get_by_label("Jag har läst och godkänner överenskommelsen")
    assert approve.get_attribute("aria-invalid") == "true"
    axe(page)
    approve.focus()
    page.keyboard.press("Space")
    assert approve.is_checked()
    page.get_by_label("Koden från e-posten").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(last_code(resource_user.email))
    page.get_by_role("button", name="Skriv under", exact=True).focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Tack! Du har skrivit under överenskommelsen.")
    assert "Du har skrivit under. Vi väntar på den andra parten." in main.inner_text()
    axe(page)

    # The unit signs.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_as(unit_staff)
    page.goto(f"/verksamhet/uppdrag/{assignment.pk}/")
    page.get_by_role("link", name="Läs och skriv under").click()
    page.wait_for_url("**/underteckna/")
    page.get_by_role("button", name="Skicka en kod till min e-post").click()
    page.wait_for_selector("text=Vi har skickat en kod till")
    page.get_by_label("Jag har läst och godkänner överenskommelsen").check()
    page.get_by_label("Koden från e-posten").fill(last_code(unit_staff.email))
    page.get_by_role("button", name="Skriv under", exact=True).click()
    page.wait_for_selector("text=Tack! Du har skrivit under överenskommelsen.")
    assert "Status: Underskriven" in page.locator("main").inner_text()
    axe(page)
    assert Assignment.objects.get().status == AssignmentStatus.SIGNED

    # The PDF was made when the last party signed: the unit downloads it, and the public page
    # (signed out) says it is the file that was issued.
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner den underskrivna överenskommelsen (PDF, version 1)").click()
    pdf = tmp_path / download.value.suggested_filename
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-1.7")
    assert validate_seal(pdf.read_bytes()).bottom_line is True
    unit_page = page.url
    page.context.clear_cookies()
    page.goto("/kontrollera-overenskommelse/")
    page.get_by_label("Den PDF du vill kontrollera").set_input_files(str(pdf))
    page.get_by_role("button", name="Kontrollera filen").click()
    verdict = page.locator("#verdict")
    assert verdict.locator("h2").inner_text() == "Filen är intakt"
    assert f"{resource_user.experience_resource.full_name} (Erfarenhetsresurs)" in verdict.inner_text()
    axe(page)
    sign_in_as(unit_staff)
    page.goto(unit_page)

    # The unit reports how it went.
    page.get_by_role("link", name="Rapportera hur det gick").click()
    page.wait_for_url("**/rapport/")
    axe(page)
    page.get_by_role("button", name="Skicka rapporten").click()
    page.wait_for_selector("#form-errors")
    axe(page)
    page.get_by_label("Genomfört som överenskommet").check()
    page.get_by_role("button", name="Skicka rapporten").click()
    page.wait_for_selector("text=Tack! Rapporten är skickad.")
    axe(page)

    # The person confirms it; the assignment is done.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    sign_in_as(resource_user)
    page.goto(f"/mina-sidor/uppdrag/{assignment.pk}/")
    page.wait_for_selector("text=Stämmer verksamhetens rapport?")
    axe(page)
    page.get_by_role("button", name="Ja, det stämmer").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Tack! Uppdraget är klart.")
    assert "Status: Genomfört" in page.locator("main").inner_text()
    axe(page)
    assert Assignment.objects.get().status == AssignmentStatus.DONE


def test_coordinator_pages(page, axe, sign_in_as, coordinator, unit, unit_staff, resource_user):
    assignment = make_chosen(coordinator, unit, unit_staff, resource_user, title="Fokusgrupp om väntetider")
    sign_in_as(coordinator)
    page.goto("/samordning/uppdrag/")
    page.wait_for_selector(f"text={assignment.reference}")
    axe(page)
    page.get_by_role("link", name=assignment.reference).click()
    page.wait_for_url(f"**/samordning/uppdrag/{assignment.pk}/")
    assert "Uppdraget skapades när valet bekräftades" in page.locator("main").inner_text()
    axe(page)
    # Cancelling needs a reason; then the coordinator is offered the answers page.
    page.get_by_text("Uppdraget blir inte av").click()
    page.get_by_role("button", name="Ställ in uppdraget").click()
    page.wait_for_selector("#id_reason.is-invalid, [aria-invalid='true']")
    axe(page)
    page.get_by_label("Varför ställs uppdraget in?").fill("Personen har fått förhinder.")
    page.get_by_role("button", name="Ställ in uppdraget").click()
    page.wait_for_selector("text=Uppdraget är inställt.")
    assert page.get_by_role("link", name="Svar och val: fråga någon annan").count() == 1
    axe(page)
    page.goto("/samordning/")
    page.wait_for_selector("text=Uppdrag att följa upp")
    axe(page)
