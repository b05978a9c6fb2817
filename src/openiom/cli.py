"""The `openiom` console script: the project's commands in one place.

openiom demo                 set up the demo partnership and serve it on http://127.0.0.1:8000
openiom serve                serve the site (development server; gunicorn in production)
openiom worker               run the background task worker (recovers interrupted jobs first)
openiom recover_jobs         mark jobs whose worker stopped as interrupted, so they can be run again
openiom token create EMAIL   print a new API token for a user
openiom generate ...         write a synthetic partnership delivery (--help for the arguments)
openiom ogrs3 IN.csv -o OUT  add OGRS3 scores to a CSV of OGRS3 inputs
openiom score --data DIR --as-of DATE --out FILE   score a delivery and suggest a cohort
openiom reoffending --data DIR --cohort FILE --out FILE   proven reoffending of a cohort
openiom sync_roles           reconcile the system roles (idempotent)
openiom backup --out FILE    back up the whole database to one verifiable file (docs/backup-and-restore.md)
openiom restore FILE         restore a backup into an empty database and check every table (--force: replace)
openiom <django command>     any other Django management command (migrate, check, ...)
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openiom.settings")
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        if not args:
            return
    if args and args[0] == "generate":  # pure data generation: no Django, no database
        from openiom.synthetic.cli import main as generate

        raise SystemExit(generate(args[1:]))
    if args and args[0] in {"ogrs3", "score", "reoffending"}:  # the analytics core on files: no Django, no database
        from openiom.analytics.cli import ogrs3_main, score_main
        from openiom.analytics.reoffending_cli import reoffending_main

        commands = {"ogrs3": ogrs3_main, "score": score_main, "reoffending": reoffending_main}
        raise SystemExit(commands[args[0]](args[1:]))
    from django.core.management import execute_from_command_line

    if args and args[0] == "worker":  # first recover the jobs a stopped worker left 'running', then work
        execute_from_command_line(["openiom", "recover_jobs"])
        args[0] = "db_worker"
    execute_from_command_line(["openiom", *args])


if __name__ == "__main__":
    main()
