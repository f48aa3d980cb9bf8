"""An ``Explanation`` as HTML tables for a notebook: the forward pass (name, formula, value), the local derivatives,
and the backward pass (each leaf's chain-rule gradient beside autograd's, and the update when there is one).
``str(explanation)`` stays the printed text."""
from __future__ import annotations

from .. import i18n
from .._html import table

__all__ = ["explanation_html"]


def explanation_html(explanation) -> str:
    e, digits = explanation, explanation.digits

    def fmt(x: float) -> str:
        return f"{x:.{digits}f}"

    forward = [[name, e.formulas.get(name, ""), fmt(value)] for name, value in e.values.items()]
    local = [[f"∂{child}/∂{parent}", fmt(d)] for (child, parent), d in e.local.items()]
    t = i18n.t
    headers = [t("explain.html.leaf"), t("explain.html.chain_rule", output=e.output), t("explain.html.autograd")]
    backward = []
    for name, g in e.gradients.items():
        row = [name, fmt(g), fmt(e.autograd[name]) if name in e.autograd else ""]
        if e.updated:
            row.append(fmt(e.updated[name]) if name in e.updated else "")
        backward.append(row)
    if e.updated:
        headers.append(t("explain.html.updated"))
    return "\n".join([table([t("explain.html.name"), t("explain.html.formula"), t("explain.html.value")], forward,
                            caption=t("explain.html.forward")),
                      table([t("explain.html.local"), t("explain.html.value")], local, caption=t("explain.html.locals")),
                      table(headers, backward, caption=t("explain.html.backward", output=e.output))])
