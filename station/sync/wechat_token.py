"""Access tokens from /cgi-bin/stable_token, cached until five minutes before expiry.

Stable tokens do not invalidate each other, so the station and the merchant's
other systems can share an AppID. After WeChat refuses a token (40001, 42001)
the cache fetches again; only if that returns the very token just refused does
it force a refresh, which WeChat limits to 20 a day, 30 s apart.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeGuard

from station.sync.http import Transport, Unreachable
from station.sync.outcome import TargetProblem
from station.sync.wechat_errors import QUOTA_SECONDS, Kind, classify, describe, errcode, errmsg

EARLY_SECONDS = 300.0
FORCE_GAP_SECONDS = 30.0
PATH = "/cgi-bin/stable_token"


class TokenCache:
    def __init__(
        self,
        client: Transport,
        appid: str,
        secret: str,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.client = client
        self.appid = appid
        self._secret = secret
        self.clock = clock
        self._token: str | None = None
        self._valid_until = 0.0
        self._last_forced = -FORCE_GAP_SECONDS
        self.fetches = 0

    def get(self) -> str:
        if self._token is None or self.clock() >= self._valid_until:
            self._token = self._fetch(force=False)
        return self._token

    def refresh(self, refused: str) -> str:
        """A fresh token after WeChat refused `refused`."""
        self._token = None
        token = self._fetch(force=False)
        if token == refused and self.clock() - self._last_forced >= FORCE_GAP_SECONDS:
            self._last_forced = self.clock()
            token = self._fetch(force=True)
        self._token = token
        return token

    def _fetch(self, force: bool) -> str:
        self.fetches += 1
        request = {
            "grant_type": "client_credential",
            "appid": self.appid,
            "secret": self._secret,
            "force_refresh": force,
        }
        try:
            response = self.client.post_json(PATH, request)
        except Unreachable as exc:
            raise TargetProblem(exc.reason, in_doubt=False, offline=True) from exc
        document = response.json()
        token = document.get("access_token") if isinstance(document, dict) else None
        expires = document.get("expires_in") if isinstance(document, dict) else None
        if response.status == 200 and isinstance(token, str) and token and _seconds(expires):
            self._valid_until = self.clock() + max(0.0, float(expires) - EARLY_SECONDS)
            return token
        code = errcode(document)
        if code is None:
            raise TargetProblem(
                f"no usable access token (HTTP {response.status})", in_doubt=False, offline=False
            )
        kind = classify(code)
        raise TargetProblem(
            "cannot get an access token: " + describe(code, errmsg(document)),
            in_doubt=False,
            offline=False,
            retry_after=QUOTA_SECONDS.get(code) if kind is Kind.QUOTA else None,
        )


def _seconds(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0
