"""The board keeps the count under each filtered list for the views after it, and forgets it
when a request, its areas or a unit change."""

from registry.models import ExperienceArea
from requests_app import services
from tests.factories import CareUnitFactory, Role, UserFactory, submitted_request

BOARD = "/samordning/forfragningar/"


def count(client, **params) -> int:
    return client.get(BOARD, params).context["paginator"].count


def test_the_count_follows_each_change_of_a_request(client, login, coordinator, unit):
    first = submitted_request(unit=unit, title="Ett")
    login(client, coordinator)
    assert count(client) == 1
    second = submitted_request(unit=unit, title="Två")  # a request saved
    assert count(client) == 2
    services.assign(second, coordinator, actor=coordinator)
    assert count(client, responsible="none") == 1
    services.assign(first, coordinator, actor=coordinator)
    assert count(client, responsible="none") == 0
    diabetes = ExperienceArea.objects.get(slug="diabetes")
    assert count(client, area=diabetes.pk) == 0
    first.areas.set([diabetes])  # a change of areas only
    assert count(client, area=diabetes.pk) == 1
    second.delete()
    assert count(client) == 1


def test_a_units_new_name_is_searched_at_once(client, login, coordinator):
    other = CareUnitFactory(name="Hudmottagningen")
    submitted_request(unit=other, title="Ett")
    login(client, coordinator)
    assert count(client, q="Ögon") == 0
    other.name = "Ögonmottagningen"
    other.save()
    assert count(client, q="Ögon") == 1


def test_mine_is_each_coordinators_own(client, login, coordinator, unit):
    colleague = UserFactory(email="kollega@regionexempel.se", roles=[Role.COORDINATOR], mfa=True)
    services.assign(submitted_request(unit=unit), coordinator, actor=coordinator)
    login(client, coordinator)
    assert count(client, responsible="me") == 1
    login(client, colleague)
    assert count(client, responsible="me") == 0


def test_two_units_of_the_same_name_have_their_own_counts(client, login, coordinator):
    a, b = CareUnitFactory(name="Vårdcentralen", organisation="A"), CareUnitFactory(name="Vårdcentralen", organisation="B")
    submitted_request(unit=a)
    login(client, coordinator)
    assert count(client, unit=a.pk) == 1
    assert count(client, unit=b.pk) == 0


def test_the_units_offered_follow_each_change_of_a_unit(client, login, coordinator):
    from requests_app.models import CareUnit

    first = CareUnitFactory(name="Hudmottagningen", organisation="Region A")
    login(client, coordinator)
    assert ">Hudmottagningen</option>" in client.get(BOARD).content.decode()
    assert ">Hudmottagningen</option>" in client.get(BOARD).content.decode()  # kept, as this process read it
    first.name = "Hud- och könsmottagningen"
    first.save()
    page = client.get(BOARD).content.decode()
    assert ">Hud- och könsmottagningen</option>" in page and ">Hudmottagningen</option>" not in page
    CareUnitFactory(name="Ögonmottagningen", organisation="Region B")
    page = client.get(BOARD).content.decode()
    assert '<optgroup label="Region B">' in page and ">Ögonmottagningen</option>" in page
    CareUnit.objects.filter(pk=first.pk).delete()
    assert ">Hud- och könsmottagningen</option>" not in client.get(BOARD).content.decode()
