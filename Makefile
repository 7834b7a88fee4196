# Developer verbs. `make run` and `make test` are the README's quick start.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
THESAURUS := /usr/share/mythes/thes_fr.dat
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)

.PHONY: install run serve test lint format bench bench-search bench-circles bench-routing vendor clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Apprenance needs Python 3.11 or newer (found " + sys.version.split()[0] + ")")'
	@if ! $(PYTHON) -m venv --help >/dev/null 2>&1 || ! $(PYTHON) -c 'import ensurepip' 2>/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && apt-get install -y -qq python3-venv; \
		else echo "Install Python's venv module first: sudo apt-get install python3-venv"; exit 1; fi; \
	fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP) $(THESAURUS)

# Debian's French thesaurus feeds the search's synonyms; without it search still works, without them.
$(THESAURUS):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get install -y -qq mythes-fr >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq mythes-fr); \
	else echo "Search finds synonyms once Debian's thesaurus is installed: sudo apt-get install mythes-fr"; fi

# Install if needed, migrate, load the demo network into an empty database, then serve it on
# 127.0.0.1:$(PORT) with the background worker beside the server.
run: install
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py load_demo
	@echo "Apprenance answers on http://127.0.0.1:$(PORT)/ — Ctrl+C to stop."
	$(BIN)/python manage.py worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	PORT=$(PORT) $(BIN)/python manage.py serve

test: install
	$(BIN)/pytest -n 2 --dist loadgroup

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v0

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python -m bench.run

# Search relevance on the two French development sets (bench/search_quality): nDCG@5 and MRR, as JSON.
bench-search: install
	$(BIN)/python -m bench.search_quality.run --set dev
	$(BIN)/python -m bench.search_quality.run --set themes

vendor:
	scripts/vendor_assets.sh

clean:
	rm -rf $(VENV) var/static

# Circle formation: 1,000 to 100,000 members in circles of 6 (time, mean diversity), and the
# heuristic against CP-SAT's proved optimum on 60-member instances, as JSON.
bench-circles: install
	$(BIN)/python -m bench.circles --output var/bench-circles/results.json

# Expert routing: quality on the two French development networks (a right expert first, precision@3),
# then latency and precision@5 on a generated network of 50,000 members, as JSON.
bench-routing: install
	$(BIN)/python -m bench.routing_quality --set dev
	$(BIN)/python -m bench.routing_quality --set themes
	$(BIN)/python -m bench.routing
