"""HTML tables for notebooks (``_repr_html_`` of summaries and explanations): escaped cells, numbers right-aligned."""
from __future__ import annotations

from html import escape

__all__ = ["table"]


def table(headers: list[str], rows: list[list], caption: str | None = None, footer: list[str] | None = None) -> str:
    """A <table> with a header row, one row per list (a number's cell aligned right) and lines of text below it."""
    def cell(value, tag: str) -> str:
        align = ' style="text-align:right"' if isinstance(value, (int, float)) and not isinstance(value, bool) else ""
        return f"<{tag}{align}>{escape(str(value))}</{tag}>"

    out = ["<table>"]
    if caption:
        out.append(f'<caption style="text-align:left">{escape(caption)}</caption>')
    out.append("<thead><tr>" + "".join(cell(h, "th") for h in headers) + "</tr></thead><tbody>")
    out += ["<tr>" + "".join(cell(v, "td") for v in row) + "</tr>" for row in rows]
    out.append("</tbody></table>")
    if footer:
        out.append("<p>" + "<br>".join(escape(line) for line in footer) + "</p>")
    return "\n".join(out)
