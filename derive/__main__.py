"""`python -m derive` does what the `derive` command does."""

from derive.cli import main

raise SystemExit(main())
