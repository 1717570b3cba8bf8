"""The web app used as a person uses it, in a real Chromium, on a desktop, a 390 px phone and a
360 px phone: fill the profile from scratch, go Back, edit, ask what-ifs, download every export,
meet every error; each page is checked with axe-core and for sideways scrolling.

Set ``SMARTPICK_SCREENSHOTS`` to a folder to save the screenshots of docs/img, and
``SMARTPICK_JOURNEY_TIMINGS`` to a file to write how long each step took (seconds).
"""

from __future__ import annotations

import json
import os
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_steps import fill_profile as fill_basic_profile

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe" / "axe.min.js"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844},
             "small phone": {"width": 360, "height": 740}}
TIMINGS: dict[str, float] = {}
CONTRAST_JS = """
([a, b]) => {
  const parse = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => { const v = parse(c).map(x => { x /= 255;
    return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}"""


@pytest.fixture(scope="module", autouse=True)
def _write_timings() -> Iterator[None]:
    yield
    target = os.environ.get("SMARTPICK_JOURNEY_TIMINGS")
    if target and TIMINGS:
        Path(target).write_text(json.dumps(TIMINGS, indent=1, sort_keys=True) + "\n")


@pytest.fixture(params=list(VIEWPORTS))
def person(request: pytest.FixtureRequest, browser: Any, live_server: str) -> Iterator[Any]:
    """A page in a fresh browser context at the viewport's size; ``person.posts`` lists the
    POSTs it made (path only)."""
    context = browser.new_context(base_url=live_server, viewport=VIEWPORTS[request.param],
                                  accept_downloads=True, bypass_csp=True)
    page = context.new_page()
    page.viewport_name = request.param
    page.posts = []
    page.on("request", lambda r: page.posts.append(r.url.replace(live_server, ""))
            if r.method == "POST" else None)
    yield page
    context.close()


def timed(page: Any, step: str) -> Any:
    class _Timer:
        def __enter__(self) -> None:
            self.start = time.perf_counter()

        def __exit__(self, *_: Any) -> None:
            TIMINGS[f"{page.viewport_name}: {step}"] = round(time.perf_counter() - self.start, 2)

    return _Timer()


def shoot(page: Any, name: str) -> None:
    folder = os.environ.get("SMARTPICK_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}-{page.viewport_name}.png"),
                        full_page=page.viewport_name != "desktop")


def axe_violations(page: Any) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate("""async () =>
        (await axe.run(document, {resultTypes: ['violations']})).violations
        .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))""")
    return list(found)


def check_page(page: Any, what: str) -> None:
    """Zero axe violations, and nothing wider than the screen outside the plan's scroller."""
    assert axe_violations(page) == [], what
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{what}: {width} px wide"


def fill_profile(page: Any) -> None:
    """The shared profile, with a preferred state and a budget."""
    fill_basic_profile(page)
    page.check("input[name='preferences.states'][value='NY']")
    page.fill("[id='f-budget_usd']", "1500")


def get_plan(page: Any) -> None:
    page.wait_for_timeout(800)  # the live check of the last keystroke has had its turn
    page.posts.clear()
    with timed(page, "get my plan"):
        page.click("button:has-text('Get my plan')")
        page.wait_for_selector("#plan-table")


