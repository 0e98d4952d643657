"""A choice's label without Django's `get_FOO_display()`, which builds the choices' dict on every
call: on a list of 50 rows with a few labels each that is a noticeable share of the page."""


def choice_label(choices, value) -> str:
    """The label of `value` in a TextChoices/IntegerChoices class; the value itself if unknown."""
    try:
        return choices(value).label
    except ValueError:
        return value


def labels(choices) -> dict[str, str]:
    """A TextChoices class's labels by value, translated once for this request's language."""
    return {value: str(label) for value, label in choices.choices}
