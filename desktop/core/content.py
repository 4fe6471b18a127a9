"""Parse and validate the Markdown content files that make up the question bank.

Every file is Markdown with a YAML front matter and fixed `## ` sections. The format is
documented in content/README.md. Errors name the file, the line and what is wrong, so a
writer can fix a broken file without reading this code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .vocabulary import DIFFICULTIES, KINDS, OPTION_LETTERS

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

QUESTION_SECTIONS = (
    "Prompt",
    "Model answer",
    "Answer structure",
    "Key points",
    "Pitfalls",
    "Follow-ups",
)
TOPIC_SECTIONS = ("Description", "Structuring answers")
EXERCISE_SECTIONS = (
    "Question",
    *(f"Option {letter}" for letter in OPTION_LETTERS),
    "Best option",
    *(f"Why {letter}" for letter in OPTION_LETTERS),
    "Takeaway",
)

# Word and list limits for bank content (issue: quality of an answer).
ANSWER_WORDS = (300, 900)
KEY_POINTS = (5, 8)
FOLLOW_UPS = (2, 4)
GUIDE_RULES = (3, 6)


class ContentError(ValueError):
    """A content file is malformed; names the file and line so a writer can fix it."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        super().__init__(f"{self.path}:{line}: {message}")


@dataclass(frozen=True)
class Section:
    title: str
    body: str
    line: int  # line of the `## ` heading, 1-based


@dataclass(frozen=True)
class Rule:
    rule: str
    why: str


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    order: int
    description: str
    rules: tuple[Rule, ...]
    path: Path


@dataclass(frozen=True)
class Question:
    id: str
    topic: str
    difficulty: str
    kind: str
    title: str
    tags: tuple[str, ...]
    prompt: str
    answer: str
    structure: str
    key_points: tuple[str, ...]
    pitfalls: tuple[str, ...]
    follow_ups: tuple[str, ...]
    path: Path

    @property
    def answer_words(self) -> int:
        return count_words(self.answer)


@dataclass(frozen=True)
class Exercise:
    id: str
    topic: str
    title: str
    stem: str
    options: tuple[str, ...]  # A..D
    best: str  # one of OPTION_LETTERS
    explanations: tuple[str, ...]  # A..D
    takeaway: str
    path: Path


@dataclass
class ContentSet:
    topics: list[Topic] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    exercises: list[Exercise] = field(default_factory=list)


def count_words(markdown_text: str) -> int:
    """Words a reader sees: code counts, Markdown punctuation and link targets do not."""
    visible = re.sub(r"\]\([^)]*\)", "]", markdown_text)
    return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’.\-/%×]*", visible))


