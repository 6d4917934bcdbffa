"""Care & Support services: opened and closed."""

from enum import StrEnum

from .base import Date, EventData, Id, Name


class ServiceType(StrEnum):
    supported_accommodation = "supported_accommodation"
    retirement_living = "retirement_living"
    floating_support = "floating_support"
    other = "other"


class ServiceRegistered(EventData):
    service_id: Id
    name: Name
    service_type: ServiceType
    region: Id
    opened_on: Date | None = None


class ServiceClosed(EventData):
    service_id: Id
    closed_on: Date
