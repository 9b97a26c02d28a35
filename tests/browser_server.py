"""One Streamlit server for a browser test module: `streamlit run app.py` on a free port over
the given datasets, stopped (its whole process group) when the block ends."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from pathlib import Path

from .conftest import ROOT
from .test_browser import _free_port, _wait_healthy


@contextlib.contextmanager
def streamlit_server(data_dir: Path, **env_extra: str):
    env = {**os.environ, "BUDGET_DATA_DIR": str(data_dir), **env_extra}
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/streamlit"), "run", "app.py", "--server.address", "127.0.0.1",
         "--server.port", str(port := _free_port()), "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
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
