# Two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup runtime run build test clean browser

$(BIN)/aikg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# The graph page's library (cytoscape, package.json), served by Flask from node_modules: no CDN.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The system Chromium that the graph page's test drives with Playwright.
browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

# What `make run` needs; the tests also need the browser.
runtime: $(BIN)/aikg node_modules/.package-lock.json

setup: runtime browser

build: runtime
	$(BIN)/aikg build

# Build the graph from the bundled corpus, validate it (for /api/validation) and serve it.
run: build
	$(BIN)/aikg validate --format text
	$(BIN)/aikg serve --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/pytest

clean:
	rm -rf build $(VENV)
