"""Rate limits and download counts read the client's address, not the proxy's, and only from
the part of X-Forwarded-For that a trusted proxy wrote (lms/core/client.py); an IPv6 client is
its /64."""

import pytest
from django.test import RequestFactory

from lms.core.client import client_address, network


def request(remote="10.0.0.5", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_proxy_the_peer_is_the_client_and_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_HOPS = 0
    assert client_address(request("203.0.113.9", forwarded="198.51.100.1")) == "203.0.113.9"


def test_behind_one_proxy_the_address_it_appended_is_the_client(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_address(request("127.0.0.1", forwarded="203.0.113.9")) == "203.0.113.9"


def test_a_forged_entry_written_by_the_client_is_not_believed(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    forged = request("127.0.0.1", forwarded="1.2.3.4, 203.0.113.9")
    assert client_address(forged) == "203.0.113.9"


def test_behind_two_proxies_the_outer_ones_entry_is_read(settings):
    settings.TRUSTED_PROXY_HOPS = 2
    chain = request("10.0.0.2", forwarded="1.2.3.4, 2001:db8::7, 10.0.0.1")
    assert client_address(chain) == "2001:db8::7"


def test_a_missing_header_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_address(request("127.0.0.1")) == "127.0.0.1"


def test_in_production_allauth_and_the_site_trust_the_same_proxies():
    """Sign-in rate limits (allauth) and download counts read the client from the same place:
    with nginx in front, both see the visitor, not nginx."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import django; django.setup()\n"
        "from django.test import RequestFactory\n"
        "from allauth.account.adapter import get_adapter\n"
        "from lms.core.client import client_address\n"
        "r = RequestFactory().get('/', REMOTE_ADDR='127.0.0.1', "
        "HTTP_X_FORWARDED_FOR='1.2.3.4, 203.0.113.9')\n"
        "print(client_address(r), get_adapter().get_client_ip(r))\n"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "learning.example.org",
        "DATABASE_URL": "sqlite:////tmp/lms-proxy-check.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["203.0.113.9", "203.0.113.9"]


@pytest.mark.parametrize(
    "address, client",
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2::7", "2001:db8:1:2::/64"),
        ("2001:0db8:0001:0002:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("", ""),
    ],
)
def test_one_client_is_an_ipv4_address_or_an_ipv6_64(address, client):
    """An IPv6 household or phone can take any address in its /64: all of them are one client
    (for rate limits and download counts alike), and the next /64 is another."""
    assert network(address) == client
    assert network("2001:db8:1:3::7") != network("2001:db8:1:2::7")
