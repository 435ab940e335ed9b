"""Which Chromium the browser journeys drive: CHROMIUM_PATH first, then `chromium` or
`chromium-browser` on the PATH (Debian, Ubuntu), Debian's own place, the snap."""

import os
import shutil

NAMES = ("chromium", "chromium-browser")
PLACES = ("/usr/bin/chromium", "/snap/bin/chromium")
INSTALL_HINT = ("install it with `apt-get install chromium` (Debian; `snap install chromium` on "
                "Ubuntu) or set CHROMIUM_PATH to the browser")


def _runnable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def find_chromium(environ=os.environ, places=PLACES) -> tuple[str | None, str]:
    """The browser to drive, or None and why there is none."""
    if wanted := environ.get("CHROMIUM_PATH"):
        if _runnable(wanted):
            return wanted, ""
        return None, f"CHROMIUM_PATH={wanted} is not an executable file"
    for name in NAMES:
        if found := shutil.which(name, path=environ.get("PATH", "")):
            return found, ""
    for path in places:
        if _runnable(path):
            return path, ""
    return None, f"Chromium is not installed (looked for {', '.join(NAMES + places)})"
