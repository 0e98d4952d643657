"""Browser tests for matching: the shortlist, the answers, the answer link and the person's own pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from matching.enums import InquiryStatus
from matching.models import Conflict, Inquiry
from matching.services import answer, answer_token, confirm_choice, default_deadline, send_inquiries
from registry.models import ExperienceArea, ExperienceResource
from requests_app.enums import RequestStatus
from requests_app.models import UnitRequest
from requests_app.services import set_request_status
from tests.factories import CareUnitFactory, ExperienceResourceFactory, submitted_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def ready_request(actor, **kwargs) -> UnitRequest:
    """A submitted request, assessed and marked ready for matching, that asks for experience of diabetes."""
    req = submitted_request(**kwargs)
    req.areas.add(ExperienceArea.objects.get(name="Diabetes"))
    set_request_status(req, RequestStatus.IN_TRIAGE, actor=actor)
    return set_request_status(req, RequestStatus.READY, actor=actor)


def pool(*names) -> list[ExperienceResource]:
    """Active, trained people with experience of diabetes, in the request's municipality."""
    people = []
    for name in names:
        first, last = name.split()
        person = ExperienceResourceFactory(
            first_name=first,
            last_name=last,
            training_completed_on=timezone.localdate() - timedelta(days=60),
        )
        person.areas.add(ExperienceArea.objects.get(name="Diabetes"))
        people.append(person)
    return people


def ask(req, people, actor) -> list[Inquiry]:
    return send_inquiries(req, people, deadline=default_deadline(req), actor=actor)


def assert_error_links_work(page):
    """Every link in the error summary leads to a field on the page."""
    links = page.locator("#form-errors a")
    assert links.count() > 0
    for href in links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert page.locator(href).count() == 1, href


def assert_summary_link_focuses(page, summary: str, field) -> None:
    """The field is marked invalid, and the link in the error summary moves the focus to it."""
    assert field.get_attribute("aria-invalid") == "true"
    page.locator(f"{summary} a").first.click()
    assert field.evaluate("field => document.activeElement === field")


