"""Trends' table of the services that moved up (or down) the ladder, quarter on quarter (projections' average rung)."""

from __future__ import annotations

from typing import Any

from .asked import Asked
from .tables import Cell, Column, Table, number, words

MOVED = {"up": "Up", "down": "Down", "same": "No change"}


def _rung(value: float) -> Cell:
    return Cell(f"{value:.1f}", value)


def moves_table(asked: Asked, rows: list[dict[str, Any]]) -> Table:
    ups = sum(r["moved"] == "up" for r in rows)
    quarters = f"from {rows[0]['quarter_before']} to {rows[0]['quarter']}" if rows else "quarter on quarter"
    title = (f"Services that moved up the ladder {quarters}: {ups} of {len(rows)} with activities in both quarters "
             "(average rung: educating 1, informing 2, consulting 3, engaging 4, co-designing 5, co-producing 6)")
    columns = [Column("service", "Service"), Column("before", "Average rung, quarter before", True),
               Column("now", "Average rung, this quarter", True), Column("activities", "Activities this quarter", True),
               Column("moved", "Moved")]
    return Table("moves", title, columns, [[
        words(asked.dims.name_of(r["service_id"])), _rung(r["rung_before"]), _rung(r["rung"]),
        number(r["activities"]), Cell(MOVED[r["moved"]], ("up", "same", "down").index(r["moved"])),
    ] for r in rows])
