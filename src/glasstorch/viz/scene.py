"""Drawing: boxes, circles and arrows at pixel positions, written out as SVG (by hand: the format is text) or PNG
(through matplotlib's Agg, with no display), or handed to Graphviz's ``dot`` where it is installed.

Text is set in a monospaced face (DejaVu Sans Mono, which matplotlib ships; Menlo or Consolas in a browser without
it), so a line of n characters is 0.6·n em wide in both outputs and boxes can be sized without measuring fonts.
"""
from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .._fileio import write_bytes
from .. import i18n

__all__ = ["Box", "Edge", "Drawing", "output_format", "text_size", "place_labels", "point_on", "FONT_SIZE", "LINE_HEIGHT"]

FONT_SIZE = 12.0    # px
LINE_HEIGHT = 15.0  # px
CHAR_WIDTH = 0.6 * FONT_SIZE
PADDING = 8.0
FONT_FAMILY = "DejaVu Sans Mono, Menlo, Consolas, monospace"
STYLES = {  # style → (colour, bold)
    "title": ("#111111", True), "name": ("#1f4e9c", True), "plain": ("#333333", False),
    "value": ("#111111", False), "grad": ("#b0241b", False), "note": ("#666666", False),
}
MAX_PNG_SIDE = 16000  # px: matplotlib's Agg refuses images wider or taller than 2^16 px
MAX_PNG_PIXELS = 16e6  # a larger image takes seconds to encode and few viewers open it
MIN_PNG_FONT_PX = 7.0  # smaller text is left out of a PNG (see _to_png)
PNG_COMPRESSION = 3  # zlib level: mostly flat colour compresses well already; level 6 (the default) takes 2x longer
Lines = list[tuple[str, str]]  # (text, style)


def text_size(lines: Lines) -> tuple[float, float]:
    """(width, height) in px of a block of lines with padding: 0.6 em per character, 15 px per line."""
    widest = max((len(text) for text, _ in lines), default=0)
    return widest * CHAR_WIDTH + 2 * PADDING, len(lines) * LINE_HEIGHT + PADDING


def output_format(path: str | Path) -> str:
    """"svg" or "png", by the suffix of ``path``; ValueError for any other."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".svg", ".png"):
        raise ValueError(i18n.t("viz.bad_suffix", path=path))
    return suffix[1:]


@dataclass
class Box:
    """A node: centre (x, y), size (w, h), its lines of text; ``shape`` is "box" or "circle"."""

    key: str
    title: str
    lines: Lines
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0
    shape: str = "box"
    fill: str = "#eeeeee"
    stroke: str = "#555555"


@dataclass
class Edge:
    """An arrow from box ``source`` to box ``target`` along ``points``, smooth (vertical tangents) or straight, with
    an optional label centred at ``label_at``."""

    source: str
    target: str
    points: list[tuple[float, float]]
    curved: bool = True
    label: Lines = field(default_factory=list)
    label_at: tuple[float, float] | None = None
    colour: str = "#555555"


@dataclass
class Drawing:
    """A drawn graph: ``save(path)`` writes SVG or PNG by the suffix; in Jupyter it shows itself (SVG).

    ``renderer``: "builtin" (the layout computed here, for every install) or "dot" (Graphviz's own layout of the same
    nodes and edges, when its ``dot`` program is on the PATH)."""

    boxes: list[Box]
    edges: list[Edge]
    width: float
    height: float
    title: str = ""
    renderer: str = "builtin"
    notes: list[str] = field(default_factory=list)

    # ---- output -----------------------------------------------------------------------------------------------
    def svg(self) -> str:
        """The drawing as an SVG document (text)."""
        if self.renderer == "dot":
            return _run_dot(self.to_dot(), "svg").decode("utf-8")
        return _to_svg(self)

    def png(self, scale: float = 2.0) -> bytes:
        """The drawing as PNG bytes, ``scale`` pixels per layout pixel (smaller for very large drawings)."""
        if self.renderer == "dot":
            return _run_dot(self.to_dot(), "png")
        return _to_png(self, scale)

    def save(self, path: str | Path) -> Path:
        """Writes the drawing to ``path``, SVG or PNG by its suffix, atomically (a temporary file renamed over it)."""
        data = self.svg().encode("utf-8") if output_format(path) == "svg" else self.png()
        return write_bytes(path, data)

    def to_dot(self) -> str:
        """The same nodes and edges in Graphviz's DOT language (for ``dot -Tsvg``, or any tool that reads DOT)."""
        def label(lines: Lines) -> str:
            return quoteattr("\n".join(text for text, _ in lines)).replace("\n", "\\n")

        out = ["digraph {", '  graph [rankdir=TB, fontname="DejaVu Sans Mono"];',
               '  node [fontname="DejaVu Sans Mono", fontsize=10, style=filled];',
               '  edge [fontname="DejaVu Sans Mono", fontsize=9];']
        for box in self.boxes:
            shape = "circle" if box.shape == "circle" else "box"
            out.append(f'  "{box.key}" [label={label(box.lines)}, shape={shape}, fillcolor="{box.fill}"];')
        for edge in self.edges:
            extra = f", label={label(edge.label)}" if edge.label else ""
            out.append(f'  "{edge.source}" -> "{edge.target}" [color="{edge.colour}"{extra}];')
        out.append("}")
        return "\n".join(out)

    def _repr_svg_(self) -> str:
        return self.svg()

    def _repr_html_(self) -> str:
        return f'<div style="max-height:800px; overflow:auto">{self.svg()}</div>'

    def __repr__(self) -> str:
        return f"Drawing({len(self.boxes)} nodes, {len(self.edges)} edges, {self.width:.0f}x{self.height:.0f} px)"


