"""Every message the bench shows a packer, by key, with its English source text.

The core stays free of Qt: it returns a `Message(key, params)`. The UI translates
the English text through Qt's translator (context "messages"), and the CLI and
logs use the English text as is. `station/ui/translations.py` extracts these
texts into the zh_CN translation file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Tone(StrEnum):
    """How a result sounds and is coloured at the bench."""

    INFO = "info"
    OK = "ok"
    DONE = "done"
    WARN = "warn"
    ERROR = "error"


TEXTS: dict[str, str] = {
    "ready": "Scan an order to start.",
    "order_started": "Order {order_no}: scan each item.",
    "order_unknown": "Unknown order {code}. Check the pick list or import the order.",
    "order_shipped": (
        "Order {order_no} was already shipped on {when} by {packer} at {station}, "
        "{carrier} {tracking_no}. It must not be shipped twice."
    ),
    "order_on_hold": "Order {order_no} is on hold: {reason}. Do not pack it.",
    "order_cancelled": "Order {order_no} was cancelled: {reason}. Do not pack it.",
    "order_refunded": "Order {order_no} was refunded: {reason}. Do not pack it.",
    "order_busy": "Finish order {order_no} first, or scan CANCEL.",
    "order_claimed_elsewhere": (
        "Order {order_no} is being packed at {bench} by {packer} since {since}. "
        "Do not pack it here."
    ),
    "hub_offline_not_held": (
        "The warehouse hub cannot be reached and order {order_no} is not held by this "
        "bench. Pack an order leased here, or scan OVERRIDE for a supervisor."
    ),
    "scan_is_product": "{code} is a product. Scan the order first.",
    "scan_is_tracking": "{code} looks like a waybill number. Scan the order first.",
    "item_ok": "{name}: {scanned} of {quantity}.",
    "item_not_in_order": "{name} ({code}) is not in this order. Put it back.",
    "item_unknown": "Unknown code {code}: no product, order or command has it.",
    "item_too_many": "Too many {name}: the order needs only {quantity}. Take one out.",
    "items_complete": "All items checked. Put the parcel on the scale.",
    "item_not_expected": "All items are already checked. Put the parcel on the scale.",
    "weigh_waiting": "Put the parcel on the scale.",
    "weight_ok": "Weight {grams} g is within {low}-{high} g.",
    "weight_unchecked": "Weight {grams} g recorded; no expected weight is known for these items.",
    "weight_mismatch": (
        "Weight {grams} g is outside {low}-{high} g (expected {expected} g). "
        "Check the items, then take the parcel off the scale and put it back (or scan "
        "REWEIGH), or ask a supervisor to scan OVERRIDE."
    ),
    "weight_reweigh": "Take the parcel off the scale and put it back.",
    "scale_down": "Scale disconnected: no weight can be recorded until it is back.",
    "no_active_carrier": (
        "No carrier is enabled, so this parcel cannot ship. Tell the supervisor to enable "
        "a carrier (station carriers set CODE --enable), then take the parcel off the "
        "scale and put it back."
    ),
    "carrier_not_wechat": (
        "Order {order_no} would go {carrier} ({code}), a code not in WeChat's carrier list "
        "(target {target}): WeChat would refuse the upload after the parcel left. Do not pack "
        "it: tell the supervisor to give the carrier its WeChat code (station carriers list)."
    ),
    "store_journal_lost": (
        "PACKING STOPPED: another program removed the database's journal, so new parcels "
        "might not be kept. Pack nothing more; close the station and start it again."
    ),
    "store_io_error": (
        "PACKING STOPPED: the disk failed while reading or saving, so new parcels might not "
        "be kept. Pack nothing more; close the station, check the disk, and run "
        "station db check."
    ),
    "store_damaged": (
        "PACKING STOPPED: the database is damaged and nothing more is written to it. Close "
        "the station; at its next start it names the backup to restore."
    ),
    "tracking_needed": "Scan the pre-printed {carrier} waybill.",
    "tracking_invalid": "{code} is not a valid {carrier} waybill number. Scan the waybill again.",
    "tracking_used": "Waybill {code} is already used by order {order_no}. Use another waybill.",
    "pool_empty": "No {carrier} waybill numbers left in the pool. Scan a pre-printed waybill.",
    "recorded": "Order {order_no} shipped: {carrier} {tracking_no}, {grams} g.",
    "record_disk_full": (
        "Order {order_no} NOT recorded, no label printed: the disk is full. Free some space; "
        "the station records it by itself when it can (or scan REWEIGH)."
    ),
    "record_read_only": (
        "Order {order_no} NOT recorded, no label printed: the data folder cannot be written "
        "to. Check the disk is not write-protected; the station tries again by itself."
    ),
    "record_write_failed": (
        "Order {order_no} NOT recorded, no label printed: the disk reported an error. Check "
        "the disk or USB drive; the station tries again by itself."
    ),
    "record_busy": (
        "Order {order_no} NOT recorded yet: another program kept the database busy. Leave "
        "the parcel; the station tries again by itself."
    ),
    "save_disk_full": "Not saved: the disk is full. Free some space, then scan again.",
    "save_read_only": (
        "Not saved: the data folder cannot be written to. Check the disk is not "
        "write-protected, then scan again."
    ),
    "save_write_failed": (
        "Not saved: the disk reported an error. Check the disk or USB drive, then scan again."
    ),
    "save_busy": "Not saved: another program kept the database busy. Scan again in a moment.",
    "recorded_cost_alert": (
        "Order {order_no} shipped: {carrier} {tracking_no}, {grams} g. Shipping costs "
        "{share} of the order value (limit {limit}): tell the supervisor."
    ),
    "printed": "Label printed for {tracking_no}.",
    "print_failed": "Label for {tracking_no} NOT printed: {reason} Scan REPRINT when fixed.",
    "reprinted": "Label reprinted for {tracking_no} (reprint {count}).",
    "nothing_to_reprint": "No label to reprint yet.",
    "labels_unprinted": (
        "{count} labels were recorded but NOT printed (orders {orders}). Scan REPRINT to "
        "print them one by one, or find them with F3."
    ),
    "label_unprinted_next": (
        "Printing the label of order {order_no} ({tracking_no}), recorded but never "
        "printed. {left} more after it: scan REPRINT again."
    ),
    "reprint_busy": (
        "Order {order_no} is open: no label reprinted (it would be order {last_order_no}'s). "
        "Finish or CANCEL this order first, then scan REPRINT."
    ),
    "reprint_needs_supervisor": (
        "The label for {tracking_no} was already reprinted. A supervisor can reprint it "
        "from Search."
    ),
    "handover_ok": "{tracking_no} is in the bag ({scanned} of {expected}).",
    "handover_complete": "All {expected} parcels are in the bag.",
    "handover_again": "{tracking_no} is already in the bag.",
    "handover_unknown": "{tracking_no} is no parcel of this station. Take it out of the bag.",
    "handover_voided": "{tracking_no} was voided and must not leave. Take it out of the bag.",
    "handover_other_carrier": "{tracking_no} is a {carrier} parcel. Take it out of the bag.",
    "handover_not_expected": (
        "{tracking_no} is not expected in this handover (already handed over or too old). "
        "Take it out of the bag."
    ),
    "handover_unrecorded": (
        "{tracking_no} is not recorded at the hub: no bench shipped it. Take it out of the "
        "bag and give it to the supervisor."
    ),
    "handover_double": (
        "{tracking_no}: order {order_no} has another live parcel ({others}). Do not hand "
        "it over: take it out of the bag and tell the supervisor."
    ),
    "handover_handed_over": (
        "{tracking_no} was already handed over at {station} ({when}). Take it out of the bag."
    ),
    "cancelled": "Order {order_no} put aside. Scan the next order.",
    "nothing_to_cancel": "No order is open.",
    "held": "Order {order_no} put on hold. Put the goods aside.",
    "override_needed": "A supervisor must confirm: scan OVERRIDE.",
    "override_denied": "Wrong PIN or not a supervisor. Nothing was overridden.",
    "pin_locked": "Too many wrong PINs: no PIN is taken until {until}.",
    "override_line": "Line {sku} confirmed by {supervisor}: {reason}",
    "override_weight": "Weight {grams} g accepted by {supervisor}: {reason}",
    "override_nothing": "Nothing to override now.",
    "override_cancelled": "Override cancelled. Carry on, or scan OVERRIDE again.",
    "command_unknown": "Unknown command {code}.",
    "command_not_now": "{command} cannot be used now.",
    "scan_empty": "Empty scan ignored.",
    "order_flagged": "CHECK order {order_no}: {flags}. Check it, then scan CONFIRM.",
    "confirm_needed": "Check the warnings of order {order_no} first, then scan CONFIRM.",
    "flags_confirmed": "Warnings of order {order_no} confirmed. Scan each item.",
    "confirm_nothing": "Nothing to confirm now.",
    "confirm_needs_supervisor": (
        "Order {order_no} is flagged for {words} in its address: a supervisor confirms it "
        "with their PIN."
    ),
    "flags_confirmed_by": (
        "Warnings of order {order_no} confirmed by {supervisor}: {reason}. Scan each item."
    ),
    "alert_intercept": (
        "ALERT: order {order_no} {detail}. Tell the supervisor, then scan CONFIRM."
    ),
    "alert_acknowledged": "Alert for order {order_no} acknowledged by {packer}.",
    "recorded_pool_low": (
        "Order {order_no} shipped: {carrier} {tracking_no}, {grams} g. "
        "Only {left} {carrier} waybill numbers left: import more."
    ),
    "guide_fragile": "Fragile: 5-layer carton, wrap each piece in bubble film, fill every gap.",
    "guide_food": (
        "Food: vacuum-packed, keep away from liquids and chemicals; chilled or frozen "
        "food goes in an insulated box with ice packs."
    ),
    "guide_fresh": "Fresh / chilled: insulated box with ice packs, cold-chain service.",
    "guide_frozen": (
        "Frozen: insulated box, ice packs (or dry ice) on all sides, seal the box, "
        "cold-chain service."
    ),
    "guide_clothing": "Clothing: waterproof bag, tag visible, fold neatly.",
    "guide_electronics": "Electronics: anti-static bag, padding on all sides.",
    "guide_cosmetics": "Cosmetics: seal liquids in a bag, upright, padding.",
}


RECORDED_KEYS = frozenset({"recorded", "recorded_pool_low", "recorded_cost_alert"})
"""The results that mean a shipment was just recorded."""


@dataclass(frozen=True, slots=True)
class Message:
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def english(self) -> str:
        return TEXTS[self.key].format(**self.params)


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of one input at the bench: what to show and how it sounds."""

    tone: Tone
    message: Message

    @property
    def ok(self) -> bool:
        return self.tone in (Tone.OK, Tone.DONE, Tone.INFO)


def outcome(tone: Tone, key: str, **params: Any) -> Outcome:
    if key not in TEXTS:
        raise KeyError(f"no message text for {key!r}")
    return Outcome(tone, Message(key, params))
