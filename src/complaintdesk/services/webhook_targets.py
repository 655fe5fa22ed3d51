"""Where a webhook may be sent: a centre's allow-list, or else anywhere but this machine's own addresses.

A webhook makes the server send requests to an address an admin typed, so it can be turned against the
services beside it (a database console on localhost, a cloud metadata endpoint). With
``COMPLAINTDESK_WEBHOOK_ALLOWED_HOSTS`` set (``crm.example.com, *.corp.example.cn, 10.20.0.0/16``) only
those hosts are accepted; without it, loopback, link-local, unspecified and multicast addresses and
``localhost`` names are refused. The check runs when a subscription is made and again before each send
(the setting may have changed since).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.settings import get_settings

SETTING = "COMPLAINTDESK_WEBHOOK_ALLOWED_HOSTS"


def _allowed_entries() -> list[str]:
    raw = get_settings().webhook_allowed_hosts or ""
    return [entry.strip().lower() for entry in raw.split(",") if entry.strip()]


def _as_ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _matches(host: str, entry: str) -> bool:
    ip = _as_ip(host)
    if "/" in entry or _as_ip(entry) is not None:
        if ip is None:
            return False
        try:
            return ip in ipaddress.ip_network(entry, strict=False)
        except ValueError:
            return False
    if entry.startswith("*."):
        return host.endswith(entry[1:])
    return host == entry


def _internal(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    ip = _as_ip(host)
    if ip is None:
        return False
    return ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast or ip.is_reserved


def refusal(url: str) -> str | None:
    """Why this URL may not receive webhooks, or None when it may."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return "url 不是有效的地址"
    if not host:
        return "url 缺少主机名"
    entries = _allowed_entries()
    if entries:
        if not any(_matches(host, entry) for entry in entries):
            return f"url 的主机 {host} 不在允许的 Webhook 地址列表中（{SETTING}）"
        return None
    if _internal(host):
        return f"url 不能指向本机或链路本地地址（{host}）；确需如此，请在 {SETTING} 中明确允许"
    return None


def check(url: str) -> None:
    reason = refusal(url)
    if reason is not None:
        raise InvalidInput(reason, field="url")
