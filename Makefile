# `make report` and `make test` are all a fresh machine needs; each creates .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report test bench fuzz lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/quotes report seeds --title "Blinken in Beijing: how five outlets quoted the visit" -o reports/seeds.md
	@echo "wrote reports/seeds.md and its charts"

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/accuracy.py
	$(BIN)/python benchmarks/speed.py
	$(BIN)/python benchmarks/framing.py
	$(BIN)/python benchmarks/report.py
	$(BIN)/python benchmarks/store.py
	$(BIN)/python benchmarks/engines.py

# Long property runs (not in CI): every `fuzz`-marked hypothesis test with FUZZ_SCALE times its examples.
FUZZ_SCALE ?= 100
fuzz: $(STAMP)
	QUOTES_FUZZ_SCALE=$(FUZZ_SCALE) $(BIN)/pytest -m fuzz --hypothesis-show-statistics

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
