"""``did you mean``: the closest known names to a mistyped one, for error messages."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str], *, limit: int = 3) -> str:
    """`` (did you mean 'a' or 'b'?)`` for the known names closest to ``word``, or ``""``."""
    close = difflib.get_close_matches(str(word), list(choices), n=limit, cutoff=0.6)
    if not close:
        return ""
    quoted = [repr(name) for name in close]
    listed = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    return f" (did you mean {listed}?)"
