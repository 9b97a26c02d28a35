"""Print and exports in a real browser: a printed page has no sidebar and no cut table; the
sidebar's brief button returns at once and the brief arrives while the page stays usable."""

from __future__ import annotations

import io

import pandas as pd
import pdfplumber
import pypdfium2
import pytest

from .conftest import ROOT
from .test_browser import _settle, app_url, browser  # noqa: F401  (fixtures)

ARTIFACTS = ROOT / "test-artifacts" / "print"
pytestmark = pytest.mark.browser


def test_printed_page_has_no_sidebar_and_whole_tables(app_url, browser) -> None:  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(app_url + "/projects?pj_all=1")  # with the table of all projects (drawn when opened)
    _settle(page)
    # The print copies are st.html elements, whose code the browser loads once it meets the first.
    page.wait_for_selector(".print-only table", state="attached", timeout=30_000)
    page.emulate_media(media="print")
    assert not page.locator('[data-testid="stSidebar"]').first.is_visible()
    assert page.locator(".print-only table").first.is_visible()
    pdf = page.pdf(format="A4", landscape=True, print_background=True)
    (ARTIFACTS / "projects.pdf").write_bytes(pdf)
    doc = pypdfium2.PdfDocument(pdf)
    doc[0].render(scale=1.2).to_pil().save(ARTIFACTS / "projects-p1.png")
    projects = pd.read_parquet(ROOT / "data/processed/projects.parquet")
    with pdfplumber.open(io.BytesIO(pdf)) as printed:
        text = "".join(p.extract_text() or "" for p in printed.pages)
        for p in printed.pages:  # nothing drawn past the right edge: no table cut off
            assert all(w["x1"] <= p.width + 1 for w in p.extract_words())
    assert "语言 / Language" not in text  # the sidebar is not printed
    single = projects[projects["project"].notna()]["project"].astype(str)
    assert any(name[:8] in text.replace("\n", "") for name in single), "no project name printed"
    page.close()


def test_brief_button_does_not_block_and_delivers(app_url, browser) -> None:  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(app_url + "/projects?dept=miluo")
    _settle(page)
    button = page.get_by_role("button", name="部门简报 PPTX")
    button.wait_for(timeout=30_000)
    button.click()
    # The page answers while the brief is made: the status line shows, the navigation works.
    page.get_by_text("正在生成简报").first.wait_for(timeout=15_000)
    page.get_by_text("下载简报").first.wait_for(timeout=120_000)
    with page.expect_download() as info:
        page.get_by_text("下载简报").first.click()
    path = info.value.path()
    from pptx import Presentation

    deck = Presentation(path)
    assert len(deck.slides) >= 3
    page.close()
