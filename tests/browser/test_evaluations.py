"""Evaluations in the browser: the person answers by keyboard at phone width; the unit, the loop and the
coordinators' follow-up list. Every page is scanned with axe."""

from evaluations.enums import Respondent
from evaluations.models import Answer
from evaluations.services import answer_token, submit
from registry.models import ExperienceResource
from tests.evaluations.factories import ensure_default_questions, evaluated

PHONE = {"width": 375, "height": 740}


def tab_to(page, name: str, value: str | None = None, limit: int = 80) -> None:
    """Press Tab until the focus is on the field `name` (and `value`), as a keyboard user does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => [document.activeElement.name, document.activeElement.value]")
        if focused[0] == name and (value is None or focused[1] == value):
            return
    raise AssertionError(f"never reached {name}")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_person_answers_by_keyboard_at_phone_width(page, axe):
    ensure_default_questions()
    _, _, evaluation = evaluated(title="Berätta om livet med diabetes", request__unit__name="Diabetesmottagningen")
    page.set_viewport_size(PHONE)
    link = f"/utvardering/{answer_token(evaluation)}/"

    page.goto(link)
    assert page.locator("h1").inner_text() == "Hur gick uppdraget?"
    assert "Diabetesmottagningen" in page.locator("main").inner_text()
    assert no_sideways_scroll(page)
    axe(page)

    # First without the one required answer: the error is shown, what was typed stays.
    tab_to(page, "q_comment")
    page.keyboard.type("Jag blev väl mottagen.")
    tab_to(page, "quote_allowed")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#form-errors")
    assert "Välj ett betyg från 1 till 5." in page.locator("main").inner_text()
    assert page.locator("#id_q_comment").input_value() == "Jag blev väl mottagen."
    assert no_sideways_scroll(page)
    axe(page)

    # The error summary's link takes the keyboard to the rating.
    page.locator("#form-errors a").first.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "id_q_overall_0"
    page.keyboard.press("ArrowRight")  # moves to, and checks, 2
    page.keyboard.press("ArrowRight")  # 3
    page.keyboard.press("ArrowRight")  # 4
    tab_to(page, "q_heard")
    page.keyboard.press("Space")  # yes
    tab_to(page, "quote_allowed")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Tack för dina svar!")
    axe(page)

    evaluation.refresh_from_db()
    assert evaluation.submitted_at is not None
    assert evaluation.quote_allowed is True
    answers = {a.question.key: (a.rating, a.choice, a.text) for a in Answer.objects.filter(evaluation=evaluation)}
    assert answers == {"overall": (4, None, ""), "heard": (None, True, ""), "comment": (None, None, "Jag blev väl mottagen.")}

    page.goto(link)
    page.wait_for_selector("text=Utvärderingen är redan besvarad.")
    assert page.get_by_role("button", name="Skicka svaren").count() == 0
    axe(page)

    page.goto("/utvardering/felkopierad-lank/")
    page.wait_for_selector("text=Länken fungerar inte.")
    axe(page)


def test_the_unit_answers_and_the_person_sees_what_it_led_to(page, axe, sign_in_as, unit, unit_staff, resource_user):
    ensure_default_questions()
    me = ExperienceResource.objects.get(user=resource_user)
    _, unit_eval, _ = evaluated(resource=me, request__unit=unit, title="Workshop om väntrummet")
    sign_in_as(unit_staff)
    page.set_viewport_size(PHONE)

    page.goto("/verksamhet/utvarderingar/")
    axe(page)
    page.get_by_role("link", name="Workshop om väntrummet").click()
    assert page.locator("h1").inner_text() == "Utvärdera medverkan"
    axe(page)
    page.get_by_label("5 – mycket bra").first.check()
    page.get_by_label("Vad ledde medverkan till?").fill("Vi möblerade om väntrummet efter era idéer.")
    page.get_by_role("button", name="Skicka svaren").click()
    page.wait_for_selector("text=Tack för era svar!")
    axe(page)
    unit_eval.refresh_from_db()
    assert unit_eval.respondent == Respondent.UNIT and unit_eval.submitted_at is not None

    page.context.clear_cookies()
    sign_in_as(resource_user)
    page.goto("/mina-sidor/utvarderingar/")
    assert "Vi möblerade om väntrummet efter era idéer." in page.locator("main").inner_text()
    assert no_sideways_scroll(page)
    axe(page)


def test_the_coordinator_follows_up_a_low_rating(page, axe, sign_in_as, coordinator):
    ensure_default_questions()
    _, unit_eval, _ = evaluated(title="Fokusgrupp om utskrivning")
    submit(unit_eval, answers={"overall": 1}, quote_allowed=False, via="link")
    sign_in_as(coordinator)

    page.goto("/samordning/uppfoljning/")
    assert "Fokusgrupp om utskrivning" in page.locator("main").inner_text()
    axe(page)
    page.get_by_role("link", name="Fokusgrupp om utskrivning").click()
    assert "1 av 5" in page.locator("main").inner_text()
    axe(page)
    page.go_back()
    page.locator("summary").first.click()
    page.get_by_label("Anteckning").fill("Ringde enhetschefen. Mötet blev för stort.")
    page.get_by_label("Nytt tema (frivilligt)").fill("Mindre grupper")
    page.get_by_role("button", name="Spara uppföljningen").click()
    page.wait_for_selector("text=Uppföljningen är sparad")
    assert "Fokusgrupp om utskrivning" not in page.locator("main section").first.inner_text()
    axe(page)

    page.goto("/samordning/uppfoljning/teman/")
    assert "Mindre grupper" in page.locator("main").inner_text()
    axe(page)
