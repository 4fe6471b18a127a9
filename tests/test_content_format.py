"""The content parser: every broken file is reported with its file and line."""

from pathlib import Path

import pytest

from desktop.core.content import ContentError, count_words, load_content, parse_exercise, parse_question

from .conftest import exercise_text, question_text


def write(tmp_path: Path, text: str, name: str = "q.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_question_parses_all_sections(tmp_path):
    question = parse_question(write(tmp_path, question_text("kv-cache", "serving", "KV cache")))
    assert question.id == "kv-cache"
    assert question.difficulty == "Medium"
    assert len(question.key_points) == 5
    assert question.follow_ups == ("What changes at 10x?", "What would you monitor?")
    assert "```python" in question.answer
    assert 300 <= question.answer_words <= 900


def test_bad_difficulty_names_the_line(tmp_path):
    text = question_text("kv-cache", "serving", "KV cache").replace("difficulty: Medium", "difficulty: medium")
    with pytest.raises(ContentError) as error:
        parse_question(write(tmp_path, text))
    assert error.value.line == 5
    assert "q.md:5:" in str(error.value)
    assert "Easy, Medium, Hard" in str(error.value)


def test_missing_section_is_named(tmp_path):
    text = question_text("kv-cache", "serving", "KV cache").replace("## Pitfalls\n- Skipping measurement\n\n", "")
    with pytest.raises(ContentError, match="missing section '## Pitfalls'"):
        parse_question(write(tmp_path, text))


def test_unknown_section_points_at_its_heading(tmp_path):
    text = question_text("kv-cache", "serving", "KV cache").replace("## Pitfalls", "## Pitfals")
    path = write(tmp_path, text)
    with pytest.raises(ContentError) as error:
        parse_question(path)
    heading_line = text.splitlines().index("## Pitfals") + 1
    assert error.value.line == heading_line
    assert "unknown section" in error.value.message


def test_heading_inside_code_fence_is_not_a_section(tmp_path):
    text = question_text("kv-cache", "serving", "KV cache", extra="```python\n## not a section\n```")
    assert "## not a section" in parse_question(write(tmp_path, text)).answer


def test_unclosed_fence_is_reported(tmp_path):
    text = question_text("kv-cache", "serving", "KV cache", extra="```python\nx = 1")
    with pytest.raises(ContentError, match="never closed"):
        parse_question(write(tmp_path, text))


def test_prose_glued_to_a_list_is_reported_at_its_line(tmp_path):
    glued = "Steps:\n1. Measure\n2. Fix\n   the slow stage\nThen re-measure."
    text = question_text("kv-cache", "serving", "KV cache", extra=glued)
    with pytest.raises(ContentError, match="follows a list item with no blank line") as error:
        parse_question(write(tmp_path, text))
    assert error.value.line == text.splitlines().index("Then re-measure.") + 1
    fixed = text.replace("\nThen re-measure.", "\n\nThen re-measure.")
    assert parse_question(write(tmp_path, fixed)).id == "kv-cache"
    # Inside a code fence a list-like line is just code.
    fenced = question_text("kv-cache", "serving", "KV cache", extra="```text\n- a\nb\n```")
    assert parse_question(write(tmp_path, fenced)).id == "kv-cache"


def test_exercise_option_glued_to_a_list_is_reported(tmp_path):
    text = exercise_text("ex-a", "serving").replace(
        "Candidate answer C about the pipeline.", "Candidate answer C:\n- one\nand more prose."
    )
    with pytest.raises(ContentError, match="no blank line"):
        parse_exercise(write(tmp_path, text))


def test_short_answer_is_rejected_but_allowed_in_relaxed_mode(tmp_path):
    path = write(tmp_path, question_text("kv-cache", "serving", "KV cache", words=50))
    with pytest.raises(ContentError, match="expected 300 to 900"):
        parse_question(path)
    assert parse_question(path, strict=False).id == "kv-cache"


def test_front_matter_yaml_error_has_a_line(tmp_path):
    text = question_text("kv-cache", "serving", "KV cache").replace("tags: [testing, serving]", "tags: [oops")
    with pytest.raises(ContentError) as error:
        parse_question(write(tmp_path, text))
    assert error.value.line >= 2
    assert "YAML" in error.value.message


def test_non_utf8_file_is_reported(tmp_path):
    path = tmp_path / "q.md"
    path.write_bytes(b"---\nid: x\n---\n\xff\xfe")
    with pytest.raises(ContentError, match="not UTF-8"):
        parse_question(path)


def test_exercise_needs_a_valid_best_option(tmp_path):
    text = exercise_text("ex-one", "serving").replace("## Best option\nB", "## Best option\nE")
    with pytest.raises(ContentError, match="one letter A-D"):
        parse_exercise(write(tmp_path, text))


def test_exercise_without_an_explanation_fails(tmp_path):
    text = exercise_text("ex-one", "serving").replace("## Why C\nBecause of reason C.\n\n", "")
    with pytest.raises(ContentError, match="Why C"):
        parse_exercise(write(tmp_path, text))


def test_duplicate_ids_across_files(content_dir):
    source = content_dir / "questions" / "serving" / "dynamic-batching.md"
    (content_dir / "questions" / "serving" / "copy.md").write_text(source.read_text())
    with pytest.raises(ContentError, match="also used by"):
        load_content(content_dir)


def test_unknown_topic_is_rejected(content_dir):
    path = content_dir / "questions" / "serving" / "dynamic-batching.md"
    path.write_text(path.read_text().replace("topic: serving", "topic: nowhere"))
    with pytest.raises(ContentError, match="no file in topics"):
        load_content(content_dir)


def test_word_count_ignores_markdown_punctuation():
    assert count_words("**Bold** text, `code` and a [link](#x) — 16 GB.") == 8
