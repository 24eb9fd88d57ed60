#!/usr/bin/env bash
# Set up (first run only) and run the whole test suite, the evaluation gate included.
source "$(dirname "$0")/_venv.sh" test
cd "$ROOT"
# the corpus question sets run too when ../shared/corpus is there (they ingest PDFs: ~1 min)
export BUDGETQA_EVAL_CORPUS="${BUDGETQA_EVAL_CORPUS:-1}"
exec "$VENV/bin/python" -m pytest -q "$@"
