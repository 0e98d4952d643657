from django.db import models
from django.utils.translation import gettext_lazy as _


class Respondent(models.TextChoices):
    """Who answers an evaluation: the unit's contact person, or the experience resource."""

    UNIT = "unit", _("Verksamheten")
    RESOURCE = "resource", _("Erfarenhetsresursen")


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Betyg 1–5")
    YES_NO = "yes_no", _("Ja eller nej")
    TEXT = "text", _("Fritext")


# A rating at or below this is shown on the coordinators' follow-up list.
LOW_RATING = 2
RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]


class FollowUpKind(models.TextChoices):
    """The kinds of item on the coordinators' follow-up list."""

    NO_EVALUATION = "no_evaluation", _("Genomfört uppdrag utan utvärdering")
    LOW_RATING = "low_rating", _("Lågt betyg i en utvärdering")
    DISPUTED = "disputed", _("Ifrågasatt genomförande")
    UNSIGNED = "unsigned", _("Överenskommelse som aldrig skrevs under")
    NO_MATCH = "no_match", _("Förfrågan som avslutades utan matchning")
    NEVER_ASKED = "never_asked", _("Aktiv person som inte tillfrågats på 12 månader")
    DECLINED_THRICE = "declined_thrice", _("Person som tackat nej tre gånger i rad")


class FollowUpMethod(models.TextChoices):
    CALL = "call", _("Samtal")
    MEETING = "meeting", _("Möte")
    EMAIL = "email", _("E-post eller brev")
    OTHER = "other", _("Annat")
