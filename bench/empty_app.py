"""The baselines for bench/page_times.py: Streamlit pages that draw a title and nothing else
("blank"), and a title with one plotly chart ("chart") or one data grid ("grid"), so a page's
time can be read against the framework's own fixed costs on the same machine, at the same load."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st


def _page(title: str, what: str = ""):
    def page() -> None:
        st.title(title)
        if what == "chart":
            st.plotly_chart(go.Figure(go.Bar(x=list("abcdefghij"), y=list(range(10)))), key="chart")
        elif what == "grid":
            st.dataframe(pd.DataFrame({"a": range(100), "b": [f"row {i}" for i in range(100)]}), key="grid")
    return page


st.set_page_config(page_title="baseline", layout="wide", initial_sidebar_state="expanded")
st.sidebar.caption("baseline")
st.navigation([st.Page(_page("home"), title="home", default=True),
               st.Page(_page("空白"), title="空白", url_path="blank"),
               st.Page(_page("一张图", "chart"), title="一张图", url_path="chart"),
               st.Page(_page("一个表", "grid"), title="一个表", url_path="grid"),
               st.Page(_page("documents"), title="documents", url_path="documents"),
               st.Page(_page("sources"), title="sources", url_path="sources")]).run()