def split_front_matter(path: Path, text: str) -> tuple[dict, list[str], int]:
    """Return (front matter, body lines, line number of the first body line)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ContentError(path, 1, "file must start with a '---' line opening the YAML front matter")
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            break
    else:
        raise ContentError(path, 1, "front matter is not closed by a '---' line")
    import yaml  # only when content is parsed (building the bank), never on a normal start-up

    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        raise ContentError(path, line, f"front matter is not valid YAML: {error}") from None
    if not isinstance(meta, dict):
        raise ContentError(path, 2, "front matter must be a mapping of 'key: value' lines")
    return meta, lines[end + 1 :], end + 2


def split_sections(path: Path, body: list[str], first_line: int) -> dict[str, Section]:
    sections: dict[str, Section] = {}
    title: str | None = None
    start = 0
    chunk: list[str] = []
    in_fence = False

    def close() -> None:
        if title is not None:
            sections[title] = Section(title, "\n".join(chunk).strip(), start)

    for offset, line in enumerate(body):
        number = first_line + offset
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if not in_fence and line.startswith("## "):
            close()
            title = line[3:].strip()
            if title in sections:
                raise ContentError(path, number, f"section '## {title}' appears twice")
            start = number
            chunk = []
        elif title is None:
            if line.strip():
                raise ContentError(path, number, "text before the first '## ' section heading")
        else:
            chunk.append(line)
    if in_fence:
        raise ContentError(path, first_line + len(body) - 1, "a ``` code fence is never closed")
    close()
    return sections


def require_sections(
    path: Path, sections: dict[str, Section], expected: tuple[str, ...], first_line: int
) -> None:
    for title, section in sections.items():
        if title not in expected:
            raise ContentError(
                path, section.line, f"unknown section '## {title}'; expected one of: {', '.join(expected)}"
            )
        if not section.body:
            raise ContentError(path, section.line, f"section '## {title}' is empty")
    missing = [title for title in expected if title not in sections]
    if missing:
        raise ContentError(path, first_line, f"missing section '## {missing[0]}'")
    order = [title for title in sections if title in expected]
    if order != list(expected):
        raise ContentError(path, first_line, f"sections must come in this order: {', '.join(expected)}")


def parse_list(path: Path, section: Section) -> tuple[str, ...]:
    """A Markdown bullet list; continuation lines (indented) join their item."""
    items: list[str] = []
    for offset, raw in enumerate(section.body.splitlines(), start=1):
        if not raw.strip():
            continue
        if raw.startswith(("- ", "* ")):
            items.append(raw[2:].strip())
        elif raw.startswith((" ", "\t")) and items:
            items[-1] += " " + raw.strip()
        else:
            raise ContentError(
                path, section.line + offset, f"'## {section.title}' must be a list of '- ' items"
            )
    return tuple(items)


LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def check_list_endings(path: Path, section: Section) -> None:
    """Prose must not follow a list without a blank line: Markdown would fold it into the last item."""
    in_fence = False
    previous_is_item = False
    for offset, line in enumerate(section.body.splitlines(), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            previous_is_item = False
            continue
        if in_fence:
            continue
        is_item = bool(LIST_ITEM.match(line))
        if previous_is_item and line.strip() and not is_item and not line.startswith((" ", "\t", "#")):
            raise ContentError(
                path,
                section.line + offset,
                "this line follows a list item with no blank line, so it would render inside that item; "
                "add a blank line before it (or indent it to continue the item)",
            )
        # An indented continuation keeps the item open; a blank line or heading ends it.
        if is_item:
            previous_is_item = True
        elif not line.strip() or line.startswith("#"):
            previous_is_item = False


def check_count(path: Path, section: Section, items: tuple, bounds: tuple[int, int]) -> None:
    low, high = bounds
    if not low <= len(items) <= high:
        raise ContentError(
            path, section.line, f"'## {section.title}' has {len(items)} items; expected {low} to {high}"
        )


def meta_line(lines: list[str], key: str) -> int:
    for number, line in enumerate(lines, start=1):
        if line.startswith(f"{key}:"):
            return number
    return 2


def require_meta(path: Path, meta: dict, lines: list[str], key: str, kind: type = str):
    if key not in meta or meta[key] in (None, ""):
        raise ContentError(path, 2, f"front matter is missing '{key}'")
    value = meta[key]
    if not isinstance(value, kind):
        raise ContentError(path, meta_line(lines, key), f"'{key}' must be a {kind.__name__}")
    return value


def check_id(path: Path, lines: list[str], value: str, key: str = "id") -> None:
    if not ID_PATTERN.match(value):
        raise ContentError(
            path, meta_line(lines, key), f"'{key}' {value!r} must be lowercase words joined by '-'"
        )


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ContentError(path, 1, f"file is not UTF-8 text ({error.reason})") from None


def parse_topic(path: Path, text: str | None = None) -> Topic:
    text = read_text(path) if text is None else text
    lines = text.splitlines()
    meta, body, first = split_front_matter(path, text)
    topic_id = require_meta(path, meta, lines, "id")
    check_id(path, lines, topic_id)
    title = require_meta(path, meta, lines, "title")
    order = require_meta(path, meta, lines, "order", int)
    sections = split_sections(path, body, first)
    require_sections(path, sections, TOPIC_SECTIONS, first)
    guide = sections["Structuring answers"]
    rules = []
    for item in parse_list(path, guide):
        match = re.match(r"^\*\*(.+?)\*\*\s*[—–-]+\s*(.+)$", item)
        if not match:
            raise ContentError(
                path, guide.line, f"rule {item[:40]!r} must read '**Rule** — why it matters'"
            )
        rules.append(Rule(match.group(1).strip().rstrip("."), match.group(2).strip()))
    check_count(path, guide, tuple(rules), GUIDE_RULES)
    return Topic(topic_id, title, order, sections["Description"].body, tuple(rules), path)


def parse_question(path: Path, text: str | None = None, *, strict: bool = True) -> Question:
    """Parse one question file. `strict` applies the bank's length rules (user packs relax them)."""
    text = read_text(path) if text is None else text
    lines = text.splitlines()
    meta, body, first = split_front_matter(path, text)
    question_id = require_meta(path, meta, lines, "id")
    check_id(path, lines, question_id)
    topic = require_meta(path, meta, lines, "topic")
    title = require_meta(path, meta, lines, "title")
    difficulty = require_meta(path, meta, lines, "difficulty")
    if difficulty not in DIFFICULTIES:
        raise ContentError(
            path, meta_line(lines, "difficulty"), f"difficulty {difficulty!r} must be one of {', '.join(DIFFICULTIES)}"
        )
    kind = require_meta(path, meta, lines, "kind")
    if kind not in KINDS:
        raise ContentError(path, meta_line(lines, "kind"), f"kind {kind!r} must be one of {', '.join(KINDS)}")
    tags = meta.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) and tag for tag in tags):
        raise ContentError(path, meta_line(lines, "tags"), "'tags' must be a list of words, e.g. [gpu, batching]")
    sections = split_sections(path, body, first)
    require_sections(path, sections, QUESTION_SECTIONS, first)
    structure = sections["Answer structure"]
    if "\n" in structure.body.strip():
        raise ContentError(path, structure.line, "'## Answer structure' must be one line: 'step → step → step'")
    if "→" not in structure.body:
        raise ContentError(path, structure.line, "'## Answer structure' must chain its steps with '→'")
    key_points = parse_list(path, sections["Key points"])
    pitfalls = parse_list(path, sections["Pitfalls"])
    follow_ups = parse_list(path, sections["Follow-ups"])
    answer = sections["Model answer"]
    if strict:
        for prose in (sections["Prompt"], answer):
            check_list_endings(path, prose)
        check_count(path, sections["Key points"], key_points, KEY_POINTS)
        check_count(path, sections["Follow-ups"], follow_ups, FOLLOW_UPS)
        words = count_words(answer.body)
        low, high = ANSWER_WORDS
        if not low <= words <= high:
            raise ContentError(path, answer.line, f"model answer has {words} words; expected {low} to {high}")
    return Question(
        id=question_id,
        topic=topic,
        difficulty=difficulty,
        kind=kind,
        title=title,
        tags=tuple(tags),
        prompt=sections["Prompt"].body,
        answer=answer.body,
        structure=structure.body.strip(),
        key_points=key_points,
        pitfalls=pitfalls,
        follow_ups=follow_ups,
        path=path,
    )


