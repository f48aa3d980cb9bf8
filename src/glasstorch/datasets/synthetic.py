"""Synthetic phone-price rows: the course CSV's 20 columns and 4-class label, for scale tests and offline demos.

These rows are made up. The columns follow the real file's ranges and its constraints (front camera ≤ main camera,
4G phones also have 3G, pixel height ≤ width, screen width ≤ height), and the label is the quartile of a noisy
price score that, as in the real data, leans mostly on RAM, then battery and resolution. Anything trained on them is
a demonstration, and every output of ``glasstorch train --synthetic N`` says so.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .phone_prices import FEATURE_NAMES, TARGET_NAME


@dataclass
class PhonePrices:
    """Rows of phone features (``data``, float32 (n, 20)) and price classes (``target``, int64 (n,))."""
    data: np.ndarray
    target: np.ndarray
    feature_names: tuple[str, ...] = FEATURE_NAMES
    target_name: str = TARGET_NAME
    synthetic: bool = field(default=True)

    def to_csv(self, path: str | Path) -> None:
        """Write a CSV with the real file's header and number formats (integers without decimals)."""
        decimal = {"clock_speed", "m_dep"}
        lines = [",".join((*self.feature_names, self.target_name))]
        for row, label in zip(self.data, self.target):
            cells = [f"{v:.1f}" if name in decimal else str(int(round(float(v))))
                     for name, v in zip(self.feature_names, row)]
            lines.append(",".join((*cells, str(int(label)))))
        Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_phone_prices(n: int = 2000, seed: int = 0) -> PhonePrices:
    """``n`` synthetic phones drawn with ``numpy.random.default_rng(seed)``; the same (n, seed) gives the same rows."""
    if n < 4:
        raise ValueError(f"make_phone_prices needs n >= 4 (one row per class at least), got n={n}")
    rng = np.random.default_rng(seed)

    def ints(low: int, high: int) -> np.ndarray:
        return rng.integers(low, high + 1, n).astype(np.float64)

    def tenths(low: float, high: float) -> np.ndarray:
        return rng.integers(round(low * 10), round(high * 10) + 1, n) / 10.0

    def flag(p: float = 0.5) -> np.ndarray:
        return (rng.random(n) < p).astype(np.float64)

    four_g = flag(0.52)
    pc = ints(0, 20)
    px_width = ints(500, 1998)
    sc_h = ints(5, 19)
    columns = {
        "battery_power": ints(501, 1998), "blue": flag(), "clock_speed": tenths(0.5, 3.0), "dual_sim": flag(),
        "fc": np.floor(rng.random(n) * (np.minimum(pc, 19) + 1)), "four_g": four_g, "int_memory": ints(2, 64),
        "m_dep": tenths(0.1, 1.0), "mobile_wt": ints(80, 200), "n_cores": ints(1, 8), "pc": pc,
        "px_height": np.floor(rng.random(n) * np.minimum(px_width, 1960)), "px_width": px_width,
        "ram": ints(256, 3998), "sc_h": sc_h, "sc_w": np.floor(rng.random(n) * sc_h), "talk_time": ints(2, 20),
        "three_g": np.maximum(four_g, flag(0.5)), "touch_screen": flag(), "wifi": flag(),
    }
    data = np.stack([columns[name] for name in FEATURE_NAMES], axis=1)

    def z(name: str) -> np.ndarray:
        column = columns[name]
        return (column - column.mean()) / (column.std() + 1e-12)

    score = (z("ram") + 0.25 * z("battery_power") + 0.15 * z("px_height") + 0.14 * z("px_width")
             - 0.05 * z("mobile_wt") + rng.logistic(0.0, 0.03, n))
    edges = np.quantile(score, [0.25, 0.5, 0.75])
    target = np.searchsorted(edges, score, side="right").astype(np.int64)
    return PhonePrices(data.astype(np.float32), target)
