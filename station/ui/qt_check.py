"""Can Qt open a window here? If not, which Debian/Ubuntu packages are missing?

    python -m station.ui.qt_check

Starts a QGuiApplication on the xcb platform in a subprocess (a failed platform
plugin aborts the process). On failure it lists the system libraries the xcb
plugin lacks: those `ldd` reports as not found, plus libxcb-cursor, which Qt
loads at run time and so never shows up in `ldd`.
"""

from __future__ import annotations

import ctypes.util
import os
import re
import subprocess
import sys
from pathlib import Path

import PySide6

PROBE = (
    "import sys\n"
    "from PySide6.QtGui import QGuiApplication\n"
    "app = QGuiApplication([sys.argv[0], '-platform', 'xcb'])\n"
)

# Shared library (soname) -> Debian package providing it.
PACKAGES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}

_NOT_FOUND = re.compile(r"^\s*(\S+) => not found", re.MULTILINE)


def xcb_plugin() -> Path:
    return Path(PySide6.__file__).resolve().parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"


def probe() -> subprocess.CompletedProcess[str]:
    """Try to start Qt on xcb in a child process."""
    env = dict(os.environ, QT_QPA_PLATFORM="xcb")
    return subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=60
    )


def missing_libraries(plugin: Path) -> list[str]:
    """Libraries the xcb plugin needs that this system lacks, each named once."""
    output = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True).stdout
    missing = list(dict.fromkeys(_NOT_FOUND.findall(output)))
    if ctypes.util.find_library("xcb-cursor") is None and "libxcb-cursor.so.0" not in missing:
        missing.insert(0, "libxcb-cursor.so.0")
    return missing


def packages_for(libraries: list[str]) -> list[str]:
    return list(
        dict.fromkeys(PACKAGES.get(lib, f"(the package providing {lib})") for lib in libraries)
    )


def main() -> int:
    if sys.platform != "linux":
        print("Qt check: only needed on Linux.")
        return 0
    result = probe()
    if result.returncode == 0:
        print("Qt check: OK, windows can open on this display.")
        return 0
    errors = result.stderr.strip()
    if "xcb" not in errors:
        print(f"Qt check: Qt could not start:\n{errors}")
        return 1
    missing = missing_libraries(xcb_plugin())
    if missing:
        print("Qt check: the xcb platform plugin needs system libraries that are missing:")
        for library in missing:
            print(f"  {library}")
        print("Install them with:")
        print(f"  sudo apt-get install {' '.join(packages_for(missing))}")
    else:
        print("Qt check: Qt could not open a window (no library is missing).")
        if not os.environ.get("DISPLAY"):
            print("  DISPLAY is not set: run it inside a desktop session (or Xvfb).")
        print(errors)
    return 1


if __name__ == "__main__":
    sys.exit(main())
