"""The matching pages render what they should, in a fixed number of queries, and conflicts are kept and logged."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.audit import MASK
from accounts.models import AuditEntry
from matching import keep, services
from matching.enums import InquiryStatus
from matching.models import Conflict, Inquiry, MatchingWeights
from matching.selectors import spread
from registry.enums import ResourceStatus
from registry.models import AwayPeriod, ExperienceArea, ExperienceResource
from requests_app.enums import RequestStatus
from requests_app.models import UnitRequest
from tests.factories import CareUnitFactory, ConflictFactory, InquiryFactory, active_resource, request_at


@pytest.fixture
def diabetes(db):
    return ExperienceArea.objects.get(slug="diabetes")


@pytest.fixture
def req(unit, unit_staff, diabetes):
    unit_request = request_at(RequestStatus.READY, unit=unit, created_by=unit_staff, title="Workshop om insulinpump")
    unit_request.areas.set([diabetes])
    return unit_request


@pytest.fixture
def me(resource_user):
    return ExperienceResource.objects.get(user=resource_user)


def count_queries(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


# --- the shortlist --------------------------------------------------------------------------


def test_the_shortlist_shows_the_candidates_and_why(client, login, coordinator, req, diabetes):
    bo = active_resource(first_name="Bo", last_name="Berg")
    bo.areas.set([diabetes])
    cecilia = active_resource(first_name="Cecilia", last_name="Ek")
    active_resource(first_name="Pausad", last_name="Person", status=ResourceStatus.PAUSED)
    untrained = active_resource(first_name="Otränad", last_name="Person", training_completed_on=None)
    ConflictFactory(resource=active_resource(first_name="Jävig", last_name="Person"), unit=req.unit)
    login(client, coordinator)

    response = client.get(f"/samordning/forfragningar/{req.pk}/matchning/")

    assert response.status_code == 200
    candidates = {c.resource: c for c in response.context["candidates"]}
    assert set(candidates) == {bo, cecilia}
    assert untrained not in candidates
    assert response.context["total"] == 2
    page = response.content.decode()
    assert "2 personer uppfyller kraven" in page
    assert "Pausad Person" not in page
    assert "Jävig Person" not in page
    for candidate in candidates.values():
        assert f'<td id="why-{candidate.resource.pk}">{candidate.explanation.text}</td>' in page
    assert "Diabetes som önskat" in candidates[bo].explanation.good
    assert "aldrig tillfrågad" in candidates[cecilia].explanation.good
    assert "saknar erfarenhet av diabetes" in candidates[cecilia].explanation.lacking
    assert 'name="people"' in page
    assert "Skicka förfrågan" in page


def test_a_candidates_row_ties_the_checkbox_to_the_name_and_the_reasons_and_escapes_the_name(client, login, coordinator, req):
    person = active_resource(first_name="<b>Bo</b>", last_name="O'Berg & Son")
    login(client, coordinator)

    page = client.get(f"/samordning/forfragningar/{req.pk}/matchning/").content.decode()

    name = "&lt;b&gt;Bo&lt;/b&gt; O&#x27;Berg &amp; Son"
    assert (
        f'<input class="form-check-input" type="checkbox" name="people" value="{person.pk}" id="id_people_0"'
        f' aria-describedby="why-{person.pk}"></td><td><label for="id_people_0">{name}</label><br>'
        f'<a class="small" href="/samordning/resurser/{person.pk}/">Profil<span class="visually-hidden">: {name}</span></a>'
    ) in page
    assert "<b>Bo</b>" not in page


def test_the_shortlist_of_a_request_not_ready_cannot_be_sent(client, login, coordinator, req):
    UnitRequest.objects.filter(pk=req.pk).update(status=RequestStatus.IN_TRIAGE)
    person = active_resource()
    login(client, coordinator)

    response = client.get(f"/samordning/forfragningar/{req.pk}/matchning/")

    assert response.context["can_send"] is False
    assert f'value="{person.pk}" id="id_people_0" disabled aria-describedby' in response.content.decode()
    assert "Ändra status till ”Redo för matchning” innan du skickar förfrågningar." in response.content.decode()


@pytest.mark.parametrize("rows", [1, 20])
def test_the_shortlist_runs_a_fixed_number_of_queries(client, login, coordinator, req, diabetes, rows):
    for i in range(rows):
        person = active_resource()
        if i % 2:
            person.areas.set([diabetes])
    earlier = request_at(RequestStatus.MATCHING)
    for person in ExperienceResource.objects.all()[: rows // 2 + 1]:
        InquiryFactory(request=earlier, resource=person, status=InquiryStatus.NO)
    MatchingWeights.current()  # made once, by whoever opens a shortlist first
    login(client, coordinator)

    queries, response = count_queries(client, f"/samordning/forfragningar/{req.pk}/matchning/")
    again, _response = count_queries(client, f"/samordning/forfragningar/{req.pk}/matchning/")

    assert len(response.context["candidates"]) == rows
    # The shortlist reads who is ruled out by name once, ranks once, and reads the page's people
    # and their links once each; the first view also reads the taxonomies (three queries) and
    # counts who is in play, both kept for the views after it.
    assert (queries, again) == (16, 12)


# --- the answers ----------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 10])
def test_the_answers_page_runs_a_fixed_number_of_queries(client, login, coordinator, req, rows):
    people = [active_resource() for _ in range(rows)]
    inquiries = services.send_inquiries(req, people, deadline=timezone.now() + timedelta(days=5), actor=coordinator)
    for i, inquiry in enumerate(inquiries):
        if i % 3 == 1:
            services.answer(inquiry, yes=True, comment="Gärna", share_email=True)
        elif i % 3 == 2:
            services.answer(inquiry, yes=False, comment="Inte nu")
    login(client, coordinator)

    queries, response = count_queries(client, f"/samordning/forfragningar/{req.pk}/svar/")

    assert len(response.context["inquiries"]) == rows
    page = response.content.decode()
    assert all(p.full_name in page for p in people)
    assert queries == 7


def test_the_answers_page_shows_each_answer(client, login, coordinator, req):
    bo = active_resource(first_name="Bo", last_name="Berg")
    cecilia = active_resource(first_name="Cecilia", last_name="Ek", email="")
    inquiries = {
        i.resource_id: i
        for i in services.send_inquiries(req, [bo, cecilia], deadline=timezone.now() + timedelta(days=5), actor=coordinator)
    }
    services.answer(inquiries[bo.pk], yes=True, comment="Jag kan på tisdagar")
    ExperienceResource.objects.filter(pk=cecilia.pk).update(phone="013-12 34 56")
    login(client, coordinator)

    response = client.get(f"/samordning/forfragningar/{req.pk}/svar/")

    page = response.content.decode()
    assert [i.status for i in response.context["yes"]] == [InquiryStatus.YES]
    assert "Jag kan på tisdagar" in page
    assert "via länken i e-posten" in page
    assert f'name="chosen" value="{inquiries[bo.pk].pk}"' in page
    assert f'name="chosen" value="{inquiries[cecilia.pk].pk}"' not in page  # has not said yes
    assert "Ingen e-post: ring 013-12 34 56" in page  # Cecilia got no mail: the coordinator phones
    assert f'action="/samordning/forfragningar/{req.pk}/svar/{inquiries[cecilia.pk].pk}/"' in page


# --- the person's own list ------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 10])
def test_own_inquiries_run_a_fixed_number_of_queries(client, login, resource_user, me, rows):
    for i in range(rows):
        InquiryFactory(resource=me, status=InquiryStatus.SENT if i % 2 == 0 else InquiryStatus.NO)
    InquiryFactory()  # someone else's
    login(client, resource_user)

    queries, response = count_queries(client, "/mina-sidor/uppdragsforfragningar/")

    assert len(response.context["waiting"]) + len(response.context["earlier"]) == rows
    assert queries == 5


def test_own_inquiries_are_split_into_waiting_and_earlier(client, login, resource_user, me):
    waiting = InquiryFactory(resource=me, request=request_at(RequestStatus.MATCHING, title="Fokusgrupp om väntetider"))
    done = InquiryFactory(
        resource=me, request=request_at(RequestStatus.MATCHED, title="Film om sömn"), status=InquiryStatus.CHOSEN
    )
    login(client, resource_user)

    response = client.get("/mina-sidor/uppdragsforfragningar/")

    assert response.context["waiting"] == [waiting]
    assert response.context["earlier"] == [done]
    assert "Film om sömn</a>, " in response.content.decode()
    assert ": vald</li>" in response.content.decode()


# --- adding by hand ---------------------------------------------------------------------------


def test_the_hand_search_says_which_rules_each_found_person_breaks(client, login, coordinator, req, settings):
    settings.REGISTRY_REQUIRE_TRAINING = True
    day = timezone.localdate() + timedelta(days=30)
    UnitRequest.objects.filter(pk=req.pk).update(starts_on=day, ends_on=None)
    active_resource(first_name="Ada", last_name="Sökbar")
    away = active_resource(first_name="Bea", last_name="Sökbar")
    AwayPeriod.objects.create(resource=away, starts_on=day - timedelta(days=2), ends_on=day)
    AwayPeriod.objects.create(
        resource=active_resource(first_name="Ulf", last_name="Sökbar"),
        starts_on=day + timedelta(days=1),
        ends_on=day + timedelta(days=9),
    )
    ConflictFactory(resource=active_resource(first_name="Cia", last_name="Sökbar"), unit=req.unit)
    ConflictFactory(resource=active_resource(first_name="Vera", last_name="Sökbar"))  # another unit
    active_resource(first_name="Dan", last_name="Sökbar", max_assignments_per_month=0)
    active_resource(first_name="Eli", last_name="Sökbar", status=ResourceStatus.PAUSED, training_completed_on=None)
    # Their own limit counts the yes-answers for requests starting the same month.
    same_month = request_at(RequestStatus.MATCHING, title="Samma månad")
    UnitRequest.objects.filter(pk=same_month.pk).update(starts_on=day, ends_on=None)
    full = active_resource(first_name="Fia", last_name="Sökbar", max_assignments_per_month=1)
    room = active_resource(first_name="Gun", last_name="Sökbar", max_assignments_per_month=2)
    outside = active_resource(first_name="Hans", last_name="Annan", max_assignments_per_month=1)  # not found
    for person in (full, room, outside):
        InquiryFactory(request=same_month, resource=person, status=InquiryStatus.YES)
    login(client, coordinator)

    page = client.get(f"/samordning/forfragningar/{req.pk}/matchning/", {"sok": "Sökbar"})

    assert {person.first_name: broken for person, broken, _form in page.context["found"]} == {
        "Ada": [],
        "Bea": ["är borta de önskade datumen"],
        "Ulf": [],
        "Cia": ["har jäv mot verksamheten"],
        "Vera": [],
        "Dan": ["har nått sin egen gräns för uppdrag den månaden"],
        "Eli": ["är inte aktiv (pausad)", "har inte gått introduktionsutbildningen"],
        "Fia": ["har nått sin egen gräns för uppdrag den månaden"],
        "Gun": [],
    }
    assert "har jäv mot verksamheten" in page.content.decode()


def test_the_hand_search_runs_the_same_queries_for_one_person_found_or_many(client, login, coordinator, req):
    UnitRequest.objects.filter(pk=req.pk).update(starts_on=timezone.localdate() + timedelta(days=30))
    url = f"/samordning/forfragningar/{req.pk}/matchning/?sok=S%C3%B6kbar"
    login(client, coordinator)
    active_resource(last_name="Sökbar")
    client.get(url)  # each measured view after one that counts what is kept (the taxonomies, who is in play)
    one, response = count_queries(client, url)
    assert len(response.context["found"]) == 1
    for i in range(12):
        person = active_resource(last_name="Sökbar", max_assignments_per_month=i % 2)
        ConflictFactory(resource=person, unit=req.unit if i % 3 else CareUnitFactory())

    client.get(url)
    many, response = count_queries(client, url)

    assert len(response.context["found"]) == 13
    assert many == one


# --- the spread on the pool page --------------------------------------------------------------


def test_the_pool_page_shows_how_inquiries_and_assignments_spread(client, login, coordinator):
    people = [active_resource() for _ in range(10)]
    busy, *others = people
    for _ in range(5):
        InquiryFactory(resource=busy)
    for person in others[:4]:
        InquiryFactory(resource=person)
    Inquiry.objects.filter(resource=others[0]).update(status=InquiryStatus.CHOSEN)
    long_ago = InquiryFactory(resource=others[4], status=InquiryStatus.CHOSEN)
    Inquiry.objects.filter(pk=long_ago.pk).update(sent_at=timezone.now() - timedelta(days=400))
    paused = active_resource(status=ResourceStatus.PAUSED)
    for _ in range(3):
        InquiryFactory(resource=paused)
    login(client, coordinator)

    page = client.get("/samordning/resurser/").content.decode()

    assert "Hur uppdragen sprids, senaste 12 månaderna" in page
    assert "9 till 5 personer; den mest tillfrågade tiondelen fick 56 %" in page  # 5 of 9
    assert "1 till 1 person; den mest anlitade tiondelen fick 100 %" in page
    assert "5 av 10" in page  # never asked in the last 12 months


def test_the_spread_without_any_inquiries(client, login, coordinator):
    for _ in range(3):
        active_resource()
    login(client, coordinator)

    page = client.get("/samordning/resurser/").content.decode()

    assert "0 till 0 personer</dd>" in page
    assert "3 av 3" in page


def test_the_spread_is_in_the_language_of_the_page(client, login, coordinator, settings):
    for _ in range(3):
        active_resource()
    login(client, coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get("/samordning/resurser/").content.decode()

    assert "How assignments are spread, last 12 months" in page
    assert "Hur uppdragen sprids" not in page


def test_the_busiest_tenth_is_counted_in_people_even_when_counts_tie(db):
    people = [active_resource() for _ in range(20)]  # a tenth is 2 people
    for person in people[:3]:
        for _ in range(2):
            InquiryFactory(resource=person)
    InquiryFactory(resource=people[3], status=InquiryStatus.CHOSEN)

    result = spread()

    assert result["active"] == 20
    assert result["inquiries"] == {"total": 7, "people": 4, "top_tenth_share": 57}  # 2 + 2 of 7
    assert result["assignments"] == {"total": 1, "people": 1, "top_tenth_share": 100}
    assert result["never_asked"] == 16


@pytest.mark.parametrize("people", [1, 30])
def test_the_spread_runs_the_same_queries_whatever_the_size_of_the_pool(db, people):
    for i in range(people):
        person = active_resource()
        for _ in range(i % 4):
            InquiryFactory(resource=person)

    with CaptureQueriesContext(connection) as ctx:
        result = spread()

    assert result["active"] == people
    assert len(ctx.captured_queries) == 2


# --- conflicts of interest --------------------------------------------------------------------


def test_a_person_adds_a_conflict_and_is_no_longer_proposed_to_that_unit(client, login, coordinator, resource_user, me, req):
    ExperienceResource.objects.filter(pk=me.pk).update(training_completed_on=timezone.localdate())
    keep.keep_people([me.pk])  # update() sends no signal
    login(client, resource_user)
    assert client.get("/mina-sidor/jav/").status_code == 200

    response = client.post("/mina-sidor/jav/", {"unit": req.unit.pk, "note": "Jag går på kontroller där"}, follow=True)

    assert response.redirect_chain[-1][0] == "/mina-sidor/jav/"
    assert [str(m) for m in response.context["messages"]] == ["Sparat. Vi frågar dig inte om uppdrag från den verksamheten."]
    conflict = Conflict.objects.get()
    assert (conflict.resource, conflict.unit, conflict.note, conflict.created_by) == (
        me,
        req.unit,
        "Jag går på kontroller där",
        resource_user,
    )
    entry = AuditEntry.objects.get(action="matching.conflict.created")
    assert entry.actor == resource_user
    assert entry.data["changes"]["note"] == [None, MASK]  # the note may say why: never in the log
    assert entry.data["changes"]["unit_id"] == [None, req.unit.pk]
    login(client, coordinator)
    shortlist = client.get(f"/samordning/forfragningar/{req.pk}/matchning/")
    assert me not in [c.resource for c in shortlist.context["candidates"]]


def test_adding_the_same_conflict_twice_keeps_one(client, login, resource_user, me, unit):
    login(client, resource_user)
    client.post("/mina-sidor/jav/", {"unit": unit.pk})

    again = client.post("/mina-sidor/jav/", {"unit": unit.pk})

    assert again.status_code == 400
    assert again.context["form"].errors["unit"] == ["Välj en verksamhet i listan. Den kanske redan finns bland jäven."]
    assert Conflict.objects.filter(resource=me).count() == 1
    assert AuditEntry.objects.filter(action="matching.conflict.created").count() == 1
    assert services.add_conflict(me, unit, actor=None) == Conflict.objects.get()  # the service is safe too
    assert Conflict.objects.count() == 1


def test_a_person_removes_a_conflict(client, login, resource_user, me, unit):
    conflict = ConflictFactory(resource=me, unit=unit)
    login(client, resource_user)

    response = client.post(f"/mina-sidor/jav/{conflict.pk}/ta-bort/", follow=True)

    assert response.redirect_chain[-1][0] == "/mina-sidor/jav/"
    assert list(response.context["conflicts"]) == []
    assert Conflict.objects.count() == 0
    entry = AuditEntry.objects.get(action="matching.conflict.deleted")
    assert (entry.actor, entry.object_id) == (resource_user, str(conflict.pk))


def test_only_active_units_without_a_conflict_are_offered(client, login, resource_user, me, unit):
    CareUnitFactory(name="Nedlagd mottagning", is_active=False)
    other = CareUnitFactory(name="Hjärtcentrum")
    ConflictFactory(resource=me, unit=unit)
    login(client, resource_user)

    form = client.get("/mina-sidor/jav/").context["form"]

    assert list(form.fields["unit"].queryset) == [other]


def test_the_coordinator_adds_and_removes_a_conflict_on_the_persons_page(client, login, coordinator, unit):
    person = active_resource(first_name="Bo", last_name="Berg")
    login(client, coordinator)
    page_url = f"/samordning/resurser/{person.pk}/"

    client.post(f"{page_url}jav/", {"unit": unit.pk, "note": "Anhörig arbetar där"})

    conflict = Conflict.objects.get()
    assert (conflict.resource, conflict.unit, conflict.created_by) == (person, unit, coordinator)
    assert AuditEntry.objects.get(action="matching.conflict.created").actor == coordinator
    page = client.get(page_url).content.decode()
    assert f"{unit.name} – Anhörig arbetar där" in page

    response = client.post(f"{page_url}jav/{conflict.pk}/ta-bort/")

    assert response.status_code == 302
    assert response.url == page_url
    assert Conflict.objects.count() == 0
    assert AuditEntry.objects.get(action="matching.conflict.deleted").actor == coordinator


def test_a_refused_conflict_on_the_persons_page_comes_back_with_the_error_and_the_note(client, login, coordinator, unit):
    person = active_resource(first_name="Bo", last_name="Berg")
    other = active_resource(first_name="Cia", last_name="Ek")
    login(client, coordinator)
    page_url = f"/samordning/resurser/{person.pk}/"

    response = client.post(f"{page_url}jav/", {"unit": "", "note": "Anhörig arbetar där"})

    assert response.status_code == 302
    assert response.url == f"{page_url}#conflict-form"
    page = client.get(page_url).content.decode()
    assert "Jävet sparades inte. Se markeringen i formuläret." in page
    field = page.split('id="div_id_unit"')[1].split("</div>\n</div>")[0]
    assert "Välj en verksamhet." in field
    assert 'aria-invalid="true"' in field
    assert 'name="note" value="Anhörig arbetar där"' in page
    assert Conflict.objects.count() == 0
    # shown once, and only on that person's page
    assert "Anhörig arbetar där" not in client.get(page_url).content.decode()
    client.post(f"{page_url}jav/", {"unit": "", "note": "Bara för Bo"})
    assert "Bara för Bo" not in client.get(f"/samordning/resurser/{other.pk}/").content.decode()


def test_the_coordinator_cannot_remove_a_conflict_through_another_persons_page(client, login, coordinator):
    conflict = ConflictFactory()
    someone_else = active_resource()
    login(client, coordinator)

    response = client.post(f"/samordning/resurser/{someone_else.pk}/jav/{conflict.pk}/ta-bort/")

    assert response.status_code == 404
    assert Conflict.objects.filter(pk=conflict.pk).exists()
