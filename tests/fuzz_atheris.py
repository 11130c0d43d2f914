"""Coverage-guided fuzzing of every input surface with atheris (optional: the
`fuzz` extra, `pip install atheris`), over the targets of tests/fuzz_targets.py.

    PYTHONPATH=.:tests python tests/fuzz_atheris.py orders -runs=100000
    cp -r tests/fixtures/hostile /tmp/corpus   # libFuzzer adds to the first folder
    PYTHONPATH=.:tests python tests/fuzz_atheris.py orders -max_total_time=600 /tmp/corpus

Any exception other than the reader's own refusal is a crash: libFuzzer stops,
prints the traceback and writes the input as crash-*. Seed it with the hostile
corpus of tests/fixtures/hostile/ (a copy, as above).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["station", "printers", "fuzz_targets"]):
    import fuzz_targets


def main() -> None:
    name = sys.argv[1]
    if name not in fuzz_targets.TARGETS:
        sys.exit(f"unknown target {name!r}; targets: {', '.join(fuzz_targets.TARGETS)}")
    atheris.Setup([sys.argv[0], *sys.argv[2:]], lambda data: fuzz_targets.run(name, data))
    atheris.Fuzz()


if __name__ == "__main__":
    main()
