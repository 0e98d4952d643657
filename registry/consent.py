"""The consent text a person agrees to when applying. A new wording gets a new version."""

from django.utils.translation import gettext_lazy as _

CONSENT_VERSION = "2026-1"
CONSENT_TEXT = _(
    "Jag samtycker till att Levande bibliotek sparar uppgifterna i min anmälan, också uppgifter om "
    "min hälsa, för att kunna kontakta mig och fråga mig om uppdrag. Bara samordnarna ser mina "
    "uppgifter om hälsa. Jag kan när som helst ta tillbaka mitt samtycke, och då tas mina uppgifter bort."
)
