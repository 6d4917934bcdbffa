"""Every answer of every service matches its OpenAPI document (schema, status code, content type) and none is a
500 (schemathesis, ten generated requests per operation, against the three services running together)."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterable, Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from three_services import KEY, three_services

from services.ingest.app import create_app as create_ingest
from services.ingest.examples import EXAMPLES, example_event
from services.ingest.settings import IngestSettings
from services.notify.app import create_app as create_notify
from services.notify.settings import NotifySettings
from services.projections.app import create_app as create_projections
from services.projections.settings import ProjectionsSettings
from shared.db import drop_schema

AUTH = {"Authorization": f"Bearer {KEY}"}
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


@pytest.fixture(scope="module")
def urls(
    postgres_url: str | None, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    data_dir = tmp_path_factory.mktemp("api")
    names = ("ingest", "projections", "notify")
    if postgres_url is None:
        url, schemas = f"sqlite+aiosqlite:///{data_dir / 'api.db'}", dict.fromkeys(names)
    else:
        url, schemas = postgres_url, {n: f"t_{uuid.uuid4().hex[:12]}_{n}" for n in names}
        asyncio.run(_create_schemas(postgres_url, schemas.values()))
    with three_services(url, schemas, redis_url, f"test-{uuid.uuid4().hex[:12]}:", data_dir) as found:
        _sample_events(found["ingest"])
        yield found
    if postgres_url is not None:
        asyncio.run(_drop_schemas(postgres_url, schemas.values()))


async def _create_schemas(url: str, schemas: Iterable[str | None]) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        for schema in schemas:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    await engine.dispose()


async def _drop_schemas(url: str, schemas: Iterable[str | None]) -> None:
    for schema in schemas:
        await drop_schema(url, str(schema))


def _sample_events(ingest: str) -> None:
    batch = [example_event(t, f"sample-{n}") for n, t in enumerate(EXAMPLES)]
    answer = httpx.post(f"{ingest}/v1/events", json=batch, headers=AUTH, timeout=30)
    assert answer.status_code == 202, answer.text


def _document(service: str) -> schemathesis.schemas.BaseSchema:
    """The document each service serves at /openapi.json, made from its app without starting it."""
    make = {"ingest": (create_ingest, IngestSettings), "projections": (create_projections, ProjectionsSettings),
            "notify": (create_notify, NotifySettings)}[service]
    return schemathesis.openapi.from_dict(make[0](make[1]()).openapi())  # type: ignore[operator]


EXAMPLES_EACH = settings(
    max_examples=int(os.environ.get("COPROD_SCHEMATHESIS_EXAMPLES", "10")), deadline=None,
    suppress_health_check=list(HealthCheck),
)
"""Ten requests per operation in CI; set COPROD_SCHEMATHESIS_EXAMPLES for a longer search."""


@_document("ingest").parametrize()
@EXAMPLES_EACH
def test_ingest_answers_as_documented(case: schemathesis.Case, urls: dict[str, str]) -> None:
    case.call_and_validate(base_url=urls["ingest"], headers=AUTH, checks=CHECKS)


@_document("projections").parametrize()
@EXAMPLES_EACH
def test_projections_answers_as_documented(case: schemathesis.Case, urls: dict[str, str]) -> None:
    case.call_and_validate(base_url=urls["projections"], headers=AUTH, checks=CHECKS)


@_document("notify").parametrize()
@EXAMPLES_EACH
def test_notify_answers_as_documented(case: schemathesis.Case, urls: dict[str, str]) -> None:
    case.call_and_validate(base_url=urls["notify"], headers=AUTH, checks=CHECKS)
