"""The command line's Arrow allocator: the C library's, unless the environment names one.

Imported by ``loaders.__main__`` before anything imports pyarrow, which reads
``ARROW_DEFAULT_MEMORY_POOL`` once, when it loads (``pyarrow.set_memory_pool`` later would
not reach the pools Arrow's C++ code takes for itself, such as the parquet writer's). With
pyarrow's default, mimalloc, the first parquet file written mapped a 1 GiB arena marked for
transparent huge pages, and in 5 of 8 seeds builds writing the ``lines`` file took 9–22 ms
instead of 3 (28 ms in other runs), the difference kernel time with only a dozen page faults
(huge-page faults the likely cause; not traced further); the C library's allocator asks for
no huge pages, and its writes took 3 ms every time. The dashboard keeps pyarrow's default.
"""

from __future__ import annotations

import os

os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
