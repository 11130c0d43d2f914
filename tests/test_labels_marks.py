"""A label says each mark once, with what the courier needs: cold chain printed once
(not in the header and again as a mark), an insured parcel with its insured amount."""

from __future__ import annotations

from test_printers_support import pdf_text

from printers import open_printer
from printers.layout import grouped
from station.core.model import Contact, Order, OrderLine, OrderStatus
from station.labels import waybill_for
from station.settings import Settings


def _order(service: str, category: str, value_fen: int) -> Order:
    who = Contact("张三丰", "13812345678", "浙江省杭州市西湖区文三路 1 号", "浙江省", "杭州市")
    line = OrderLine(1, "STEAK-1KG", "冷冻牛排 1kg", 1, category=category, unit_weight_g=1000)
    return Order("WX-1", OrderStatus.OPEN, who, (line,), service=service, order_value_fen=value_fen)


def _label_text(order: Order, settings: Settings) -> str:
    waybill = waybill_for(order, "SF", "SF1023574470215", 1100, settings, carriers={})
    job = open_printer("pdf:/nonexistent", layout="100x150").render(waybill)
    return "".join(pdf_text(job.data).split())


def test_cold_chain_is_printed_once(settings: Settings) -> None:
    text = _label_text(_order("cold_chain", "frozen", 9_900), settings)
    assert text.count("冷链") == 1


def test_a_cold_chain_order_on_standard_service_is_still_marked(settings: Settings) -> None:
    text = _label_text(_order("", "frozen", 9_900), settings)
    assert text.count("冷链") == 1


def test_an_insured_parcel_shows_its_insured_amount(settings: Settings) -> None:
    text = _label_text(_order("insured", "watch", 350_000), settings)
    assert "保价￥3,500.00" in text
    assert "保价" not in _label_text(_order("standard", "watch", 350_000), settings)


def test_a_parcel_suffix_is_not_cut_into_the_groups_of_four() -> None:
    assert grouped("SF1023574470215") == "SF10 2357 4470 215"
    assert grouped("JDAWX000000000001-2-3") == "JDAW X000 0000 0000 1-2-3"
