"""`python -m tui.cli`: the same as the `paper-reader` command."""

from tui.cli.main import main

raise SystemExit(main())
