"""Screenshots of the main pages for the README, taken with the system's headless Chromium.

Starts the app (catalog from the environment) on a free loopback port, imports the bundled
example profile through the profile page, and writes PNGs to docs/img/: each page on a
1366 px desktop and (``-phone``) on a 390 px phone.

    python scripts/take_screenshots.py
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn
from playwright.sync_api import sync_playwright

from smartpick.web import WebLimits, create_app

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img"
EXAMPLE = ROOT / "src/smartpick/web/static/example-profile.json"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def serve() -> tuple[uvicorn.Server, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app(limits=WebLimits(rate_per_minute=100_000, burst=10_000))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def shoot(page: Any, name: str) -> None:
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
    print(f"wrote docs/img/{name}.png")


def journey(browser: Any, base: str, viewport: dict[str, int], suffix: str) -> None:
    page = browser.new_page(base_url=base, viewport=viewport)
    page.goto("/programs?specialty=Internal+Medicine&state=NY&visa=h1b")
    shoot(page, "programs" + suffix)
    page.locator("#results tbody a").first.click()
    page.wait_for_selector(".facts-key")
    shoot(page, "program" + suffix)
    page.goto("/profile")
    page.set_input_files("#import-file", str(EXAMPLE))
    page.click("form.import button")
    page.wait_for_selector("#profile-form")
    page.locator("fieldset").nth(2).scroll_into_view_if_needed()
    shoot(page, "profile" + suffix)
    page.click("button:has-text('USCE report')")
    page.wait_for_selector("#ledger")
    shoot(page, "usce" + suffix)
    page.click("button:has-text('Get my plan')")
    page.wait_for_selector("#plan-table")
    shoot(page, "plan" + suffix)
    page.locator("h2:has-text('The list')").scroll_into_view_if_needed()
    shoot(page, "plan-list" + suffix)
    page.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    server, base = serve()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        journey(browser, base, {"width": 1366, "height": 900}, "")
        journey(browser, base, {"width": 390, "height": 844}, "-phone")
        phone = browser.new_page(base_url=base, viewport={"width": 390, "height": 844})
        phone.goto("/")
        shoot(phone, "home-phone")
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main()
