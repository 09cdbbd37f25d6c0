"""The web pages in a real browser: Debian's Chromium, driven by Playwright, against a real
uvicorn server over the demo database (the Cartel de los Soles case).

What a reader of the pages must be able to do:

- find an entity by any of its names, open its page and read its designations and the
  responses to them;
- see on the status page that the FTO designation of 2025-11-24 was pending the day before
  and in force from that day;
- do all of it without JavaScript, and on a phone;
- rely on labelled controls, a sound heading outline, a page language and readable contrast;
- type anything into the search box without it running as script.

Screenshots of the pages go to $TRACKER_ARTIFACTS (CI keeps them), else to a temporary
directory; their paths are printed. The browser is never downloaded (`playwright install` is
not needed): without /usr/bin/chromium the module is skipped.
"""

import os
import re
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import tracker

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
uvicorn = pytest.importorskip("uvicorn", reason="the server extra is not installed")

from playwright.sync_api import Browser, BrowserContext, Page, expect  # noqa: E402

from tracker.server.app import create_app  # noqa: E402
from tracker.server.settings import ServerSettings  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS_ENV = "TRACKER_ARTIFACTS"
PHONE = {"width": 375, "height": 740}
SLACK_PX = 4  # how far a page may be wider than the phone's screen (rounding, scrollbars)

CARTEL = "cartel-de-los-soles"
SEARCH_LABEL = "Name, in any spelling or script"
DESIGNATION_COLUMNS = ["id", "entity", "authority", "list", "program", "announced",
                       "effective", "ended", "seen in editions", "status", "sources"]  # fmt: skip
RESPONSE_COLUMNS = ["id", "by", "name", "about", "stance", "on", "summary", "sources"]
IN_FORCE_COLUMNS = ["entity", "authority", "list", "program", "since", "status", "id",
                    "sources"]  # fmt: skip

pytestmark = [
    pytest.mark.slow,  # a server, a seeded database and a browser: some 25 s
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: apt-get install chromium"
    ),
]


# -- the server, the browser, the screenshots -------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a real uvicorn server over a freshly seeded demo database, on a free
    port of 127.0.0.1; it answers before the tests start and is stopped after."""
    path = tmp_path_factory.mktemp("browser-db") / "demo.db"
    with tracker.connect(path) as db:
        db.upgrade()
        db.seed()
    app = create_app(ServerSettings(url=str(path)))
    config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False)
    server = uvicorn.Server(config)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # the system picks a free port; no race with other workers
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        _wait_until_it_answers(base, thread)
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _wait_until_it_answers(base: str, thread: threading.Thread, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(base + "/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError as error:
            if not thread.is_alive():
                raise RuntimeError("the server thread stopped before answering") from error
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server at {base} did not answer in {seconds} s") from error
            time.sleep(0.05)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium for the module: Debian's, headless, never a downloaded one."""
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def open_context(browser: Browser, site: str) -> Iterator[Callable[..., BrowserContext]]:
    """Opens browser contexts on the site (options as `Browser.new_context`), closed after."""
    opened: list[BrowserContext] = []

    def open_(**options: Any) -> BrowserContext:
        context = browser.new_context(base_url=site, **options)
        context.set_default_timeout(10_000)
        opened.append(context)
        return context

    yield open_
    for context in opened:
        context.close()


@pytest.fixture
def dialogs() -> list[str]:
    """The messages of the JavaScript dialogs (alert, confirm, prompt) pages opened."""
    return []


@pytest.fixture
def page(open_context: Callable[..., BrowserContext], dialogs: list[str]) -> Page:
    """A desktop page; any dialog it opens is recorded and dismissed."""
    page = open_context(viewport={"width": 1280, "height": 900}).new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return page


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get(ARTIFACTS_ENV)
    folder = Path(given) if given else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def screenshot(artifacts: Path, capsys: pytest.CaptureFixture[str]) -> Callable[[Page, str], Path]:
    """Saves the whole page as NAME.png in the artefacts folder and prints where."""

    def save(page: Page, name: str) -> Path:
        path = artifacts / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        with capsys.disabled():
            print(f"\nscreenshot: {path}")
        return path

    return save


