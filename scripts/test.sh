#!/usr/bin/env bash
# Set up (first run only) and run the whole test suite, the evaluation gate included.
source "$(dirname "$0")/_venv.sh" test
cd "$ROOT"
exec "$VENV/bin/python" -m pytest -q "$@"
