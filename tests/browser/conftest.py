"""Browser tests in a real Chromium (Debian's), driven by Playwright; never downloads a browser.

Skipped, with a visible reason, when no Chromium is found (``/usr/bin/chromium`` or
``CHROMIUM=/path``). ``.ci/run`` installs Chromium and runs them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
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


def pytest_report_header(config: pytest.Config) -> str:
    if HAVE_CHROMIUM:
        return f"browser tests: Chromium at {CHROMIUM}"
    return "browser tests: SKIPPED — no Chromium found (install it or set CHROMIUM=/path)"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))
            if not HAVE_CHROMIUM:
                item.add_marker(pytest.mark.skip(reason="no Chromium: browser tests skipped"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # A Dutch-speaking coach's browser is often set to English: the app must still be Dutch.
    return {**browser_context_args, "locale": "en-US", "bypass_csp": True}


@pytest.fixture
def axe_check() -> Any:
    """Run axe-core on the page; fail on serious or critical WCAG violations."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page: Any) -> None:
        results = axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
            },
        )
        bad = [
            v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
        ]
        details = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5]) for v in bad]
        assert bad == [], f"accessibility violations on {page.url}: {details}"

    return check
