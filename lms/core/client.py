"""Who is asking: the one rule for a request's client address, and the part of it that stands
for one client (an IPv6 /64). Rate limits and podcast download counts both read it from here."""

import ipaddress

from django.conf import settings


def client_address(request):
    """The address of the person asking, for rate limits and podcast download counts.

    With no proxy in front (development), REMOTE_ADDR. Behind `TRUSTED_PROXY_HOPS` proxies
    (nginx in front of gunicorn is one), REMOTE_ADDR is the nearest proxy, and the client is the
    address the outermost trusted proxy appended to X-Forwarded-For: that many entries from the
    right. Entries further left were written by the client and can be forged, so they are never
    read."""
    hops = getattr(settings, "TRUSTED_PROXY_HOPS", 0)
    remote = request.META.get("REMOTE_ADDR", "")
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:
        return remote  # not the chain we were told to expect: fall back to the peer
    return forwarded[-hops]


def network(ip):
    """The part of an address that identifies one client: an IPv4 address whole, an IPv6
    address's /64 (one household or phone, which can take any address inside it), an
    IPv4-mapped IPv6 address as IPv4. Anything that is not an address is kept as it is."""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip.strip()
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
