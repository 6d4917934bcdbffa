import email
import smtplib
from email.message import EmailMessage
from pathlib import Path

from coprod.environment import free_port
from coprod.smtp_sink import SmtpSink


def test_every_message_lands_as_an_eml_file(tmp_path: Path) -> None:
    sink = SmtpSink(tmp_path / "outbox", free_port())
    sink.start()
    try:
        for number in range(2):
            message = EmailMessage()
            message["From"] = "coprod@example.org"
            message["To"] = f"cog-{number}@example.org"
            message["Subject"] = f"New opportunity {number}"
            message.set_content("Help choose the new lounge furniture.")
            with smtplib.SMTP("127.0.0.1", sink.port) as client:
                client.send_message(message)
    finally:
        sink.stop()
    saved = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(saved) == 2
    received = [email.message_from_bytes(path.read_bytes()) for path in saved]
    assert sorted(str(m["To"]) for m in received) == ["cog-0@example.org", "cog-1@example.org"]
    assert "lounge furniture" in received[0].get_payload()
    assert not list((tmp_path / "outbox").glob(".*"))
