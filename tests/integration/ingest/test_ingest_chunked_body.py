"""A body without Content-Length is measured while it streams in: refused at the limit, never held whole."""

from collections.abc import Iterator
from pathlib import Path

import httpx
from ingest_helpers import WRITER, bearer
from ingest_processes import PIDS, Database, ingest_env, ingest_processes, peak_memory_mib

MIB = 2**20
SENT_MIB = 200


def chunked(total_mib: int, sent: list[int]) -> Iterator[bytes]:
    """A JSON array that never ends, 1 MiB a chunk; `sent` counts what went out."""
    yield b"["
    chunk = b'"' + b"x" * (MIB - 4) + b'",'
    for _ in range(total_mib):
        sent[0] += len(chunk)
        yield chunk


def test_a_huge_chunked_body_is_refused_without_ingest_holding_it(
    database: Database, redis_url: str, stream_prefix: str, tmp_path: Path
) -> None:
    env = ingest_env(database, redis_url, stream_prefix, tmp_path)
    with ingest_processes(env, count=1) as (url,):
        before = peak_memory_mib(PIDS[url])
        sent = [0]
        headers = {**bearer(WRITER), "Content-Type": "application/cloudevents-batch+json"}
        with httpx.Client(base_url=url, timeout=120) as client:
            answer = client.post("/v1/events", content=chunked(SENT_MIB, sent), headers=headers)
            assert answer.status_code == 413, answer.text
            assert "larger than 5 MB" in answer.json()["detail"]
            assert client.get("/healthz").status_code == 200
        grew = peak_memory_mib(PIDS[url]) - before
    assert grew < 50, f"ingest's peak memory grew by {grew:.0f} MiB while {sent[0] / MIB:.0f} MiB were sent"
