"""The KPI read-models: one set of tables per generation, so a rebuild fills new tables while the old serve.

Every event applied is kept in `facts` (its position is the record that it was applied, in the same
transaction as the read-model change). The other tables hold each thing's *current* state, folded
from all of its facts, so the order in which events arrive never matters. Their shape changes by a
rebuild (a new generation), not by a migration: they are disposable by design. The fixed tables
(which generation is live, how far it has got) are in `state.py` and migrated by alembic.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    event,
    text,
)
from sqlalchemy.engine import Connection

from shared.events.base import Mode
from shared.events.engagement import ActivityType, Level

READ_MODEL_VERSION = 9
"""Bump whenever a generation's tables or what they hold change: a live generation built with a lower version
is rebuilt when the projections start (upgrade.py). What each version came before: 1, the `coproduced_type_*`
rollup columns; 2, the feedback and alert rollups; 3, `outcome_months`; 4, the activities' date and region indexes
on SQLite alone; 5, counts of people as BIGINT; 6, `set_aside` and the contract's bounds (its facts may hold counts
past them, which overflowed sums); 7, alerts possibly sent twice; 8, the opportunities' details for the Menu of
Involvement and champions' membership of the national C&S Customer Group."""
ID = String(200)
NAME = String(64)


@dataclass(frozen=True)
class ReadModel:
    """The tables of one generation."""

    generation: int
    metadata: MetaData
    facts: Table
    services: Table
    activities: Table
    commitment_events: Table
    training_sessions: Table
    attendance: Table
    feedback: Table
    champions: Table
    opportunities: Table
    sign_ups: Table
    notifications: Table
    activity_days: Table
    activity_months: Table
    outcome_months: Table
    feedback_days: Table
    feedback_months: Table
    notification_days: Table
    set_aside: Table

    def rollups(self) -> dict[Table, tuple[Table, ...]]:
        """Each table that has rollups, and its rollups."""
        return {
            self.activities: (self.activity_days, self.activity_months, self.outcome_months),
            self.feedback: (self.feedback_days, self.feedback_months),
            self.notifications: (self.notification_days,),
        }


