"""`python -m evaluation`: run the evaluation suites (see evaluation/runner.py)."""

from evaluation.runner import main

raise SystemExit(main())
