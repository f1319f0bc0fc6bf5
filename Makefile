# safetykb: the two commands of the README, and the pieces they are made of.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The site engine of `make build` (safetykb/site/engines.py): mkdocs (default, into site/), zensical
# (site-zensical/) or properdocs (site-properdocs/). The two others are optional dependency groups,
# installed into .venv the first time they are asked for.
ENGINE ?= mkdocs
ENGINES := mkdocs zensical properdocs
ifneq ($(filter $(ENGINE),$(ENGINES)),$(ENGINE))
$(error ENGINE=$(ENGINE): choose one of $(ENGINES))
endif

.PHONY: serve build engines test lint validate chromium node sources index clean

## Create the environment, build the site and serve it on http://127.0.0.1:8000
serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

## Build the site strictly: ENGINE=mkdocs (default) into site/, ENGINE=zensical|properdocs into site-<engine>/
build: $(STAMP) $(if $(filter-out mkdocs,$(ENGINE)),$(VENV)/.engine-$(ENGINE))
	$(BIN)/python scripts/build_site.py --engine $(ENGINE)

## Install the optional engines Zensical and ProperDocs (the tests build the site with each)
engines: $(VENV)/.engine-zensical $(VENV)/.engine-properdocs

$(VENV)/.engine-%: requirements-%.lock requirements.lock $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements.lock -r requirements-$*.lock
	touch $@

## Write the search index into a site built without mkdocs' hooks: make index SITE=folder
SITE ?= site
index: $(STAMP)
	$(BIN)/python scripts/index_site.py $(SITE)

## Create the environment and run the whole test suite (browser, accessibility and engine tests included)
test: $(STAMP) engines chromium node_modules/.installed sources
	$(BIN)/ruff check .
	$(BIN)/python scripts/validate.py
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .

validate: $(STAMP)
	$(BIN)/python scripts/validate.py

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	@# the locked setuptools builds the editable install; its advice about editable installs is not for users
	PYTHONWARNINGS=ignore::UserWarning $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

## The seed lists pinned in sources.yaml: $SAFETYKB_SOURCES if set, else downloaded and checked into .cache/sources
sources: $(STAMP)
	@if [ -n "$$SAFETYKB_SOURCES" ]; then echo "sources: SAFETYKB_SOURCES=$$SAFETYKB_SOURCES"; \
	else $(BIN)/python scripts/fetch_sources.py; fi

## Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium; no browser download)
chromium:
	@test -x /usr/bin/chromium || { \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## axe-core for the accessibility tests, from npm as package-lock.json pins it (Debian's node/npm if missing)
node: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { \
		echo "installing Debian's nodejs and npm for the accessibility tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

clean:
	rm -rf site site-zensical site-properdocs .pytest_cache .ruff_cache
