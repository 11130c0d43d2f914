"""WeChat Shop e-waybills: delivery/get (carriers opened) and template/get (label
templates), checked against the documents' own example request and answer (fixtures
in fixtures/wechat_ewaybill, see its README), and shown by `station waybill accounts`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_sync_fakes import serving
from test_waybills_cli import run, secrets  # noqa: F401 (fixture)
from waybill_fakes import SECRETS, FakeWeChatEwaybill, all_servers, waybills_toml

from station.waybills.config import load_providers
from station.waybills.model import Delivery, Refusal, Refused, WaybillTemplate
from station.waybills.wechat import WeChatShopProvider

FIXTURES = Path(__file__).parent / "fixtures" / "wechat_ewaybill"


def documented(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class DocumentedAnswers(FakeWeChatEwaybill):
    """Answers delivery/get and template/get with the documents' example answers."""

    def _delivery(self, request: dict[str, Any]) -> dict[str, Any]:
        return documented("delivery_get_answer.json")

    def _template(self, request: dict[str, Any]) -> dict[str, Any]:
        return documented("template_get_answer.json")


def shop_provider(data_dir: Path, url: str) -> WeChatShopProvider:
    urls = {"wechat": url, "sf": "http://127.0.0.1:9", "kdn": "http://127.0.0.1:9"}
    (data_dir / "waybills.toml").write_text(waybills_toml(urls), encoding="utf-8")
    config = next(c for c in load_providers(data_dir) if c.name == "shop")
    return WeChatShopProvider(config, SECRETS["shop"])


@pytest.fixture
def documents(data_dir: Path) -> Iterator[tuple[DocumentedAnswers, WeChatShopProvider]]:
    fake = DocumentedAnswers()
    with serving(fake) as url:
        provider = shop_provider(data_dir, url)
        yield fake, provider
        provider.close()


def test_delivery_get_sends_the_documented_request_and_reads_its_answer(documents) -> None:
    fake, provider = documents
    found = provider.deliveries()
    assert fake.calls[-1] == ("delivery", documented("delivery_get_request.json"))
    assert found[0] == Delivery("JTSD", "极兔速递")
    assert Delivery("ZTO", "中通快递") in found and Delivery("DBKD", "德邦快递") in found
    assert len(found) == len(documented("delivery_get_answer.json")["list"])


def test_template_get_sends_the_documented_request_and_reads_its_answer(documents) -> None:
    fake, provider = documents
    assert provider.templates("xxxx") == [
        WaybillTemplate("YTO", "66xxxxxxxx", "一联单zzz", "single", default=True)
    ]
    assert fake.calls[-1] == ("template", documented("template_get_request.json"))
    provider.templates()
    assert fake.calls[-1] == ("template", {})


def shape(value: Any) -> Any:
    """The keys of an answer, nested (lists by their first element), without values."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__ if not isinstance(value, int | str) else "scalar"


def test_the_fake_answers_in_the_documented_shape(data_dir: Path) -> None:
    fake = FakeWeChatEwaybill()
    assert shape(fake._delivery(documented("delivery_get_request.json"))) == shape(
        documented("delivery_get_answer.json")
    )
    assert shape(fake._template({})) == shape(documented("template_get_answer.json"))
    assert [d["delivery_id"] for d in fake._delivery({"status": 3})["list"]] == ["ZTO", "YTO"]


def test_no_templates_is_an_empty_list_and_an_unsupported_carrier_a_refusal(
    data_dir: Path,
) -> None:
    fake = FakeWeChatEwaybill()
    fake.templates = {}
    with serving(fake) as url:
        provider = shop_provider(data_dir, url)
        assert provider.templates() == []
        with pytest.raises(Refused) as refused:
            provider.templates("UPS")
        provider.close()
    assert refused.value.kind is Refusal.INVALID and "10025102" in str(refused.value)


def test_accounts_lists_opened_carriers_and_templates(
    data_dir: Path,
    secrets,  # noqa: F811
    capsys,
) -> None:
    with all_servers() as (_wechat, _sf, _kdn, urls):
        (data_dir / "waybills.toml").write_text(waybills_toml(urls), encoding="utf-8")
        assert run(data_dir, "accounts", "--json") == 0
        shop = next(
            p for p in json.loads(capsys.readouterr().out)["providers"] if p["name"] == "shop"
        )
        assert shop["deliveries"] == [
            {"carrier": "ZTO", "name": "中通快递"},
            {"carrier": "YTO", "name": "圆通速递"},
        ]
        assert shop["not_opened"] == [] and shop["problem"] == ""
        zto = next(t for t in shop["templates"] if t["carrier"] == "ZTO")
        assert zto == {
            "carrier": "ZTO",
            "template_id": "single",
            "name": "中通一联单",
            "kind": "single",
            "default": True,
            "configured": True,
        }
        assert run(data_dir, "accounts") == 0
        text = capsys.readouterr().out
        assert "opened: ZTO(中通快递) YTO(圆通速递)" in text
        assert "template ZTO single 中通一联单 (single) [default, configured]" in text


def test_a_configured_carrier_not_opened_in_the_shop_is_a_problem(
    data_dir: Path,
    secrets,  # noqa: F811
    capsys,
) -> None:
    with all_servers() as (wechat, _sf, _kdn, urls):
        wechat.deliveries["YTO"] = ("圆通速递", 5)  # 绑定未通过
        (data_dir / "waybills.toml").write_text(waybills_toml(urls), encoding="utf-8")
        assert run(data_dir, "accounts", "--json") == 1
        shop = next(
            p for p in json.loads(capsys.readouterr().out)["providers"] if p["name"] == "shop"
        )
    assert shop["not_opened"] == ["YTO"]
    assert "YTO not opened for e-waybills with shop" in shop["problem"]
