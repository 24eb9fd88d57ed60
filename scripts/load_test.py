"""Kept for old instructions: the load test is `bench/load.py` (same options); this only runs it.

    python scripts/load_test.py [--users 1,10,50] [--questions 5] [--api json,gradio] [--ingest both]
"""
from __future__ import annotations

import runpy
import sys
from pathlib import Path

if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root))
    sys.argv[0] = str(root / "bench" / "load.py")
    runpy.run_path(sys.argv[0], run_name="__main__")