def test_fill_plan_back_edit_and_reload_keep_everything(person: Any) -> None:
    """Defects 1 and 6: Back, the menu, Edit profile and reload keep every field, USCE rows
    included; a plan is one request."""
    page = person
    with timed(page, "fill the profile from scratch"):
        fill_profile(page)
    check_page(page, "filled profile")
    shoot(page, "profile")
    get_plan(page)
    page.wait_for_timeout(600)  # a second request would have been sent by now
    assert page.posts == ["/plan"]
    check_page(page, "plan")
    shoot(page, "plan")
    with timed(page, "back to the profile"):
        page.go_back()
        page.wait_for_selector("#profile-form")
    assert page.locator(".usce-row").count() == 1
    assert page.input_value("[id='f-usce[0].specialty']") == "Internal Medicine"
    assert page.input_value("[id='f-budget_usd']") == "1500"
    page.fill("[id='f-budget_usd']", "1300")
    get_plan(page)
    assert "Of your $1,300 budget, $315 goes to once-a-season fees" in page.inner_text(
        "#budget-split")
    with timed(page, "edit profile from the plan"):
        page.click("#edit-profile")
        page.wait_for_selector("#profile-form")
    assert page.input_value("[id='f-usce[0].end']") == "2025-05-25"
    assert page.is_checked("input[name='preferences.states'][value='NY']")
    page.reload()
    assert page.input_value("[id='f-usce[0].end']") == "2025-05-25"
    page.click("nav >> text=Programs")
    page.click("nav >> text=Profile")
    assert page.input_value("[id='f-exams.step2ck']") == "242"
    assert page.locator(".usce-row").count() == 1
    page.click("button:has-text('USCE report')")
    page.wait_for_selector("#ledger")
    check_page(page, "usce")
    page.click("#edit-profile")
    assert page.input_value("[id='f-usce[0].specialty']") == "Internal Medicine"


def test_back_to_the_plan_from_a_program_page_needs_no_resubmission(
        person: Any, server_hits: list[tuple[str, str]]) -> None:
    """Back shows the plan where it was left; the browser never resends the form (the plan is
    made again from the tab's copy when the browser keeps no copy of the page)."""
    page = person
    fill_profile(page)
    get_plan(page)
    link = page.locator("#plan-table tr.main-row td.name a").nth(5)
    link.scroll_into_view_if_needed()
    left_at = page.evaluate("window.scrollY")
    link.click()
    page.wait_for_selector(".facts-key")
    check_page(page, "program page")
    shoot(page, "program")
    server_hits.clear()
    page.go_back()
    page.wait_for_selector("#plan-table")
    assert not server_hits or server_hits[0] == ("GET", "/plan")
    page.wait_for_function(f"Math.abs(window.scrollY - {left_at}) < 40")


def test_reload_and_back_never_resend_the_plan_form(
        person: Any, server_hits: list[tuple[str, str]]) -> None:
    """Reload of the plan page asks nothing ("Confirm Form Resubmission" never appears): the
    page's entry is a GET, and that GET makes the plan again from what the tab kept, what-ifs
    included. The USCE report and a refused plan behave the same."""
    page = person
    fill_profile(page)
    get_plan(page)
    page.locator("#what-if-form button").first.click()
    page.wait_for_selector("#what-if td.change")
    entries = page.evaluate("history.length")
    server_hits.clear()
    with timed(page, "reload the plan"):
        page.reload()
        page.wait_for_selector("#plan-table")
    assert server_hits[0] == ("GET", "/plan")  # the browser re-sent no form
    assert page.locator("#what-if td.change").count() == 1  # the what-if asked is kept
    assert page.evaluate("history.length") == entries
    page.click("nav >> text=Programs")
    server_hits.clear()
    page.go_back()
    page.wait_for_selector("#plan-table")
    assert ("POST", "/plan") not in server_hits[:1]
    page.go_back()
    page.wait_for_selector("#profile-form")
    assert page.input_value("[id='f-budget_usd']") == "1500"
    page.click("button:has-text('USCE report')")
    page.wait_for_selector("#ledger")
    server_hits.clear()
    page.reload()
    page.wait_for_selector("#ledger")
    assert server_hits[0] == ("GET", "/usce")