# ---- edge labels ---------------------------------------------------------------------------------------------------
LABEL_PLACES = tuple(sorted((i / 20 for i in range(2, 19)), key=lambda t: abs(t - 0.5)))  # middle first


def point_on(points: list[tuple[float, float]], curved: bool, t: float) -> tuple[float, float]:
    """The point at parameter t ∈ [0, 1] of an edge (each segment an equal share; a curve's segment is the cubic
    with vertical tangents that the outputs draw)."""
    segments = len(points) - 1
    i = min(int(t * segments), segments - 1)
    u = t * segments - i
    (ax, ay), (bx, by) = points[i], points[i + 1]
    if not curved:
        return ax + u * (bx - ax), ay + u * (by - ay)
    ease = 3 * u * u - 2 * u ** 3  # x of the cubic from (ax, ay) via (ax, mid), (bx, mid) to (bx, by)
    return ax + ease * (bx - ax), ay + u * (by - ay)


def place_labels(boxes: list[Box], edges: list[Edge]) -> None:
    """Puts each labelled edge's label at the place along it (middle first) that overlaps no box and no label placed
    before it, or, where every place does, the one that overlaps least."""
    taken = [(b.x - b.w / 2, b.y - b.h / 2, b.x + b.w / 2, b.y + b.h / 2) for b in boxes]

    def overlap(rect) -> float:
        total = 0.0
        for r in taken:
            dx, dy = min(rect[2], r[2]) - max(rect[0], r[0]), min(rect[3], r[3]) - max(rect[1], r[1])
            if dx > 0 and dy > 0:
                total += dx * dy
        return total

    for edge in edges:
        if not edge.label:
            continue
        w, h = text_size(edge.label)
        best = None
        for t in LABEL_PLACES:
            x, y = point_on(edge.points, edge.curved, t)
            rect = (x - w / 2 - 2, y - h / 2 - 1, x + w / 2 + 2, y + h / 2 + 1)
            cost = overlap(rect)
            if best is None or cost < best[0]:
                best = (cost, x, y, rect)
            if cost == 0:
                break
        edge.label_at = best[1:3]
        taken.append(best[3])


# ---- SVG -----------------------------------------------------------------------------------------------------------
def _path_data(points: list[tuple[float, float]], curved: bool) -> str:
    parts = [f"M{points[0][0]:.1f},{points[0][1]:.1f}"]
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        if curved:
            mid = (ay + by) / 2
            parts.append(f"C{ax:.1f},{mid:.1f} {bx:.1f},{mid:.1f} {bx:.1f},{by:.1f}")
        else:
            parts.append(f"L{bx:.1f},{by:.1f}")
    return " ".join(parts)


