from django.core.management import call_command

from accounts.enums import Role
from accounts.models import User
from registry.models import ExperienceResource
from requests_app.models import CareUnit


def test_seed_demo_creates_one_user_per_role_once(db, capsys):
    call_command("seed_demo", "--if-empty")
    call_command("seed_demo", "--if-empty")

    out = capsys.readouterr().out
    assert "samordnare@regionexempel.se" in out
    for role in Role:
        assert User.objects.filter(role_grants__role=role).count() == 1
    assert ExperienceResource.objects.count() == 36
    assert CareUnit.objects.count() == 6
    assert all(u.cost_centre for u in CareUnit.objects.all())


def test_seed_demo_refuses_production(db, settings):
    import pytest
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo")