@cache
def read_model(generation: int) -> ReadModel:
    md = MetaData()
    p = f"projections_g{generation}_"
    facts = Table(
        p + "facts", md,
        Column("position", BigInteger, primary_key=True, autoincrement=False),
        Column("type", NAME, nullable=False),
        Column("key", ID, nullable=False, doc="the id of the thing the event is about"),
        Column("time", DateTime(timezone=True), nullable=False),
        Column("data", JSON, nullable=False, doc="the event's data as received (absent fields absent)"),
        Index(p + "facts_key", "key", "type"),
    )
    services = Table(
        p + "services", md,
        Column("service_id", ID, primary_key=True),
        Column("name", String(500)),
        Column("service_type", NAME),
        Column("region", ID),
        Column("opened_on", Date, doc="opened_on, else the date of service.registered's time"),
        Column("closed_on", Date),
    )
    activities = Table(
        p + "activities", md,
        Column("activity_id", ID, primary_key=True),
        Column("recorded", Boolean, nullable=False, doc="false while only amendments/outcomes have arrived"),
        Column("occurred_on", Date),
        Column("level", NAME),
        Column("activity_type", NAME),
        Column("mode", NAME),
        Column("service_id", ID),
        Column("named_region", ID, doc="the region the activity itself names, if any"),
        Column("region", ID, doc="the region the activity names, else its service's region"),
        Column("service_type", NAME, doc="its service's type"),
        Column("customers", BigInteger, nullable=False, default=0),
        Column("colleagues", BigInteger, nullable=False, default=0),
        Column("withdrawn", Boolean, nullable=False, default=False),
        Column("outcome_on", Date, doc="earliest communicated_on of its outcomes"),
        # SQLite reads the activities for every figure; PostgreSQL reads the rollups, so it is spared their upkeep.
        Index(p + "activities_when", "occurred_on").ddl_if(dialect="sqlite"),
        Index(p + "activities_region", "region", "occurred_on").ddl_if(dialect="sqlite"),
        Index(p + "activities_service", "service_id", "occurred_on"),
        Index(
            p + "activities_outcome", "outcome_on", "occurred_on",
            postgresql_include=["region", "service_id", "service_type"],
            postgresql_where=text(
                "recorded AND NOT withdrawn AND level IN ('consulting', 'engaging', 'co_designing', 'co_producing')"
            ),
        ),
    )
    activity_days, activity_months = _activity_rollup(md, p, "days"), _activity_rollup(md, p, "months")
    outcome_months = _outcome_rollup(md, p)
    _fold_into_rollups(activities, (activity_days, activity_months, outcome_months), p + "fold_days")
    commitment_events = Table(
        p + "commitment_events", md,
        Column("position", BigInteger, primary_key=True, autoincrement=False),
        Column("commitment_id", ID, nullable=False),
        Column("service_id", ID, nullable=False),
        Column("kind", NAME, nullable=False, doc="signed, renewed or lapsed"),
        Column("dated", Date, nullable=False),
        Column("review_due_on", Date),
        Column("time", DateTime(timezone=True), nullable=False),
        Index(p + "commitment_events_service", "service_id", "dated"),
    )
    training_sessions = Table(
        p + "training_sessions", md,
        Column("session_id", ID, primary_key=True),
        Column("held_on", Date),
        Column("module", String(500)),
        Column("mode", NAME),
        Column("region", ID),
    )
    attendance = Table(
        p + "attendance", md,
        Column("session_id", ID, primary_key=True),
        Column("person_id", ID, primary_key=True),
        Column("role", NAME, primary_key=True),
    )
    feedback = Table(
        p + "feedback", md,
        Column("feedback_id", ID, primary_key=True),
        Column("service_id", ID),
        Column("received_on", Date),
        Column("kind", NAME),
        Column("channel", ID),
        Column("theme", ID),
        Column("responded_on", Date),
        Column("action_taken", Boolean),
        Index(  # the few answered after a period, taken from what the rollups count as answered
            p + "feedback_responded", "responded_on", "received_on",
            postgresql_include=["service_id", "action_taken"], postgresql_where=text("responded_on IS NOT NULL"),
        ),
    )
    feedback_days, feedback_months = _feedback_rollup(md, p, "days"), _feedback_rollup(md, p, "months")
    _fold_into_rollups(feedback, (feedback_days, feedback_months), p + "fold_feedback")
    champions = Table(
        p + "champions", md,
        Column("champion_id", ID, primary_key=True),
        Column("role", NAME),
        Column("joined_on", Date),
        Column("region", ID),
        Column("left_on", Date),
        Column("national_customer_group", Boolean, nullable=False, default=False),
    )
    opportunities = Table(
        p + "opportunities", md,
        Column("opportunity_id", ID, primary_key=True),
        Column("title", String(5000)),
        Column("scope", NAME),
        Column("region", ID),
        Column("service_id", ID),
        Column("published_on", Date),
        Column("closes_on", Date),
        Column("closed_on", Date),
        Column("summary", String(5000)),
        Column("topics", Text, doc="its topic ids as a JSON list (JSON has no equality for upserts to compare)"),
        Column("open_to", NAME),
        Column("mode", NAME),
        Column("starts_at", DateTime(timezone=True)),
        Column("places", Integer),
        Column("location", String(5000)),
        Column("accessibility_support", String(5000)),
        Column("expenses_paid", Boolean, nullable=False, default=False),
        Column("how_to_take_part", String(5000)),
        Column("customer_group_meeting", Boolean, nullable=False, default=False),
    )
    sign_ups = Table(
        p + "sign_ups", md,
        Column("opportunity_id", ID, primary_key=True),
        Column("person_id", ID, primary_key=True),
        Column("role", NAME),
        Column("signed_up_on", Date),
    )
    notifications = Table(
        p + "notifications", md,
        Column("notification_id", ID, primary_key=True),
        Column("opportunity_id", ID),
        Column("champion_id", ID),
        Column("channel", NAME),
        Column("status", NAME, doc="sent or failed"),
        Column("possibly_sent_twice", Boolean, nullable=False, default=False, doc="sent again after a crash mid-send"),
        Column("dated", Date),
        Index(p + "notifications_opportunity", "opportunity_id", "status"),  # alerts sent, per opportunity listed
    )
    notification_days = _notification_rollup(md, p)
    _fold_into_rollups(notifications, (notification_days,), p + "fold_notifications")
    return ReadModel(
        generation, md, facts, services, activities, commitment_events, training_sessions, attendance,
        feedback, champions, opportunities, sign_ups, notifications, activity_days, activity_months, outcome_months,
        feedback_days, feedback_months, notification_days, set_aside_table(md, p),
    )


