# Before You Post: the two commands a newcomer needs are `make serve` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DATA   ?= policy_data
PORT   ?= 8000

.PHONY: setup system-deps build serve test bench lint format voila clean wording

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

system-deps:
	bash scripts/install-system-deps.sh

## Build the handbook, its self-check and the policy PDF (needs chromium) into _build/html.
build: setup system-deps
	$(BIN)/policybook build --data $(DATA)

## Build, then serve the handbook on http://127.0.0.1:$(PORT)
serve: build
	@echo "Serving the handbook on http://127.0.0.1:$(PORT) (Ctrl+C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

## Every test: unit, CLI, rule examples, built HTML, browser, notebooks.
test: setup system-deps
	$(BIN)/pytest

## Figures: build times and page weights, self-check quality and speed.
bench: setup system-deps
	$(BIN)/python -m benchmarks.run $(BENCH)

## Learn the wording check's weights again from our labelled messages (after adding some).
wording: setup
	$(BIN)/policybook train-wording --data $(DATA) benchmarks/data/tuning_*_messages.jsonl

## The self-check as a Voila app on http://127.0.0.1:$(VOILA_PORT) (offline template: no CDN).
VOILA_PORT ?= 8866
voila: setup
	JUPYTER_PATH=$(CURDIR)/widgets/jupyter $(BIN)/voila widgets/self_check.ipynb --template=offline \
		--no-browser --port=$(VOILA_PORT) --Voila.ip=127.0.0.1

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf _build book/generated .bench
