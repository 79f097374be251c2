# Two commands do all set-up on first use: `make run` and `make test`.
# The virtual environment is (re)built whenever pyproject.toml changes.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The optional simpleaudio back end compiles against ALSA on Linux: install it where the ALSA
# headers are (Debian: libasound2-dev), so its tests run there too.
EXTRAS := test,package,ble$(shell test -f /usr/include/alsa/asoundlib.h && echo ,simpleaudio)

.PHONY: run test lint typecheck pytest bench sounds package clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "LegTimer needs Python 3.11 or newer (found " + sys.version.split()[0] + ")")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	touch $@

run: $(STAMP)
	$(BIN)/python -m legtimer $(ARGS)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	@for b in bench/*.py; do \
		case $$b in */_*) continue;; esac; \
		echo "# $$b" >&2; \
		$(BIN)/python $$b || exit 1; \
	done

# A one-folder bundle in dist/legtimer/ (PyInstaller; see packaging/legtimer.spec). It runs on
# machines like the one that built it: build on each OS you ship for.
package: $(STAMP)
	$(BIN)/pyinstaller packaging/legtimer.spec --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller
	@du -sh dist/legtimer
	dist/legtimer/legtimer --version

sounds:
	$(PYTHON) sounds/generate.py

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache screenshots
