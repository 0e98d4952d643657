"""Prisbasbelopp 2023–2026 (regeringens beslut); administrators add later years in /admin/."""

from django.db import migrations

AMOUNTS = {2023: 52_500, 2024: 57_300, 2025: 58_800, 2026: 59_200}


def seed(apps, schema_editor):
    PriceBaseAmount = apps.get_model("compensation", "PriceBaseAmount")
    for year, amount in AMOUNTS.items():
        PriceBaseAmount.objects.get_or_create(year=year, defaults={"amount": amount})


class Migration(migrations.Migration):
    dependencies = [("compensation", "0001_rates_fees_payees_payouts")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
