import pytest

from shared.ingest_client import ingest_urls


def test_one_or_several_addresses_separated_by_commas() -> None:
    assert ingest_urls("http://a:8001/") == ["http://a:8001"]
    assert ingest_urls("http://a:8001, http://b:8001,") == ["http://a:8001", "http://b:8001"]


def test_no_address_is_refused_in_plain_words() -> None:
    with pytest.raises(ValueError, match="holds no address"):
        ingest_urls(" , ")
