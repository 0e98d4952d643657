"""The coordinators' follow-up list: each kind of item appears, and leaves the list once followed up."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuditEntry
from assignments.enums import AssignmentStatus, CompletionStatus
from assignments.models import CompletionReport
from evaluations import services
from evaluations.enums import FollowUpKind
from evaluations.models import FollowUp, FollowUpTheme
from evaluations.selectors import follow_up_items
from matching.enums import InquiryStatus
from registry.models import ExperienceResource
from requests_app.enums import RequestStatus
from tests.assignments.factories import AssignmentFactory
from tests.evaluations.factories import done_assignment, evaluated
from tests.factories import EventFactory, ExperienceResourceFactory, InquiryFactory, active_resource, request_at

URL = "/samordning/uppfoljning/"


def ago(days: float):
    return timezone.now() - timedelta(days=days)


def no_evaluation():
    return done_assignment(done_at=ago(settings.EVALUATION_CLOSE_DAYS + 1))


def low_rating():
    _, unit_eval, _ = evaluated()
    services.submit(unit_eval, answers={"overall": 2, "benefit": 4}, quote_allowed=False, via="link")
    return unit_eval


def disputed():
    assignment = AssignmentFactory(status=AssignmentStatus.SIGNED)
    CompletionReport.objects.create(
        assignment=assignment, status=CompletionStatus.DISPUTED, person_comment="Jag var där två gånger"
    )
    return assignment


def unsigned():
    return AssignmentFactory(status=AssignmentStatus.SIGNING, status_changed_at=ago(settings.FOLLOW_UP_UNSIGNED_DAYS + 1))


def no_match():
    return request_at(RequestStatus.DECLINED)


def never_asked():
    person = ExperienceResourceFactory()
    ExperienceResource.objects.filter(pk=person.pk).update(created_at=ago(400))
    return person


def declined_thrice():
    person = active_resource()
    for days in (30, 20, 10):
        InquiryFactory(resource=person, status=InquiryStatus.NO, answered_at=ago(days))
    return person


BUILDERS = {
    FollowUpKind.NO_EVALUATION: no_evaluation,
    FollowUpKind.LOW_RATING: low_rating,
    FollowUpKind.DISPUTED: disputed,
    FollowUpKind.UNSIGNED: unsigned,
    FollowUpKind.NO_MATCH: no_match,
    FollowUpKind.NEVER_ASKED: never_asked,
    FollowUpKind.DECLINED_THRICE: declined_thrice,
}


def listed() -> dict[str, list[int]]:
    return {kind: [item.object_id for item in items] for kind, items in follow_up_items().items()}


def post_follow_up(client, kind, object_id, **fields):
    prefix = f"f-{kind}-{object_id}"
    data = {"kind": kind, "object_id": object_id, f"{prefix}-kind": kind, f"{prefix}-object_id": object_id}
    data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    return client.post(f"{URL}klar/", data)


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_each_kind_of_item_appears_and_leaves_the_list_once_followed_up(client, login, coordinator, kind):
    thing = BUILDERS[kind]()
    assert listed()[kind] == [thing.pk]
    login(client, coordinator)
    assert f'name="f-{kind}-{thing.pk}-note"' in client.get(URL).content.decode()

    response = post_follow_up(client, kind, thing.pk, method="call", note="Ringde och pratade en stund.")

    assert response.status_code == 302
    assert listed()[kind] == []
    follow_up = FollowUp.objects.get()
    assert (follow_up.kind, follow_up.object_id, follow_up.followed_up_by) == (kind, thing.pk, coordinator)
    entry = AuditEntry.objects.get(action="evaluations.follow_up.done")
    assert entry.data == {"kind": kind, "object_id": thing.pk, "method": "call", "themes": []}
    assert f'name="f-{kind}-{thing.pk}-note"' not in client.get(URL).content.decode()


def test_nothing_is_listed_when_all_is_well(db):
    evaluated()  # evaluations sent, still open
    AssignmentFactory(status=AssignmentStatus.SIGNING, status_changed_at=ago(1))
    request_at(RequestStatus.MATCHING)
    ExperienceResourceFactory()  # joined today
    person = active_resource()
    for days, status in ((30, InquiryStatus.NO), (20, InquiryStatus.YES), (10, InquiryStatus.NO)):
        InquiryFactory(resource=person, status=status, answered_at=ago(days))
    assert listed() == {kind: [] for kind in FollowUpKind.values}


def test_a_rating_of_three_is_not_low(db):
    _, unit_eval, resource_eval = evaluated()
    services.submit(unit_eval, answers={"overall": 3, "benefit": 3}, quote_allowed=False, via="link")
    assert listed()[FollowUpKind.LOW_RATING] == []
    services.submit(resource_eval, answers={"overall": 4, "treatment": 2}, quote_allowed=False, via="link")
    assert listed()[FollowUpKind.LOW_RATING] == [resource_eval.pk]


def test_a_person_who_says_no_three_more_times_after_a_follow_up_is_listed_again(coordinator, db):
    person = declined_thrice()
    services.mark_followed_up(FollowUpKind.DECLINED_THRICE, person.pk, note="Samtal", method="call", actor=coordinator)
    assert listed()[FollowUpKind.DECLINED_THRICE] == []
    InquiryFactory(resource=person, status=InquiryStatus.NO, answered_at=timezone.now())
    assert listed()[FollowUpKind.DECLINED_THRICE] == [person.pk]


def test_a_follow_up_needs_a_note_and_keeps_what_was_typed(client, login, coordinator):
    evaluation = low_rating()
    login(client, coordinator)

    response = post_follow_up(
        client, FollowUpKind.LOW_RATING, evaluation.pk, method="meeting", note="", new_theme="Mötesstruktur"
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Skriv en kort anteckning om uppföljningen." in html
    assert 'value="Mötesstruktur"' in html
    assert FollowUp.objects.count() == 0


def test_a_double_click_records_one_follow_up(client, login, coordinator):
    evaluation = low_rating()
    login(client, coordinator)
    post_follow_up(client, FollowUpKind.LOW_RATING, evaluation.pk, method="call", note="Samtal")
    second = post_follow_up(client, FollowUpKind.LOW_RATING, evaluation.pk, method="call", note="Samtal")
    assert second.status_code == 302
    assert FollowUp.objects.count() == 1


def test_a_theme_raised_in_a_follow_up_is_linked_to_a_network_meeting(client, login, coordinator):
    evaluation = low_rating()
    meeting = EventFactory(title="Nätverksträff i maj")
    login(client, coordinator)
    post_follow_up(
        client, FollowUpKind.LOW_RATING, evaluation.pk, method="meeting", note="Möte", new_theme="Alla får komma till tals"
    )
    theme = FollowUpTheme.objects.get()
    assert list(FollowUp.objects.get().themes.all()) == [theme]

    response = client.post(f"{URL}teman/{theme.pk}/traffar/", {"event": meeting.pk})

    assert response.status_code == 302
    assert list(theme.events.all()) == [meeting]
    assert AuditEntry.objects.filter(action="evaluations.theme.linked").count() == 1
    page = client.get(f"{URL}teman/").content.decode()
    assert "Alla får komma till tals" in page
    assert "Nätverksträff i maj" in page


def test_only_coordinators_see_the_follow_up(client, login, personas):
    for name, user in personas.items():
        client.logout()
        login(client, user)
        assert client.get(URL).status_code == (200 if name == "coordinator" else 403), name
        assert client.get(f"{URL}teman/").status_code == (200 if name == "coordinator" else 403), name


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def build(times: int) -> None:
    for builder in BUILDERS.values():
        for _ in range(times):
            builder()
    theme = FollowUpTheme.objects.create(title=f"Tema {FollowUpTheme.objects.count()}")
    theme.events.add(EventFactory())
    FollowUp.objects.create(kind=FollowUpKind.NO_MATCH, object_id=10**9, note="Äldre uppföljning").themes.add(theme)


def test_the_follow_up_list_query_count_is_the_same_for_one_and_many_rows(client, login, coordinator):
    login(client, coordinator)
    build(1)
    assert count_queries(client, URL) == 14
    build(4)
    assert sum(len(items) for items in follow_up_items().values()) == 5 * len(BUILDERS)
    assert count_queries(client, URL) == 14


def test_the_themes_page_query_count_is_the_same_for_one_and_many_rows(client, login, coordinator):
    login(client, coordinator)
    build(1)
    assert count_queries(client, f"{URL}teman/") == 7
    build(3)
    assert count_queries(client, f"{URL}teman/") == 7
