"""The public page that checks an agreement PDF, in a browser, with axe on every state."""

import pytest
from playwright.sync_api import expect

from assignments.documents import services
from tests.assignments.factories_documents import signed_agreement, use_test_seal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def document(settings):
    use_test_seal(settings)
    return services.create_document(signed_agreement())


def test_a_copy_is_checked_by_upload_and_by_reference(page, axe, document, tmp_path):
    with document.file.open("rb") as f:
        original = f.read()
    intact = tmp_path / "overenskommelse.pdf"
    intact.write_bytes(original)
    changed = bytearray(original)
    changed[len(changed) // 2] ^= 0x01
    tampered = tmp_path / "andrad.pdf"
    tampered.write_bytes(bytes(changed))

    page.goto("/kontrollera-overenskommelse/")
    assert page.locator("h1").inner_text() == "Kontrollera en överenskommelse"
    axe(page)

    page.get_by_label("Den PDF du vill kontrollera").set_input_files(str(intact))
    page.get_by_role("button", name="Kontrollera filen").click()
    verdict = page.locator("#verdict")
    expect(verdict.locator("h2")).to_have_text("Filen är intakt")  # waits for the answer page
    assert "Åsa Öberg (Erfarenhetsresurs)" in verdict.inner_text()
    axe(page)

    page.get_by_label("Den PDF du vill kontrollera").set_input_files(str(tampered))
    page.get_by_role("button", name="Kontrollera filen").click()
    expect(page.locator("#verdict h2")).to_have_text("Den här filen är inte den vi utfärdade")
    axe(page)

    page.get_by_label("Dokumentets referens").fill(document.reference.lower())
    page.keyboard.press("Enter")
    expect(page.locator("#verdict h2")).to_have_text("Det finns en sådan överenskommelse")
    assert document.sha256 in page.locator("#verdict").inner_text()
    axe(page)

    page.get_by_role("button", name="Kontrollera filen").click()  # no file chosen
    expect(page.locator("#id_file")).to_have_attribute("aria-invalid", "true")
    assert "Välj en PDF-fil." in page.locator("main").inner_text()
    axe(page)
