"""A realistic sample waybill, for `station print test`, the preview and the benchmarks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from printers.waybill import ContentLine, Party, Waybill

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
