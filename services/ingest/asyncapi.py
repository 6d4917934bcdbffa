"""The AsyncAPI document of the event streams, from FastStream's own specification support.

FastStream only describes the streams here: the relay and the consumers use redis-py directly (see
`shared.consuming`), and each entry's one field, `event`, holds the message described below."""

from __future__ import annotations

from typing import Any, Literal, Union

from faststream.redis import RedisBroker
from faststream.specification import AsyncAPI
from pydantic import AwareDatetime, BaseModel, create_model

from shared.events import EVENT_TYPES, FAMILIES, family_of
from shared.streams import DEFAULT_PREFIX, stream_name


def asyncapi_document(redis_url: str = "redis://127.0.0.1:6379/0") -> dict[str, Any]:
    broker = RedisBroker(redis_url)
    for family in FAMILIES:
        broker.publisher(
            stream=stream_name(family, DEFAULT_PREFIX),
            title=f"{family} events",
            description=f"Every stored {family}.* event, in position order, in the entry field `event`.",
            schema=_message_model(family),
        )
    specification = AsyncAPI(broker, title="coprod event streams", version="1", description=__doc__)
    document: dict[str, Any] = specification.to_specification().to_jsonable()
    return document


def _message_model(family: str) -> type[BaseModel]:
    types = tuple(t for t in EVENT_TYPES if family_of(t) == family)
    data_models = tuple(EVENT_TYPES[t] for t in types)
    fields: dict[str, Any] = {
        "position": (int, ...),
        "specversion": (Literal["1.0"], ...),
        "id": (str, ...),
        "source": (str, ...),
        "type": (Literal[types], ...),
        "time": (AwareDatetime, ...),
        "subject": (str | None, None),
        "data": (Union[data_models], ...),  # noqa: UP007
    }
    model: type[BaseModel] = create_model(f"{family.capitalize()}StreamMessage", **fields)
    return model
