"""The shipped question bank (content/): coverage, balance, quality rules and seed mapping."""

from collections import Counter
from pathlib import Path

import pytest
import yaml

from desktop.core.content import load_content
from desktop.core.content_quality import near_duplicate_prompts

from .conftest import REPO
from .seeds import read_seeds

CONTENT = REPO / "content"
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def bank():
    return load_content(CONTENT)  # strict: every file within the word and list limits


@pytest.fixture(scope="module")
def coverage():
    return yaml.safe_load((CONTENT / "seed-coverage.yaml").read_text(encoding="utf-8"))["seeds"]


def test_size_of_the_bank(bank):
    assert len(bank.topics) >= 12
    assert len(bank.questions) >= 300
    assert len(bank.exercises) >= 90


def test_every_topic_is_full_and_balanced(bank):
    for topic in bank.topics:
        questions = [question for question in bank.questions if question.topic == topic.id]
        assert len(questions) >= 20, topic.id
        kinds = Counter(question.kind for question in questions)
        assert kinds["Technical"] and kinds["System Design"], topic.id
        assert 3 <= len(topic.rules) <= 6, topic.id


def test_difficulty_mix_is_about_one_two_one(bank):
    share = Counter(question.difficulty for question in bank.questions)
    total = len(bank.questions)
    assert 0.18 <= share["Easy"] / total <= 0.32
    assert 0.40 <= share["Medium"] / total <= 0.60
    assert 0.18 <= share["Hard"] / total <= 0.32


def test_every_answer_meets_the_quality_rules(bank):
    for question in bank.questions:
        assert 300 <= question.answer_words <= 900, question.path
        assert 5 <= len(question.key_points) <= 8, question.path
        assert 2 <= len(question.follow_ups) <= 4, question.path
        assert question.pitfalls, question.path
        assert len(question.title) <= 80, question.path


def test_no_two_prompts_are_near_duplicates(bank):
    pairs = near_duplicate_prompts(bank.questions)
    assert not pairs, [(a.id, b.id, round(score, 2)) for a, b, score in pairs]


def test_exercises_have_four_explained_options(bank):
    for exercise in bank.exercises:
        assert len(exercise.options) == 4 and all(option.strip() for option in exercise.options)
        assert len(exercise.explanations) == 4 and all(text.strip() for text in exercise.explanations)


def test_exercises_cannot_be_solved_by_surface_cues(bank):
    """Picking a letter, or an answer by its length, should do little better than chance (1 in 4)."""
    total = len(bank.exercises)
    bests = Counter(exercise.best for exercise in bank.exercises)
    assert all(0.15 <= bests[letter] / total <= 0.35 for letter in "ABCD"), bests
    # Rank of the best option among the four by word count: 0 = longest, 3 = shortest.
    ranks: dict[int, list[str]] = {rank: [] for rank in range(4)}
    for exercise in bank.exercises:
        words = [len(option.split()) for option in exercise.options]
        best = words["ABCD".index(exercise.best)]
        ranks[sorted(words, reverse=True).index(best)].append(exercise.id)
    shares = {rank: round(len(ids) / total, 2) for rank, ids in ranks.items()}
    assert all(0.10 <= share <= 0.40 for share in shares.values()), f"best option by length rank: {shares}"


def test_coding_questions_carry_code(bank):
    by_id = {question.id: question for question in bank.questions}
    for question_id in ("pyspark-daily-user-aggregates", "two-gpu-model-parallel-linear"):
        assert "```python" in by_id[question_id].answer, question_id


def test_seed_mapping_points_at_matching_items(bank, coverage):
    questions = {question.id: question for question in bank.questions}
    exercises = {exercise.id for exercise in bank.exercises}
    assert len(coverage) == 25
    for entry in coverage:
        if entry["type"] == "question":
            question = questions.get(entry["covered_by"])
            assert question is not None, entry["covered_by"]
            assert (question.difficulty, question.kind) == (entry["difficulty"], entry["kind"]), question.id
            assert question.topic == entry["topic"]
        else:
            assert entry["covered_by"] in exercises, entry["covered_by"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are beside the repo only in the workplace")
def test_every_seed_question_is_mapped(coverage):
    mapped = {entry["sha1"] for entry in coverage}
    seeds = read_seeds(SEEDS)
    assert len(seeds) == 25
    missing = [f"{seed.file} #{seed.position}" for seed in seeds if seed.sha1 not in mapped]
    assert not missing


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are beside the repo only in the workplace")
def test_no_seed_sentence_is_copied(bank):
    """Originality: no run of 12 words from a seed appears in the bank."""
    def runs(text: str, size: int = 12) -> set[tuple[str, ...]]:
        words = [word.strip(".,;:!?()\"'").lower() for word in text.split()]
        return {tuple(words[index:index + size]) for index in range(len(words) - size + 1)}

    seed_runs: set[tuple[str, ...]] = set()
    for path in Path(SEEDS).glob("*.txt"):
        seed_runs |= runs(path.read_text(encoding="utf-8"))
    for item in [*bank.questions, *bank.exercises]:
        text = item.path.read_text(encoding="utf-8")
        copied = runs(text) & seed_runs
        assert not copied, (item.path, " ".join(next(iter(copied))))


def test_rendered_answers_have_no_leaked_markdown(tmp_path):
    """A list, table or emphasis that Markdown failed to parse shows up as raw symbols in a paragraph."""
    import re
    import sqlite3

    from desktop.core.bank_build import build_bank

    build_bank(CONTENT, tmp_path / "bank.sqlite")
    db = sqlite3.connect(tmp_path / "bank.sqlite")
    leaks = []
    rows = db.execute(
        "SELECT id, prompt_html || answer_html || key_points || pitfalls || follow_ups FROM questions "
        "UNION ALL SELECT id, stem_html || options || explanations FROM exercises"
    )
    for item_id, html in rows:
        for paragraph in re.findall(r"<p>(.*?)</p>", html, re.S):
            if re.search(r"(^|\n)\s*(\| |- |\* |\d+\. )", paragraph) or "**" in paragraph or "```" in paragraph:
                leaks.append((item_id, paragraph[:80]))
    assert not leaks