def test_import_then_back_and_reload_do_not_resend_the_file(
        person: Any, tmp_path: Path, profile: dict[str, Any],
        server_hits: list[tuple[str, str]]) -> None:
    """Defect 1 (import) and 12: a file with USCE goals, cases and feedback keeps them."""
    page = person
    profile["usce"][0].update(goals="Learn the wards", cases=["sepsis", "heart failure"],
                              feedback="Strong work ethic")
    file = tmp_path / "me.json"
    file.write_text(json.dumps(profile))
    page.goto("/programs")
    page.goto("/profile")
    page.set_input_files("#import-file", str(file))
    page.click("button:has-text('Import')")
    page.wait_for_selector("[id='f-usce[0].goals']")
    assert page.url.endswith("/profile")
    assert page.input_value("[id='f-usce[0].cases']") == "sepsis\nheart failure"
    server_hits.clear()
    page.reload()
    assert ("POST", "/profile/import") not in server_hits
    assert page.input_value("[id='f-usce[0].feedback']") == "Strong work ethic"
    with page.expect_download() as download:
        page.click("button:has-text('Download profile')")
    saved = json.loads(Path(download.value.path()).read_text())
    assert saved["usce"][0]["cases"] == ["sepsis", "heart failure"]
    assert saved["usce"][0]["goals"] == "Learn the wards"
    server_hits.clear()
    page.click("nav >> text=Programs")
    page.go_back()
    page.wait_for_selector("#profile-form")
    assert ("POST", "/profile/import") not in server_hits
    assert page.input_value("[id='f-usce[0].goals']") == "Learn the wards"


def test_errors_stay_on_the_form_in_plain_words(person: Any) -> None:
    """Defects 2, 3, 5 and 9: required fields flagged as you type; 422 keeps the form;
    no file, a too-large paste and a non-US IMG without a visa say so in words."""
    page = person
    page.goto("/profile")
    page.select_option("[id='f-applicant_type']", "non_us_img")
    page.fill("[id='f-graduation_year']", "twenty19")
    page.locator("#err-graduation-year").get_by_text("whole number").wait_for()
    assert page.locator("#err-visa").inner_text().startswith("choose the visa")
    page.fill("[id='f-exams.step2ck']", "242")
    page.click("button:has-text('Get my plan')")
    page.wait_for_selector(".problems")
    text = page.inner_text("#problems")
    assert "Year you graduated" in text and "Visa you need" in text
    for jargon in ("exams.", "graduation_year", "Input should", "required field is missing"):
        assert jargon not in text
    assert page.input_value("[id='f-exams.step2ck']") == "242"
    check_page(page, "profile with problems")
    page.click("button:has-text('Import')")
    page.wait_for_selector("#err-file:has-text('choose a profile file')")
    assert page.input_value("[id='f-exams.step2ck']") == "242"
    page.fill("[id='f-graduation_year']", "2021")
    page.evaluate("document.getElementById('f-exams.step1').removeAttribute('maxlength')")
    page.fill("[id='f-exams.step1']", "x" * 600_000)
    page.select_option("[id='f-visa']", "j1")
    page.click("button:has-text('Get my plan')")
    page.wait_for_selector("#notice")
    assert "too large" in page.inner_text("#notice") and "{" not in page.inner_text("#notice")
    assert page.input_value("[id='f-exams.step2ck']") == "242"


def test_a_rate_limited_page_shows_the_form_not_json(browser: Any, built_catalog: Any) -> None:
    """Defect 3: a 429 comes back as the form with the message, everything kept."""
    import threading

    import uvicorn

    from smartpick.web import WebLimits, create_app

    app = create_app(built_catalog, WebLimits(rate_per_minute=1, burst=12))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    context = browser.new_context(base_url=f"http://127.0.0.1:{port}")
    page = context.new_page()
    try:
        page.goto("/profile")
        page.fill("[id='f-exams.step2ck']", "242")
        page.locator("#f-graduation_year").fill("2021")
        for _ in range(12):
            page.request.get("/programs")
        page.click("button:has-text('Get my plan')")
        page.wait_for_selector("#notice")
        assert "too many requests" in page.inner_text("#notice").lower()
        assert page.input_value("[id='f-exams.step2ck']") == "242"
    finally:
        context.close()
        server.should_exit = True


