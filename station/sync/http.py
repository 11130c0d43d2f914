"""A small JSON-over-HTTP client on the standard library, one connection kept alive.

It tells apart the two ways a request can fail, because they need different
handling: `Unreachable(in_doubt=False)` when the request certainly never
reached the server (no route, refused, TLS failure before sending), and
`Unreachable(in_doubt=True)` when it may have been received and acted on
(timeout or connection lost while waiting for the answer).
"""

from __future__ import annotations

import http.client
import json
import ssl
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import urlsplit


class Unreachable(Exception):
    def __init__(self, reason: str, in_doubt: bool):
        super().__init__(reason)
        self.reason = reason
        self.in_doubt = in_doubt


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        """The body as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return None

    def retry_after(self, now: float) -> float | None:
        """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
        value = self.headers.get("retry-after", "").strip()
        if not value:
            return None
        if value.isdigit():
            return float(value)
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - now)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None


class Transport(Protocol):
    def post(self, path: str, body: bytes, headers: dict[str, str] | None = None) -> Response: ...
    def post_json(
        self, path: str, payload: Any, headers: dict[str, str] | None = None
    ) -> Response: ...
    def close(self) -> None: ...


class HttpClient:
    """POSTs to one base URL (http or https) over a kept-alive connection."""

    def __init__(self, base_url: str, timeout: float = 15.0):
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {base_url!r}")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port
        self.prefix = parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
        self.timeout = timeout
        self._conn: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self._conn is None:
            if self.scheme == "https":
                conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                    self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                conn.connect()
            except OSError as exc:
                conn.close()
                raise Unreachable(f"cannot connect to {self.host}: {exc}", in_doubt=False) from exc
            self._conn = conn
        return self._conn

    def post(self, path: str, body: bytes, headers: dict[str, str] | None = None) -> Response:
        """One POST. Never resent here: only the caller knows whether that is safe."""
        all_headers = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        conn = self._connect()
        try:
            conn.request("POST", (self.prefix + path) or "/", body=body, headers=all_headers)
            answer = conn.getresponse()
            data = answer.read()
        except TimeoutError as exc:
            self.close()
            raise Unreachable(f"no answer within {self.timeout:g} s", in_doubt=True) from exc
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise Unreachable(f"connection lost: {exc}", in_doubt=True) from exc
        if answer.will_close:
            self.close()
        return Response(answer.status, data, {k.lower(): v for k, v in answer.getheaders()})

    def post_json(self, path: str, payload: Any, headers: dict[str, str] | None = None) -> Response:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        return self.post(path, body, headers)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
