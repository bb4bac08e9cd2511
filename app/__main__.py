"""`python -m app`: the same as the `gradtrace` command."""

from app.cli import main

raise SystemExit(main())
