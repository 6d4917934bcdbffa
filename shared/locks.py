"""PostgreSQL advisory locks of one coprod installation, whose keys are tied to the schema it keeps its tables in.

PostgreSQL scopes advisory locks to the database already; the second key is the hash of the schema the
connection's `search_path` names (`current_schema()`, or the path itself while that schema does not exist
yet), so two installations in two schemas of one database never wait for each other. The first key says what
the lock is for. Both are 32-bit hashes: two purposes (or two schemas) that collide would only take turns.
"""

from __future__ import annotations

from dataclasses import dataclass

_SCHEMA = "hashtext(coalesce(current_schema(), current_setting('search_path')))"


@dataclass(frozen=True)
class AdvisoryLock:
    """One lock, as SQL: `keys` are the arguments of `pg_advisory_lock(…)` and its kin."""

    purpose: str

    def __post_init__(self) -> None:
        if not self.purpose.replace(" ", "").replace("-", "").isalnum():
            raise ValueError(f"an advisory lock's purpose is plain words, not {self.purpose!r}")

    @property
    def keys(self) -> str:
        return f"hashtext('{self.purpose}'), {_SCHEMA}"

    def take(self, function: str = "pg_advisory_xact_lock") -> str:
        """`SELECT function(keys)`: the statement that takes (or tries, or shares) the lock."""
        return f"SELECT {function}({self.keys})"

    def held_in(self, locks: str) -> str:
        """A condition on `pg_locks` (aliased `locks`) that picks this lock out."""
        return (
            f"{locks}.locktype = 'advisory' AND {locks}.objsubid = 2 AND {locks}.classid = "
            f"hashtext('{self.purpose}')::oid AND {locks}.objid = {_SCHEMA}::oid"
        )
