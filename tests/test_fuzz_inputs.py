"""Property tests over every input surface (tests/fuzz_targets.py): arbitrary bytes
and bytes shaped like each format (CSV cells with quotes and separators, XLSX
members with hostile XML, TOML and JSON fragments, URL pieces) end in the reader's
own refusal or in a result, never in another exception."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from fuzz_targets import TARGETS, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile_corpus import BROKEN, LAUGHS, REMOTE_DTD, XXE, workbook

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["订单号", "商品编码", "数量", "=1+2", '"', '""', "\t", "\r\n", "-5", "1e9"]),
)
csv_text = st.lists(st.lists(cell, max_size=8), max_size=8).map(
    lambda rows: "\n".join(",".join(r) for r in rows)
)
encoded_csv = st.tuples(csv_text, st.sampled_from(["utf-8", "utf-8-sig", "gb18030"])).map(
    lambda pair: pair[0].encode(pair[1], "replace")
)
toml_piece = st.sampled_from(
    [
        "[station]\n",
        "[import]\n",
        "[[targets]]\n",
        "[[rules]]\n",
        'name = "a"\n',
        "max_rows = -1\n",
        "max_file_mb = 0\n",
        'kind = "webhook"\n',
        'url = "https://h/"\n',
        "columns = { order_no = 1 }\n",
        'kind = "orders"\n',
        "[columns]\n",
        "x = [[[[1]]]]\n",
        "= =\n",
        "\xff\n",
    ]
)
toml_bytes = st.lists(toml_piece, max_size=10).map(lambda p: "".join(p).encode("utf-8", "replace"))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
mapping_json = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"kind": st.sampled_from(["orders", "products", 1, None]), "columns": json_values}
    ),
).map(lambda value: json.dumps(value).encode())


def xlsx_with(member: str, xml: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, xml if info.filename == member else source.read(info))
    return out.getvalue()


xlsx = st.tuples(
    st.sampled_from(["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "xl/workbook.xml"]),
    st.one_of(
        st.sampled_from([XXE, REMOTE_DTD, LAUGHS, BROKEN]).map(str.encode),
        st.binary(max_size=300),
    ),
).map(lambda pair: xlsx_with(*pair))

SHAPED = {
    "orders": st.one_of(encoded_csv, xlsx),
    "products": st.one_of(encoded_csv, xlsx),
    "carriers": st.one_of(encoded_csv, xlsx),
    "pool": st.one_of(encoded_csv, xlsx),
    "rates": encoded_csv,
    "mapping_json": mapping_json,
    "mapping_toml": toml_bytes,
    "settings": toml_bytes,
    "sync_config": toml_bytes,
    "routing_rules": toml_bytes,
    "printer_url": st.lists(
        st.sampled_from(
            [
                "pdf:",
                "system:",
                "escpos+",
                "tspl+",
                "tcp://",
                "usb://",
                "serial://",
                "file://",
                "[::1]",
                ":99999",
                ":-1",
                "?baud=",
                "x",
                "%zz",
                "/dev/lp0",
                "04b8:0202",
                "@",
                "",
            ]
        ),
        max_size=6,
    ).map(lambda parts: "".join(parts).encode()),
    "carrier_pattern": st.tuples(
        st.text(alphabet="()\\d+*?{}[]^$|.ZSF0123456789,-:=<!", max_size=30),
        st.text(alphabet="SF0123456789Z", max_size=45),
    ).map(lambda pair: f"{pair[0]}\n{pair[1]}".encode()),
    "scale": st.binary(max_size=200),
}


@pytest.mark.parametrize("name", sorted(TARGETS))
@FUZZ
@given(data=st.data())
def test_any_input_ends_in_a_result_or_the_readers_own_refusal(name: str, data) -> None:
    raw = data.draw(st.one_of(st.binary(max_size=400), SHAPED[name]))
    run(name, raw)


def test_the_atheris_harness_runs_a_target(tmp_path: Path) -> None:
    """The coverage-guided harness (optional `fuzz` extra) starts and runs clean."""
    pytest.importorskip("atheris")
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, str(root / "tests" / "fuzz_atheris.py"), "carriers", "-runs=300"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={"PYTHONPATH": f"{root}:{root / 'tests'}", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Done 300 runs" in done.stderr
