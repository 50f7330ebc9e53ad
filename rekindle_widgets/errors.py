"""The one exception type for mistakes a person can make.

Anything a user can cause (a bad value, a missing file, an unreadable import)
raises :class:`RekindleError` with a one-sentence message saying what is wrong,
where, and how to fix it. The CLI prints it on one line and exits 2; widgets
show it next to the control. Everything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class RekindleError(ValueError):
    """A mistake in input a person gave us; the message is meant for them."""

    def __init__(self, message: str):
        # One line, always: the CLI and widgets show it as is.
        super().__init__(" ".join(str(message).split()))
