"""Demo data: a product catalogue, sample orders in every state, waybill pools, people.

Deterministic (seeded), so the printed barcode sheet matches the demo database.
The orders go through the one order checker (`station.importers.commit`) like any
imported or pulled order, and a few are made to be flagged (a misspelt city, a bad
phone, an address with 部队, frozen goods missing from the catalogue), so the
flagged-order flow can be seen.
"""

from __future__ import annotations

import random

import sqlite_utils

from station.core.address import AddressInput
from station.core.model import OrderStatus, Product
from station.core.permissions import Role
from station.importers.commit import check_and_store
from station.importers.orders import ImportedOrder, ImportLine
from station.store.db import transaction
from station.store.orders import save_products
from station.store.pool import add_numbers
from station.store.users import add_user

DEMO_SUPERVISOR_PIN = "1234"
DEMO_PACKER_PIN = "0000"


def ean13(body12: str) -> str:
    """An EAN-13 with its check digit."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


_PRODUCTS = [
    ("CUP-350", "保温杯 350ml", 320, "fragile"),
    ("CUP-500", "保温杯 500ml", 410, "fragile"),
    ("MUG-CER", "陶瓷马克杯", 380, "fragile"),
    ("TEA-LJ250", "龙井茶 250g", 290, "food"),
    ("TEA-PE357", "普洱茶饼 357g", 400, "food"),
    ("HONEY-500", "槐花蜂蜜 500g", 650, "food"),
    ("NUTS-MIX", "每日坚果 30包", 780, "food"),
    ("CHILI-SAU", "香辣酱 280g", 340, "food"),
    ("TSHIRT-M", "纯棉T恤 M", 210, "clothing"),
    ("TSHIRT-L", "纯棉T恤 L", 230, "clothing"),
    ("SOCKS-5", "棉袜 5双装", 160, "clothing"),
    ("SCARF-WL", "羊毛围巾", 190, "clothing"),
    ("JEANS-30", "牛仔裤 30码", 620, "clothing"),
    ("CABLE-C1", "USB-C 数据线 1m", 45, "electronics"),
    ("CHARGER-20", "20W 充电器", 95, "electronics"),
    ("EARBUD-W", "无线耳机", 120, "electronics"),
    ("CASE-IP15", "手机壳 iPhone 15", 40, "electronics"),
    ("MASK-FACE", "面膜 10片", 260, "cosmetics"),
    ("LOTION-200", "身体乳 200ml", 240, "cosmetics"),
    ("LIPBALM", "润唇膏", 15, "cosmetics"),
    ("STEAK-1KG", "冷冻牛排 1kg", 1100, "fresh"),
    ("SHRIMP-500", "冷冻虾仁 500g", 560, "fresh"),
    ("CHERRY-1KG", "车厘子 1kg", 1150, "fresh"),
    ("NOTE-A5", "A5 笔记本", 230, "stationery"),
    ("PEN-GEL12", "中性笔 12支", 150, "stationery"),
    ("TOY-BLOCK", "积木套装", 700, "toys"),
    ("PLUSH-PANDA", "熊猫公仔", 300, "toys"),
    ("VASE-GLASS", "玻璃花瓶", 900, "fragile"),
    ("PLATE-SET", "骨瓷餐盘 4件", 1300, "fragile"),
    ("RICE-5KG", "五常大米 5kg", 5050, "food"),
]

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "建华",
    "小红",
]
_PLACES = [
    ("广东省", "深圳市", "南山区", "粤海街道科技园南区{n}栋{r}室"),
    ("广东省", "广州市", "天河区", "体育西路{n}号{r}房"),
    ("浙江省", "杭州市", "西湖区", "文三路{n}号{r}室"),
    ("上海市", "上海市", "浦东新区", "张江路{n}弄{r}号"),
    ("北京市", "北京市", "朝阳区", "建国路{n}号院{r}号楼"),
    ("江苏省", "南京市", "鼓楼区", "中山北路{n}号{r}室"),
    ("四川省", "成都市", "武侯区", "人民南路四段{n}号{r}室"),
    ("湖北省", "武汉市", "洪山区", "珞喻路{n}号{r}室"),
    ("新疆维吾尔自治区", "乌鲁木齐市", "天山区", "解放南路{n}号{r}室"),
    ("西藏自治区", "拉萨市", "城关区", "北京中路{n}号{r}室"),
]
_NOTES = [
    "",
    "",
    "",
    "请尽快发货，谢谢！",
    "送人的，不要放价格单",
    "多放点泡沫，易碎",
    "周末不在家，请放快递柜",
]


def demo_products() -> list[Product]:
    return [
        Product(
            sku=sku,
            name=name,
            barcodes=(ean13(f"69{i:010d}"),),
            weight_g=weight,
            category=category,
            declared_value_fen=weight * 20,
        )
        for i, (sku, name, weight, category) in enumerate(_PRODUCTS, start=1)
    ]


def demo_order_numbers(count: int) -> list[str]:
    return [f"WX2026112100{n:04d}" for n in range(1, count + 1)]


# Orders made to be flagged (by index, from the 22nd order on, so the first orders
# are plain ones): what each shows at the bench.
_FLAGGED = {
    21: "city",  # 广洲市 for 广州市: address flag with the official name
    22: "phone",  # two numbers in the phone field: not one a courier system takes
    23: "word",  # 部队 in the address: a supervisor confirms
    24: "frozen",  # frozen goods missing from the catalogue: cold chain all the same
}


def demo_orders(count: int, seed_value: int = 20261121) -> list[ImportedOrder]:
    """The demo's orders, the same on every run (and at every bench of a warehouse demo)."""
    rng = random.Random(seed_value)
    products = demo_products()
    return [
        _demo_order(rng, index, order_no, products)
        for index, order_no in enumerate(demo_order_numbers(count))
    ]


