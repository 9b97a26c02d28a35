"""A real browser: Playwright drives Debian's Chromium against the app started the README's way.

`make run` (set-up, build the datasets, Streamlit on localhost:$PORT); every page is visited,
no exception may show, and the charts must be drawn. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"make run exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError("the app did not come up")


@pytest.fixture(scope="module")
def app_url():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed (.ci/run installs it)")
    if not shutil.which("make"):
        pytest.skip("make not available")
    port = _free_port()
    env = {**os.environ, "PORT": str(port)}
    log = (ROOT / "test-artifacts").resolve()
    log.mkdir(exist_ok=True)
    with open(log / "make-run.log", "w") as out:
        proc = subprocess.Popen(["make", "run"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, proc)
            yield url
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def _settle(page) -> None:
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    # Streamlit shows a status widget while the script runs; wait until it is gone.
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    page.wait_for_timeout(800)


def test_every_page_renders_without_exception_and_draws_charts(app_url, browser) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(app_url)
    _settle(page)
    links = page.locator('[data-testid="stSidebarNav"] a')
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) >= 6, hrefs
    charts_per_page = {}
    for i, href in enumerate(hrefs):
        url = href if href.startswith("http") else app_url + "/" + href.lstrip("/")
        page.goto(url)
        _settle(page)
        name = f"{i:02d}-{url.rstrip('/').rsplit('/', 1)[-1] or 'home'}"
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        assert page.locator('[data-testid="stException"]').count() == 0, f"exception on {url}"
        charts_per_page[url] = page.locator(".js-plotly-plot .main-svg").count()
    drawn = [u for u, n in charts_per_page.items() if n > 0]
    assert len(drawn) >= 4, charts_per_page
