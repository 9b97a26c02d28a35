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

# Rebuild the datasets only when missing or older than the documents or the loaders.
$(OUT)/.built: $(STAMP) $(shell find $(RAW) loaders -type f 2>/dev/null)
	$(BIN)/python -m loaders build $(RAW) --out $(OUT) || [ $$? -eq 1 ]
	touch $@

build: $(OUT)/.built

run: setup build
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/run_bench.py

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(OUT) .pytest_cache
