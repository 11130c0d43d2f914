"""Command barcodes: the packer drives the bench with the scanner alone.

Each command is printed on the command sheet as a Code128 of its code. Codes
use only capitals, digits and '-', which survive any keyboard layout, and are
matched ignoring case (Caps Lock inverts letters on keyboard-wedge scanners).
"""

from __future__ import annotations

from enum import StrEnum


class Command(StrEnum):
    CANCEL = "CMD-CANCEL"
    REPRINT = "CMD-REPRINT"
    HOLD = "CMD-HOLD"
    REWEIGH = "CMD-REWEIGH"
    OVERRIDE = "CMD-OVERRIDE"
    CONFIRM = "CMD-CONFIRM"


COMMAND_PREFIX = "CMD-"

COMMAND_LABELS: dict[Command, str] = {
    Command.CANCEL: "取消当前订单 Cancel current order",
    Command.REPRINT: "补打上一张面单 Reprint last label",
    Command.HOLD: "暂扣订单 Hold order",
    Command.REWEIGH: "重新称重 Re-weigh",
    Command.OVERRIDE: "主管放行 Supervisor override",
    Command.CONFIRM: "确认提示 Confirm warnings",
}
"""Printed under each command barcode; bilingual, as the sheet is pinned at the bench."""


def is_command(code: str) -> bool:
    return code.upper().startswith(COMMAND_PREFIX)


def parse_command(code: str) -> Command | None:
    """The command a scan names, or None for an unknown CMD- code."""
    try:
        return Command(code.upper())
    except ValueError:
        return None
