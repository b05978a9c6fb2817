"""`python -m openiom.synthetic` is `openiom generate`."""

from .cli import main

raise SystemExit(main())
