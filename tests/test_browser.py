"""A real browser: Playwright drives Debian's Chromium against the app started the README's way.

`make run` (set-up, build the datasets, Streamlit on localhost:$PORT); every page is visited,
no exception may show, and the charts must be drawn. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .browser_server import free_port, served, streamlit_server
from .conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed (.ci/run installs it)")
    if not shutil.which("make"):
        pytest.skip("make not available")
    port = free_port()
    env = {**os.environ, "PORT": str(port)}
    log = (ROOT / "test-artifacts").resolve()
    log.mkdir(exist_ok=True)
    with open(log / "make-run.log", "w") as out:
        proc = subprocess.Popen(["make", "run"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        with served(proc, port) as url:
            yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def _settle(page) -> None:
    """Wait until the script run has drawn the page: navigation, a title, no running status."""
    page.wait_for_selector('[data-testid="stSidebarNavLink"]', timeout=60_000)
    page.wait_for_selector('[data-testid="stMain"] [data-testid="stHeading"]', timeout=60_000)
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
    n_pages = links.count()
    assert n_pages >= 7, n_pages
    charts_per_page = {}
    for i in range(n_pages):
        link = page.locator('[data-testid="stSidebarNav"] a').nth(i)
        label = link.inner_text().strip()
        link.click()
        _settle(page)
        # every chart the page holds drawn (a loaded machine draws a tall chart after the script ends)
        page.wait_for_function("() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
                               ".every(c => c.querySelector('.main-svg'))", timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / f"{i:02d}-{label}.png"), full_page=True)
        assert page.locator('[data-testid="stException"]').count() == 0, f"exception on {label}"
        assert "Page not found" not in page.content(), label
        charts_per_page[label] = page.locator(".js-plotly-plot .main-svg").count()
    drawn = [u for u, n in charts_per_page.items() if n > 0]
    assert len(drawn) >= 4, charts_per_page


@pytest.fixture
def upload_app(tmp_path):
    """A second instance on copies of data/raw and the datasets, so uploads touch no repo file."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed (.ci/run installs it)")
    raw, out = tmp_path / "raw", tmp_path / "processed"
    shutil.copytree(ROOT / "data" / "raw", raw)
    subprocess.run([str(ROOT / ".venv/bin/python"), "-m", "loaders", "build", str(raw), "--out", str(out), "-q"],
                   cwd=ROOT, check=True)
    with streamlit_server(out, BUDGET_RAW_DIR=str(raw)) as url:
        yield url, raw


def test_upload_reject_then_add_and_remove(upload_app, browser, tmp_path) -> None:
    url, raw = upload_app
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url + "/documents")  # a deep link as the fresh server's first session
    _settle(page)
    assert "Page not found" not in page.content()
    assert page.get_by_text("语言 / Language").count() == 1  # app.py ran around the page
    before = sorted(p.name for p in raw.iterdir())

    recipe = tmp_path / "recipe.txt"
    recipe.write_text("红烧肉做法\n五花肉 500 克，冰糖 30 克。\n", encoding="utf-8")
    page.locator('input[type="file"]').set_input_files(str(recipe))
    page.get_by_text("无法载入").wait_for(timeout=60_000)
    _settle(page)
    page.screenshot(path=str(ARTIFACTS / "upload-rejected.png"), full_page=True)
    assert sorted(p.name for p in raw.iterdir()) == before  # nothing saved

    # A department's report with one figure changed: a new document, not a duplicate.
    seed = (ROOT / "data/raw/yueyang-housing-security-2023-performance-self-eval.txt").read_text(encoding="utf-8")
    report = tmp_path / "岳阳 新报告.txt"
    report.write_text(seed.replace("2023年度岳阳市住房保障服务中心整体支出", "2023年度岳阳市住房保障服务中心整体支出 ", 1),
                      encoding="utf-8")
    page.locator('input[type="file"]').set_input_files(str(report))
    page.get_by_text("预览").first.wait_for(timeout=60_000)
    _settle(page)
    page.get_by_role("button", name="保存并载入").click()
    page.get_by_text("已保存为").wait_for(timeout=120_000)  # the page answers before the ingest ends
    page.get_by_text("已载入").first.wait_for(timeout=120_000)  # the background worker finished
    page.screenshot(path=str(ARTIFACTS / "upload-saved.png"), full_page=True)
    added = sorted(set(p.name for p in raw.iterdir()) - set(before))
    assert len(added) == 1 and "/" not in added[0] and " " not in added[0], added


@pytest.mark.parametrize("path", ["budget?dept=hanyang", "projects", "sources", "documents"])
def test_deep_link_opens_its_page(app_url, browser, path) -> None:
    # Regression: while the page files sat in a pages/ folder, a fresh server ran a shared
    # link's first session in Streamlit's legacy multipage mode: the page without app.py
    # (no language switch, no filters in the URL) or a "Page not found" box.
    page = browser.new_page()
    page.goto(f"{app_url}/{path}")
    _settle(page)
    # The first session of a fresh server can take a while on a loaded machine: wait for the
    # sidebar before judging what ran.
    page.get_by_text("语言 / Language").first.wait_for(timeout=30_000)
    assert "Page not found" not in page.content()
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("语言 / Language").count() == 1  # app.py ran: the language switch is there
    assert page.get_by_text("Deploy", exact=True).count() == 0  # the toolbar is set for viewers
    page.close()
