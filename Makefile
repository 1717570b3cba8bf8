# SmartPick: `make demo` and `make test` are the quick start.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install catalog lint typecheck serve bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

catalog: install
	$(BIN)/smartpick db build

DEMO_PROFILE := examples/strong_non_us_img_im.yaml

demo: catalog
	$(BIN)/smartpick plan $(DEMO_PROFILE) --what-if usce:+3m-hands-on --what-if step3:pass

test: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install
	$(BIN)/mypy

serve: catalog
	$(BIN)/smartpick serve

bench: install
	for b in bench/*_bench.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var build dist
