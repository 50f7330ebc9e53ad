# Rekindle: the two commands are `make app` and `make test`.
# Both create .venv if it is missing; nothing is installed outside it except,
# for the browser tests, Debian's chromium (see .ci/run).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIN    := -c binder/requirements.txt -c tests/constraints.txt
DEMO   ?= .demo/journal.sqlite
PORT   ?= 8866

.PHONY: app test test-fast bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Installs are recorded by stamp files, redone when pyproject or the pins change.
$(VENV)/.installed: $(PY) pyproject.toml binder/requirements.txt tests/constraints.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $(PIN) -e '.[test]'
	touch $@

$(DEMO): | $(VENV)/.installed
	$(VENV)/bin/rekindle demo --journal $(DEMO)

# The code-free app (Voila) on the demo journal, on 127.0.0.1 only.
# `make app ARGS=--no-browser` prints the address instead of opening a browser.
app: $(VENV)/.installed $(DEMO)
	$(VENV)/bin/rekindle app --journal $(DEMO) --port $(PORT) $(ARGS)

# From npm, into .venv/node, in one install (a second `npm install --no-save` would remove the first's):
# configurable-http-proxy for the practice-hub test (tests/server/test_jupyterhub.py) and axe-core for the
# accessibility checks in the browser tests (tests/browser/test_browser_a11y.py). Without npm those tests are
# skipped (in CI they fail: .ci/run installs nodejs and npm).
CHP_VERSION ?= 5.2.0
AXE_VERSION ?= 4.14.1
NODE_STAMP  := $(VENV)/node/.chp-$(CHP_VERSION)-axe-$(AXE_VERSION)
$(NODE_STAMP): | $(PY)
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --prefix $(VENV)/node --no-save --no-audit --no-fund --loglevel=error \
	    configurable-http-proxy@$(CHP_VERSION) axe-core@$(AXE_VERSION) && touch $@; \
	else echo "npm not found: the JupyterHub and accessibility tests will be skipped (apt-get install nodejs npm)"; fi

# Lint and types first (seconds), then the suite in three processes on this 2-core machine, a test file per
# process at a time (the module-wide app servers stay with their file): the browser tests spend much of their
# time waiting on a kernel, a page or a culling timer, and a third process fills those waits (12:10 with two
# processes, measured from a fresh clone). `make test PYTEST_ARGS=` runs it in one.
PYTEST_ARGS ?= -n 3 --dist loadfile --no-loadscope-reorder
test: $(VENV)/.installed $(NODE_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest $(PYTEST_ARGS)

# The tests that need no browser and no server (tests/unit, tests/cli, tests/widgets): a minute or two,
# for while you work; `make test` runs everything.
test-fast: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(PY) -m pytest $(PYTEST_ARGS) tests/unit tests/cli tests/widgets

bench: $(VENV)/.installed
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .demo .pytest_cache .hypothesis
