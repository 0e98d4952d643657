"""What later apps may listen to. The requests app never imports them."""

from django.dispatch import Signal

# Sent inside the transaction that changed the status: sender=UnitRequest, unit_request,
# previous (RequestStatus), actor. Matching closes open inquiries when a request closes.
request_status_changed = Signal()
