"""The `enc1:` value format and the keyed fingerprints as the `_privacy_at_rest`,
`_keyed_dedupe_keys`, `_audit_chain` and `_sealed_buyer_notes` steps computed them
when they were released. Frozen: never edit; a new format is a new module.

AES-256-GCM, a random 12-byte nonce per value, the column name as associated
data; stored as `enc1:` + base64(nonce + ciphertext + tag). The name index is
HMAC-SHA256 over "name-index\\0" and the name without spaces, case-folded (first 24
hex digits); the duplicate-order fingerprint keyed BLAKE2b (96 bits, person
"order-dedupe"); an audit row's hash HMAC-SHA256 over "audit-chain\\0", the
previous row's hash, NUL and the row as compact JSON.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "enc1:"
_NONCE = 12
_NOT_DIGIT = re.compile(r"\D")


def is_sealed(stored: object) -> bool:
    return isinstance(stored, str) and stored.startswith(PREFIX)


def seal(key: bytes, column: str, text: str) -> str:
    if not text:
        return text
    nonce = secrets.token_bytes(_NONCE)
    sealed = AESGCM(key).encrypt(nonce, text.encode(), column.encode())
    return PREFIX + base64.b64encode(nonce + sealed).decode("ascii")


def reveal(key: bytes, column: str, stored: str) -> str:
    """The text of a stored value (plaintext from before sealing is returned as it is);
    a value that does not decrypt with `key` raises cryptography's InvalidTag."""
    if not is_sealed(stored):
        return stored
    raw = base64.b64decode(stored[len(PREFIX) :])
    return AESGCM(key).decrypt(raw[:_NONCE], raw[_NONCE:], column.encode()).decode()


def phone_last4(phone: str) -> str:
    digits = _NOT_DIGIT.sub("", phone)
    return digits[-4:] if len(digits) >= 4 else ""


def name_index(key: bytes, name: str) -> str:
    normal = "".join(name.split()).casefold()
    if not normal:
        return ""
    return hmac.digest(key, b"name-index\0" + normal.encode(), "sha256").hex()[:24]


def dedupe_key(
    key: bytes, name: str, phone: str, address: str, items: Iterable[tuple[str, int]]
) -> str:
    text = "|".join(
        (
            name.strip(),
            phone.strip(),
            "".join(address.split()),
            *sorted(f"{sku.upper()}*{quantity}" for sku, quantity in items),
        )
    )
    return hashlib.blake2b(
        text.encode(), key=key, person=b"order-dedupe", digest_size=12
    ).hexdigest()


AUDIT_COLUMNS = ("id", "at", "actor", "role", "action", "subject", "reason", "detail", "station")


def audit_link(key: bytes, previous: str, row: Sequence[Any]) -> str:
    """The hash of an audit row (AUDIT_COLUMNS) following a row hashed `previous`."""
    content = json.dumps(list(row), ensure_ascii=False, separators=(",", ":")).encode()
    message = b"audit-chain\0" + previous.encode("ascii") + b"\0" + content
    return hmac.new(key, message, hashlib.sha256).hexdigest()
