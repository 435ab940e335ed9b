"""Where an entry is used, asked of the features that use it.

Programs sit below the features that record them (classes), so they cannot look there
themselves: a feature registers a finder (`register(finder)`), which is asked for the uses of
some entries of one model and answers with `Use`s. A used entry cannot be deleted, and its
validity must keep covering the dates of every use (`service.save_entry`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Use:
    """One thing recorded under an entry: a class, a component of a program, a plan."""

    entry_id: int
    label: str  # in the reader's language: "lớp TH-01", "hợp phần Dự án 7 / Tiểu dự án 1"
    start: date | None = None  # the dates the entry must stay valid on (None: no limit)
    end: date | None = None


Finder = Callable[[type, Sequence[int]], Iterable[Use]]
_FINDERS: list[Finder] = []


def register(finder: Finder) -> None:
    """Add a finder (once; features call this from their init_app)."""
    if finder not in _FINDERS:
        _FINDERS.append(finder)


def uses(model: type, ids: Sequence[int]) -> dict[int, list[Use]]:
    """The uses of the entries `ids` of `model`, by entry id (entries without use absent): one
    query per finder that knows the model, whatever the number of entries."""
    found: dict[int, list[Use]] = {}
    if not ids:
        return found
    for finder in _FINDERS:
        for use in finder(model, list(ids)):
            found.setdefault(use.entry_id, []).append(use)
    return found


def uses_of(entry) -> list[Use]:
    if entry.id is None:
        return []
    return uses(type(entry), [entry.id]).get(entry.id, [])