def test_coordinator_asks_two_people_from_the_shortlist(page, axe, sign_in_as, coordinator):
    req = ready_request(coordinator, title="Ny patientinformation om diabetes", location="Linköping")
    pool("Britta Berg", "Cecilia Carlsson", "David Dahl")
    sign_in_as(coordinator)
    page.goto(f"/samordning/forfragningar/{req.pk}/")
    axe(page)
    page.get_by_role("link", name="Visa förslag och fråga personer").click()
    page.wait_for_url(f"**/samordning/forfragningar/{req.pk}/matchning/")
    axe(page)

    # Every candidate comes with the reasons for being on the list.
    for name in ("Britta Berg", "Cecilia Carlsson", "David Dahl"):
        row = page.get_by_role("row").filter(has=page.get_by_role("checkbox", name=name))
        assert "Diabetes som önskat" in row.inner_text()
        assert "aldrig tillfrågad" in row.inner_text()

    # The error state: nobody ticked. The message is next to the list and nothing typed is lost.
    page.get_by_label("Hälsning till personerna (frivilligt)").fill("Hej! Vi hoppas att du kan.")
    page.get_by_role("button", name="Skicka förfrågan", exact=True).click()
    page.wait_for_selector("#form-errors")
    assert "Välj minst en person." in page.locator("#form-errors").inner_text()
    assert page.locator("#id_people_error").inner_text() == "Välj minst en person."
    first = page.get_by_role("checkbox", name="Britta Berg")
    assert first.get_attribute("aria-invalid") == "true"
    assert "id_people_error" in first.get_attribute("aria-describedby")
    assert page.get_by_label("Hälsning till personerna (frivilligt)").input_value() == "Hej! Vi hoppas att du kan."
    assert_error_links_work(page)
    axe(page)

    # Ticked boxes survive an error in another field.
    britta = page.get_by_role("checkbox", name="Britta Berg")
    britta.focus()
    page.keyboard.press("Space")
    assert britta.is_checked()
    page.get_by_label("Svar senast").fill("")
    page.get_by_role("button", name="Skicka förfrågan", exact=True).click()
    page.wait_for_selector("#form-errors")
    assert page.get_by_role("checkbox", name="Britta Berg").is_checked()
    assert page.get_by_label("Svar senast").get_attribute("aria-invalid") == "true"
    assert_error_links_work(page)
    axe(page)

    page.get_by_label("Svar senast").fill((timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"))
    cecilia = page.get_by_role("checkbox", name="Cecilia Carlsson")
    cecilia.focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Skicka förfrågan", exact=True).click()
    page.wait_for_url(f"**/samordning/forfragningar/{req.pk}/svar/")
    page.wait_for_selector("text=Förfrågan skickades till 2 personer.")
    for name in ("Britta Berg", "Cecilia Carlsson"):
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name=name))
        assert "Väntar på svar" in row.inner_text()
    assert page.get_by_role("link", name="David Dahl").count() == 0
    axe(page)

    assert UnitRequest.objects.get(pk=req.pk).status == RequestStatus.MATCHING
    assert sorted(i.resource.full_name for i in Inquiry.objects.filter(request=req)) == ["Britta Berg", "Cecilia Carlsson"]

    # Someone added by hand, with a reason for the log.
    page.get_by_role("link", name="Fråga fler").click()
    page.wait_for_url(f"**/samordning/forfragningar/{req.pk}/matchning/")
    assert page.get_by_role("checkbox").count() == 1  # only David is left to ask
    axe(page)
    page.get_by_role("searchbox", name="Namn eller e-post").fill("Dahl")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.wait_for_selector("text=David Dahl (aktiv")
    axe(page)
    # Sent without a reason: the error is beside the field, linked from the summary, and the
    # deadline typed is kept.
    page.get_by_role("button", name="Skicka förfrågan till David Dahl").click()
    page.wait_for_selector("#hand-errors")
    reason = page.get_by_label("Varför just den här personen?")
    error_id = next(i for i in reason.get_attribute("aria-describedby").split() if i.endswith("_error"))
    assert page.locator(f"#{error_id}").inner_text() == "Skriv varför du lägger till personen för hand."
    assert_summary_link_focuses(page, "#hand-errors", reason)
    axe(page)
    reason.fill("Har varit med i liknande arbete förut.")
    page.get_by_role("button", name="Skicka förfrågan till David Dahl").click()
    page.wait_for_selector("text=David Dahl har fått förfrågan.")
    assert "För hand: Har varit med i liknande arbete förut." in page.locator("main").inner_text()
    axe(page)


def test_person_answers_yes_by_the_link_once(page, axe, coordinator):
    req = ready_request(coordinator, title="Fokusgrupp om väntetider", unit=CareUnitFactory(name="Ögonkliniken"))
    (inquiry,) = ask(req, pool("Britta Berg"), coordinator)
    link = f"/svara/{answer_token(inquiry)}/"

    page.goto(link)
    main = page.locator("main")
    assert page.locator("h1").inner_text() == "Vill du vara med?"
    assert "Fokusgrupp om väntetider" in main.inner_text()
    assert "Ögonkliniken" in main.inner_text()
    assert "Svara senast" in main.inner_text()
    axe(page)

    # The error state: no choice made.
    page.get_by_label("Kommentar (frivilligt)").fill("Jag kan bara på förmiddagen.")
    page.get_by_role("button", name="Skicka svaret").click()
    page.wait_for_selector("#form-errors")
    assert "Välj ja eller nej." in page.locator("#id_answer_error").inner_text()
    assert page.get_by_label("Ja, jag vill vara med").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Kommentar (frivilligt)").input_value() == "Jag kan bara på förmiddagen."
    assert_error_links_work(page)
    axe(page)

    page.get_by_label("Ja, jag vill vara med").check()
    page.get_by_role("button", name="Skicka svaret").click()
    page.wait_for_selector("text=Tack för ditt svar!")
    assert "Du har svarat ja." in main.inner_text()
    axe(page)

    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.YES
    assert inquiry.comment == "Jag kan bara på förmiddagen."

    page.goto(link)
    page.wait_for_selector("text=Länken är redan använd.")
    assert page.get_by_role("button", name="Skicka svaret").count() == 0
    axe(page)


