"""The generic HTTPS webhook target: JSON batches, signed, with idempotency keys.

The contract is docs/webhook-openapi.yaml. Each record carries its own
idempotency key (the receiver keeps the first result per key), and the batch
has an `Idempotency-Key` header derived from its records' keys, so a resent
batch is byte-identical. `X-Station-Signature: sha256=<hex>` is HMAC-SHA256 of
the raw body with the target's key from the keyring.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from station.store.outbox import Record
from station.sync.http import Transport, Unreachable
from station.sync.outcome import TargetProblem, UploadResult
from station.sync.target import Sending, not_noted

SIGNATURE_HEADER = "X-Station-Signature"
ACCEPTED = ("accepted", "duplicate")


def sign(key: str, body: bytes) -> str:
    return "sha256=" + hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


def batch_body(records: list[Record]) -> tuple[str, bytes]:
    """The batch's key and exact body bytes: the same records give the same bytes."""
    keys = [r.idempotency_key for r in records]
    batch_key = "batch-" + hashlib.sha256("\n".join(keys).encode()).hexdigest()[:32]
    document = {
        "batch_key": batch_key,
        "records": [
            {
                "idempotency_key": r.idempotency_key,
                "event": r.event,
                "created_at": r.created_at,
                "data": r.payload,
            }
            for r in records
        ],
    }
    return batch_key, json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


class WebhookTarget:
    def __init__(
        self,
        name: str,
        client: Transport,
        key: str,
        batch: int = 200,
        clock: Callable[[], float] = time.time,
    ):
        self.name = name
        self.takes_voids = True
        self.settle_seconds = 0.0
        self.client = client
        self.key = key
        self.batch = batch
        self.clock = clock

    def deliver(
        self, records: list[Record], in_doubt: Mapping[int, str], sending: Sending = not_noted
    ) -> list[UploadResult]:
        """One signed batch. Its idempotency keys make a resend harmless, so nothing is
        noted before sending and in-doubt records need no settle time."""
        batch_key, body = batch_body(records)
        headers = {"Idempotency-Key": batch_key, SIGNATURE_HEADER: sign(self.key, body)}
        try:
            response = self.client.post("", body, headers)
        except Unreachable as exc:
            raise TargetProblem(exc.reason, in_doubt=exc.in_doubt, offline=True) from exc
        status = response.status
        if status in (401, 403):
            raise TargetProblem(
                f"the webhook refused our signature (HTTP {status}): check the key with "
                f"`station sync secret set {self.name}`",
                in_doubt=False,
                offline=False,
            )
        if status in (429, 503) or status >= 500:
            raise TargetProblem(
                f"the webhook is busy or failing (HTTP {status})",
                in_doubt=True,
                offline=False,
                retry_after=response.retry_after(self.clock()),
            )
        results = _results(response.json())
        if 200 <= status < 300:
            return [_accepted(results.get(r.idempotency_key)) for r in records]
        reason = _reason(response.json()) or f"HTTP {status}"
        return [_rejected(results.get(r.idempotency_key), status, reason) for r in records]

    def state(self) -> dict[str, str]:
        return {}

    def close(self) -> None:
        self.client.close()


def _results(document: Any) -> dict[str, dict[str, Any]]:
    """Per-record results by idempotency key; anything malformed is ignored."""
    if not isinstance(document, dict) or not isinstance(document.get("results"), list):
        return {}
    found = {}
    for item in document["results"]:
        if isinstance(item, dict) and isinstance(item.get("idempotency_key"), str):
            found[item["idempotency_key"]] = item
    return found


def _reason(document: Any) -> str:
    if isinstance(document, dict):
        for key in ("reason", "error", "message"):
            value = document.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()[:300]
    return ""


def _accepted(result: dict[str, Any] | None) -> UploadResult:
    """A 2xx stored every record except those it lists as rejected."""
    if result is None or result.get("status") in ACCEPTED:
        return UploadResult.done()
    if result.get("status") == "rejected":
        reason = _reason(result) or "rejected without a reason"
        return UploadResult.attention(f"the webhook rejected it: {reason}")
    return UploadResult.retry(f"the webhook answered an unknown status {result.get('status')!r}")


def _rejected(result: dict[str, Any] | None, status: int, reason: str) -> UploadResult:
    if result is not None and result.get("status") in ACCEPTED:
        return UploadResult.done()
    if result is not None:
        reason = _reason(result) or reason
    what = "conflicts with what the webhook already holds" if status == 409 else "was rejected"
    return UploadResult.attention(f"it {what} (HTTP {status}): {reason}")
