"""A real browser on the 预算与决算 page and the 总览 at 1,400 px: one total per phase, labelled;
the gaps with their stated reasons; a department's trend over its years. Screenshots go to
test-artifacts/ (budget-*.png, overview-*.png)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import budget_data
from tests.browser_server import streamlit_server
from tests.conftest import ROOT
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, _settle

ARTIFACTS = ROOT / "test-artifacts"
pytestmark = pytest.mark.browser


def _data() -> Path:
    """The seeds with a multi-year department where ../shared is present, else the seeds alone."""
    try:
        return budget_data.multi_year()
    except pytest.skip.Exception:
        return budget_data.seeds()


@pytest.fixture(scope="module")
def app_url():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed (.ci/run installs it)")
    with streamlit_server(_data()) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def _open(browser, url: str, height: int = 3200):
    # Streamlit scrolls inside its main block: a tall window shows the whole page in one picture.
    page = browser.new_page(viewport={"width": 1400, "height": height})
    page.goto(url)
    _settle(page)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length > 0",
                           timeout=60_000)
    page.wait_for_timeout(1500)
    assert page.locator('[data-testid="stException"]').count() == 0
    return page


def test_budget_page_gaps_with_reasons(app_url, browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = _open(browser, f"{app_url}/budget?dept=hanyang,urumqi&bd_gaps=1")  # the gaps: drawn when opened
    text = page.inner_text('[data-testid="stMain"]')
    assert "预算与决算：各部门各年度" in text and "预算与决算差距最大的科目" in text
    # st.dataframe draws on a canvas; its cells are in a hidden grid for screen readers
    page.get_by_text("主要是中央资金拨款增加。").first.wait_for(state="attached", timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "budget-hanyang-urumqi.png"), full_page=True, timeout=120_000)
    page.close()


def test_budget_page_trend_and_overview(app_url, browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    multi = budget_data._multi_year() is not None
    dept = "jiangsu-shengweibangongting" if multi else "hanyang"
    page = _open(browser, f"{app_url}/budget?dept={dept}")
    if multi:
        assert page.get_by_text("年度变化（每个阶段一张图）").count() == 1
    page.screenshot(path=str(ARTIFACTS / "budget-trend.png"), full_page=True, timeout=120_000)
    page.close()
    page = _open(browser, f"{app_url}/?lang=en&ov_trend=1", height=2800)
    page.get_by_text("Headline figures per department").wait_for(timeout=30_000)
    if multi:
        assert page.get_by_text("Departments with several years: totals by phase").count() == 1
    page.screenshot(path=str(ARTIFACTS / "overview-en.png"), full_page=True, timeout=120_000)
    page.close()
