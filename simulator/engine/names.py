"""``did you mean``: the closest known names to a mistyped one, for error messages."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, choices: Iterable[str], *, limit: int = 3, cutoff: float = 0.6) -> list[str]:
    """The ``limit`` choices most like ``word``: alike enough by ``difflib``'s ratio, then fewest edits first
    (a swap of two neighbours counts as one, the usual typo: ``62340`` is closest to ``62304``)."""
    word = str(word)
    matcher = difflib.SequenceMatcher(b=word)
    scored = []
    for choice in dict.fromkeys(choices):
        matcher.set_seq1(choice)
        if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff and matcher.ratio() >= cutoff:
            scored.append((edits(choice, word), -matcher.ratio(), choice))
    return [choice for *_, choice in sorted(scored)[:limit]]


def whole(value: object) -> object:
    """``value`` as an ``int`` when it is a whole number (``5`` or ``5.0``: JSON does not tell them apart);
    anything else (a bool, ``5.5``, a string) unchanged, for the caller to refuse."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def did_you_mean(word: str, choices: Iterable[str], *, limit: int = 3) -> str:
    """`` (did you mean 'a' or 'b'?)`` for the known names closest to ``word``, or ``""``."""
    return suggestion(closest(word, choices, limit=limit))


def suggestion(close: list[str]) -> str:
    """`` (did you mean 'a', 'b' or 'c'?)`` for names found close, or ``""`` for none."""
    if not close:
        return ""
    quoted = [repr(name) for name in close]
    listed = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    return f" (did you mean {listed}?)"


def edits(a: str, b: str) -> int:
    """Insertions, deletions, substitutions and swaps of neighbours that turn ``a`` into ``b``."""
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
    return row[len(b)]
