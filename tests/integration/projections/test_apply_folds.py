"""Each fold edge, applied for real to SQLite or PostgreSQL: what the read-model says afterwards."""

from __future__ import annotations

from typing import Any

from projection_helpers import Database, dump, event, store, stored, story

from services.projections.apply import apply_events
from services.projections.tables import read_model


async def rows_after(database: Database, raws: list[dict[str, Any]]) -> dict[str, list[tuple[Any, ...]]]:
    async with store(database) as engine:
        assert await apply_events(engine, read_model(1), stored(raws)) == len(raws)
        return await dump(engine, 1)


def by_key(rows: list[tuple[Any, ...]], names: list[str]) -> dict[Any, dict[str, Any]]:
    return {row[0]: dict(zip(names, row, strict=True)) for row in rows}


ACTIVITY = [c.name for c in read_model(1).activities.columns]


async def test_activities_fold_amendments_withdrawals_outcomes_and_their_service(database: Database) -> None:
    rows = await rows_after(database, story())
    activities = by_key(rows["activities"], ACTIVITY)
    a1, a2, a3 = activities["a1"], activities["a2"], activities["a3"]
    assert (a1["level"], a1["customers"], a1["colleagues"]) == ("co_producing", 5, 0)
    assert (a1["region"], a1["service_type"]) == ("north", "retirement_living")
    assert (a2["region"], a2["service_type"], str(a2["outcome_on"])) == ("east", "retirement_living", "2025-06-01")
    assert a3["withdrawn"] and a3["region"] is None and a3["service_type"] is None
    assert all(a["recorded"] for a in activities.values())


async def test_an_amendment_older_than_the_latest_does_not_win(database: Database) -> None:
    raws = [
        event("engagement.recorded", {"activity_id": "a", "occurred_on": "2025-05-01", "activity_type": "survey",
                                      "level": "informing", "mode": "written"}, "2025-05-01T09:00:00Z"),
        event("engagement.amended", {"activity_id": "a", "level": "engaging"}, "2025-05-03T09:00:00Z"),
        event("engagement.amended", {"activity_id": "a", "level": "consulting", "mode": "virtual"},
              "2025-05-02T09:00:00Z"),
    ]
    a = by_key((await rows_after(database, raws))["activities"], ACTIVITY)["a"]
    assert (a["level"], a["mode"], a["activity_type"]) == ("engaging", "virtual", "survey")


async def test_an_amendment_alone_is_not_yet_an_activity(database: Database) -> None:
    raws = [event("engagement.amended", {"activity_id": "a", "level": "engaging"})]
    assert not by_key((await rows_after(database, raws))["activities"], ACTIVITY)["a"]["recorded"]


async def test_a_service_changing_region_moves_the_activities_that_name_none(database: Database) -> None:
    rec = {"occurred_on": "2025-05-01", "activity_type": "survey", "level": "informing", "mode": "written"}
    raws = [
        event("engagement.recorded", {"activity_id": "mine", **rec, "service_id": "s"}),
        event("engagement.recorded", {"activity_id": "named", **rec, "service_id": "s", "region": "west"}),
        event("service.registered", {"service_id": "s", "name": "S", "service_type": "other", "region": "north"}),
        event("service.registered", {"service_id": "s", "name": "S", "service_type": "floating_support",
                                     "region": "south"}, "2025-07-01T00:00:00Z"),
    ]
    activities = by_key((await rows_after(database, raws))["activities"], ACTIVITY)
    assert (activities["mine"]["region"], activities["mine"]["service_type"]) == ("south", "floating_support")
    assert (activities["named"]["region"], activities["named"]["service_type"]) == ("west", "floating_support")


async def test_services_commitments_training_feedback_champions_opportunities(database: Database) -> None:
    rows = await rows_after(database, story())
    services = {row[0]: row for row in rows["services"]}
    assert [str(d) for d in services["s1"][4:]] == ["2025-06-01", "None"]
    assert [str(d) for d in services["s2"][4:]] == ["2024-01-01", "2025-09-30"]
    assert [(row[3], str(row[4])) for row in sorted(rows["commitment_events"], key=lambda r: str(r[4]))] == [
        ("signed", "2024-05-01"), ("lapsed", "2025-05-01"), ("renewed", "2025-08-01")
    ]
    assert rows["attendance"] == [("t1", "p1", "customer")]
    assert rows["feedback"][0][6:] == (rows["feedback"][0][6], True) and str(rows["feedback"][0][6]) == "2025-06-05"
    assert [str(rows["champions"][0][2]), str(rows["champions"][0][4])] == ["2025-04-02", "2025-10-01"]
    assert str(rows["opportunities"][0][5]) == "2025-06-01" and rows["sign_ups"][0][:3] == ("o1", "p1", "customer")
    assert sorted((row[0], row[4]) for row in rows["notifications"]) == [("n1", "sent"), ("n2", "failed")]
