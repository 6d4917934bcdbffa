import json
import socket
from pathlib import Path

import pytest

from coprod.environment import chosen_port, free_port, keys_for, service_env, service_ports
from shared.settings import CommonSettings

USER_KEYS = json.dumps([{"name": "mine", "key": "k" * 20, "scopes": ["write"]}])


def test_without_user_keys_a_development_key_is_made_once(tmp_path: Path) -> None:
    first = keys_for({}, tmp_path)
    second = keys_for({}, tmp_path)
    assert first.dev and first.dev == second.dev
    assert (tmp_path / "dev-api-key").read_text().strip() == first.dev
    assert first.internal != second.internal
    names = [entry["name"] for entry in json.loads(first.api_keys_json)]
    assert names == ["development", "coprod-internal", "coprod-web"]


def test_user_keys_are_kept_and_only_the_internal_key_is_added(tmp_path: Path) -> None:
    keys = keys_for({"COPROD_API_KEYS": USER_KEYS}, tmp_path)
    assert keys.dev is None
    assert not (tmp_path / "dev-api-key").exists()
    assert [entry["name"] for entry in json.loads(keys.api_keys_json)] == ["mine", "coprod-internal", "coprod-web"]


def test_unreadable_user_keys_are_refused_plainly(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="COPROD_API_KEYS is not valid JSON"):
        keys_for({"COPROD_API_KEYS": "[{"}, tmp_path)


def test_service_env_is_read_by_the_shared_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ports = service_ports({"COPROD_NOTIFY_PORT": "9103", "COPROD_WEB_PORT": "9100"})
    assert ports == {"web": 9100, "ingest": 8001, "projections": 8002, "notify": 9103}
    keys = keys_for({}, tmp_path)
    env = service_env({"HOME": "/x"}, tmp_path, ports, "redis://127.0.0.1:6390/0", "smtp://127.0.0.1:2525", keys)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = CommonSettings()
    assert settings.redis_url == "redis://127.0.0.1:6390/0"
    assert settings.ingest_url == "http://127.0.0.1:8001"
    assert settings.service_api_key and settings.service_api_key.get_secret_value() == keys.internal
    assert {key.name for key in settings.api_keys} == {"development", "coprod-internal", "coprod-web"}
    assert env["COPROD_NOTIFY_PORT"] == "9103"
    assert env["COPROD_PUBLIC_URL"] == "http://127.0.0.1:9103"


def test_a_busy_default_port_gives_way_to_a_free_one() -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        taken = busy.getsockname()[1]
        assert chosen_port({}, "COPROD_EMBEDDED_REDIS_PORT", taken) != taken
    wanted = free_port()
    assert chosen_port({"COPROD_EMBEDDED_REDIS_PORT": str(wanted)}, "COPROD_EMBEDDED_REDIS_PORT", 1) == wanted


def test_a_busy_service_port_is_said_plainly(tmp_path: Path) -> None:
    import socket

    from coprod.up import ServiceFailed, System

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        system = System({"COPROD_DATA_DIR": str(tmp_path), "COPROD_INGEST_PORT": str(port)})
        with pytest.raises(ServiceFailed, match=f"port {port} for ingest is already in use"):
            system.start()
        system.stop()


def test_the_dashboard_takes_another_port_when_8000_is_taken() -> None:
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            taken.bind(("127.0.0.1", 8000))
        except OSError:
            pass  # something here holds 8000 already, which is the case in question
        taken.listen()
        assert service_ports({})["web"] != 8000
    assert service_ports({"COPROD_WEB_PORT": "8000"})["web"] == 8000  # asked for: kept, and refused if taken