def set_aside_table(md: MetaData, p: str) -> Table:
    """The events this generation could not apply (set_aside.py): their positions count as passed, so the
    watermark goes on past them; one applied later (replay-dead-letters) is in `facts` too, and no longer counts."""
    return Table(
        p + "set_aside", md,
        Column("position", BigInteger, primary_key=True, autoincrement=False),
        Column("event_id", String(200)),
        Column("type", String(200)),
        Column("reason", String(2000), nullable=False, doc="why, in plain words"),
        Column("set_aside_at", DateTime(timezone=True), nullable=False),
    )


LEVELS = [level.value for level in Level]
ACTIVITY_TYPES = [kind.value for kind in ActivityType]
MODES = [mode.value for mode in Mode]
CONSULTING_OR_ABOVE = LEVELS[LEVELS.index("consulting"):]
DAY_COUNTS = (
    ["activities", "customers", "colleagues", "consulting_with_outcome"]
    + [f"level_{v}" for v in LEVELS] + [f"type_{v}" for v in ACTIVITY_TYPES] + [f"mode_{v}" for v in MODES]
    + [f"coproduced_type_{v}" for v in ACTIVITY_TYPES]
)
FEEDBACK_COUNTS = ["received", "responded", "actioned"]
PEOPLE_COUNTS = {"customers", "colleagues"}
"""Sums of people, which grow past 32 bits long before counts of rows could: BIGINT (the rest are INTEGER)."""


@dataclass(frozen=True)
class Summing:
    """How a rollup is summed from the rows of its table: each key and each count as an SQL expression."""

    keys: dict[str, str]
    counts: dict[str, str]
    where: str


def _per(day: str, per: str) -> str:
    return f"date_trunc('month', {day})::date" if per == "months" else day


def _rollup(md: MetaData, name: str, keys: list[Column[Any]], summing: Summing) -> Table:
    """A rollup kept by PostgreSQL triggers on its table, so writers need do nothing; empty on SQLite, where the
    KPI queries read the tables directly. Missing keys are stored as ''; a key whose rows went stays, at zero."""
    counts = (
        Column(count, BigInteger if count in PEOPLE_COUNTS else Integer, nullable=False, default=0)
        for count in summing.counts
    )
    return Table(name, md, *keys, *counts, info={"summing": summing})


def _activity_rollup(md: MetaData, p: str, per: str) -> Table:
    """Counted activities (recorded, not withdrawn) summed per day (or per month: `day` is then its first day),
    service, region and type, so a summary need not read every activity.

    `consulting_with_outcome` counts activities at consulting or above with any outcome; `coproduced_type_*` the
    co-produced activities of each type (co-production by type needs both dimensions at once).
    """
    levels = ", ".join(f"'{v}'" for v in CONSULTING_OR_ABOVE)
    sums = ["count(*)", "sum(customers)", "sum(colleagues)",
            f"count(*) filter (where level in ({levels}) and outcome_on is not null)"]
    sums += [f"count(*) filter (where level = '{v}')" for v in LEVELS]
    sums += [f"count(*) filter (where activity_type = '{v}')" for v in ACTIVITY_TYPES]
    sums += [f"count(*) filter (where mode = '{v}')" for v in MODES]
    sums += [f"count(*) filter (where level = 'co_producing' and activity_type = '{v}')" for v in ACTIVITY_TYPES]
    summing = Summing(
        keys={"day": _per("occurred_on", per), "service_id": "coalesce(service_id, '')",
              "region": "coalesce(region, '')", "service_type": "coalesce(service_type, '')"},
        counts=dict(zip(DAY_COUNTS, sums, strict=True)),
        where="recorded AND NOT withdrawn AND occurred_on IS NOT NULL",
    )
    keys: list[Column[Any]] = [
        Column("day", Date, primary_key=True), Column("service_id", ID, primary_key=True),
        Column("region", ID, primary_key=True), Column("service_type", NAME, primary_key=True),
    ]
    table = _rollup(md, p + f"activity_{per}", keys, summing)
    Index(p + f"activity_{per}_region", table.c.region, table.c.day)
    return table


