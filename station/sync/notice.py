"""The buyer notice after a shipment: carrier, tracking number and a tracking link,
from the `notice.template` setting and the carrier catalogue (its name, and its own
tracking URL where it has one, else the `notice.link` setting). Qt-free; the
bench's clipboard helper is station/ui/buyer_notice.py."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote

from station.core.carriers import Carrier, carrier_name

PLACEHOLDERS = ("order_no", "carrier", "carrier_name", "tracking_no", "link")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def tracking_link(link_template: str, carrier: str, tracking_no: str) -> str:
    if not link_template.strip():
        return ""
    return _fill(link_template, {"carrier": quote(carrier), "tracking_no": quote(tracking_no)})


def buyer_notice(
    template: str,
    link_template: str,
    order_no: str,
    carrier: str,
    tracking_no: str,
    carriers: Mapping[str, Carrier],
) -> str:
    """The notice text, the carrier's name and tracking URL from `carriers` (the
    catalogue, by code); `link_template` (the `notice.link` setting) serves carriers
    without a URL of their own. A line whose placeholders all came out empty is
    dropped, so an empty link leaves no dangling 'track it here:' line."""
    known = carriers.get(carrier.upper())
    link = known.tracking_url if known is not None and known.tracking_url else link_template
    values = {
        "order_no": order_no,
        "carrier": carrier,
        "carrier_name": carrier_name(carrier, carriers),
        "tracking_no": tracking_no,
        "link": tracking_link(link, carrier, tracking_no),
    }
    lines = []
    for line in template.split("\n"):
        names = [n for n in _PLACEHOLDER.findall(line) if n in values]
        if names and not any(values.get(n) for n in names):
            continue
        lines.append(_fill(line, values))
    return "\n".join(lines).strip()


def _fill(text: str, values: dict[str, str]) -> str:
    """Fill known placeholders; anything else in braces is left as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
