"""The OpenIOM data standard: what partners send, read and checked (no Django imports).

See docs/data-standard.md. Public API:
"""

from .spec import FILES, FileSpec
from .validate import Delivery, Problem, files_from_dir, read_delivery

__all__ = ["FILES", "Delivery", "FileSpec", "Problem", "files_from_dir", "read_delivery"]
