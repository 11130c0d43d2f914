"""A realistic sample waybill, for `station print test`, the preview and the benchmarks."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from printers.waybill import ContentLine, Party, SfRouteLabel, Waybill

SAMPLE_TRACKING = "SF1023574470215"


def sample_waybill(tracking_number: str = SAMPLE_TRACKING, reprint: bool = False) -> Waybill:
    """A sample SF waybill with a long recipient address, marks and three items."""
    return Waybill(
        carrier="顺丰速运",
        service="标准快递",
        tracking_number=tracking_number,
        recipient=Party(
            "陈小明",
            "13812345678",
            "浙江省杭州市西湖区文三路478号华星时代广场A座1203室（前台代收）",
        ),
        station=Party("小王手作", "021-12341234", "上海市浦东新区张江高科技园区碧波路690号3号楼"),
        routing_code="571-W12 03",
        bag_code="杭州中转",
        contents=(
            ContentLine("手工皂 玫瑰", 2, "SOAP-ROSE"),
            ContentLine("洗发水 500ml", 1, "SHAMPOO-500"),
        ),
        weight_g=1250,
        insured_value=Decimal("500"),
        order_number="WX20251121000123",
        printed_at=dt.datetime.now().astimezone(),
        reprint=reprint,
    )


def sample_carrier_waybill(tracking_number: str = "73567696585919") -> Waybill:
    """A sample ZTO e-waybill as an aggregator returns it: 三段码, 大头笔 and 集包地."""
    return replace(
        sample_waybill(tracking_number),
        carrier="中通快递",
        service="标准快递",
        routing_code="杭州西湖",
        bag_code="",
        sorting_code="571-W12-03",
        package_centre="杭州转运中心",
        package_centre_code="571W",
        insured_value=None,
    )


def sample_sf_waybill(tracking_number: str = SAMPLE_TRACKING) -> Waybill:
    """A sample SF privacy label (丰密面单) with the route label fields SF returns."""
    return replace(
        sample_waybill(tracking_number),
        service="顺丰标快",
        routing_code="",
        bag_code="",
        sf_route=SfRouteLabel(
            dest_route_label="571WA-Z069-006",
            two_dimension_code=(
                "MMM={'k1':'571WA','k2':'571Z069','k3':'006','k4':'T4','k5':'"
                + tracking_number
                + "','k6':'','k7':'dfa46974'}"
            ),
            pro_code="T4",
            pro_name="顺丰标快",
            coding_mapping="H7",
            coding_mapping_out="1A",
            ab_flag="E",
            xb_flag="1",
            print_flag="000000000",
            check_code="dfa46974",
        ),
    )
