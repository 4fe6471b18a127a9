"""The safe Markdown renderer itself (Python-Markdown + Pygments), kept apart from render.py so
that importing render (for escape(), page_css()) does not load Markdown: the first window shows
only pre-rendered bank HTML, and Markdown is needed first when a user draft is previewed.
"""

from __future__ import annotations

import re

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

SAFE_LINK = re.compile(r"^(https?:|mailto:|#)", re.IGNORECASE)


BLOCK_START = re.compile(r"^ {0,3}(?:[-*+] |\d+[.)] |\|)")
FENCE = re.compile(r"^ {0,3}(```|~~~)")


class _BlocksInterruptParagraphs(Preprocessor):
    """Let a list or table start right after a paragraph line, and text follow a table, as GFM does.

    Python-Markdown needs blank lines around them; writers and users rarely add them.
    """

    def run(self, lines: list[str]) -> list[str]:
        result: list[str] = []
        in_fence = False
        for line in lines:
            if FENCE.match(line):
                in_fence = not in_fence
            elif not in_fence and result and line.strip():
                previous = result[-1]
                starts_block = BLOCK_START.match(line) and previous.strip() and not BLOCK_START.match(previous)
                ends_table = previous.lstrip().startswith("|") and not line.lstrip().startswith("|")
                if (starts_block and not previous.startswith((" ", "\t"))) or ends_table:
                    result.append("")
            result.append(line)
        return result


class _NeutraliseLinksAndImages(Treeprocessor):
    """Drop dangerous link schemes and replace every image by its alt text (no fetches)."""

    def run(self, root):  # noqa: ANN001 - ElementTree element
        for element in root.iter():
            if element.tag == "a":
                href = element.get("href", "")
                if not SAFE_LINK.match(href.strip()):
                    element.attrib.pop("href", None)
            elif element.tag == "img":
                alt = element.get("alt") or "image"
                src = element.get("src", "")
                element.tag = "span"
                element.attrib.clear()
                element.set("class", "image-placeholder")
                element.text = f"[{alt}: {src}]" if src else f"[{alt}]"
        return None


class _SafeExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown API name
        # Raw HTML becomes literal text instead of live markup.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_NeutraliseLinksAndImages(md), "onsite_safe", 0)
        md.preprocessors.register(_BlocksInterruptParagraphs(md), "onsite_blocks", 25)


def new_renderer() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["fenced_code", "codehilite", "tables", "sane_lists", _SafeExtension()],
        extension_configs={"codehilite": {"css_class": "highlight", "guess_lang": False}},
        output_format="html",
    )
