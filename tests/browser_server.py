"""Streamlit servers for the browser tests: a free port, waiting until the app answers, and
stopping the server's whole process group when the block ends (`make run` or `streamlit run`)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from .conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError("the app did not come up")


@contextlib.contextmanager
def served(proc: subprocess.Popen, port: int):
    """The URL of a server started in a session of its own, once healthy; stopped after."""
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@contextlib.contextmanager
def streamlit_server(data_dir: Path, **env_extra: str):
    """`streamlit run app.py` on a free port over the given datasets."""
    env = {**os.environ, "BUDGET_DATA_DIR": str(data_dir), **env_extra}
    port = free_port()
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/streamlit"), "run", "app.py", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    with served(proc, port) as url:
        yield url
