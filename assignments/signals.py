"""What later apps (compensation, evaluations, insights) may listen to. Assignments never imports them."""

from django.dispatch import Signal

# Sent inside the transaction that changed the status: sender=Assignment, assignment,
# previous (AssignmentStatus), actor.
assignment_status_changed = Signal()

# Sent inside the transaction when an assignment becomes done (completion confirmed or
# resolved): sender=Assignment, assignment, actor. Compensation computes fees from it.
assignment_done = Signal()

# Sent inside the transaction when the last party signed a version: sender=Agreement,
# agreement. The PDF is rendered from it (after commit, in a task; a sweep catches any missed).
agreement_signed = Signal()
