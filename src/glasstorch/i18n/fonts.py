"""Chinese in plots: matplotlib's default font (DejaVu Sans) has no Chinese glyphs, so labels such as 低/中/高 or a
Chinese title are drawn as boxes with "Glyph 20013 missing from font(s) DejaVu Sans".

:func:`setup` adds the CJK font this machine has to ``rcParams["font.sans-serif"]`` after DejaVu Sans and to the
end of ``rcParams["font.family"]``; matplotlib (3.6+) then takes each glyph from the first family that has it, so
Latin text looks as before and Chinese comes from the CJK font. It looks for, in this order, the fonts that Chinese
systems ship or users install (:data:`CJK_FONTS`: Microsoft YaHei, SimHei, PingFang SC, Noto Sans CJK, Source Han
Sans, WenQuanYi...), the font of the optional extra ``pip install 'glasstorch[zh]'`` (the ``noto-cjk-sans-otc``
package: Noto Sans CJK under the SIL Open Font License), and font files in the system's font folders that
matplotlib's font cache has not seen yet (a font installed after matplotlib first ran).

:func:`plot_language` is the language of plot labels: the chosen language, except Chinese falls back to English,
with one notice on stderr saying how to get a font, when no CJK font was found (English labels rather than boxes).
"""
from __future__ import annotations

import re
import sys

from . import language, t, t_in

__all__ = ["CJK_FONTS", "setup", "cjk_font", "plot_language", "pt"]

CJK_FONTS = ("Microsoft YaHei", "SimHei", "PingFang SC", "Hiragino Sans GB", "Heiti SC", "STHeiti",
             "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
             "WenQuanYi Micro Hei", "Noto Sans CJK JP", "Noto Sans CJK TC", "Source Han Sans", "Droid Sans Fallback",
             "AR PL UMing CN", "SimSun", "Microsoft JhengHei", "Arial Unicode MS")
_FILE_PATTERN = re.compile(r"(wqy|wenquanyi|notosanscjk|notoserifcjk|noto ?sans ?(cjk|sc)|sourcehansans|"
                           r"source-han-sans|msyh|simhei|simsun|pingfang|droidsansfallback|uming|ukai)", re.I)
_state: dict[str, object] = {}


def _installed_names() -> set[str]:
    from matplotlib import font_manager

    return {entry.name for entry in font_manager.fontManager.ttflist}


def _add_extra_font() -> None:
    """The font of ``glasstorch[zh]`` (the noto-cjk-sans-otc package), when installed."""
    try:
        import noto_cjk_sans_otc  # type: ignore[import-not-found]
    except ImportError:
        return
    from matplotlib import font_manager

    try:
        font_manager.fontManager.addfont(str(noto_cjk_sans_otc.FONT_PATH))
    except (OSError, RuntimeError, ValueError):
        pass


def _add_system_fonts() -> None:
    """CJK font files in the system's font folders that matplotlib's font cache predates (a font installed after
    matplotlib first ran)."""
    from matplotlib import font_manager

    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for path in font_manager.findSystemFonts():
        if path not in known and _FILE_PATTERN.search(path):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue


def cjk_font() -> str | None:
    """The name of the first CJK font found (searched once), or None."""
    if "font" not in _state:
        names = _installed_names()
        found = next((name for name in CJK_FONTS if name in names), None)
        if found is None:
            _add_extra_font()
            _add_system_fonts()
            names = _installed_names()
            found = next((name for name in CJK_FONTS if name in names), None)
        _state["font"] = found
    return _state["font"]  # type: ignore[return-value]


def setup() -> str | None:
    """Puts the CJK font found after the first font of ``rcParams["font.sans-serif"]`` and at the end of
    ``rcParams["font.family"]`` (idempotent); returns its name. Text made after this call draws Chinese glyphs from
    the CJK font and every other glyph as before."""
    from matplotlib import rcParams

    font = cjk_font()
    if font is not None:
        families = list(rcParams["font.sans-serif"])
        if font not in families:
            rcParams["font.sans-serif"] = families[:1] + [font] + families[1:]
        families = list(rcParams["font.family"])
        if font not in families:  # matplotlib falls back glyph by glyph along font.family, not along font.sans-serif
            rcParams["font.family"] = families + [font]
    return font


def notice_once() -> None:
    """One line on stderr, once per process: no CJK font, so Chinese cannot be drawn; how to get one."""
    if not _state.get("noticed"):
        _state["noticed"] = True
        print(t("fonts.missing"), file=sys.stderr)


def plot_language() -> str:
    """The language of plot labels: Chinese only when a CJK font is available (else English, with one notice)."""
    code = language()
    if code == "en":
        return code
    if setup() is None:
        notice_once()
        return "en"
    return code


def pt(key: str, **fields) -> str:
    """A plot label: message ``key`` in :func:`plot_language`."""
    return t_in(plot_language(), key, **fields)
