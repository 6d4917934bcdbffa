# The README's two commands are `make run` and `make test`; each sets up .venv first when it needs to.
# Needs only Python 3.11+ and make. VENV may point elsewhere (CI uses a fresh one each run).

PYTHON ?= python3
VENV ?= .venv
UV_VERSION := 0.13.9
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
STAMP := $(VENV)/.coprod-synced

.PHONY: setup run test lint demo clean

setup: $(STAMP)

$(STAMP): pyproject.toml uv.lock
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	test -x $(VENV)/bin/uv || $(VENV)/bin/pip install --quiet uv==$(UV_VERSION)
	$(VENV)/bin/uv sync --frozen --inexact
	touch $(STAMP)

# The sample year goes in on every start; the same events are recorded once, so nothing doubles.
run: setup
	$(VENV)/bin/coprod up --demo

# Into a system already running (`make run` in another terminal, or `coprod up`).
demo: setup
	$(VENV)/bin/coprod demo

test: setup
	$(VENV)/bin/python -m pytest --durations=10

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

clean:
	rm -rf .coprod