def test_coordinator_confirms_the_person_who_said_yes(page, axe, sign_in_as, coordinator):
    req = ready_request(coordinator, title="Utbildning för nya sjuksköterskor")
    britta, cecilia = pool("Britta Berg", "Cecilia Carlsson")
    yes, waiting = ask(req, [britta, cecilia], coordinator)
    answer(yes, yes=True, comment="Gärna!", share_email=True)

    sign_in_as(coordinator)
    page.goto(f"/samordning/forfragningar/{req.pk}/svar/")
    assert "Gärna!" in page.get_by_role("row").filter(has=page.get_by_role("link", name="Britta Berg")).inner_text()
    axe(page)

    # A phone answer saved without yes or no: shown open again, the error beside the choice.
    page.get_by_text("Registrera svar från Cecilia Carlsson (t.ex. per telefon)").click()
    page.get_by_label("Kommentar", exact=True).fill("Ringde, återkommer")
    page.get_by_role("button", name="Spara svaret").click()
    page.wait_for_selector("#answer-errors")
    assert page.get_by_label("Kommentar", exact=True).input_value() == "Ringde, återkommer"
    assert_summary_link_focuses(page, "#answer-errors", page.get_by_role("radio", name="Ja"))
    axe(page)

    # Only someone who said yes can be chosen; nothing ticked is refused.
    page.get_by_role("button", name="Bekräfta valet").click()
    page.wait_for_selector("text=Välj minst en person som har tackat ja.")
    axe(page)

    page.get_by_role("checkbox", name="Välj Britta Berg").check()
    page.get_by_role("button", name="Bekräfta valet").click()
    page.wait_for_selector("text=Klart! Verksamheten och de valda personerna har fått besked.")
    assert "Status: Matchad" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Bekräfta valet").count() == 0
    axe(page)

    assert UnitRequest.objects.get(pk=req.pk).status == RequestStatus.MATCHED
    yes.refresh_from_db()
    waiting.refresh_from_db()
    assert (yes.status, waiting.status) == (InquiryStatus.CHOSEN, InquiryStatus.CANCELLED)

    # The matching panels on the request, the person and the pool.
    page.goto(f"/samordning/forfragningar/{req.pk}/")
    assert "Status: Matchad" in page.locator("main").inner_text()
    axe(page)
    page.goto(f"/samordning/resurser/{britta.pk}/")
    assert req.reference in page.locator("main").inner_text()
    axe(page)
    page.goto("/samordning/resurser/")
    page.wait_for_selector("text=Hur uppdragen sprids, senaste 12 månaderna")
    axe(page)


def test_coordinator_records_that_someone_who_said_yes_can_no_longer_come(page, axe, sign_in_as, coordinator):
    req = ready_request(coordinator, title="Fokusgrupp om väntetider")
    (britta,) = pool("Britta Berg")
    (inquiry,) = ask(req, [britta], coordinator)
    answer(inquiry, yes=True)
    sign_in_as(coordinator)
    page.goto(f"/samordning/forfragningar/{req.pk}/svar/")

    page.get_by_text("Britta Berg kan inte längre").click()
    page.get_by_role("button", name="Ändra svaret till nej").click()
    page.wait_for_selector("#withdraw-errors")
    assert_summary_link_focuses(page, "#withdraw-errors", page.get_by_label("Varför? (sparas som personens kommentar)"))
    axe(page)

    page.get_by_label("Varför? (sparas som personens kommentar)").fill("Har fått förhinder")
    page.get_by_role("button", name="Ändra svaret till nej").click()
    page.wait_for_selector("text=Ändrat till nej.")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Britta Berg"))
    assert "Nej" in row.inner_text()
    assert "Har fått förhinder" in row.inner_text()
    assert "Ingen förfrågan väntar på svar längre, men det behövs fler som säger ja." in page.locator("main").inner_text()
    axe(page)