# -- reading pages as a user does --------------------------------------------------------------


def search(page: Page, text: str) -> None:
    """Types TEXT into the search box, found by its label, and submits the form."""
    page.goto("/")
    page.get_by_label(SEARCH_LABEL).fill(text)
    submit(page, "Search")


def submit(page: Page, button: str) -> None:
    """Presses the form's BUTTON; the page it leads to must not be an error page."""
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=button).click()
    response = navigation.value
    assert response is not None
    assert response.ok, f"{response.status} for {response.url}: {page.locator('main').inner_text()}"


def table(page: Page, section: str) -> tuple[list[str], list[dict[str, str]]]:
    """The column headers of a section's table and its rows as header -> shown text (group
    rows left out), read in one call (Playwright's evaluation works with JavaScript off)."""
    rendered = page.locator(f'table[data-section="{section}"]')
    expect(rendered).to_have_count(1)
    headers = [h.strip() for h in rendered.locator("thead th").all_inner_texts()]
    cells = rendered.locator("tbody tr:not(.group)").evaluate_all(
        "rows => rows.map(row => [...row.cells].map(cell => cell.innerText.trim()))"
    )
    return headers, [dict(zip(headers, row, strict=True)) for row in cells]


def only(rows: list[dict[str, str]], **wanted: str) -> dict[str, str]:
    """The one row whose cells hold the WANTED values."""
    found = [row for row in rows if all(row.get(k) == v for k, v in wanted.items())]
    assert len(found) == 1, f"{len(found)} rows match {wanted}: {rows}"
    return found[0]


