"""Rewrites the README's results from what the trainer gives today, so that they cannot drift (not a pytest test).

    python benchmarks/readme_figures.py [CSV] [--check]

Trains the ladder of benchmarks/tuned_recipe.py (the course's recipe to the tuned one, one change at a time: held-out
accuracy on the course's 400 rows, stratified 5-fold CV on the 1600 training rows, seconds) and writes into README.md
and README.zh-CN.md (whose table keeps its own labels):

  * the table between the lines ``<!-- readme_figures:ablation -->`` and ``<!-- /readme_figures -->``;
  * each inline figure written as ``<!-- fig:NAME -->VALUE<!-- /fig -->``: ``course`` (the course recipe's held-out
    accuracy) and ``tuned`` (the tuned recipe's).

Run it again whenever the numbers can move (random streams, a recipe, the data). ``--check`` writes nothing and exits
with 1 when the README differs from what the run gives (seconds excepted).
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"
README_ZH = HERE.parent / "README.zh-CN.md"  # its table keeps its Chinese labels; the numbers are rewritten
TABLE = re.compile(r"(<!-- readme_figures:ablation -->\n)(.*?)(<!-- /readme_figures -->)", re.S)
INLINE = re.compile(r"<!-- fig:(\w+) -->(.*?)<!-- /fig -->")
HEADER = "| change | held-out accuracy | --cv 5 (training rows) | train seconds |\n|---|---|---|---|\n"


def _with_own_labels(old_table: str, table: str) -> str:
    """``table``'s numbers under ``old_table``'s header and first column (a translated README keeps its words)."""
    old_rows, new_rows = old_table.splitlines(), table.splitlines()
    if len(old_rows) != len(new_rows):
        raise ValueError(f"the translated table has {len(old_rows) - 2} rows, the ladder {len(new_rows) - 2}")
    merged = old_rows[:2] + [old.split(" | ")[0] + " | " + new.split(" | ", 1)[1]
                             for old, new in zip(old_rows[2:], new_rows[2:])]
    return "\n".join(merged) + "\n"


def rewrite(text: str, table: str, figures: dict[str, str], keep_labels: bool = False) -> str:
    """``text`` with the table between the markers replaced by ``table`` (only its numbers with ``keep_labels``) and
    each inline figure by its value; ValueError when a marker is missing or names an unknown figure."""
    if not TABLE.search(text):
        raise ValueError("the README has no <!-- readme_figures:ablation --> ... <!-- /readme_figures --> block")
    text = TABLE.sub(lambda m: m.group(1) + (_with_own_labels(m.group(2), table) if keep_labels else table)
                     + m.group(3), text)
    unknown = sorted({m.group(1) for m in INLINE.finditer(text)} - set(figures))
    if unknown:
        raise ValueError(f"README.md names figures this script does not make: {', '.join(unknown)}")
    return INLINE.sub(lambda m: f"<!-- fig:{m.group(1)} -->{figures[m.group(1)]}<!-- /fig -->", text)


def without_seconds(text: str) -> str:
    return re.sub(r"\| [\d.]+ \|\n", "|\n", text)


def measure(csv: str | None) -> tuple[str, dict[str, str]]:
    sys.path.insert(0, str(HERE))
    from tuned_recipe import LADDER, cross_validated, held_out  # noqa: E402 - the ladder lives beside this script

    from glasstorch.app import read_csv, train_test_split
    from glasstorch.app.recipes import make_config
    from glasstorch.datasets import phone_prices

    table = read_csv(csv or phone_prices())
    x, y = table.features, table.target
    train, test = train_test_split(table.n_rows, 0.8, 88)
    rows, figures = [], {}
    for i, (name, recipe, overrides) in enumerate(LADDER):
        config = make_config(recipe, overrides)
        accuracy, seconds, _ = held_out(config, x, y, train, test)
        mean, std = cross_validated(config, x[train], y[train])
        last = i == len(LADDER) - 1
        cells = [f"{accuracy:.4f}", f"{mean:.4f} ± {std:.4f}"]
        if last:
            cells = [f"**{c}**" for c in cells]
            name = name.replace("= tuned", "= **tuned**")
        rows.append(f"| {name.strip()} | {' | '.join(cells)} | {seconds:.1f} |")
        print(rows[-1], flush=True)
        if i == 0:
            figures["course"] = f"{accuracy:.4f}"
        if last:
            figures["tuned"] = f"{accuracy:.4f}"
    return HEADER + "\n".join(rows) + "\n", figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", help="the phone-price CSV (default: found as glasstorch train finds it)")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when the README differs")
    args = parser.parse_args()
    table, figures = measure(args.csv)
    current = True
    for readme, keep_labels in ((README, False), (README_ZH, True)):
        old = readme.read_text(encoding="utf-8")
        new = rewrite(old, table, figures, keep_labels)
        if args.check:
            same = without_seconds(new) == without_seconds(old)
            print(f"{readme.name}: figures are current" if same else
                  f"{readme.name}: figures differ: run benchmarks/readme_figures.py")
            current = current and same
        elif new != old:
            readme.write_text(new, encoding="utf-8")
            print(f"rewrote {readme}")
        else:
            print(f"{readme} already current")
    return 0 if current else 1


if __name__ == "__main__":
    sys.exit(main())
