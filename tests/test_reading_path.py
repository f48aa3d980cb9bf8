"""The learner's reading path (docs/READING*.md, ``glasstorch tour --source``) cannot rot: every name it lists is a live
definition found where the command says, every ``file:line`` `symbol` in the guide points at that symbol, the guide
names every definition of the path, and the figures in the guides and READMEs are what the counter gives today."""
from __future__ import annotations

import contextlib
import inspect
import io
import re
from pathlib import Path

import pytest

from glasstorch import i18n
from glasstorch.companion import reading
from glasstorch.companion.cli import main as companion_main
from glasstorch.companion.tour import CHAPTERS

ROOT = Path(__file__).resolve().parents[1]
GUIDES = ("docs/READING.md", "docs/READING.zh-CN.md")
REFERENCE = re.compile(r"`(src/glasstorch/[\w/]+\.py):(\d+)`\s*`([\w.]+)`")


def test_every_chapter_has_code_and_every_name_is_a_live_definition():
    assert [number for number, _ in reading.COURSE_SOURCE] == [c.number for c in CHAPTERS]
    for _, names in reading.COURSE_SOURCE:
        assert names
        for name in names:
            place = reading.locate(name)
            # an independent look: the live object's own source lines, as inspect finds them
            module, attrs = reading._split(name)
            obj = module
            for attr in attrs:
                obj = getattr(obj, attr)
            source, first = inspect.getsourcelines(obj)
            assert Path(inspect.getsourcefile(obj)).resolve() == ROOT / place.file, name
            assert first == place.first and len(source) == place.lines, (name, first, len(source), place)


def test_path_length_is_the_sum_of_the_definitions_and_smaller_than_the_package():
    places = reading.path_places()
    assert len(places) == len({n for _, names in reading.COURSE_SOURCE for n in names})
    by_hand = 0
    for p in places:
        inside_another = any(o is not p and o.file == p.file and o.first <= p.first and p.last <= o.last
                             for o in places)
        if not inside_another:
            by_hand += len(inspect.getsourcelines(_live(p.name))[0])
    assert reading.path_lines() == by_hand
    total, files = reading.package_lines()
    assert files == len(list((ROOT / "src" / "glasstorch").rglob("*.py")))
    assert 500 < by_hand < total / 10  # the point of the guide: a small share of the package


def _live(name: str):
    module, attrs = reading._split(name)
    obj = module
    for attr in attrs:
        obj = getattr(obj, attr)
    return obj


@pytest.mark.parametrize("guide", GUIDES)
def test_every_reference_in_the_guide_points_at_its_symbol(guide):
    text = (ROOT / guide).read_text(encoding="utf-8")
    references = REFERENCE.findall(text)
    assert len(references) >= 30, guide
    for file, line, symbol in references:
        path = ROOT / file
        assert path.is_file(), (guide, file)
        node = reading.find_definition(path, symbol)
        assert node is not None, (guide, file, symbol)
        # the definition's own line (or a few lines off), or a line inside its body
        assert node.lineno - 3 <= int(line) <= node.end_lineno, (guide, f"{file}:{line}", symbol, node.lineno)


@pytest.mark.parametrize("guide", GUIDES)
def test_the_guide_names_every_definition_and_file_of_the_path(guide):
    text = (ROOT / guide).read_text(encoding="utf-8")
    named = {(file, symbol) for file, _, symbol in REFERENCE.findall(text)}
    for place in reading.path_places():
        qualname = _live(place.name).__qualname__
        assert (place.file, qualname) in named, (guide, place.file, qualname)
    assert ("READING.zh-CN.md" in text) if guide.endswith("READING.md") else ("READING.md" in text)


@pytest.mark.parametrize("document", reading.DOCUMENTS)
def test_figures_in_the_documents_are_todays(document):
    text = (ROOT / document).read_text(encoding="utf-8")
    found = dict(reading.FIGURE.findall(text))
    assert {"path", "total"} <= set(found), document
    figures = reading.figures()
    for name, value in found.items():
        why = (document, name, value, figures[name], "run: python -m glasstorch.companion.reading")
        if name in ("total", "files"):
            # the package's size moves with every merge elsewhere: within 5 % (the path's own figures are exact)
            assert abs(int(value) - int(figures[name])) <= 0.05 * int(figures[name]), why
        else:
            assert value == figures[name], why


def test_readmes_link_the_guide():
    assert "docs/READING.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/READING.zh-CN.md" in (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_tour_source_prints_each_chapter_with_live_places(language):
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = companion_main(["--lang", language, "tour", "--source"])
    assert code == 0
    out = printed.getvalue()
    try:
        i18n.set_language(language)
        for chapter in CHAPTERS:
            assert chapter.title in out, chapter.number
    finally:
        i18n.set_language(None)
    for _, names in reading.COURSE_SOURCE:
        for name in names:
            obj = _live(name)
            line = inspect.getsourcelines(obj)[1]
            file = Path(inspect.getsourcefile(obj)).resolve().relative_to(ROOT).as_posix()
            place = reading.locate(name)
            assert f"{file}:{place.line}" in out, name
            assert place.line >= line  # the def line, at or after the decorators
    assert str(reading.path_lines()) in out and str(reading.package_lines()[0]) in out
