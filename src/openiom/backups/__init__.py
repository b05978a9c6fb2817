"""Backing up the whole database to one verifiable file, and restoring it (`openiom backup`, `openiom restore`).

Not a Django app: a few modules the two management commands call. `archive.py` is the file
format (a tar of the manifest, the database and its checksums), `tables.py` reads row counts
and checksums, `engines.py` runs `pg_dump`/`pg_restore` or SQLite's backup API, and
`service.py` puts them together. See docs/backup-and-restore.md.
"""

from .archive import BackupError
from .service import BackupResult, RestoreResult, create_backup, restore_backup

__all__ = ["BackupError", "BackupResult", "RestoreResult", "create_backup", "restore_backup"]
