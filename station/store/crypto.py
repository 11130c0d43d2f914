"""Privacy at rest: recipients' names, phones and addresses, and buyers' notes
(which hold phones and addresses as often as not), are stored encrypted.

AES-256-GCM, one random nonce per value, the column name as associated data (a
value moved to another column does not decrypt). A stored value reads
`enc1:` + base64(nonce + ciphertext + tag); anything else is plaintext from
before encryption (or written by a tool that bypassed the store) and is returned
as it is. Empty values stay empty.

The key belongs to the data folder. It lives in the OS keyring (service
"PackingStation", one entry per data folder). Where no keyring works (headless
Linux benches, CI) or STATION_KEY_STORE=file, it lives in `station.key` in the
data folder, readable only by its owner, and a warning is logged. The database
records which key encrypted it (`privacy_key.key_id`): a different or missing
key is refused with KeyUnavailable instead of a new key silently being made.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

log = logging.getLogger(__name__)

SERVICE = "PackingStation"
KEY_FILE = "station.key"
KEY_STORE_ENV = "STATION_KEY_STORE"
PREFIX = "enc1:"
PERSONAL_COLUMNS = ("recipient_name", "recipient_phone", "address")
NOTE_COLUMN = "buyer_note"
_NONCE = 12
_NOT_DIGIT = re.compile(r"\D")
_CACHE_ATTRIBUTE = "_station_cipher"


class KeyUnavailable(RuntimeError):
    """The data is encrypted but this data folder's key cannot be found."""


@dataclass(frozen=True)
class FieldCipher:
    key: bytes
    _aead: AESGCM = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # One AESGCM per key: building it for every value doubled an import's sealing time.
        object.__setattr__(self, "_aead", AESGCM(self.key))

    @property
    def key_id(self) -> str:
        """Names the key without revealing it."""
        return hashlib.sha256(b"packing-station key id\0" + self.key).hexdigest()[:16]

    def seal(self, column: str, text: str) -> str:
        if not text:
            return text
        nonce = secrets.token_bytes(_NONCE)
        sealed = self._aead.encrypt(nonce, text.encode(), column.encode())
        return PREFIX + base64.b64encode(nonce + sealed).decode("ascii")

    def seal_many(self, column: str, texts: Sequence[str]) -> list[str]:
        """`seal` for a whole column of an import: one call for all the nonces."""
        associated = column.encode()
        nonces = os.urandom(_NONCE * len(texts))
        encrypt, encode = self._aead.encrypt, base64.b64encode
        sealed = []
        for n, text in enumerate(texts):
            if text:
                nonce = nonces[n * _NONCE : (n + 1) * _NONCE]
                text = PREFIX + encode(nonce + encrypt(nonce, text.encode(), associated)).decode()
            sealed.append(text)
        return sealed

    def open(self, column: str, stored: str) -> str:
        if not is_sealed(stored):
            return stored
        raw = base64.b64decode(stored[len(PREFIX) :])
        try:
            return self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], column.encode()).decode()
        except InvalidTag as exc:
            raise KeyUnavailable(
                f"A stored {column} does not decrypt with this data folder's key."
            ) from exc

    def blind(self, text: str) -> str:
        """A keyed fingerprint of a name, so an exact name can be found while the
        name itself stays encrypted: without the key it cannot be guessed from a
        list of common names."""
        normal = "".join(text.split()).casefold()
        if not normal:
            return ""
        # HMAC-SHA256, as the stored indexes were made; `digest` is the faster kind.
        message = b"name-index\0" + normal.encode()
        return hmac.digest(self.key, message, "sha256").hex()[:24]

    def digest(self, purpose: str, text: str) -> str:
        """A keyed fingerprint of `text` for one purpose (at most 16 ASCII characters):
        keyed BLAKE2b, 96 bits. A third of HMAC-SHA256's time, which an import of
        100,000 orders notices."""
        return hashlib.blake2b(
            text.encode(), key=self.key, person=purpose.encode(), digest_size=12
        ).hexdigest()


def is_sealed(stored: object) -> bool:
    return isinstance(stored, str) and stored.startswith(PREFIX)


def phone_last4(phone: str) -> str:
    """The last four digits of a phone, kept in clear for search."""
    digits = _NOT_DIGIT.sub("", phone)
    return digits[-4:] if len(digits) >= 4 else ""


