# Penempatan: two commands on a fresh machine: `make demo` (or `make serve`) and `make test`.
SHELL := /bin/bash
PY := .venv/bin/python
STAMP := .venv/.synced

.PHONY: env bytecode demo serve test test-pg lint typecheck bench bench-smoke clean

# Create the environment from the lock file (installing uv with pip when it is missing).
$(STAMP): pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 \
		|| python3 -m pip install --quiet uv
	@if command -v uv >/dev/null 2>&1; then uv sync --frozen --compile-bytecode --quiet; \
		else python3 -m uv sync --frozen --compile-bytecode --quiet; fi
	@touch $(STAMP)

# uv compiles the installed packages, not this project (installed editable): compile its modules
# too, so that no command recompiles them on every start when PYTHONDONTWRITEBYTECODE is set.
bytecode: $(STAMP)
	@$(PY) -m compileall -q -j 0 geo matcher api benchmarks

env: bytecode

demo: bytecode
	$(PY) -m api.cli demo

serve: bytecode
	$(PY) -m api.cli serve --demo

lint: $(STAMP)
	$(PY) -m ruff check geo matcher api benchmarks tests
	$(PY) -m ruff format --check geo matcher api benchmarks tests

typecheck: $(STAMP)
	$(PY) -m mypy

test: lint typecheck
	$(PY) -m pytest

# The API suite again on PostgreSQL (a new database per run, dropped at the end). The two-instance
# test (tests/api/test_instances.py) already runs on PostgreSQL and Redis in `make test` whenever
# they answer, so it is not repeated here.
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
test-pg: $(STAMP)
	PENEMPATAN_TEST_DATABASE_URL=$(PG_TEST_URL) $(PY) -m pytest tests/api -k "not test_instances"

bench: bytecode
	$(PY) -m benchmarks.run

bench-smoke: bytecode
	$(PY) -m benchmarks.run --smoke

clean:
	rm -rf .venv out var .pytest_cache .mypy_cache .ruff_cache
