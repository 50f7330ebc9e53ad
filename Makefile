# Rekindle: the two commands are `make app` and `make test`.
# Both create .venv if it is missing; nothing is installed outside it except,
# for the browser tests, Debian's chromium (see .ci/run).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIN    := -c binder/requirements.txt -c tests/constraints.txt
DEMO   ?= .demo/journal.sqlite
PORT   ?= 8866

.PHONY: app test bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Installs are recorded by stamp files, redone when pyproject or the pins change.
$(VENV)/.installed: $(PY) pyproject.toml binder/requirements.txt tests/constraints.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $(PIN) -e '.[test]'
	touch $@

$(DEMO): | $(VENV)/.installed
	$(VENV)/bin/rekindle demo --journal $(DEMO)

app: $(VENV)/.installed $(DEMO)
	$(VENV)/bin/rekindle summary --journal $(DEMO)

test: $(VENV)/.installed
	$(PY) -m pytest

bench: $(VENV)/.installed
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .demo .pytest_cache .hypothesis