def demo_numbers() -> dict[str, list[str]]:
    """The demo's waybill numbers per carrier (a bench's pools, or the hub's)."""
    return {
        "ZTO": [f"7{n:013d}" for n in range(3561234500001, 3561234500201)],
        "SF": [f"SF{n:013d}" for n in range(1023574470001, 1023574470051)],
        "YZPY": [f"98{n:011d}" for n in range(12345600001, 12345600051)],
        "JD": [f"JDVA{n:011d}" for n in range(11408814001, 11408814051)],
    }


def seed(
    db: sqlite_utils.Database, orders: int = 60, seed_value: int = 20261121, pools: bool = True
) -> None:
    """Fill an empty database with the demo catalogue, orders, pools and people. Without
    `pools` the bench gets its waybill numbers elsewhere (from a hub)."""
    with transaction(db):
        save_products(db, demo_products())
    check_and_store(db, demo_orders(orders, seed_value), "demo")
    if pools:
        for carrier, numbers in demo_numbers().items():
            add_numbers(db, carrier, numbers)
    add_user(db, "主管 Supervisor", Role.SUPERVISOR, DEMO_SUPERVISOR_PIN)
    add_user(db, "packer", Role.PACKER, DEMO_PACKER_PIN)


_HOLDS = {
    7: (OrderStatus.HOLD, "买家要求改地址"),
    13: (OrderStatus.REFUNDED, "买家已退款"),
    17: (OrderStatus.CANCELLED, "买家取消订单"),
}


def _demo_order(
    rng: random.Random, index: int, order_no: str, products: list[Product]
) -> ImportedOrder:
    province, city, district, street = rng.choice(_PLACES)
    name = rng.choice(_SURNAMES) + rng.choice(_GIVEN)
    phone = f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}"
    detail = street.format(n=rng.randint(1, 99), r=rng.randint(101, 2808))
    chosen = rng.sample(products, k=rng.choice([1, 1, 1, 2, 2, 3]))
    lines = [ImportLine(p.sku, p.name, rng.choice([1, 1, 1, 2])) for p in chosen]
    status, hold = _HOLDS.get(index % 20, (OrderStatus.OPEN, ""))
    carrier = "SF" if any(p.category == "fresh" for p in chosen) else ("ZTO" if index % 3 else "")
    value = sum(p.declared_value_fen or 0 for p in chosen) + 990
    flagged = _FLAGGED.get(index)
    if flagged == "city":
        province, city, district = "广东省", "广洲市", "天河区"
        detail, status, hold = "体育西路12号1203房", OrderStatus.OPEN, ""
    elif flagged == "phone":
        # two numbers in one field, as buyers sometimes type them
        phone, status, hold = f"{phone}/{phone[:-1]}0", OrderStatus.OPEN, ""
    elif flagged == "word":
        detail, status, hold = "某某部队营区3号楼", OrderStatus.OPEN, ""
    elif flagged == "frozen":
        lines = [ImportLine("WAGYU-300", "冷冻和牛牛排 300g", 2, 12800)]
        carrier, value, status, hold = "", 25600, OrderStatus.OPEN, ""
    return ImportedOrder(
        order_no=order_no,
        lines=tuple(lines),
        recipient_name=name,
        phone=phone,
        address=AddressInput(f"{province}{city}{district}{detail}"),
        status=status,
        hold_reason=hold,
        buyer_note=rng.choice(_NOTES),
        carrier=carrier,
        order_value_fen=value,
        pick_code=f"PL{index + 1:05d}",
    )
