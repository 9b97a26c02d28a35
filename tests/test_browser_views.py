"""A real browser on the 项目执行, 三公经费 and 绩效指标 pages at 1,400 px: each answers its user's
question in one step, draws its charts, and keeps its widgets in the URL. Screenshots go to
test-artifacts/ (the seeds, built into a temporary folder; the app started as the README says)."""

from __future__ import annotations

import subprocess

import pytest

from .browser_server import streamlit_server
from .conftest import RAW, ROOT
from .test_browser import CHROMIUM, CHROMIUM_ARGS, _settle

ARTIFACTS = ROOT / "test-artifacts"
WIDTH = 1400

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def views_url(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed (.ci/run installs it)")
    out = tmp_path_factory.mktemp("views-data")
    subprocess.run([str(ROOT / ".venv/bin/python"), "-m", "loaders", "build", str(RAW), "--out", str(out), "-q"],
                   cwd=ROOT, check=True)
    with streamlit_server(out) as url:
        yield url


@pytest.fixture(scope="module")
def page(views_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        pg = b.new_page(viewport={"width": WIDTH, "height": 2400})
        # A fresh server's first session can take a while on a loaded machine: warm it up first.
        pg.goto(views_url)
        pg.get_by_text("语言 / Language").first.wait_for(timeout=120_000)
        _settle(pg)
        yield pg
        b.close()


def _open(page, url: str, charts: int) -> None:
    page.goto(url)
    _settle(page)
    page.wait_for_function(f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}",
                           timeout=90_000)
    page.wait_for_timeout(500)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Unexpected token" not in page.content()  # a table the browser could not read


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"views-{name}.png"), full_page=True)


def _fits(page) -> None:
    """Every chart inside the page's width (legible at 1,400 px: nothing drawn off the side)."""
    widths = page.eval_on_selector_all(".js-plotly-plot", "els => els.map(e => e.getBoundingClientRect().right)")
    assert widths and max(widths) <= WIDTH, widths


def test_projects_outlier_and_its_reason(views_url, page):
    _open(page, f"{views_url}/projects", charts=2)
    _shot(page, "projects")
    _fits(page)
    # the 447% project is named on the chart, and its reason is beside it in the table's data
    assert page.locator(".js-plotly-plot text", has_text="非税收入执收成本").count() >= 1
    assert page.locator(".js-plotly-plot text", has_text="447%").count() >= 1
    assert page.get_by_text("超出阈值的项目及原因").count() == 1


def test_projects_thresholds_in_the_link(views_url, page):
    _open(page, f"{views_url}/projects?pj_low=50&pj_high=abc", charts=2)
    assert page.get_by_text("abc", exact=False).count() >= 1  # the unusable value is named
    assert page.locator('input[aria-label="执行率低于（%）"]').input_value() == "50.00"
    _shot(page, "projects-link")


def test_sangong_per_staff_against_the_others(views_url, page):
    _open(page, f"{views_url}/sangong?sg_focus=urumqi", charts=3)
    _shot(page, "sangong")
    _fits(page)
    per_staff = page.locator('[data-testid="stPlotlyChart"]').nth(1)
    assert per_staff.locator("text", has_text="人均三公经费合计").count() >= 1
    assert per_staff.locator("text", has_text="1,049").count() == 1  # 25.39 万元 / 242 people, in 元
    item = page.locator('[data-testid="stPlotlyChart"]').first
    assert item.locator("text", has_text="未披露").count() >= 1  # not printed: said, never a zero bar


def test_indicators_ranked_view(views_url, page):
    _open(page, f"{views_url}/indicators?lang=en", charts=2)
    _shot(page, "indicators-en")
    _fits(page)
    ranked = page.locator('[data-testid="stPlotlyChart"]').first
    assert ranked.locator("text", has_text="share of indicators met").count() >= 1
    heights = page.eval_on_selector_all(".js-plotly-plot", "els => els.map(e => e.getBoundingClientRect().height)")
    assert max(heights) < 1400  # no 5,400 px heatmap
    assert page.get_by_text("Yueyang City", exact=False).count() >= 1  # English names in English mode


def test_a_fold_is_drawn_when_opened(views_url, page):
    """A secondary table is drawn once its fold is opened, and the open fold is in the URL."""
    _open(page, f"{views_url}/projects", charts=2)
    grids = page.locator('[data-testid="stDataFrame"]').count()
    page.locator('[data-testid="stExpander"] summary', has_text="全部项目").click()
    page.wait_for_function(f"() => document.querySelectorAll('[data-testid=\"stDataFrame\"]').length > {grids}",
                           timeout=60_000)
    page.wait_for_function("() => window.location.search.includes('pj_all=1')", timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
