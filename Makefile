# The whole set-up is `make run` or `make test`; both create .venv from the lock file.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
PORT    ?= 8501
RAW     := data/raw
OUT     := data/processed
STAMP   := $(VENV)/.installed

.PHONY: setup run build test bench lint clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# Rebuild the datasets only when missing or older than the documents or the loaders (the
# folder itself is a prerequisite too: removing a document changes only its mtime). A failed
# document, or an empty folder, still starts the dashboard: documents can be added from it.
$(OUT)/.built: $(STAMP) $(RAW) $(shell find $(RAW) loaders -type f -not -path '*/__pycache__/*' 2>/dev/null)
	mkdir -p $(OUT)
	$(BIN)/python -m loaders build $(RAW) --out $(OUT) || echo "loaders: see the lines above; starting with what was built"
	touch $@

build: $(OUT)/.built

run: setup build
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

test: lint
	$(BIN)/python -m pytest -q

# Whole processes against baselines of the same run: the loaders (bench/run_bench.py), every
# page in Chromium over the seeds (bench/page_times.py), each brief (bench/bench_briefing.py).
bench: setup build
	$(BIN)/python bench/run_bench.py
	$(BIN)/python bench/page_times.py --data $(OUT) --label seeds
	$(BIN)/python bench/bench_briefing.py

# The build over N generated documents (SCALE_N=200 for a quick run): bench/scale/run.py.
.PHONY: bench-scale
bench-scale: setup
	$(BIN)/python bench/scale/run.py

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(OUT) .pytest_cache
