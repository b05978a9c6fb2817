"""The definitions of every figure (docs/metrics.md) as a page, so each report links to its rule.

The Markdown is rendered with markdown-it (raw HTML in the file is not passed through), GOV.UK
classes are added, and each heading gets the anchor GitHub gives it, so links of the form
`docs/metrics.md#proven-reoffending` and `/reports/definitions/#proven-reoffending` agree.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

METRICS = Path(settings.REPO_DIR) / "docs" / "metrics.md"
HEADINGS = {"h1": "govuk-heading-xl", "h2": "govuk-heading-l", "h3": "govuk-heading-m", "h4": "govuk-heading-s"}
CLASSES = {
    "paragraph_open": "govuk-body",
    "bullet_list_open": "govuk-list govuk-list--bullet",
    "ordered_list_open": "govuk-list govuk-list--number",
    "table_open": "govuk-table app-table--compact",
    "thead_open": "govuk-table__head",
    "tbody_open": "govuk-table__body",
    "tr_open": "govuk-table__row",
    "th_open": "govuk-table__header",
    "td_open": "govuk-table__cell",
}


def slug(text: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


@cache
def _rendered(mtime: float) -> str:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(METRICS.read_text(encoding="utf-8"))
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            token.attrSet("id", slug(tokens[i + 1].content))
            token.attrSet("class", HEADINGS.get(token.tag, "govuk-heading-s"))
        elif token.type in CLASSES:
            token.attrSet("class", CLASSES[token.type])
        elif token.type == "inline":
            for child in token.children or []:
                if child.type == "link_open":
                    child.attrSet("class", "govuk-link")
    return md.renderer.render(tokens, md.options, {})


def metrics_html() -> SafeString | None:
    """docs/metrics.md as HTML; None when the file is not there (an installation without docs)."""
    if not METRICS.is_file():
        return None
    return mark_safe(_rendered(METRICS.stat().st_mtime))  # noqa: S308 - markdown-it escapes; raw HTML is off
