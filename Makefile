# Huifang: the two commands (`make demo`, `make test`) and the developer's others.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export HUIFANG_CACHE_DIR ?= $(CURDIR)/.cache
# Never download a Python build: the machine's Python >= 3.11 is used.
export UV_PYTHON_DOWNLOADS ?= never
export UV_PYTHON ?= 3.11

UV_LOCAL := $(CURDIR)/.cache/tools/bin/uv
UV := $(or $(shell command -v uv 2>/dev/null),$(UV_LOCAL))
RUN := $(UV) run --frozen

.PHONY: help install chromium node web bench-services demo demo-stop demo-status test lint format bench stack-up stack-down stack-status

help:
	@echo "make demo       install, start Kafka + PostgreSQL + Zipkin and the services, load the demo group"
	@echo "make demo-stop  stop everything the demo started"
	@echo "make demo-status  each service and stack component: pid, health, memory"
	@echo "make test       install, start the test stack, run the whole suite, stop what it started"
	@echo "make lint       ruff + mypy"
	@echo "make bench      backbone benchmarks on their own stack (prints figures, updates bench/README.md)"
	@echo "make bench-services  each service's benchmark on a benchmark stack (SERVICE_BENCHES=... to choose)"

$(UV_LOCAL):
	@echo "==> installing uv into .cache/tools"
	python3 -m venv $(CURDIR)/.cache/tools
	$(CURDIR)/.cache/tools/bin/pip install --quiet uv

install: $(UV)
	@$(UV) sync --frozen --quiet
	@command -v npm > /dev/null 2>&1 || $(MAKE) --no-print-directory node
	@$(RUN) python services/reporting/scripts/fetch_assets.py > /dev/null
	@$(MAKE) --no-print-directory -s web
	@{ command -v chromium && fc-list :lang=zh | grep -q . ; } > /dev/null 2>&1 || $(MAKE) --no-print-directory chromium

# The dashboard and console tests drive Debian's Chromium headless (no browser is ever downloaded);
# a Chinese font makes their screenshots legible.
chromium:
	@echo "==> installing Debian's chromium and a Chinese font for the browser tests"
	@SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get install -y -q chromium fonts-wqy-microhei > /dev/null 2>&1 || \
	  { $$SUDO apt-get update -q > /dev/null && $$SUDO apt-get install -y -q chromium fonts-wqy-microhei > /dev/null; }

# Node.js and npm from Debian when the machine has none (the web workspace and the echarts fetch need them).
node:
	@echo "==> installing Debian's nodejs and npm"
	@SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get install -y -q nodejs npm > /dev/null 2>&1 || \
	  { $$SUDO apt-get update -q > /dev/null && $$SUDO apt-get install -y -q nodejs npm > /dev/null; }

# The web workspace (web/): `npm ci` only when its lockfile changed, the build only when a source (or the
# contracts' labels) changed, into the ignored cache; the services serve what is built, nothing from a CDN.
WEB_DIST := $(HUIFANG_CACHE_DIR)/web/dist
WEB_SOURCES := $(shell find web -type f -not -path 'web/node_modules/*' 2>/dev/null) \
  contracts/src/huifang_contracts/enums.py contracts/src/huifang_contracts/labels.py

web: $(WEB_DIST)/.built

web/node_modules/.package-lock.json: web/package-lock.json web/package.json
	@echo "==> npm ci (web/)"
	@cd web && npm ci --loglevel=error
	@touch $@

$(WEB_DIST)/.built: web/node_modules/.package-lock.json $(WEB_SOURCES)
	@echo "==> building web/ into $(WEB_DIST)"
	@$(RUN) python web/scripts/export_labels.py $(HUIFANG_CACHE_DIR)/web/generated/labels.zh-CN.json
	@mkdir -p $(HUIFANG_CACHE_DIR)/web
	@cd web && npm run --silent build > $(HUIFANG_CACHE_DIR)/web/build.log 2>&1 || \
	  { cat $(HUIFANG_CACHE_DIR)/web/build.log; exit 1; }
	@touch $@

# `huifang demo up` = `huifang stack up --trace-viewer` + the five services as processes + the demo data
# + the URLs and a development token; Ctrl-C stops what it started. Ports: HUIFANG_*_PORT, HUIFANG_DEMO_*.
demo: install
	@$(RUN) huifang demo up

demo-stop: install
	@$(RUN) huifang demo down

demo-status: install
	@$(RUN) huifang demo status

test: install
	$(RUN) pytest

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy

bench: install
	$(RUN) python -m bench.backbone

# Each service's benchmark against one benchmark stack (its own ports and folder), stopped afterwards.
BENCH_STACK := HUIFANG_STATE_DIR=$(CURDIR)/.cache/bench-services HUIFANG_KAFKA_PORT=26192 HUIFANG_POSTGRES_PORT=26532
BENCH_SERVERS := KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:26192 HUIFANG_DATABASE_URL=postgresql://postgres@127.0.0.1:26532/postgres
SERVICE_BENCHES ?= intake_http callback_scheduling callback_sampling dispatch_assign survey_records reporting_kpis e2e_latency

bench-services: install
	@$(BENCH_STACK) $(RUN) huifang stack up
	@status=0; for b in $(SERVICE_BENCHES); do \
	  [ -f bench/$$b.py ] || continue; echo "==> bench.$$b"; \
	  $(BENCH_STACK) $(BENCH_SERVERS) $(RUN) python -m bench.$$b || status=1; done; \
	  $(BENCH_STACK) $(RUN) huifang stack down; exit $$status

format: install
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

stack-up: install
	@$(RUN) huifang stack up
stack-down: install
	@$(RUN) huifang stack down
stack-status: install
	@$(RUN) huifang stack status