def parse_exercise(path: Path, text: str | None = None) -> Exercise:
    text = read_text(path) if text is None else text
    lines = text.splitlines()
    meta, body, first = split_front_matter(path, text)
    exercise_id = require_meta(path, meta, lines, "id")
    check_id(path, lines, exercise_id)
    topic = require_meta(path, meta, lines, "topic")
    title = require_meta(path, meta, lines, "title")
    sections = split_sections(path, body, first)
    require_sections(path, sections, EXERCISE_SECTIONS, first)
    best_section = sections["Best option"]
    best = best_section.body.strip()
    if best not in OPTION_LETTERS:
        raise ContentError(path, best_section.line, f"'## Best option' must be one letter A-D, not {best!r}")
    for letter in OPTION_LETTERS:
        check_list_endings(path, sections[f"Option {letter}"])
        check_list_endings(path, sections[f"Why {letter}"])
    check_list_endings(path, sections["Question"])
    takeaway = sections["Takeaway"]
    if "→" not in takeaway.body:
        raise ContentError(path, takeaway.line, "'## Takeaway' must chain its steps with '→'")
    return Exercise(
        id=exercise_id,
        topic=topic,
        title=title,
        stem=sections["Question"].body,
        options=tuple(sections[f"Option {letter}"].body for letter in OPTION_LETTERS),
        best=best,
        explanations=tuple(sections[f"Why {letter}"].body for letter in OPTION_LETTERS),
        takeaway=takeaway.body.strip(),
        path=path,
    )


def load_content(root: Path, *, strict: bool = True, only_topic: str | None = None) -> ContentSet:
    """Read every topic, question and exercise under `root`, checking cross-file rules.

    `only_topic` limits the read to one topic's files (for a writer checking their own work).
    Raises ContentError for the first problem found, naming the file and line.
    """
    pattern = f"{only_topic}/*.md" if only_topic else "*.md"
    topic_pattern = f"{only_topic}.md" if only_topic else "*.md"
    content = ContentSet()
    content.topics = [parse_topic(path) for path in sorted((root / "topics").glob(topic_pattern))]
    content.questions = [
        parse_question(path, strict=strict) for path in sorted((root / "questions").rglob(pattern))
    ]
    content.exercises = [parse_exercise(path) for path in sorted((root / "exercises").rglob(pattern))]
    check_cross_references(content)
    return content


def check_cross_references(content: ContentSet) -> None:
    topic_ids: dict[str, Path] = {}
    for topic in content.topics:
        if topic.id in topic_ids:
            raise ContentError(topic.path, 2, f"topic id {topic.id!r} is also used by {topic_ids[topic.id]}")
        topic_ids[topic.id] = topic.path
    seen: dict[str, Path] = {}
    for item in [*content.questions, *content.exercises]:
        if item.id in seen:
            raise ContentError(item.path, 2, f"id {item.id!r} is also used by {seen[item.id]}")
        seen[item.id] = item.path
        if item.topic not in topic_ids:
            raise ContentError(item.path, 3, f"topic {item.topic!r} has no file in topics/")
