# taphuan — the README's commands. Needs Python 3.11+ as $(PYTHON), with venv and pip
# (Debian: apt-get install python3 python3-venv make).
PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 5000
BIN = $(VENV)/bin
export FLASK_APP = wsgi

# A stamp per set of requirements, named by their checksum: a changed file installs again.
# `make run` installs what the app needs (requirements.txt); `make test` adds the test tools
# (requirements-dev.txt, which includes requirements.txt).
sum = $(shell cat $(1) | cksum | cut -d' ' -f1)
RUN_STAMP = $(VENV)/.installed-run-$(call sum,requirements.txt)
TEST_STAMP = $(VENV)/.installed-test-$(call sum,requirements.txt requirements-dev.txt)

# A .venv whose python cannot run pip (made without pip, as `python3 -m venv` does on Debian
# without python3-venv, or left by a removed Python) is made again.
ifneq ($(wildcard $(VENV)),)
ifneq ($(shell $(BIN)/python -m pip --version >/dev/null 2>&1 && echo ok),ok)
$(info $(VENV) is half-made (no working pip): making it again.)
$(shell rm -f $(VENV)/.installed-*)
endif
endif

# $(call install,FILE): a clean venv with exactly what FILE pins. --no-deps installs nothing
# the file does not list, so `pip check` fails when a dependency of a dependency is missing.
define install
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11+ (Debian: apt-get install python3 python3-venv)." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "taphuan needs Python 3.11+; $(PYTHON) is $$($(PYTHON) --version 2>&1) (set PYTHON=python3.11 or newer)." >&2; exit 1; }
	@echo "Making $(VENV) afresh with what $(1) pins"
	@rm -rf $(VENV)
	@$(PYTHON) -m venv $(VENV) >/dev/null 2>&1 && $(BIN)/python -m pip --version >/dev/null 2>&1 || { rm -rf $(VENV); echo "$(PYTHON) -m venv made no pip: install Debian's python3-venv (apt-get install python3-venv), then run make again." >&2; exit 1; }
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -r $(1)
	@$(BIN)/python -m pip check --disable-pip-version-check >/dev/null || { $(BIN)/python -m pip check --disable-pip-version-check >&2; echo "$(1): a dependency named above is not pinned in requirements*.txt; add it with its version." >&2; exit 1; }
endef

.PHONY: install translations run test lint bench extract-strings

$(RUN_STAMP): requirements.txt
	$(call install,requirements.txt)
	touch $@

# The test tools include the app's requirements: the run stamp holds too.
$(TEST_STAMP): requirements.txt requirements-dev.txt
	$(call install,requirements-dev.txt)
	touch $@ $(RUN_STAMP)

install: $(RUN_STAMP)
	$(BIN)/pybabel -q compile -d app/translations
	$(BIN)/flask assets build

translations: install

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo --if-empty
	$(BIN)/flask run --host $(HOST) --port $(PORT)

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

# The whole suite on SQLite; again on PostgreSQL when TEST_DATABASE_URL is set, the tests
# that reach a database (marked `database` by tests/conftest.py; browser journeys run once, on
# SQLite). With TEST_DATABASE_URL three processes run side by side: the PostgreSQL pass, the
# SQLite pass's browser journeys, and the rest of the SQLite pass (when the PostgreSQL pass
# ended first, one core stood idle for the SQLite pass's last minutes); the other two's
# output follows, and any failing fails the target.
test: $(TEST_STAMP)
	$(BIN)/pybabel -q compile -d app/translations
	$(BIN)/ruff check .
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  log=$$(mktemp); blog=$$(mktemp); \
	  $(BIN)/pytest -m "database and not browser" -p no:cacheprovider >"$$log" 2>&1 & pg=$$!; \
	  env -u TEST_DATABASE_URL $(BIN)/pytest -m browser -p no:cacheprovider >"$$blog" 2>&1 & br=$$!; \
	  env -u TEST_DATABASE_URL $(BIN)/pytest -m "not browser"; sqlite=$$?; \
	  wait $$br; browser=$$?; wait $$pg; postgres=$$?; \
	  echo "--- the browser journeys (SQLite) ---"; cat "$$blog"; rm -f "$$blog"; \
	  echo "--- the same suite on PostgreSQL ($$TEST_DATABASE_URL) ---"; cat "$$log"; rm -f "$$log"; \
	  [ $$sqlite -eq 0 ] && [ $$browser -eq 0 ] && [ $$postgres -eq 0 ]; \
	else env -u TEST_DATABASE_URL $(BIN)/pytest; fi

bench: install
	$(BIN)/python -m bench

extract-strings: $(RUN_STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ --no-location --sort-output -o app/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i app/translations/messages.pot -d app/translations