def test_the_unit_sees_who_was_chosen(page, axe, sign_in_as, coordinator, unit, unit_staff):
    req = ready_request(coordinator, unit=unit, title="Workshop om egenvård")
    (inquiry,) = ask(req, pool("Britta Berg"), coordinator)
    answer(inquiry, yes=True, share_email=True)
    confirm_choice(req, [inquiry], actor=coordinator)
    sign_in_as(unit_staff)
    page.goto(f"/verksamhet/forfragningar/{req.pk}/")
    page.wait_for_selector("text=Erfarenhetsresurser till er")
    assert "Britta Berg" in page.locator("main").inner_text()
    axe(page)


def test_resource_answers_no_on_own_pages_and_manages_conflicts(page, axe, sign_in_as, coordinator, resource_user):
    me = ExperienceResource.objects.get(user=resource_user)
    me.training_completed_on = timezone.localdate() - timedelta(days=60)
    me.save()
    req = ready_request(coordinator, title="Intervju om diabetesvården")
    ask(req, [me], coordinator)
    CareUnitFactory(name="Vårdcentralen Ekholmen")

    sign_in_as(resource_user)
    page.goto("/mina-sidor/")
    assert "Svara senast" in page.locator("main").inner_text()
    axe(page)
    page.get_by_role("link", name="Svara: Intervju om diabetesvården").click()
    page.wait_for_url("**/mina-sidor/uppdragsforfragningar/*/")
    assert page.locator("h1").inner_text() == "Intervju om diabetesvården"
    axe(page)

    page.get_by_role("button", name="Skicka svaret").click()
    page.wait_for_selector("#form-errors")
    axe(page)

    page.get_by_label("Nej, inte den här gången").check()
    page.get_by_label("Kommentar (frivilligt)").fill("Jag är bortrest då.")
    page.get_by_role("button", name="Skicka svaret").click()
    page.wait_for_selector("text=Tack för ditt svar!")
    assert "Du har svarat nej." in page.locator("main").inner_text()
    assert "Jag är bortrest då." in page.locator("main").inner_text()
    axe(page)
    assert Inquiry.objects.get().status == InquiryStatus.NO

    page.get_by_role("link", name="Alla förfrågningar till dig").click()
    page.wait_for_url("**/mina-sidor/uppdragsforfragningar/")
    assert "Intervju om diabetesvården" in page.get_by_role("region", name="Tidigare").inner_text()
    axe(page)

    page.get_by_role("link", name="Verksamheter där du inte vill bli tillfrågad").click()
    page.wait_for_url("**/mina-sidor/jav/")
    axe(page)
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_selector("text=Något behöver rättas.")
    assert page.get_by_label("Verksamhet").get_attribute("aria-invalid") == "true"
    axe(page)

    page.get_by_label("Verksamhet").select_option(label="Vårdcentralen Ekholmen")
    page.get_by_label("Anteckning (frivillig)").fill("Min vårdcentral")
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_selector("text=Sparat. Vi frågar dig inte om uppdrag från den verksamheten.")
    assert Conflict.objects.get(resource=me).unit.name == "Vårdcentralen Ekholmen"
    axe(page)

    page.get_by_role("button", name="Ta bort Vårdcentralen Ekholmen").click()
    page.wait_for_selector("text=Borttaget.")
    assert not Conflict.objects.filter(resource=me).exists()
    axe(page)
