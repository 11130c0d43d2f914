"""KDNiao's stock of numbers per carrier account (单号余量查询, RequestType 1127):
against the documents' own example, from the fake as numbers are taken, and a low
stock warned of by `station waybill accounts` and `prefetch`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from test_sync_fakes import serving
from test_waybills import add_order
from test_waybills_cli import run, secrets  # noqa: F401 (fixture)
from waybill_fakes import FakeKdniao, all_servers, waybills_toml

from station.store import exceptions
from station.waybills.config import parse_provider
from station.waybills.kdniao import KdniaoProvider
from station.waybills.model import Balance

FIXTURES = Path(__file__).parent / "fixtures" / "kdniao"


def documented(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class DocumentedAnswer(FakeKdniao):
    def _balance(self, data: dict[str, Any]) -> dict[str, Any]:
        return documented("balance_1127_answer.json")


def provider(url: str, **account: str) -> KdniaoProvider:
    config = parse_provider(
        {
            "name": "kdn",
            "kind": "kdniao",
            "ebusiness_id": "1237100",
            "base_url": url,
            "accounts": {"UC": account},
        },
        "test",
    )
    return KdniaoProvider(config, "kdn-app-key", passwords={"UC": account.pop("pwd", "")})


def test_the_documented_request_is_sent_and_its_answer_read() -> None:
    fake = DocumentedAnswer()
    with serving(fake) as url:
        kdn = provider(
            url,
            customer_name="80238728",
            send_site="3001",
            send_site_name="福田网点",
            pwd="c0bfe0ba86b66bae5426303c53db0a81",
        )
        assert kdn.balances() == [Balance("kdn", "80238728", "UC", 0)]
        kdn.close()
    kind, form = fake.calls[-1]
    assert kind == "1127"
    assert json.loads(form["RequestData"]) == documented("balance_1127_request.json")
    assert form["DataType"] == "2"


def test_an_account_kdniao_holds_no_stock_for_is_unknown_not_empty() -> None:
    fake = FakeKdniao()
    fake.no_stock_query.add("monthly")
    with serving(fake) as url:
        kdn = provider(url, customer_name="monthly")
        assert kdn.balances() == [Balance("kdn", "monthly", "UC", None)]
        kdn.close()


def test_a_low_stock_is_warned_of_and_listed_for_the_supervisor(
    db,
    data_dir: Path,
    secrets,  # noqa: F811
    capsys,
) -> None:
    add_order(db, "ZTO-1", "ZTO")
    with all_servers() as (_wechat, _sf, kdn, urls):
        kdn.stock["zto-acct"] = 150  # below ewaybill.low_balance (200)
        (data_dir / "waybills.toml").write_text(waybills_toml(urls), encoding="utf-8")
        assert run(data_dir, "prefetch") == 0
        assert "LOW: kdn ZTO zto-acct: 149 left" in capsys.readouterr().out
        assert run(data_dir, "accounts", "--json") == 0
        accounts = json.loads(capsys.readouterr().out)["accounts"]
    zto = next(a for a in accounts if a["provider"] == "kdn" and a["carrier"] == "ZTO")
    assert zto["available"] == 149 and zto["low"] is True
    yto = next(a for a in accounts if a["provider"] == "kdn" and a["carrier"] == "YTO")
    assert yto["low"] is False
    low = exceptions.low_balances(db, 200)
    assert [(b.provider, b.carrier, b.available) for b in low] == [("kdn", "ZTO", 149)]


def test_no_stock_left_holds_the_order_before_packing(
    db,
    data_dir: Path,
    secrets,  # noqa: F811
    capsys,
) -> None:
    add_order(db, "ZTO-2", "ZTO")
    with all_servers() as (_wechat, _sf, kdn, urls):
        kdn.stock["zto-acct"] = 0
        (data_dir / "waybills.toml").write_text(waybills_toml(urls), encoding="utf-8")
        assert run(data_dir, "prefetch") == 1
    out = capsys.readouterr().out
    assert "refused, order held: ZTO-2" in out and "top it up" in out