def _arrowhead(edge: Edge, length: float = 8.0, half_width: float = 4.0) -> list[tuple[float, float]]:
    """The triangle at the end of an edge: along the last segment (vertical for a curve, whose tangent is)."""
    (ax, ay), (bx, by) = edge.points[-2], edge.points[-1]
    if edge.curved:
        ax, ay = bx, by - 1.0
    dx, dy = bx - ax, by - ay
    norm = (dx * dx + dy * dy) ** 0.5 or 1.0
    dx, dy = dx / norm, dy / norm
    base_x, base_y = bx - dx * length, by - dy * length
    return [(bx, by), (base_x - dy * half_width, base_y + dx * half_width),
            (base_x + dy * half_width, base_y - dx * half_width)]


def _svg_lines(lines: Lines, x: float, y: float) -> list[str]:
    """Text lines centred on (x, y)."""
    out = []
    first = y - (len(lines) - 1) * LINE_HEIGHT / 2
    for i, (text, style) in enumerate(lines):
        colour, bold = STYLES.get(style, STYLES["plain"])
        weight = ' font-weight="bold"' if bold else ""
        out.append(f'<text class="{style}" x="{x:.1f}" y="{first + i * LINE_HEIGHT:.1f}" fill="{colour}"{weight} '
                   f'text-anchor="middle" dominant-baseline="central">{escape(text)}</text>')
    return out


def _to_svg(drawing: Drawing) -> str:
    w, h = drawing.width, drawing.height
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h:.0f}" viewBox="0 0 {w:.0f} {h:.0f}" '
           f'font-family="{FONT_FAMILY}" font-size="{FONT_SIZE:.0f}" xml:space="preserve" style="white-space:pre">',
           f"<title>{escape(drawing.title)}</title>",
           '<rect width="100%" height="100%" fill="white"/>']
    for i, edge in enumerate(drawing.edges):
        out.append(f'<g class="edge" id="edge{i}"><title>{escape(edge.source)}-&gt;{escape(edge.target)}</title>')
        out.append(f'<path d="{_path_data(edge.points, edge.curved)}" fill="none" stroke="{edge.colour}" '
                   f'stroke-width="1.2"/>')
        triangle = " ".join(f"{px:.1f},{py:.1f}" for px, py in _arrowhead(edge))
        out.append(f'<polygon points="{triangle}" fill="{edge.colour}"/>')
        out.append("</g>")
    for i, edge in enumerate(drawing.edges):  # labels above every line, so no edge crosses one
        if edge.label and edge.label_at is not None:
            lw, lh = text_size(edge.label)
            lx, ly = edge.label_at
            out.append(f'<g class="edge-label" id="label{i}">')
            out.append(f'<rect x="{lx - lw / 2:.1f}" y="{ly - lh / 2:.1f}" width="{lw:.1f}" height="{lh:.1f}" '
                       f'rx="3" fill="white" fill-opacity="0.92" stroke="#cccccc" stroke-width="0.6"/>')
            out.extend(_svg_lines(edge.label, lx, ly))
            out.append("</g>")
    for box in drawing.boxes:
        out.append(f'<g class="node" id={quoteattr(box.key)}><title>{escape(box.title)}</title>')
        if box.shape == "circle":
            out.append(f'<ellipse cx="{box.x:.1f}" cy="{box.y:.1f}" rx="{box.w / 2:.1f}" ry="{box.h / 2:.1f}" '
                       f'fill="{box.fill}" stroke="{box.stroke}" stroke-width="1.4"/>')
        else:
            out.append(f'<rect x="{box.x - box.w / 2:.1f}" y="{box.y - box.h / 2:.1f}" width="{box.w:.1f}" '
                       f'height="{box.h:.1f}" rx="5" fill="{box.fill}" stroke="{box.stroke}" stroke-width="1.2"/>')
        out.extend(_svg_lines(box.lines, box.x, box.y))
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


