"""Browser fixtures: Debian's Chromium driven by Playwright (never a downloaded browser),
a fresh context per test, and `journey.step(page, name)`, which writes a numbered
screenshot of the page and checks it with axe-core.

Screenshots: test-artifacts/screenshots/<test name>/<NN>-<step>.png at the repo root
(git-ignored); the folder is printed at the end of the run.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.support import ROOT

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Root has no sandbox; the machine has no network: without the background-networking
# flags Chromium floods refused connections (updates, sync, field trials, QUIC probes).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
SERIOUS = ("serious", "critical")
VIEWPORT = {"width": 1280, "height": 900}

_taken: list[Path] = []


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """One Playwright for the session: its sync API cannot be started twice in a thread."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as running:
        yield running


def launch_chromium(playwright: Playwright, **options) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, **options)


@pytest.fixture(scope="session")
def chromium(playwright) -> Iterator[Browser]:
    browser = launch_chromium(playwright)
    yield browser
    browser.close()


@pytest.fixture
def new_context(chromium) -> Iterator:
    """Opens fresh contexts (each its own cookies: one per person), closes them all after."""
    opened: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        context = chromium.new_context(viewport=VIEWPORT, locale="fr-BE", **options)
        context.set_default_timeout(10_000)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


@pytest.fixture
def context(new_context) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(context) -> Page:
    return context.new_page()


@pytest.fixture(scope="session")
def axe_checked() -> dict[tuple, str]:
    """Page states already checked by axe in this session -> the step that checked them."""
    return {}


class Journey:
    """Numbered screenshots of one test's pages, each page checked by axe."""

    def __init__(self, folder: Path, checked: dict[tuple, str]):
        self.folder = folder
        self.checked = checked
        self.count = 0
        self.axe = Axe()
        self.use_axe = True  # axe needs JavaScript: set to False in a context without it
        self.who = ""  # a prefix for the steps' names: whose part of the journey it is

    def step(self, page: Page, name: str, axe: bool | None = None) -> Path:
        """Screenshot the whole page as <NN>-<name>.png, then run axe on it."""
        self.count += 1
        slug = re.sub(r"[^a-z0-9]+", "-", f"{self.who} {name}".lower()).strip("-")
        path = self.folder / f"{self.count:02d}-{slug}.png"
        self.folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=path, full_page=True)
        _taken.append(path)
        if self.use_axe if axe is None else axe:
            self.check_axe(page, f"{self.folder.name}/{path.name}")
        return path

    def check_axe(self, page: Page, where: str) -> None:
        """No serious or critical axe violation. A page state (path, language, title,
        error and notice boxes, connected header) is checked once per session: the same
        template with the same parts gives the same answer, and axe costs ~0.3 s a page."""
        state = page.evaluate(
            """() => [location.pathname, document.documentElement.lang, document.title,
                      document.querySelectorAll('.error-box, .field-error').length,
                      document.querySelectorAll('.notice').length,
                      !!document.querySelector('.connected'),
                      document.querySelectorAll('main a, main button, main input').length]"""
        )
        key = tuple(state)
        if key in self.checked:
            return
        results = self.axe.run(page)
        bad = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
        if bad:
            pytest.fail(f"axe: {len(bad)} serious/critical violation(s) on {page.url} (step {where}):\n"
                        + describe(bad), pytrace=False)
        self.checked[key] = where


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = " ".join(node.get("failureSummary", "").split())
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


@pytest.fixture
def journey(request, axe_checked) -> Journey:
    folder = SCREENSHOTS / re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    shutil.rmtree(folder, ignore_errors=True)  # only this run's steps in the folder
    return Journey(folder, axe_checked)


def pytest_terminal_summary(terminalreporter):
    if _taken:
        folders = len({p.parent for p in _taken})
        terminalreporter.write_sep("-", "browser screenshots")
        terminalreporter.write_line(f"{len(_taken)} step screenshots in {folders} folder(s) under {SCREENSHOTS}")
