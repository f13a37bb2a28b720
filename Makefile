# Two commands do all the set-up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench install messages

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/thread-health serve --host 127.0.0.1 --port 8000

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2

bench: $(STAMP)
	$(BIN)/python -m bench

# After changing a human string: the template (messages.pot) and each catalogue, new
# strings empty and obsolete ones dropped; translate the French, then `make test`.
messages: $(STAMP)
	$(BIN)/pybabel extract -F service/translations/babel.cfg --add-location=file \
		--sort-output --project=thread-health --version=0.1.0 \
		-o service/translations/messages.pot service
	$(BIN)/pybabel update -i service/translations/messages.pot -d service/translations \
		--no-fuzzy-matching --ignore-obsolete
