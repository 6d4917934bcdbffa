"""The shapes of notify's HTTP answers and of the contact it takes, for the OpenAPI document."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class ContactIn(BaseModel):
    """How to reach a champion: any of the three. Checked again by `ContactDetails`; never shown back."""

    model_config = ConfigDict(
        extra="forbid",
        hide_input_in_errors=True,
        json_schema_extra={"examples": [{"email": "sam@example.org", "phone": "07700 900123"}]},
    )

    email: str | None = Field(None, description="an email address", max_length=254)
    phone: str | None = Field(None, description="a UK mobile number, or an international one starting with +")
    webhook_url: str | None = Field(None, description="a full https:// address alerts are posted to")


class OnFile(BaseModel):
    email: bool
    phone: bool
    webhook_url: bool


class ContactSaved(BaseModel):
    """Which ways of reaching the champion are now on file (the details themselves never come back)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"champion_id": "cog-7", "on_file": {"email": True, "phone": True, "webhook_url": False}}]
        }
    )

    champion_id: str
    on_file: OnFile


class Delivery(BaseModel):
    """One alert to one champion: its status, channel, attempts and times."""

    notification_id: str
    opportunity_id: str
    champion_id: str
    status: str = Field(examples=["sent"], description="pending, held, sending, sent or failed")
    channel: str | None = Field(None, examples=["email"])
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = None
    possibly_sent_twice: bool = Field(
        False, description="notify died while this alert was with its channel and sent it again: it may have gone twice"
    )


class Deliveries(BaseModel):
    notifications: list[Delivery]
