"""What later apps may listen to. The registry never imports them."""

from django.dispatch import Signal

# Sent inside the transaction that erased a person's data: sender=ExperienceResource,
# resource. Whoever handed the person a link (an inquiry, an invitation) ends it here, so
# no link outlives the person.
resource_erased = Signal()
