"""Compiling content into the bank and querying it."""

import sqlite3

import pytest

from desktop.core.bank import Bank, BankError, fts_query
from desktop.core.bank_build import build_bank, content_hash, stored_hash
from desktop.core.content import ContentError
from desktop.core.study import prepare_bank


def test_build_writes_every_item(bank_path):
    bank = Bank(bank_path)
    assert [topic.id for topic in bank.topics()] == ["serving", "training"]
    assert bank.topics()[0].question_count == 3
    assert bank.topics()[0].exercise_count == 2
    assert len(bank.questions()) == 6
    detail = bank.question("zero-stages")
    assert detail.topic_title == "Training"
    assert 'class="highlight"' in detail.answer_html
    assert len(detail.key_points) == 5


def test_bank_is_read_only(bank_path):
    bank = Bank(bank_path)
    with pytest.raises(sqlite3.OperationalError):
        bank._db.execute("DELETE FROM questions")


def test_filters_combine(bank_path):
    bank = Bank(bank_path)
    assert [q.id for q in bank.questions(topics=["serving"], difficulty="Hard")] == ["autoscaling-inference"]
    assert {q.id for q in bank.questions(kind="System Design")} == {"autoscaling-inference", "checkpoint-frequency"}


def test_search_stems_prefixes_and_ranks(bank_path):
    bank = Bank(bank_path)
    hits = bank.search("batch")  # porter stemming: "batching" matches "batch"
    assert hits[0].id == "dynamic-batching"
    assert [hit.id for hit in bank.search("pipel bub")] == ["pipeline-bubbles"]  # prefix on the last word
    assert bank.search("autoscal")[0].id == "autoscaling-inference"
    assert bank.search("") == []
    bank.search('"unbalanced (quote AND')  # never raises on odd input


def test_snippet_highlights_and_escapes(tmp_path, content_dir):
    path = content_dir / "questions" / "serving" / "kv-cache-memory.md"
    path.write_text(path.read_text().replace("The KV cache grows", "When p < 0.05 the KV cache grows"))
    bank = Bank(build_and_return(content_dir, tmp_path))
    snippet = bank.search("grows")[0].snippet_html
    assert '<b class="match">grows</b>' in snippet
    assert "p &lt; 0.05" in snippet


def build_and_return(content_dir, tmp_path):
    out = tmp_path / "other.sqlite"
    build_bank(content_dir, out)
    return out


def test_fts_query_quotes_words():
    assert fts_query('kv "cache') == '"kv"* AND "cache"*'
    assert fts_query("  ") is None


def test_content_hash_tracks_changes(content_dir, bank_path):
    assert stored_hash(bank_path) == content_hash(content_dir)
    (content_dir / "topics" / "serving.md").write_text((content_dir / "topics" / "serving.md").read_text() + "\n")
    assert stored_hash(bank_path) != content_hash(content_dir)


def test_prepare_bank_rebuilds_only_when_content_changed(content_dir, tmp_path):
    source = tmp_path / "build" / "bank.sqlite"
    first = prepare_bank(content_dir, source, tmp_path / "shipped.sqlite")
    assert first.rebuilt and first.warning is None
    assert not prepare_bank(content_dir, source, tmp_path / "shipped.sqlite").rebuilt


def test_a_stamped_bank_is_trusted_without_hashing_content(content_dir, tmp_path, monkeypatch):
    from desktop.core import bank_build, bank_stamp

    source = tmp_path / "build" / "bank.sqlite"
    assert prepare_bank(content_dir, source, tmp_path / "shipped.sqlite").rebuilt
    assert bank_stamp.is_current(content_dir, source)

    def no_hashing(_root):
        raise AssertionError("content was hashed although nothing changed")

    monkeypatch.setattr(bank_build, "content_hash", no_hashing)
    assert not prepare_bank(content_dir, source, tmp_path / "shipped.sqlite").rebuilt


