"""How one attempt at one record ended, as a target reports it to the uploader."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    DONE = "done"  # upstream holds it: never send again
    RETRY = "retry"  # a passing problem: send again later
    ATTENTION = "attention"  # cannot succeed without a person


@dataclass(frozen=True)
class UploadResult:
    verdict: Verdict
    note: str = ""
    in_doubt: bool = False  # the request may have reached upstream and been acted on
    retry_after: float | None = None  # seconds upstream asked us to wait

    @classmethod
    def done(cls, note: str = "") -> UploadResult:
        return cls(Verdict.DONE, note)

    @classmethod
    def retry(cls, note: str, in_doubt: bool = False, after: float | None = None) -> UploadResult:
        return cls(Verdict.RETRY, note, in_doubt, after)

    @classmethod
    def attention(cls, note: str) -> UploadResult:
        return cls(Verdict.ATTENTION, note)


class TargetProblem(Exception):
    """The whole target cannot take anything now (offline, refused credentials,
    quota): no record is judged; the batch goes back to the queue and the
    target pauses. `offline` distinguishes 'no network' from 'it answered no'."""

    def __init__(
        self, reason: str, *, in_doubt: bool, offline: bool, retry_after: float | None = None
    ):
        super().__init__(reason)
        self.reason = reason
        self.in_doubt = in_doubt
        self.offline = offline
        self.retry_after = retry_after
