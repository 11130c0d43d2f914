"""Code 128 encoding, shared by every renderer so all of them draw the same bars.

Digit runs go into code set C (two digits per symbol), which roughly halves
the width of Chinese tracking numbers and lets them fit 76 mm paper at a
module size scanners read well. The same segmentation also produces the data
string python-escpos sends to a printer's own Code 128 (`{B...{C...`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Bar/space widths of symbol values 0-105 (ISO/IEC 15417 table 1), then the stop pattern.
_TABLE = (
    "212222222122222221121223121322131222122213122312132212221213221312231212112232122132"
    "122231113222123122123221223211221132221231213212223112312131311222321122321221312212"
    "322112322211212123212321232121111323131123131321112313132113132311211313231113231311"
    "112133112331132131113123113321133121313121211331231131213113213311213131311123311321"
    "331121312113312311332111314111221411431111111224111422121124121421141122141221112214"
    "112412122114122411142112142211241211221114413111241112134111111242121142121241114212"
    "124112124211411212421112421211212141214121412121111143111341131141114113114311411113"
    "411311113141114131311141411131211412211214211232"
)
_WIDTHS = tuple(_TABLE[i : i + 6] for i in range(0, len(_TABLE), 6))
_STOP = "2331112"
_START = {"B": 104, "C": 105}
_SWITCH = {"B": 100, "C": 99}
QUIET_MODULES = 10
"""Quiet zone each side, in modules (ISO/IEC 15417 asks for at least 10)."""

_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Segment:
    """A run of data encoded in one code set ('B' or 'C')."""

    code_set: str
    text: str


def segments(data: str) -> tuple[Segment, ...]:
    """Split data into code-set runs: C for digit runs long enough to pay off, else B.

    A run of digits goes to C when it is the whole data (even length), at least
    4 digits at either end, or at least 6 in the middle; an odd run leaves its
    first digit in B.
    """
    if not data or any(not (32 <= ord(c) < 127) for c in data):
        raise ValueError(f"Code 128 (sets B/C) needs printable ASCII, got {data!r}")
    runs: list[Segment] = []
    pos = 0
    for match in _DIGITS.finditer(data):
        start, end = match.span()
        length = end - start
        at_edge = start == 0 or end == len(data)
        if length < (4 if at_edge else 6) and not (length == len(data) and length % 2 == 0):
            continue
        if length % 2:
            start += 1
        if start > pos:
            runs.append(Segment("B", data[pos:start]))
        runs.append(Segment("C", data[start:end]))
        pos = end
    if pos < len(data):
        runs.append(Segment("B", data[pos:]))
    return tuple(runs)


def symbol_values(data: str) -> list[int]:
    """Start, data and check symbol values (without the stop pattern)."""
    values: list[int] = []
    for i, seg in enumerate(segments(data)):
        values.append(_START[seg.code_set] if i == 0 else _SWITCH[seg.code_set])
        if seg.code_set == "C":
            values.extend(int(seg.text[j : j + 2]) for j in range(0, len(seg.text), 2))
        else:
            values.extend(ord(c) - 32 for c in seg.text)
    check = (values[0] + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
    values.append(check)
    return values


@lru_cache(maxsize=256)
def bar_runs(data: str) -> tuple[tuple[int, int], ...]:
    """The bars as (start module, width in modules), quiet zones excluded."""
    widths = "".join(_WIDTHS[v] for v in symbol_values(data)) + _STOP
    runs = []
    x = 0
    for i, w in enumerate(widths):
        if i % 2 == 0:
            runs.append((x, int(w)))
        x += int(w)
    return tuple(runs)


def module_count(data: str) -> int:
    """Width of the symbol in modules, quiet zones excluded."""
    return 11 * len(symbol_values(data)) + 13


def escpos_data(data: str) -> str:
    """The data for python-escpos's CODE128: `{B` text, `{C` one byte (0-99) per digit pair."""
    out = []
    for seg in segments(data):
        out.append("{" + seg.code_set)
        if seg.code_set == "C":
            out.extend(chr(int(seg.text[j : j + 2])) for j in range(0, len(seg.text), 2))
        else:
            out.append(seg.text.replace("{", "{{"))
    return "".join(out)
