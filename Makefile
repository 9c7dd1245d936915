# Werkbrug: `make run` opens the application, `make test` runs the whole suite offscreen.
# Both create .venv when it is missing and install the pinned dependencies.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast bench dist lint clean translations

$(STAMP): pyproject.toml constraints.txt
	@bash tools/system_deps.sh
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -c constraints.txt -e '.[dev,dist]'
	@touch $(STAMP)

run: $(STAMP)
	$(PY) main.py

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

test-fast: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m "not slow"

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) bench/run_all.py

# The installable application for this platform (installer/README.md): dist/werkbrug/ and, on Linux,
# dist/werkbrug-<version>-linux-<arch>.tar.gz. PyInstaller comes from the "dist" extra.
dist: $(STAMP)
	@$(PY) -m PyInstaller --version >/dev/null 2>&1 || $(PY) -m pip install -q -c constraints.txt -e '.[dist]'
	$(PY) installer/build.py
	QT_QPA_PLATFORM=offscreen dist/werkbrug/werkbrug --self-test

clean:
	rm -rf $(VENV) build dist .pytest_cache

# Qt Linguist: collect the window texts into resources/translations/werkbrug_<lang>.ts for a
# translator, and compile the translated files to .qm (loaded at start-up for that language).
LANGS ?= fr
translations: $(STAMP)
	@mkdir -p resources/translations
	@for l in $(LANGS); do $(VENV)/bin/pyside6-lupdate gui/*.py -ts resources/translations/werkbrug_$$l.ts; done
	@for f in resources/translations/*.ts; do $(VENV)/bin/pyside6-lrelease $$f -qm $${f%.ts}.qm; done
