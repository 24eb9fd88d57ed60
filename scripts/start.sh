#!/usr/bin/env bash
# Set up (first run only) and start the BudgetQA app on the bundled document: http://127.0.0.1:7860
source "$(dirname "$0")/_venv.sh" ""   # no extras (and not this script's own arguments)
exec "$VENV/bin/budgetqa-app" "$@"
