"""Connecting to the hub: short timeouts, so an unreachable hub is known fast."""

from __future__ import annotations

import math

import psycopg


class HubUnreachable(RuntimeError):
    """The hub could not be asked (down, network cut, connection dropped)."""


def connect(url: str, timeout_s: float = 3.0) -> psycopg.Connection:
    """An autocommit connection; every statement is limited to `timeout_s` (psycopg's
    connect_timeout counts whole seconds, at least 2)."""
    try:
        return psycopg.connect(
            url,
            autocommit=True,
            connect_timeout=max(2, math.ceil(timeout_s)),
            options=f"-c statement_timeout={int(timeout_s * 1000)}",
            application_name="packing-station",
        )
    except psycopg.OperationalError as exc:
        raise HubUnreachable(_short(exc)) from exc


def _short(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def unreachable(exc: psycopg.Error) -> HubUnreachable:
    return HubUnreachable(_short(exc))


def order_key(order_no: str) -> str:
    """Order numbers ignore case, at the benches and so at the hub."""
    return order_no.strip().upper()
