# Two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run build test clean

$(BIN)/aikg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

setup: $(BIN)/aikg

build: setup
	$(BIN)/aikg build

# Build the graph from the bundled corpus and serve it.
run: build
	$(BIN)/aikg serve --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/pytest

clean:
	rm -rf build $(VENV)
