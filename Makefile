# ShopAssist: one verb per target. `make run` and `make test` set everything up first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PYTHON := $(VENV)/bin/python
RASA   := $(VENV)/bin/rasa

# Shared by every target: code from the checkout, models from local disk only, quiet TF.
export PYTHONPATH := $(CURDIR)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: help test-web setup llm-server-env bench-load-env llm-server browser proxy web screenshots db encoder train run run-cluster shell validate test test-unit test-stories bench bench-generation bench-understanding lint clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

setup:  ## build (once) and link the Python 3.10 environment as .venv
	@scripts/setup-venv.sh

llm-server-env:  ## build (once) the environment of llama.cpp's OpenAI-compatible server
	@scripts/setup-llm-server.sh >/dev/null

bench-load-env:  ## build (once) the environment of the serving benchmark's load generator (locust)
	@scripts/setup-bench-load.sh >/dev/null

llm-server: setup  ## serve the embedded model over an OpenAI-compatible API on :8000 (llama.cpp's server)
	@scripts/llm-server.sh

db: setup  ## create and seed the demo database if missing (SHOPASSIST_DB_URL to use another)
	@$(PYTHON) -m shopassist.store.manage ensure

encoder: setup  ## export the encoder (MiniLM) to ONNX, once per model: the servers run it without PyTorch
	@$(PYTHON) -m shopassist.nlu.encoder_export >/dev/null

train: setup encoder  ## train a model if data, config or NLU code changed (FORCE=1 to retrain)
	@scripts/train.sh

run: db encoder train  ## start the action server and the Rasa server (REST + socket.io on :5005)
	@scripts/run.sh server

run-cluster: setup encoder train proxy  ## production layout on loopback: 2 Rasa + 2 action servers behind HAProxy, on PostgreSQL, Redis, RabbitMQ
	@$(PYTHON) -m shopassist.cluster --model "$$(scripts/current-model.sh)"

shell: db encoder train  ## chat in the terminal (rasa shell) with the action server running
	@scripts/run.sh shell

validate: setup  ## rasa data validate; any warning fails
	@scripts/validate.sh

browser:  ## install Debian's Chromium for the browser tests, if missing
	@scripts/setup-browser.sh

proxy:  ## install Debian's HAProxy for the cluster and its tests, if missing
	@scripts/setup-proxy.sh

test-unit: setup encoder llm-server-env bench-load-env browser proxy  ## pytest: unit, integration and browser tests (the last two need a model)
	@$(PYTHON) -m pytest

test-stories: train  ## rasa test on the test stories; reports in results/stories/
	@scripts/test-stories.sh

test-web:  ## the chat widget's rendering tests (Node.js 18+; npm installs the widget's packages once)
	@command -v node >/dev/null || { echo "test-web: Node.js 18+ is needed (node)" >&2; exit 1; }
	@test -d web/node_modules/markdown-it || (cd web && npm ci)
	@node --test web/test/

test: lint validate test-web train test-unit test-stories  ## everything CI runs

bench-generation: setup db  ## knowledge answers: template vs embedded LLM (and the server at SHOPASSIST_LLM_URL, if set) on the graded questions (~10 min)
	@$(PYTHON) -m bench.knowledge --write

bench-understanding: setup train  ## the current model on the independent evaluation set (bench/eval), and its policy questions end to end (~5 min)
	@$(PYTHON) -m bench.independent --json results/bench/independent.json
	@$(PYTHON) -m bench.policy_e2e --json results/bench/policy_e2e.json

bench: setup db proxy bench-load-env  ## benchmarks, full run (about 85 min on 2 cores; bench/run.py --quick: 15 min), see bench/BENCHMARKS.md
	@$(PYTHON) bench/run.py

web:  ## rebuild the chat widget and chart bundles from web/ (Node.js 18+, npm)
	@cd web && npm ci && npm run build

screenshots: setup encoder train browser  ## retake the README's pictures in docs/screenshots/ from the real pages (each under 200 KB)
	@SHOPASSIST_README_SCREENSHOTS=1 $(PYTHON) -m pytest -q -p no:cacheprovider tests/browser/test_readme_screenshots.py

lint: setup  ## ruff: lint and formatting
	@$(VENV)/bin/ruff check shopassist actions tests bench
	@$(VENV)/bin/ruff format --check shopassist actions tests bench

clean:  ## remove models, results and the demo database (not the cached environment)
	rm -rf models/*.tar.gz results var logs