def name_index(db: sqlite_utils.Database, name: str) -> str:
    """The searchable fingerprint of a recipient's name (see FieldCipher.blind)."""
    return cipher_for(db).blind(name)


def seal(db: sqlite_utils.Database, column: str, text: str) -> str:
    """`text` as it is stored in `column`."""
    return cipher_for(db).seal(column, text) if text else text


def reveal(db: sqlite_utils.Database, column: str, stored: str) -> str:
    """A stored value of `column` as text (plaintext values pass through)."""
    return cipher_for(db).open(column, stored) if is_sealed(stored) else stored


def cipher_for(db: sqlite_utils.Database) -> FieldCipher:
    """The data folder's cipher, found (or, for a database without one, made) once
    per connection."""
    cached = getattr(db, _CACHE_ATTRIBUTE, None)
    if isinstance(cached, FieldCipher):
        return cached
    path = _database_path(db)
    cipher = _MEMORY_CIPHER if path is None else _folder_cipher(db, path.parent)
    setattr(db, _CACHE_ATTRIBUTE, cipher)
    return cipher


_MEMORY_CIPHER = FieldCipher(AESGCM.generate_key(bit_length=256))


def _database_path(db: sqlite_utils.Database) -> Path | None:
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return Path(file) if file else None
    return None


def _folder_cipher(db: sqlite_utils.Database, folder: Path) -> FieldCipher:
    recorded = _recorded_key_id(db)
    key = load_key(folder)
    if key is None:
        if recorded is not None:
            raise KeyUnavailable(
                f"The personal data in {folder} is encrypted, but its key is neither in this "
                f"computer's keyring nor in {folder / KEY_FILE}. Restore the key (the keyring "
                "of the computer that made the data, or its station.key) to read it."
            )
        key = create_key(folder)
    cipher = FieldCipher(key)
    if recorded is None:
        db.execute(
            "INSERT OR IGNORE INTO privacy_key (id, key_id, created_at) "
            "VALUES (1, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
            [cipher.key_id],
        )
    elif recorded != cipher.key_id:
        raise KeyUnavailable(
            f"The key found for {folder} is not the key its database was encrypted with. "
            "Was the data folder copied from another computer? Bring its key along."
        )
    return cipher


def _recorded_key_id(db: sqlite_utils.Database) -> str | None:
    row = db.execute("SELECT key_id FROM privacy_key WHERE id = 1").fetchone()
    return row[0] if row else None


def _account(folder: Path) -> str:
    return f"data-key:{Path(folder).resolve()}"


def _use_keyring() -> bool:
    return os.environ.get(KEY_STORE_ENV, "keyring") != "file"


def load_key(folder: Path) -> bytes | None:
    """The folder's key from its key file, else from the keyring; None if neither."""
    path = Path(folder) / KEY_FILE
    if path.is_file():
        return _decode(path.read_text(encoding="ascii").strip(), path)
    if not _use_keyring():
        return None
    try:
        import keyring

        stored = keyring.get_password(SERVICE, _account(folder))
    except Exception as exc:  # any backend failure means: no usable keyring here
        log.info("no usable keyring (%s)", type(exc).__name__)
        return None
    return None if stored is None else _decode(stored, "the keyring")


def create_key(folder: Path) -> bytes:
    """A new key, in the keyring if one works, else in the key file (with a warning)."""
    key = AESGCM.generate_key(bit_length=256)
    encoded = base64.b64encode(key).decode("ascii")
    if _use_keyring():
        try:
            import keyring

            keyring.set_password(SERVICE, _account(folder), encoded)
            if keyring.get_password(SERVICE, _account(folder)) == encoded:
                log.info("encryption key for %s stored in the OS keyring", folder)
                return key
        except Exception as exc:  # any backend failure: fall back to the key file
            log.info("keyring refused the key (%s)", type(exc).__name__)
    _write_key_file(Path(folder) / KEY_FILE, encoded)
    log.warning(
        "No OS keyring is available: the encryption key of %s is kept in %s "
        "(readable only by this user). Anyone who can read the whole data folder can "
        "read the personal data in it.",
        folder,
        KEY_FILE,
    )
    return key


def _write_key_file(path: Path, encoded: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, (encoded + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(partial, path)


def _decode(encoded: str, where: object) -> bytes:
    key = base64.b64decode(encoded)
    if len(key) != 32:
        raise KeyUnavailable(f"The encryption key in {where} is not a 256-bit key.")
    return key
