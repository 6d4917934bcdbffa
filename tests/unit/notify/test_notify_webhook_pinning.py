from services.notify.channels.http import is_public, pinned


def test_a_webhook_goes_to_the_address_that_was_checked_with_its_own_name_for_tls() -> None:
    url, headers, extensions = pinned("https://hooks.example.com:8443/in/abc?x=1", "93.184.216.34")
    assert url == "https://93.184.216.34:8443/in/abc?x=1"
    assert headers == {"Host": "hooks.example.com:8443"}
    assert extensions == {"sni_hostname": "hooks.example.com"}


def test_an_ipv6_address_is_bracketed() -> None:
    assert pinned("https://hooks.example.com/in", "2606:2800:220:1::1")[0] == "https://[2606:2800:220:1::1]/in"


def test_private_loopback_link_local_and_mapped_addresses_are_not_public() -> None:
    for address in ("10.1.2.3", "192.168.0.9", "127.0.0.1", "169.254.169.254", "::1", "::ffff:10.0.0.1", "fc00::1"):
        assert not is_public(address), address
    assert is_public("93.184.216.34")
