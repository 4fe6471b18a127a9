"""Markdown to HTML, with Pygments-highlighted code, for bank content and user drafts.

Bank content is rendered once at build time. User Markdown is untrusted: raw HTML is shown as
text, links keep only safe schemes, and images never point anywhere the viewer would fetch.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import markdown

# Pygments styles that read well on each background; chosen for contrast in Qt's rich text.
LIGHT_CODE_STYLE = "friendly"
DARK_CODE_STYLE = "monokai"


def new_renderer() -> markdown.Markdown:
    """A fresh safe renderer (Markdown is imported here, on first use: see markdown_safe.py)."""
    from .markdown_safe import new_renderer as build

    return build()


@lru_cache(maxsize=1)
def _shared_markdown() -> markdown.Markdown:
    return new_renderer()


def render_markdown(text: str) -> str:
    """Render (untrusted) Markdown to an HTML fragment. Safe for bank content and drafts alike."""
    if not text.strip():
        return ""  # an empty draft needs no renderer (nor its import)
    converter = _shared_markdown()
    converter.reset()
    return converter.convert(text)


def render_inline(text: str) -> str:
    """Render a one-line Markdown snippet (a key point, a list item) without the <p> wrapper."""
    rendered = render_markdown(text)
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        return rendered[3:-4]
    return rendered


def plain_text(markdown_text: str) -> str:
    """Markdown reduced to words, for the search index."""
    text = re.sub(r"```[^\n]*\n", "\n", markdown_text)
    text = re.sub(r"[`*_>#|\[\]]", " ", text)
    text = re.sub(r"\(https?://[^)]*\)", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def escape(text: str) -> str:
    return html.escape(text, quote=True)


_CODE_BLOCK_END = re.compile(r"\n+(</code></pre>)")


def for_qt(fragment: str) -> str:
    """HTML for Qt's rich text: it draws a code block's trailing newline as an empty shaded line."""
    return _CODE_BLOCK_END.sub(r"\1", fragment)


def code_css(dark: bool) -> str:
    """Code block colours; pre-generated in code_styles.py so showing a page never imports Pygments."""
    from . import code_styles

    return code_styles.DARK if dark else code_styles.LIGHT


def pygments_css(dark: bool) -> str:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style=DARK_CODE_STYLE if dark else LIGHT_CODE_STYLE).get_style_defs(".highlight")


def write_code_styles() -> None:
    """Regenerate code_styles.py after changing a code style."""
    from pathlib import Path

    target = Path(__file__).with_name("code_styles.py")
    head = target.read_text(encoding="utf-8").split("\nLIGHT = ")[0]
    target.write_text(
        f"{head}\nLIGHT = {pygments_css(False)!r}\n\nDARK = {pygments_css(True)!r}\n", encoding="utf-8"
    )


def page_css(dark: bool) -> str:
    """Style sheet for rendered pages in Qt rich text (a CSS subset) and exported HTML."""
    if dark:
        colors = dict(text="#e6e6e6", muted="#a8a8a8", code_bg="#272822", border="#555", accent="#7fb4ff",
                      mark="#5c4a00", pre_text="#f8f8f2")
    else:
        colors = dict(text="#1d1d1f", muted="#5f6368", code_bg="#f4f5f7", border="#d0d4da", accent="#1a5fb4",
                      mark="#fff2a8", pre_text="#1d1d1f")
    return (
        f"body {{ color: {colors['text']}; }}\n"
        f"a {{ color: {colors['accent']}; }}\n"
        f"h1, h2, h3 {{ font-weight: 600; }}\n"
        f"pre {{ background-color: {colors['code_bg']}; color: {colors['pre_text']}; padding: 8px; "
        f"font-family: monospace; white-space: pre-wrap; }}\n"
        f"code {{ font-family: monospace; background-color: {colors['code_bg']}; }}\n"
        f".highlight {{ background-color: {colors['code_bg']}; }}\n"
        f"table {{ border-collapse: collapse; }}\n"
        f"th, td {{ border: 1px solid {colors['border']}; padding: 4px 8px; }}\n"
        f".muted {{ color: {colors['muted']}; }}\n"
        f".structure {{ color: {colors['accent']}; font-weight: 600; }}\n"
        f"b.match {{ background-color: {colors['mark']}; }}\n"
        f".image-placeholder {{ color: {colors['muted']}; font-style: italic; }}\n"
        + code_css(dark)
    )
