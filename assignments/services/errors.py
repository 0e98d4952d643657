"""What cannot be done with an assignment; every message is for the user."""

from django.utils.translation import gettext as _


class AssignmentError(Exception):
    """Something that cannot be done with this assignment; the message is for the user."""


class TransitionError(AssignmentError):
    pass


class StaleVersion(AssignmentError):
    def __init__(self):
        super().__init__(
            _(
                "Någon annan ändrade uppdraget medan du hade sidan öppen. Sidan visar nu hur det ser ut; "
                "gör om din ändring om den fortfarande behövs."
            )
        )


class AgreementChanged(AssignmentError):
    """The version shown is not the current one any more (answered with 409)."""

    def __init__(self):
        super().__init__(
            _(
                "Överenskommelsen ändrades medan du läste den, så den är inte underskriven. "
                "Läs den nya versionen nedan och skriv under den om du godkänner den."
            )
        )


class SigningError(AssignmentError):
    pass


class SigningLocked(SigningError):
    def __init__(self, minutes: int):
        super().__init__(
            _("För många felaktiga koder. Av säkerhetsskäl kan du skriva under igen om %(minutes)s minuter.")
            % {"minutes": minutes}
        )
