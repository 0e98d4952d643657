"""The agreement: its content, the hash, versions that void signatures, the template versions."""

import hashlib
import json

import pytest

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
from tests.assignments.helpers import sign_as, to_signing


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