# ---- PNG (matplotlib, Agg) -----------------------------------------------------------------------------------------
def _to_png(drawing: Drawing, scale: float) -> bytes:
    """Shapes go in one collection per layer (edges, label backgrounds, boxes), each line of text is one Text; text
    smaller than ``MIN_PNG_FONT_PX`` (a very large drawing scaled down to fit) is left out: it could not be read, and
    it is most of the time spent (the SVG keeps every number)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PatchCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Ellipse, FancyBboxPatch, PathPatch, Polygon
    from matplotlib.path import Path as MplPath

    w, h = drawing.width, drawing.height
    scale = min(scale, MAX_PNG_SIDE / max(w, h, 1.0), (MAX_PNG_PIXELS / max(w * h, 1.0)) ** 0.5)
    legible = FONT_SIZE * scale >= MIN_PNG_FONT_PX
    figure = Figure(figsize=(w / 100, h / 100), dpi=100)
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, w)
    ax.set_ylim(h, 0)
    ax.axis("off")
    points_per_px = 72 / 100  # figure units: 100 layout px per inch

    def lines_at(lines: Lines, x: float, y: float, z: float) -> None:
        if not legible:
            return
        first = y - (len(lines) - 1) * LINE_HEIGHT / 2
        for i, (text, style) in enumerate(lines):
            colour, bold = STYLES.get(style, STYLES["plain"])
            ax.text(x, first + i * LINE_HEIGHT, text, ha="center", va="center_baseline", color=colour,
                    fontsize=FONT_SIZE * points_per_px, family="DejaVu Sans Mono",
                    fontweight="bold" if bold else "normal", zorder=z)

    edges, backgrounds, boxes = [], [], []
    for edge in drawing.edges:
        codes, vertices = [MplPath.MOVETO], [edge.points[0]]
        for (ax_, ay), (bx, by) in zip(edge.points, edge.points[1:]):
            if edge.curved:
                mid = (ay + by) / 2
                vertices += [(ax_, mid), (bx, mid), (bx, by)]
                codes += [MplPath.CURVE4] * 3
            else:
                vertices.append((bx, by))
                codes.append(MplPath.LINETO)
        edges.append(PathPatch(MplPath(vertices, codes), facecolor="none", edgecolor=edge.colour,
                               linewidth=1.2 * 0.72))
        edges.append(Polygon(_arrowhead(edge), closed=True, facecolor=edge.colour, edgecolor="none"))
    for edge in drawing.edges:
        if edge.label and edge.label_at is not None:
            lw, lh = text_size(edge.label)
            lx, ly = edge.label_at
            backgrounds.append(FancyBboxPatch((lx - lw / 2, ly - lh / 2), lw, lh,
                                              boxstyle="round,pad=0,rounding_size=3", facecolor=(1, 1, 1, 0.92),
                                              edgecolor="#cccccc", linewidth=0.5))
            lines_at(edge.label, lx, ly, 3)
    for box in drawing.boxes:
        if box.shape == "circle":
            boxes.append(Ellipse((box.x, box.y), box.w, box.h, facecolor=box.fill, edgecolor=box.stroke, linewidth=1.0))
        else:
            boxes.append(FancyBboxPatch((box.x - box.w / 2, box.y - box.h / 2), box.w, box.h,
                                        boxstyle="round,pad=0,rounding_size=5", facecolor=box.fill,
                                        edgecolor=box.stroke, linewidth=0.9))
        lines_at(box.lines, box.x, box.y, 5)
    for patches, z in ((edges, 1), (backgrounds, 2), (boxes, 4)):
        if patches:
            ax.add_collection(PatchCollection(patches, match_original=True, zorder=z), autolim=False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100 * scale, facecolor="white",
                   pil_kwargs={"compress_level": PNG_COMPRESSION})
    return buffer.getvalue()


# ---- Graphviz ------------------------------------------------------------------------------------------------------
def dot_available() -> bool:
    return shutil.which("dot") is not None


def _run_dot(source: str, fmt: str) -> bytes:
    program = shutil.which("dot")
    if program is None:
        raise RuntimeError(i18n.t("viz.no_dot"))
    done = subprocess.run([program, f"-T{fmt}"], input=source.encode("utf-8"), capture_output=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(i18n.t("viz.dot_failed", error=done.stderr.decode("utf-8", "replace").strip()))
    return done.stdout