def test_what_if_answers_in_place_and_exports_download(person: Any, tmp_path: Path) -> None:
    """Defects 7 and 8: the what-if result appears in place with its change in points; the
    once-a-season fees are counted; every export downloads."""
    page = person
    fill_profile(page)
    get_plan(page)
    assert "$315" in page.inner_text(".kpis")
    button = page.locator("#what-if-form button").first
    assert re.match(r"What if I (had|passed|spent) ", button.inner_text())
    page.locator("#what-if-title").scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    page.posts.clear()
    with timed(page, "what-if in place"):
        button.click()
        page.wait_for_selector("#what-if td.change")
    assert page.posts == ["/plan/what-if"]
    assert re.search(r"[+−]\d+(\.\d)? points?", page.inner_text("#what-if"))
    assert page.evaluate("window.scrollY") >= before - 5 and page.url.endswith("/plan")
    for fmt in ("csv", "xlsx", "pdf"):
        with timed(page, f"download {fmt}"), page.expect_download() as download:
            page.click(f"#download-{fmt}")
        assert Path(download.value.path()).stat().st_size > 100


def test_plain_words_legend_map_and_contrast(person: Any) -> None:
    """Defects 10 and 11."""
    page = person
    page.goto("/profile")
    assert page.locator("select[multiple]").count() == 0  # states are checkboxes
    assert page.input_value("[id='f-targets[1].role']") == "backup"
    assert "(%)" in page.inner_text("label[for='f-target_p_match']")
    border = page.eval_on_selector("[id='f-graduation_year']",
                                   "e => getComputedStyle(e).borderTopColor")
    assert page.evaluate(CONTRAST_JS, [border, "rgb(255, 255, 255)"]) >= 3
    page.focus("[id='f-graduation_year']")
    page.keyboard.press("Tab")
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    assert page.evaluate(CONTRAST_JS, [ring, "rgb(255, 255, 255)"]) >= 3
    fill_profile(page)
    get_plan(page)
    text = page.inner_text("main")
    for jargon in ("P(match)", "P(interview)", "Gain", "the first k programs", "rules: 1 of"):
        assert jargon not in text
    assert page.locator("#legend").count() == 1 and "Chance of interview" in text
    fills = page.evaluate("""() => [...new Set([...document.querySelectorAll('.map path.state')]
        .map(p => p.classList.contains('preferred') + '|' + getComputedStyle(p).fill))]""")
    preferred = next(f.split("|")[1] for f in fills if f.startswith("true"))
    other = next(f.split("|")[1] for f in fills if f.startswith("false"))
    assert page.evaluate(CONTRAST_JS, [preferred, other]) >= 3
    inside = page.evaluate("""() => { const svg = document.querySelector('.map svg');
        const box = svg.viewBox.baseVal; const hi = [...svg.querySelectorAll('path')]
        .find(p => p.textContent.startsWith('Hawaii')).getBBox();
        return hi.x >= box.x && hi.y >= box.y && hi.x + hi.width <= box.x + box.width
          && hi.y + hi.height <= box.y + box.height; }""")
    assert inside
    label = page.evaluate("document.querySelector('.chart text').getBoundingClientRect().height")
    assert label >= 9
    summary = page.locator("details.excluded summary").first
    if summary.count():
        assert not re.search(r"\b(yog|lor_us_required|step3_required|usce_min_months)\b",
                             summary.inner_text())


def test_every_other_page_passes_axe(person: Any) -> None:
    page = person
    for path in ("/", "/programs", "/extract", "/programs/NOPE1"):
        page.goto(path)
        check_page(page, path)
    page.goto("/extract")
    page.fill("#text", "We sponsor J-1 visas only. Applicants must have passed Step 2 CK.")
    page.click("button:has-text('Read it')")
    page.wait_for_selector("#extracted")
    check_page(page, "extract results")
    page.goto("/programs?specialty=Internal+Medicine")
    page.locator("details.state-filter summary").click()
    page.check("input[name='state'][value='NJ']")
    page.wait_for_url(re.compile(r"state=NJ"))
    check_page(page, "programs filtered")


def test_extract_box_says_when_a_paste_is_cut(person: Any) -> None:
    page = person
    page.goto("/extract")
    page.focus("#text")
    page.evaluate("""() => { const data = new DataTransfer();
        data.setData('text/plain', 'x'.repeat(60000));
        document.getElementById('text').dispatchEvent(
            new ClipboardEvent('paste', {clipboardData: data, bubbles: true})); }""")
    assert "only the first 50,000 were kept" in page.inner_text("#length-note")