def _outcome_rollup(md: MetaData, p: str) -> Table:
    """Counted activities at consulting or above with an outcome, per month they occurred and month their outcome
    was communicated (and service, region and type): how many of a run of whole months were answered only after
    it, without reading them."""
    levels = ", ".join(f"'{v}'" for v in CONSULTING_OR_ABOVE)
    summing = Summing(
        keys={"day": _per("occurred_on", "months"), "outcome_month": _per("outcome_on", "months"),
              "service_id": "coalesce(service_id, '')", "region": "coalesce(region, '')",
              "service_type": "coalesce(service_type, '')"},
        counts={"outcomes": "count(*)"},
        where=f"recorded AND NOT withdrawn AND occurred_on IS NOT NULL AND outcome_on IS NOT NULL "
              f"AND level IN ({levels})",
    )
    keys: list[Column[Any]] = [
        Column("day", Date, primary_key=True), Column("outcome_month", Date, primary_key=True),
        Column("service_id", ID, primary_key=True), Column("region", ID, primary_key=True),
        Column("service_type", NAME, primary_key=True),
    ]
    return _rollup(md, p + "outcome_months", keys, summing)


def _feedback_rollup(md: MetaData, p: str, per: str) -> Table:
    """Feedback summed per day received (or month) and service. `responded` and `actioned` count every answer,
    however late: an answer after a period is taken away when the period is read."""
    summing = Summing(
        keys={"day": _per("received_on", per), "service_id": "coalesce(service_id, '')"},
        counts=dict(zip(FEEDBACK_COUNTS, [
            "count(*)", "count(*) filter (where responded_on is not null)",
            "count(*) filter (where responded_on is not null and action_taken)",
        ], strict=True)),
        where="received_on IS NOT NULL",
    )
    keys: list[Column[Any]] = [Column("day", Date, primary_key=True), Column("service_id", ID, primary_key=True)]
    return _rollup(md, p + f"feedback_{per}", keys, summing)


def _notification_rollup(md: MetaData, p: str) -> Table:
    """Alerts sent and failed per day, and of those sent the ones possibly sent twice (a year is a few hundred rows)."""
    summing = Summing(
        keys={"day": "dated"},
        counts={
            **{status: f"count(*) filter (where status = '{status}')" for status in ("sent", "failed")},
            "possibly_sent_twice": "count(*) filter (where status = 'sent' and possibly_sent_twice)",
        },
        where="dated IS NOT NULL",
    )
    return _rollup(md, p + "notification_days", [Column("day", Date, primary_key=True)], summing)


def rollup_insert(rollup: Table, rows: str, sign: str = "") -> str:
    """Add (or with sign '-', take away) the rows of `rows` to a rollup: the triggers use it on their transition
    tables, a rebuild once on the whole table."""
    summing: Summing = rollup.info["summing"]
    keys, counts = list(summing.keys), list(summing.counts)
    by = ", ".join(str(n + 1) for n in range(len(keys)))
    return (
        f"INSERT INTO {rollup.name} AS d ({', '.join(keys + counts)}) "
        f"SELECT {', '.join(summing.keys.values())}, {', '.join(sign + s for s in summing.counts.values())} "
        f"FROM {rows} WHERE {summing.where} GROUP BY {by} ORDER BY {by} "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET "
        + ", ".join(f"{c} = d.{c} + excluded.{c}" for c in counts) + ";"
    )


def _fold_into_rollups(source: Table, rollups: tuple[Table, ...], function: str) -> None:
    def fold(rows: str, sign: str) -> str:
        return " ".join(rollup_insert(rollup, rows, sign) for rollup in rollups)

    body = (
        f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {fold('old_rows', '-')} END IF; "
        f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {fold('new_rows', '')} END IF; "
        "RETURN NULL; END $$"
    )
    transitions = {"INSERT": "NEW TABLE AS new_rows", "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                   "DELETE": "OLD TABLE AS old_rows"}
    statements = [body] + [
        f"CREATE TRIGGER {function}_{op.lower()} AFTER {op} ON {source.name} REFERENCING {referencing} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        for op, referencing in transitions.items()
    ]

    def create(_: Table, connection: Connection, **__: Any) -> None:
        if connection.dialect.name == "postgresql":
            for statement in statements:
                connection.exec_driver_sql(statement)

    def drop(_: Table, connection: Connection, **__: Any) -> None:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {function}()")

    event.listen(source, "after_create", create)
    event.listen(source, "after_drop", drop)
