"""Regular expressions that run in time linear in their input: Google's RE2, which never backtracks.

A typed wrapper over RE2's own matcher on UTF-8 bytes: the `re2` package ships no type hints, and its
`str` interface maps every match's offsets back to characters, which costs more than the match itself.
"""

from __future__ import annotations

import re2
from re2 import _re2

_UNANCHORED = _re2.RE2.Anchor.UNANCHORED
_BOTH = _re2.RE2.Anchor.ANCHOR_BOTH
_NO_MATCH = (-1, -1)


class Pattern:
    def __init__(self, pattern: str) -> None:
        self._re = _re2.RE2(pattern.encode(), re2.Options())
        if not self._re.ok():
            raise ValueError(f"not an RE2 pattern: {self._re.error()}")
        self._names = {index: name.decode() for name, index in self._re.NamedCapturingGroups()}

    def whole(self, text: bytes) -> bool:
        return bool(self._re.Match(_BOTH, text, 0, len(text))[0] != _NO_MATCH)

    def first_match(self, text: bytes, position: int = 0) -> tuple[int, int, str] | None:
        """The first match from `position` on: its start and end (in bytes) and the first named group in it."""
        spans = self._re.Match(_UNANCHORED, text, position, len(text))
        if spans[0] == _NO_MATCH:
            return None
        name = next((self._names[i] for i in sorted(self._names) if spans[i] != _NO_MATCH), "")
        return spans[0][0], spans[0][1], name
