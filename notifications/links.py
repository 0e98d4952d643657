"""Links that carry a secret are never stored in the outbox.

An answer link (an inquiry, an event, the yearly question) lets whoever holds it act for the
person without signing in. A stored mail therefore holds a placeholder where the link's token
goes, e.g. `https://…/svara/lbsecret-inquiry_answer-42/`, and the token is made only when the
mail is handed to the mail server (`fill`). Anyone who reads the outbox (an administrator, a
database backup) sees a link that does nothing.

An earlier app cannot know a later app's tokens, so each app registers how to make its own
in `AppConfig.ready()`: `links.register("inquiry_answer", token_for_inquiry)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

PLACEHOLDER = re.compile(r"lbsecret-([a-z_]+)-(\d+)")

# kind → a function from the object's id to its token, or None if the object is gone.
_TOKENS: dict[str, Callable[[int], str | None]] = {}


class LinkGone(Exception):
    """The object a stored link pointed to no longer exists (e.g. the person was erased)."""


def register(kind: str, token_for: Callable[[int], str | None]) -> None:
    if not re.fullmatch(r"[a-z_]+", kind):
        raise ValueError(f"link kind {kind!r}: lowercase letters and _ only")
    _TOKENS[kind] = token_for


def placeholder(kind: str, pk: int) -> str:
    """What goes into the stored mail where the token will be."""
    if kind not in _TOKENS:
        raise KeyError(f"no token maker registered for {kind!r}")
    return f"lbsecret-{kind}-{int(pk)}"


def fill(text: str) -> str:
    """`text` with every placeholder replaced by a fresh token. Raises LinkGone."""

    def token(match: re.Match) -> str:
        made = _TOKENS[match.group(1)](int(match.group(2))) if match.group(1) in _TOKENS else None
        if made is None:
            raise LinkGone(match.group(0))
        return made

    return PLACEHOLDER.sub(token, text)
