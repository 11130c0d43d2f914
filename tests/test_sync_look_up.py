"""The WeChat targets' look-ups (`station orders check`, before a supervisor releases
an order): what the mini-program's `get_order` and the shop's `order/get` hold for an
order, read from a real local server that answers as WeChat documents it."""

from __future__ import annotations

from station.store.outbox import Record
from station.sync.config import MINIPROGRAM, SHOP, TargetConfig
from station.sync.targets import wechat_target
from station.sync.upstream_view import Upstream
from tests.test_sync_fakes import FakeWeChat, wechat_server


def look_up(fake: FakeWeChat, kind: str, order_no: str) -> Upstream:
    with wechat_server(fake) as url:
        config = TargetConfig(
            name=kind, kind=kind, appid=fake.appid, mchid="1230000109", base_url=url
        )
        target, _ = wechat_target(config, fake.secret)
        try:
            return target.look_up(Record(0, "", order_no, "", {}, "", {}))  # type: ignore[attr-defined, no-any-return]
        finally:
            target.close()


def test_the_mini_program_look_up_tells_to_ship_shipped_and_failed() -> None:
    fake = FakeWeChat()
    fake.add_order("WX1")
    fake.add_order("WX2", order_state=2, shipping_list=[{"tracking_no": "zt123"}])
    assert look_up(fake, MINIPROGRAM, "WX1") == Upstream(
        MINIPROGRAM, True, frozenset(), "order_state 1"
    )
    assert look_up(fake, MINIPROGRAM, "WX2") == Upstream(
        MINIPROGRAM, False, frozenset({"ZT123"}), "order_state 2"
    )
    failed = look_up(fake, MINIPROGRAM, "WX3")
    assert (failed.to_ship, failed.waybills) == (None, frozenset())
    assert failed.note.startswith("get_order failed: ")


def test_the_shop_look_up_tells_to_ship_shipped_and_failed() -> None:
    fake = FakeWeChat()
    fake.add_shop_order("S1")
    shipped = fake.add_shop_order("S2", status=30)
    shipped["order_detail"]["delivery_info"]["delivery_product_info"] = [{"waybill_id": "sf9 "}]
    assert look_up(fake, SHOP, "S1") == Upstream(SHOP, True, frozenset(), "status 20")
    assert look_up(fake, SHOP, "S2") == Upstream(SHOP, False, frozenset({"SF9"}), "status 30")
    failed = look_up(fake, SHOP, "S3")
    assert (failed.to_ship, failed.waybills) == (None, frozenset())
    assert failed.note.startswith("order/get failed: ")
