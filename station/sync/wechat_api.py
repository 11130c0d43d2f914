"""One WeChat API call: access token in the query, refreshed once when refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from station.sync.http import Transport, Unreachable
from station.sync.outcome import TargetProblem, UploadResult
from station.sync.wechat_errors import (
    QUOTA_SECONDS,
    TOKEN,
    Kind,
    classify,
    describe,
    errcode,
    errmsg,
)
from station.sync.wechat_token import TokenCache


@dataclass(frozen=True)
class Reply:
    """WeChat's answer. `code` is None when the answer is not a WeChat answer at all
    (an HTTP error, a proxy's page, broken JSON): nothing can be concluded from it."""

    status: int
    code: int | None
    message: str
    data: dict[str, Any] = field(default_factory=dict)
    retry_after: float | None = None


class WeChatApi:
    def __init__(self, client: Transport, tokens: TokenCache):
        self.client = client
        self.tokens = tokens

    def call(self, path: str, payload: dict[str, Any], now: float = 0.0) -> Reply:
        """POST `payload`; raises Unreachable (from the transport) or TargetProblem
        (no token). A refused token is refreshed and the call made once more."""
        token = self.tokens.get()
        reply = self._post(path, payload, token, now)
        if reply.code in TOKEN:
            reply = self._post(path, payload, self.tokens.refresh(token), now)
        return reply

    def _post(self, path: str, payload: dict[str, Any], token: str, now: float) -> Reply:
        response = self.client.post_json(f"{path}?access_token={token}", payload)
        document = response.json()
        code = errcode(document) if response.status == 200 else None
        return Reply(
            status=response.status,
            code=code,
            message=errmsg(document),
            data=document if isinstance(document, dict) else {},
            retry_after=response.retry_after(now),
        )

    def close(self) -> None:
        self.client.close()


def call(api: WeChatApi, path: str, request: dict[str, Any], may_apply: bool, now: float) -> Reply:
    """A call whose lost connection pauses the target; `may_apply` says whether the
    call changes anything upstream (then a lost answer leaves the record in doubt)."""
    try:
        return api.call(path, request, now)
    except Unreachable as exc:
        raise TargetProblem(
            f"WeChat unreachable: {exc.reason}", in_doubt=may_apply and exc.in_doubt, offline=True
        ) from exc


def judge_failure(reply: Reply, may_apply: bool) -> UploadResult:
    """The outcome of a reply that is neither success nor an already-done answer.

    Raises TargetProblem for quota and account errors: every record would fail alike.
    """
    if reply.code is None or reply.code == 0:
        return UploadResult.retry(
            f"no usable answer from WeChat (HTTP {reply.status})",
            in_doubt=may_apply,
            after=reply.retry_after,
        )
    kind = classify(reply.code)
    words = describe(reply.code, reply.message)
    if kind is Kind.QUOTA:
        raise TargetProblem(
            words, in_doubt=False, offline=False, retry_after=QUOTA_SECONDS[reply.code]
        )
    if kind is Kind.ACCOUNT:
        raise TargetProblem(words, in_doubt=False, offline=False)
    if kind is Kind.NOT_YET:
        return UploadResult.retry("WeChat is still storing this freshly paid order")
    if kind in (Kind.TRANSIENT, Kind.TOKEN):
        return UploadResult.retry(words, in_doubt=may_apply and kind is Kind.TRANSIENT)
    return UploadResult.attention(words)
