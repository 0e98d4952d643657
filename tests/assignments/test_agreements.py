"""The agreement: its content, the hash, versions that void signatures, the template versions."""

import hashlib
import json
from datetime import time, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from assignments import hooks
from assignments.enums import AssignmentStatus, Party, SessionMode
from assignments.models import Agreement, AgreementTemplate, Signature
from assignments.services import (
    AssignmentError,
    add_session,
    cancel,
    current_agreement,
    remove_session,
    send_for_signing,
    update_agreement,
    update_session,
)
from assignments.services.agreements import canonical_json, content_hash
from notifications.models import OutboundEmail
from tests.assignments.helpers import sign_as, to_signed, to_signing


def test_default_template_version_1_is_seeded(db):
    template = AgreementTemplate.objects.get()
    assert template.version == 1
    assert "tystnadsplikt" in template.confidentiality


def test_sending_needs_a_role_and_a_session(chosen, unit_staff):
    chosen.sessions.all().delete()
    with pytest.raises(AssignmentError) as exc:
        send_for_signing(chosen, actor=unit_staff)
    assert "roll" in str(exc.value)
    assert "minst ett tillfälle" in str(exc.value)
    assert chosen.agreements.count() == 0


def test_content_has_every_part_and_its_hash(chosen, unit_staff, unit):
    hooks.AGREEMENT_FEE.append(lambda a: "Halvdag: 1 000 kr")
    try:
        to_signing(chosen, unit_staff)
    finally:
        hooks.AGREEMENT_FEE.pop()
    agreement = current_agreement(chosen)
    content = agreement.content
    assert content["unit"]["name"] == unit.name
    assert content["unit"]["cost_centre"] == unit.cost_centre
    assert content["unit"]["contact"]["email"] == chosen.contact_email
    assert content["resource"]["name"] == chosen.resource.full_name
    assert content["what"]["title"] == chosen.title
    assert content["what"]["role"] == "Berättar om sin erfarenhet och svarar på frågor."
    assert content["sessions"][0]["date"] == chosen.sessions.get().date.isoformat()
    assert content["place"] == [chosen.request.location]
    assert content["fee"] == "Halvdag: 1 000 kr"
    assert content["shared_contact"] == [{"what": "E-post", "value": chosen.resource.email}]
    assert content["template_version"] == 1
    for key in ("cancellation", "late_cancellation", "support", "personal_data", "confidentiality", "preparation"):
        assert content[key]
    expected = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()
    assert agreement.content_hash == expected == content_hash(agreement.content)
    assert canonical_json({"b": 1, "a": "å"}) == '{"a":"å","b":1}'.encode()


def test_without_a_fee_hook_the_fallback_is_shown(chosen, unit_staff):
    to_signing(chosen, unit_staff)
    assert current_agreement(chosen).content["fee"] == str(hooks.FEE_FALLBACK)


