"""Synthetic partnership data: a borough's offenders as each agency records them (no Django).

Everything it writes is invented. `generate(Settings(...))` writes a delivery in the data
standard (docs/data-standard.md) plus `ground_truth.csv`; `openiom generate` is its command
line (openiom.synthetic.cli). The model is described in docs/synthetic-data.md.
"""

from .generate import DEFAULT_END_DATE, Settings, Summary, generate

__all__ = ["DEFAULT_END_DATE", "Settings", "Summary", "generate"]