def show_status(page: Page, day: str) -> None:
    """Opens the status page and asks, through its form, for the status as of DAY."""
    page.goto("/status")
    page.get_by_label("As of").fill(day)
    submit(page, "Show")
    expect(page).to_have_url(re.compile(rf"/status\?as_of={day}&"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Designations and sanctions in force as of {day}"
    )


# -- the acceptance story ----------------------------------------------------------------------


def test_searching_an_alias_finds_the_cartel_and_its_page_shows_the_fto_and_the_rejection(
    page: Page, screenshot: Callable[[Page, str], Path]
) -> None:
    search(page, "Cartel of the Suns")

    _, hits = table(page, "hits")
    assert hits[0]["name"] == "Cartel de los Soles"  # the best hit, found by its alias
    assert hits[0]["matched"] == "Cartel of the Suns"
    assert "us-state FTO" in hits[0]["in force"]
    screenshot(page, "1-search-results")

    hit = page.locator('table[data-section="hits"] tbody tr', has_text="Cartel de los Soles")
    hit.get_by_role("link", name=CARTEL).click()
    expect(page).to_have_url(f"/entities/{CARTEL}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cartel de los Soles")

    headers, designations = table(page, "designations")
    assert headers == DESIGNATION_COLUMNS
    fto = only(designations, authority="us-state", list="FTO")
    assert (fto["entity"], fto["announced"], fto["effective"], fto["ended"], fto["status"]) == (
        CARTEL, "2025-11-16", "2025-11-24", "", "active"
    )  # fmt: skip
    assert "federalregister.gov" in fto["sources"]

    headers, responses = table(page, "responses")
    assert headers == RESPONSE_COLUMNS
    rejection = only(responses, name="Government of Venezuela")
    assert rejection["stance"] == "rejects"
    assert rejection["on"] == "2025-11-24"
    assert rejection["about"] == f"designation:{fto['id']}"  # it answers the FTO designation
    screenshot(page, "2-entity")


@pytest.mark.parametrize(
    ("day", "listed", "status", "pending", "latest_response"),
    [
        ("2025-11-23", "us-state FTO (pending)", "pending", "1", ""),
        ("2025-11-24", "us-state FTO since 2025-11-24", "active", "0",
         "government-of-venezuela (Government of Venezuela) rejects 2025-11-24"),
    ],
    ids=["the day before: pending", "from 2025-11-24: in force"],
)  # fmt: skip
def test_the_status_page_shows_the_fto_designation_pending_the_day_before_and_in_force_after(
    page: Page,
    screenshot: Callable[[Page, str], Path],
    day: str,
    listed: str,
    status: str,
    pending: str,
    latest_response: str,
) -> None:
    show_status(page, day)

    _, targets = table(page, "targets")
    cartel = only(targets, entity=CARTEL)
    assert cartel["designations"].splitlines() == ["us-ofac SDN SDGT since 2025-07-25", listed]
    assert cartel["latest response"] == latest_response

    headers, designations = table(page, "designations")
    assert headers == IN_FORCE_COLUMNS
    fto = only(designations, entity=CARTEL, list="FTO")
    assert (fto["since"], fto["status"]) == ("2025-11-24", status)

    _, totals = table(page, "totals")
    assert only(totals, authority="us-state", list="FTO")["pending"] == pending
    if status == "pending":
        screenshot(page, "3-status-2025-11-23")


def test_the_status_page_comes_a_page_at_a_time_with_a_next_page_link(page: Page) -> None:
    page.goto("/status?as_of=2025-11-24&limit=10")
    _, first = table(page, "targets")
    paging = page.locator("p.paging")
    expect(paging).to_contain_text("Showing 10 of")
    page.get_by_role("link", name="Next page").click()
    _, second = table(page, "targets")
    assert len(first) == len(second) == 10
    assert not {row["entity"] for row in first} & {row["entity"] for row in second}


# -- without JavaScript, on a phone ------------------------------------------------------------


def test_search_and_the_entity_page_work_without_javascript(
    open_context: Callable[..., BrowserContext],
) -> None:
    page = open_context(java_script_enabled=False).new_page()
    search(page, "Cartel of the Suns")
    expect(page).to_have_url("/?q=Cartel+of+the+Suns&kind=")
    _, hits = table(page, "hits")
    assert hits[0]["name"] == "Cartel de los Soles"
    page.get_by_role("link", name=CARTEL).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cartel de los Soles")
    _, designations = table(page, "designations")
    assert only(designations, list="FTO")["effective"] == "2025-11-24"


PHONE_PAGES = {
    "search": "/?q=Cartel+of+the+Suns",
    "entity": f"/entities/{CARTEL}",
    "status": "/status?as_of=2025-11-24",
    "changes": "/changes?since=2025-01-01&until=2025-12-31",
}


def test_every_page_fits_a_phone_screen_tables_scrolling_inside_their_box(
    open_context: Callable[..., BrowserContext], screenshot: Callable[[Page, str], Path]
) -> None:
    phone = open_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = phone.new_page()
    too_wide = {}
    for name, url in PHONE_PAGES.items():
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"] + SLACK_PX:
            too_wide[name] = width
        loose = page.evaluate(  # tables wider than the screen must sit in a .scroll box
            """() => [...document.querySelectorAll('table')]
                .filter(t => t.scrollWidth > innerWidth && !t.closest('.scroll'))
                .map(t => t.dataset.section)"""
        )
        assert loose == [], f"{name}: tables wider than the phone outside .scroll: {loose}"
        if name == "entity":
            screenshot(page, "4-phone-entity")
        if name == "search":
            box = page.get_by_label(SEARCH_LABEL)
            expect(box).to_be_visible()
            expect(box).to_be_in_viewport()
            edges = box.bounding_box()
            assert edges is not None
            assert edges["x"] + edges["width"] <= PHONE["width"]
            screenshot(page, "4-phone-search")
    assert too_wide == {}, f"pages wider than the {PHONE['width']} px screen: {too_wide}"


# -- accessibility -----------------------------------------------------------------------------

ACCESSIBILITY = """() => {
  const controls = [...document.querySelectorAll('input, select, textarea')]
    .filter(c => !['hidden', 'submit', 'button', 'reset'].includes(c.type));
  const unlabelled = controls
    .filter(c => c.labels.length === 0 && !c.getAttribute('aria-label')
                 && !c.getAttribute('aria-labelledby'))
    .map(c => c.outerHTML);
  const levels = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .map(h => Number(h.tagName[1]));
  const skips = levels.slice(1)
    .map((level, i) => [levels[i], level])
    .filter(([before, level]) => level > before + 1);

  const rgba = text => {
    const [r, g, b, a = 1] = text.match(/[\\d.]+/g).map(Number);
    return {r, g, b, a};
  };
  const over = (top, under) => ({  // `top` composited over an opaque `under`
    r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a), a: 1});
  const background = element => {  // the colours behind it, nearest first, over white
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const colour = rgba(getComputedStyle(e).backgroundColor);
      if (colour.a > 0) layers.push(colour);
      if (colour.a === 1) break;
    }
    const white = {r: 255, g: 255, b: 255, a: 1};
    return layers.reverse().reduce((under, top) => over(top, under), white);
  };
  const luminance = ({r, g, b}) => {
    const linear = c => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const ratio = (one, two) => {
    const [light, dark] = [luminance(one), luminance(two)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  };
  // Every element that shows text of its own (not the SVG chart: it is drawn with `fill`).
  const texts = [...document.body.querySelectorAll('*')]
    .filter(e => !e.closest('svg'))
    .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()));
  const contrast = texts.map(e => {
    const back = background(e);
    return {tag: e.tagName.toLowerCase(), text: e.textContent.trim().slice(0, 40),
            ratio: ratio(over(rgba(getComputedStyle(e).color), back), back)};
  });
  return {lang: document.documentElement.lang, unlabelled, levels, skips, contrast,
          kinds: [...new Set(contrast.map(c => c.tag))]};
}"""

A11Y_PAGES = {
    "search form": "/",
    "search results": "/?q=Cartel+of+the+Suns",
    "entity": f"/entities/{CARTEL}",
    "status": "/status?as_of=2025-11-24",
    "changes": "/changes?since=2025-01-01&until=2025-12-31",
    "not found": "/entities/no-such-entity",
}


@pytest.mark.parametrize("url", A11Y_PAGES.values(), ids=A11Y_PAGES.keys())
def test_pages_label_their_controls_outline_their_headings_and_keep_text_readable(
    page: Page, url: str
) -> None:
    page.goto(url)
    found = page.evaluate(ACCESSIBILITY)
    assert found["lang"] == "en"
    assert found["unlabelled"] == [], "every input and select has a label"
    assert found["levels"][0] == 1, "the page opens with its h1"
    assert found["levels"].count(1) == 1, "one h1 per page"
    assert found["skips"] == [], "headings go down one level at a time"
    assert "a" in found["kinds"]  # links were measured
    if url != "/" and not url.startswith("/entities/no-"):
        assert "th" in found["kinds"]  # and table headers
    poor = [c for c in found["contrast"] if c["ratio"] < 4.5]
    assert poor == [], "text contrast is at least 4.5:1 (WCAG AA)"


# -- hostile input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["<script>window.__xss=1</script>", '"><img src=x onerror="window.__xss=1;alert(1)">'],
    ids=["script element", "attribute breakout"],
)
def test_script_typed_into_the_search_box_is_shown_as_text_and_never_runs(
    page: Page, dialogs: list[str], typed: str
) -> None:
    search(page, typed)
    expect(page.get_by_label(SEARCH_LABEL)).to_have_value(typed)
    expect(page.get_by_role("heading", level=2)).to_have_text(f"Matches for {typed!r}")
    expect(page.locator("main")).to_contain_text(f"no listed party matches {typed!r}")
    assert page.title() == f"{typed} · tracker"
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("main script, main img").count() == 0
    assert dialogs == []
