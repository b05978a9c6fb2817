"""PDF documents from Django templates with WeasyPrint (agenda packs, minutes, forms).

Templates extend `pdf/base.html`, which carries the print stylesheet: A4, Liberation Sans
(metric-compatible with Arial, from Debian's fonts-liberation2), page numbers and the
protective marking on every page. Nothing is fetched from the network.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported here: WeasyPrint loads Pango, which takes a moment

    html = render_to_string(template, context)
    document = HTML(string=html, base_url=None)
    pdf = document.write_pdf()
    if pdf is None:  # write_pdf returns bytes when no target is given
        raise RuntimeError("WeasyPrint produced no PDF")
    return bytes(pdf)
