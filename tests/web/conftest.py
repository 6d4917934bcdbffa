from __future__ import annotations

from collections.abc import Iterator

import pytest
from sample import ACTIVITIES_IN_PERIOD, PERIOD, world
from web_system import add_accounts, eventually, running_system, send, summary

from coprod.up import System


def _counted(system: System) -> bool | None:
    return summary(system, PERIOD)["engagement"]["activities"] == ACTIVITIES_IN_PERIOD or None


@pytest.fixture(scope="module")
def system(redis_url: str, postgres_url: str | None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    """One running system per test module, with the sample world counted."""
    with running_system(tmp_path_factory.mktemp("web"), redis_url, postgres_url) as running:
        add_accounts(running)
        send(running, world())
        eventually(lambda: _counted(running), "the sample world is counted")
        yield running