def test_the_person_can_read_the_draft_before_anyone_signs(chosen, client, login, resource_user):
    login(client, resource_user)
    response = client.get(f"/mina-sidor/uppdrag/{chosen.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "utkast, inte skickat för underskrift ännu" in text
    assert chosen.title in text
    assert "Personuppgifter" in text


def test_a_change_after_a_signature_makes_a_new_version_and_voids_the_signature(chosen, unit_staff, resource_user):
    to_signing(chosen, unit_staff)
    first = current_agreement(chosen)
    sign_as(chosen, resource_user)
    assert first.signatures.count() == 1

    update_agreement(chosen, {"preparation": "Läs igenom materialet, en timme."}, actor=unit_staff)

    first.refresh_from_db()
    second = current_agreement(chosen)
    assert first.voided_at is not None
    assert second.version == 2
    assert second.content_hash != first.content_hash
    assert second.signatures.count() == 0
    # The earlier version and its signature are kept, never deleted.
    assert Agreement.objects.filter(assignment=chosen).count() == 2
    assert Signature.objects.get().agreement == first
    chosen.refresh_from_db()
    assert chosen.status == AssignmentStatus.SIGNING


def test_a_change_after_both_signed_goes_back_to_signing(chosen, unit_staff, resource_user):
    to_signing(chosen, unit_staff)
    sign_as(chosen, resource_user)
    sign_as(chosen, unit_staff)
    chosen.refresh_from_db()
    assert chosen.status == AssignmentStatus.SIGNED
    session = chosen.sessions.get()
    values = {f: getattr(session, f) for f in ("date", "starts_at", "ends_at", "mode", "address", "link")}
    update_session(session, {**values, "address": "Hälsans hus, sal 2"}, actor=unit_staff)
    chosen.refresh_from_db()
    assert chosen.status == AssignmentStatus.SIGNING
    assert current_agreement(chosen).version == 2
    assert current_agreement(chosen).content["sessions"][0]["address"] == "Hälsans hus, sal 2"
    assert Agreement.objects.filter(assignment=chosen, voided_at__isnull=False).count() == 1


def test_saving_the_same_content_makes_no_new_version(chosen, unit_staff):
    to_signing(chosen, unit_staff)
    update_agreement(chosen, {"role": "Berättar om sin erfarenhet och svarar på frågor."}, actor=unit_staff)
    assert chosen.agreements.count() == 1


def test_sessions_added_and_removed_while_drafting(chosen, unit_staff):
    session = chosen.sessions.get()
    added = add_session(
        chosen,
        {
            "date": session.date,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "mode": SessionMode.DIGITAL,
            "link": "https://mote.regionexempel.se/abc",
        },
        actor=unit_staff,
    )
    assert chosen.sessions.count() == 2
    remove_session(added, actor=unit_staff)
    assert list(chosen.sessions.all()) == [session]


def _second_session(assignment, actor):
    first = assignment.sessions.get()
    return add_session(
        assignment,
        {
            "date": first.date + timedelta(days=7),
            "starts_at": time(13, 15),
            "ends_at": time(15, 15),
            "mode": SessionMode.ON_SITE,
            "address": "Hälsans hus, sal Ärlan",
        },
        actor=actor,
    )


def removal_mails() -> dict:
    return {m.to: m for m in OutboundEmail.objects.filter(key__startswith="assignments.session_removed:")}


def test_a_removed_session_is_told_to_the_person_and_the_unit_once_in_swedish(chosen, unit_staff, resource_user, coordinator):
    removed = _second_session(chosen, unit_staff)
    to_signed(chosen, unit_staff, resource_user, coordinator)
    chosen.refresh_from_db()
    chosen.session_reminder_sent_at = timezone.now()  # the person has the sessions in their calendar
    chosen.save(update_fields=["session_reminder_sent_at"])
    kept = chosen.sessions.exclude(pk=removed.pk).get()

    remove_session(removed, actor=coordinator)

    mails = removal_mails()
    assert sorted(mails) == sorted([resource_user.email, unit_staff.email])
    assert OutboundEmail.objects.filter(key__startswith="assignments.session_removed:").count() == 2  # once each
    person = mails[resource_user.email]
    assert person.subject == f"Ett tillfälle är borttaget: {chosen.title}"
    body = person.body_text
    assert "Ett tillfälle är borttaget ur uppdraget" in body
    removed_line, kept_part = body.split("De tillfällen som är kvar:")
    assert f"{removed.date:%Y}" in removed_line and "13:15–15:15" in removed_line and "Hälsans hus, sal Ärlan" in removed_line
    assert f"{kept.starts_at:%H:%M}–{kept.ends_at:%H:%M}" in kept_part and "13:15" not in kept_part
    assert "Vänliga hälsningar" in body and "Levande bibliotek, " in body  # the signature include
    # The calendar file takes the session out of the person's calendar.
    (attachment,) = person.attachments
    calendar = Calendar.from_ical(attachment["content"])
    assert str(calendar["METHOD"]) == "CANCEL"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]).startswith(f"assignment-session-{removed.pk}@")
    assert str(event["STATUS"]) == "CANCELLED"
    assert mails[unit_staff.email].attachments == []
    assert "Ett tillfälle är borttaget ur uppdraget" in mails[unit_staff.email].body_text
    # The agreement changed: a new version to sign, without the removed session.
    chosen.refresh_from_db()
    assert chosen.status == AssignmentStatus.SIGNING
    assert len(current_agreement(chosen).content["sessions"]) == 1


def test_whoever_removed_the_session_is_not_told_and_drafts_tell_nobody(chosen, unit_staff, resource_user):
    removed = _second_session(chosen, unit_staff)
    remove_session(removed, actor=unit_staff)  # while drafting: the parties have no agreement yet
    assert removal_mails() == {}

    removed = _second_session(chosen, unit_staff)
    to_signing(chosen, unit_staff)
    remove_session(removed, actor=unit_staff)
    mails = removal_mails()
    assert list(mails) == [resource_user.email]
    assert mails[resource_user.email].attachments == []  # no calendar sent yet, so none to correct


def test_a_project_group_meeting_six_times_is_one_assignment_with_six_sessions(chosen, unit_staff):
    first = chosen.sessions.get()
    for week in range(1, 6):
        add_session(
            chosen,
            {
                "date": first.date + timedelta(weeks=week),
                "starts_at": time(13),
                "ends_at": time(15),
                "mode": SessionMode.DIGITAL,
                "link": "https://mote.regionexempel.se/projektgrupp",
            },
            actor=unit_staff,
        )
    to_signing(chosen, unit_staff)
    content = current_agreement(chosen).content
    assert len(content["sessions"]) == 6
    assert [s["date"] for s in content["sessions"]] == [(first.date + timedelta(weeks=w)).isoformat() for w in range(6)]
    assert content["digital"] is True
    assert chosen.agreements.count() == 1  # one agreement for the whole group's work


def test_a_finished_assignment_cannot_be_changed(chosen, unit_staff, coordinator):
    cancel(chosen, actor=coordinator, party=Party.COORDINATOR, reason="Blev inte av")
    with pytest.raises(AssignmentError, match="avslutat"):
        update_agreement(chosen, {"title": "Nytt"}, actor=unit_staff)


def test_admin_save_makes_a_new_template_version(client, login, administrator):
    login(client, administrator)
    response = client.post(
        f"/admin/assignments/agreementtemplate/{AgreementTemplate.objects.get().pk}/change/",
        {
            "cancellation": "Hör av dig.",
            "confidentiality": "Tystnadsplikt gäller.",
            "personal_data": "Vi sparar det som behövs.",
            "support": "Ring oss.",
            "other": "",
        },
    )
    assert response.status_code == 302
    assert list(AgreementTemplate.objects.order_by("version").values_list("version", "support")) == [
        (1, AgreementTemplate.objects.get(version=1).support),
        (2, "Ring oss."),
    ]
    assert AgreementTemplate.objects.get(version=1).support != "Ring oss."
