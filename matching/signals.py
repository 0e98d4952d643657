"""What later apps may listen to. Matching never imports them."""

from django.dispatch import Signal

# Sent inside the transaction that confirmed the choice, after the request became matched:
# sender=UnitRequest, unit_request, chosen (list of Inquiry, now CHOSEN), actor.
# Assignments makes one assignment per chosen person from it.
choice_confirmed = Signal()
