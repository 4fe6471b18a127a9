"""Bank-wide quality checks that no single file can fail on its own."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from .content import ContentSet, Question

STOPWORDS = frozenset(
    {
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "how", "what", "when", "why",
        "which", "would", "you", "your", "is", "are", "be", "do", "does", "it", "its", "this", "that", "as", "at",
        "by", "from", "into", "each", "between", "vs", "versus", "can", "should", "we", "our", "their",
    }
)
# Word-bigram Jaccard similarity above which two prompts ask the same thing.
NEAR_DUPLICATE_THRESHOLD = 0.5


@dataclass(frozen=True)
class TopicSummary:
    topic: str
    questions: int
    by_difficulty: dict[str, int]
    by_kind: dict[str, int]
    exercises: int
    median_words: int


def prompt_shingles(prompt: str) -> frozenset[tuple[str, str]]:
    words = [word for word in re.findall(r"[a-z0-9]+", prompt.lower()) if word not in STOPWORDS]
    return frozenset(zip(words, words[1:], strict=False))


def similarity(first: Question, second: Question) -> float:
    a, b = prompt_shingles(first.prompt), prompt_shingles(second.prompt)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def near_duplicate_prompts(
    questions: list[Question], threshold: float = NEAR_DUPLICATE_THRESHOLD
) -> list[tuple[Question, Question, float]]:
    pairs = []
    for first, second in combinations(questions, 2):
        score = similarity(first, second)
        if score >= threshold:
            pairs.append((first, second, score))
    return pairs


def summarize(content: ContentSet) -> list[TopicSummary]:
    summaries = []
    for topic in sorted(content.topics, key=lambda topic: topic.order):
        questions = [question for question in content.questions if question.topic == topic.id]
        words = sorted(question.answer_words for question in questions)
        summaries.append(
            TopicSummary(
                topic=topic.id,
                questions=len(questions),
                by_difficulty=dict(Counter(question.difficulty for question in questions)),
                by_kind=dict(Counter(question.kind for question in questions)),
                exercises=sum(1 for exercise in content.exercises if exercise.topic == topic.id),
                median_words=words[len(words) // 2] if words else 0,
            )
        )
    return summaries
