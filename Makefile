# The README's two commands are `make run` and `make test`; each sets up .venv first when it needs to.
# Needs only Python 3.11+ and make. VENV may point elsewhere (CI uses a fresh one each run).

PYTHON ?= python3
VENV ?= .venv
UV_VERSION := 0.13.9
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
STAMP := $(VENV)/.coprod-synced

.PHONY: setup run test lint demo clean

setup: $(STAMP)

# A .venv left half-made (Python without its venv module makes one with no pip) is made again, or said plainly.
$(STAMP): pyproject.toml uv.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "coprod needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) -V 2>&1)" >&2; exit 1; }
	@$(VENV)/bin/python -m pip --version >/dev/null 2>&1 || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV) || { \
	  rm -rf $(VENV); echo "coprod needs Python's venv module: install it (Debian, Ubuntu: sudo apt install \
	python3-venv) and run make again" >&2; exit 1; }; }
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

# What `make setup` and `make run` made: the environment and the embedded default's data.
clean:
	rm -rf .coprod $(VENV)
