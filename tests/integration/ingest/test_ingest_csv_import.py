from pathlib import Path
from typing import Any

import orjson
import pytest

from services.ingest.csv_import import IMPORTABLE, import_file
from services.ingest.docs import sample_csv
from services.ingest.migrate import upgrade
from services.ingest.settings import IngestSettings
from services.ingest.store import EventStore
from shared.db import make_engine

HEADER = "activity_id,occurred_on,activity_type,level,mode,topics,summary\n"


async def stored(settings: IngestSettings) -> list[dict[str, Any]]:
    engine = make_engine(settings.database_url_for("ingest"), settings.database_schema)
    try:
        await upgrade(engine, settings.database_schema)
        return [orjson.loads(e.body) for e in await EventStore(engine).read(0, 10_000)]
    finally:
        await engine.dispose()


def write(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "activities.csv"
    path.write_text(HEADER + rows)
    return path


async def test_a_good_file_is_stored_once_however_often_it_is_imported(
    settings: IngestSettings, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "a1,2025-06-01,meeting,consulting,virtual,garden;food,Tea and talk\na2,2025-06-02,survey,informing,written,,\n",
    )
    assert await import_file(path, "engagement.recorded", "urn:sheet:north", False, settings) == 0
    assert await import_file(path, "engagement.recorded", "urn:sheet:north", False, settings) == 0
    events = await stored(settings)
    assert [e["data"] for e in events] == [
        {
            "activity_id": "a1",
            "occurred_on": "2025-06-01",
            "activity_type": "meeting",
            "level": "consulting",
            "mode": "virtual",
            "topics": ["garden", "food"],
            "summary": "Tea and talk",
        },
        {
            "activity_id": "a2",
            "occurred_on": "2025-06-02",
            "activity_type": "survey",
            "level": "informing",
            "mode": "written",
        },
    ]
    assert events[0]["time"] == "2025-06-01T00:00:00+00:00"


async def test_bad_rows_are_reported_by_line_and_field_and_nothing_is_stored(
    settings: IngestSettings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "a1,2025-06-01,meeting,consulting,virtual,,\n"
        "a2,2025-06-02,survey,shouting,written,,\n"
        "a3,,survey,informing,written,,call 07700 900123\n",
    )
    assert await import_file(path, "engagement.recorded", "urn:sheet:north", False, settings) == 1
    report = " ".join(capsys.readouterr().err.split())
    assert "line 3: data.level" in report
    assert "line 4: data.occurred_on" in report
    assert "line 4: data.summary" in report
    assert await stored(settings) == []
    assert await import_file(path, "engagement.recorded", "urn:sheet:north", True, settings) == 0
    assert [e["data"]["activity_id"] for e in await stored(settings)] == ["a1"]


@pytest.mark.parametrize("event_type", IMPORTABLE)
async def test_every_sample_csv_imports(event_type: str, settings: IngestSettings, tmp_path: Path) -> None:
    path = tmp_path / f"{event_type}.csv"
    path.write_text(sample_csv(event_type))
    assert await import_file(path, event_type, "urn:sheet:samples", False, settings) == 0
    assert [e["type"] for e in await stored(settings)] == [event_type]


def test_the_committed_samples_are_up_to_date() -> None:
    for event_type in IMPORTABLE:
        committed = Path(__file__).parents[3] / "docs" / "samples" / f"{event_type}.csv"
        assert committed.read_text() == sample_csv(event_type)