def test_an_edit_or_a_swapped_bank_defeats_the_stamp(content_dir, tmp_path):
    from desktop.core import bank_stamp

    source = tmp_path / "build" / "bank.sqlite"
    prepare_bank(content_dir, source, tmp_path / "shipped.sqlite")
    question = content_dir / "questions" / "serving" / "kv-cache-memory.md"
    question.write_text(question.read_text().replace("title: ", "title: Revised "))
    assert not bank_stamp.is_current(content_dir, source)
    status = prepare_bank(content_dir, source, tmp_path / "shipped.sqlite")
    assert status.rebuilt
    assert Bank(source).question("kv-cache-memory").title.startswith("Revised ")
    assert bank_stamp.is_current(content_dir, source)

    older = source.read_bytes()
    source.write_bytes(older)  # same bytes, new modification time: verified by the full hash, not rebuilt
    assert not bank_stamp.is_current(content_dir, source)
    assert not prepare_bank(content_dir, source, tmp_path / "shipped.sqlite").rebuilt
    assert bank_stamp.is_current(content_dir, source)

    bank_stamp.stamp_path(source).write_text("{not json")
    assert not bank_stamp.is_current(content_dir, source)
    assert not prepare_bank(content_dir, source, tmp_path / "shipped.sqlite").rebuilt


def test_broken_content_keeps_the_last_good_bank(content_dir, tmp_path):
    source = tmp_path / "build" / "bank.sqlite"
    prepare_bank(content_dir, source, tmp_path / "shipped.sqlite")
    broken = content_dir / "questions" / "serving" / "kv-cache-memory.md"
    broken.write_text(broken.read_text().replace("kind: Technical", "kind: Trivia"))
    status = prepare_bank(content_dir, source, tmp_path / "shipped.sqlite")
    assert status.path == source
    assert "kv-cache-memory.md:6" in status.warning
    assert len(Bank(source).questions()) == 6


def test_build_failure_leaves_existing_bank_untouched(content_dir, bank_path):
    before = bank_path.read_bytes()
    broken = content_dir / "topics" / "serving.md"
    broken.write_text("no front matter")
    with pytest.raises(ContentError, match="serving.md:1"):
        build_bank(content_dir, bank_path)
    assert bank_path.read_bytes() == before


def test_missing_or_garbage_bank_is_a_clear_error(tmp_path):
    with pytest.raises(BankError, match="missing"):
        Bank(tmp_path / "none.sqlite")
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BankError, match="cannot be read"):
        Bank(garbage)


def test_large_bank_ranks_heads_then_lists_answer_only_matches(bank_path):
    bank = Bank(bank_path)
    bank._question_count = 10**6  # take the large-bank path on the small fixture bank
    hits = [hit.id for hit in bank.search("batch")]
    assert hits[0] == "dynamic-batching"  # ranked on title and prompt
    # "micro-batches" appears in the pipeline question's prompt; "continuous batching" only in answers.
    assert set(hits) == {hit.id for hit in Bank(bank_path).search("batch")}
    assert [hit.id for hit in bank.search("paged attention")] == ["dynamic-batching"]  # answer-only match
    assert len(bank.search("a")) == 6  # one letter: every question, unranked, still found


def test_exercise_search_needs_every_word_in_title_scenario_or_options(bank_path):
    bank = Bank(bank_path)
    assert len(bank.exercises()) == 3
    assert [e.id for e in bank.exercises(search="ex-serving")] == ["ex-serving-one", "ex-serving-two"]
    assert [e.id for e in bank.exercises("serving", "TWO")] == ["ex-serving-two"]  # case-insensitive
    assert len(bank.exercises(search="candidate pipeline")) == 3  # words from the options, in any order
    assert bank.exercises(search="candidate nowhere") == []
    assert bank.exercises(search="reason") == []  # explanations are not searched: they name the answer
    assert len(bank.exercises(search="_%")) == 0  # LIKE wildcards typed by the user match literally


def test_random_question_prefers_new_ones_and_skips_the_open_one():
    import random

    from desktop.core.study import QuestionRow, pick_random

    def row(question_id: str, practised: int) -> QuestionRow:
        return QuestionRow(question_id, "t", question_id.title(), "Easy", "Technical", practised, False)

    rows = [row("seen", 2), row("fresh", 0), row("open", 0), row("other", 1)]
    rng = random.Random(7)
    drawn = {pick_random(rows, rng, exclude="open").id for _ in range(50)}
    assert drawn == {"fresh"}  # the only never-practised question besides the open one
    practised = [row("seen", 2), row("other", 1), row("open", 3)]
    assert {pick_random(practised, rng, exclude="open").id for _ in range(50)} == {"seen", "other"}
    assert pick_random([row("open", 0)], rng, exclude="open").id == "open"  # nothing else to draw
    assert pick_random([], rng) is None
