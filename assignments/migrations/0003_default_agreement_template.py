"""Version 1 of the agreement's standard clauses, so agreements can be drafted from the start.
Administrators write new versions in /admin/; agreements keep the version they were made from."""

from django.db import migrations

CLAUSES = {
    "cancellation": (
        "Kan du inte komma, hör av dig till kontaktpersonen så snart du vet det. Ställer verksamheten in ett "
        "uppdrag eller tillfälle gör den det så snart som möjligt. Båda parter kan ställa in uppdraget med ett "
        "skäl; den andra parten och samordnarna får då besked."
    ),
    "confidentiality": (
        "Du kommer att höra uppgifter om patienter. Allt du får veta om enskilda personers hälsa och "
        "personliga förhållanden omfattas av tystnadsplikt (offentlighets- och sekretesslagen). Det gäller "
        "också efter uppdraget. Kontaktpersonen går igenom vad det innebär innan ni börjar."
    ),
    "personal_data": (
        "Regionen behandlar ditt namn, dina kontaktuppgifter och uppgifterna i den här överenskommelsen för "
        "att genomföra uppdraget och betala arvode. Verksamheten får bara de kontaktuppgifter som står i "
        "överenskommelsen. Uppgifterna sparas så länge bokföringslagen kräver. Du kan läsa mer och begära ut "
        "dina uppgifter på Mina sidor."
    ),
    "support": (
        "Har du frågor eller behöver stöd före, under eller efter uppdraget, kontakta samordnarna för "
        "Levande bibliotek. Du kan alltid säga ifrån om något känns fel."
    ),
    "other": "Du medverkar utifrån din egen erfarenhet och bestämmer själv vad du vill berätta.",
}


def add_version_1(apps, schema_editor):
    AgreementTemplate = apps.get_model("assignments", "AgreementTemplate")
    AgreementTemplate.objects.get_or_create(version=1, defaults=CLAUSES)


class Migration(migrations.Migration):
    dependencies = [("assignments", "0002_reminder_fields")]

    operations = [migrations.RunPython(add_version_1, migrations.RunPython.noop)]
