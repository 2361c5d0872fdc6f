# vnplans: `make run` and `make test` do all set-up on a fresh Debian machine (as root).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
OUT ?= out
export OMP_THREAD_LIMIT := 1

.PHONY: run test bench lint lexicon samples setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/setup-system.sh
	bash scripts/setup-system.sh
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/vnplans run samples/inputs --out $(OUT)

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m bench --out bench/results

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy vnplans ingest ocr diacritics parser export samples

lexicon: $(STAMP)
	$(PY) -m diacritics.build

samples: $(STAMP)
	$(PY) -m samples.make_samples

clean:
	rm -rf $(OUT) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
