"""Shared fixtures: a small generated content tree, its compiled bank, a user store, the window."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from desktop.core.bank_build import build_bank  # noqa: E402
from desktop.core.study import Study  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

FILLER = (
    "The answer weighs latency against throughput and names the tools that matter. "
    "It gives numbers for memory and cost, explains when the simple option wins, and lists what fails. "
)


def topic_text(topic_id: str, title: str, order: int) -> str:
    return textwrap.dedent(
        f"""\
        ---
        id: {topic_id}
        title: {title}
        order: {order}
        ---

        ## Description
        Questions about {title.lower()}.

        ## Structuring answers
        - **Start from the budget** — every choice follows from what does not fit.
        - **Name the tools** — interviewers listen for precise components.
        - **Trade both ways** — say when the simple approach wins.
        """
    )


def question_text(
    question_id: str, topic: str, title: str, difficulty: str = "Medium", kind: str = "Technical",
    prompt: str = "How would you do it?", extra: str = "", words: int = 320,
) -> str:
    body = " ".join((FILLER * 20).split()[:words])
    return (
        f"---\nid: {question_id}\ntopic: {topic}\ntitle: {title}\ndifficulty: {difficulty}\nkind: {kind}\n"
        f"tags: [testing, {topic}]\n---\n\n## Prompt\n{prompt}\n\n## Model answer\n{extra}\n\n{body}\n\n"
        "```python\nimport torch\nx = torch.ones(2)\n```\n\n"
        "## Answer structure\nBudget → design → trade-offs → pitfalls\n\n"
        "## Key points\n- States the budget\n- Names a tool\n- Gives a number\n- Weighs both directions\n"
        "- Names a failure mode\n\n## Pitfalls\n- Skipping measurement\n\n"
        "## Follow-ups\n- What changes at 10x?\n- What would you monitor?\n"
    )


def exercise_text(exercise_id: str, topic: str, best: str = "B") -> str:
    options = "".join(f"## Option {letter}\nCandidate answer {letter} about the pipeline.\n\n" for letter in "ABCD")
    whys = "".join(f"## Why {letter}\nBecause of reason {letter}.\n\n" for letter in "ABCD")
    return (
        f"---\nid: {exercise_id}\ntopic: {topic}\ntitle: Exercise {exercise_id}\n---\n\n"
        f'## Question\nThe interviewer asks: "How do you design it?" Choose the best answer.\n\n'
        f"{options}## Best option\n{best}\n\n{whys}## Takeaway\nMeasure → design → monitor\n"
    )


def write_content(root: Path) -> Path:
    (root / "topics").mkdir(parents=True)
    (root / "topics" / "serving.md").write_text(topic_text("serving", "Serving", 1))
    (root / "topics" / "training.md").write_text(topic_text("training", "Training", 2))
    questions = [
        ("dynamic-batching", "serving", "Dynamic batching for GPU serving", "Easy", "Technical",
         "How does dynamic batching raise GPU throughput?", "Continuous batching with vLLM and paged attention."),
        ("autoscaling-inference", "serving", "Autoscaling an inference fleet", "Hard", "System Design",
         "Design autoscaling for spiky inference traffic.", "Scale on queue depth and GPU utilisation."),
        ("kv-cache-memory", "serving", "KV cache memory arithmetic", "Medium", "Technical",
         "How large is the KV cache of a 7B model at 4k context?", "The KV cache grows with context length."),
        ("zero-stages", "training", "ZeRO stages and when to use each", "Medium", "Technical",
         "Explain ZeRO stages 1 to 3.", "ZeRO shards optimizer states, gradients and parameters."),
        ("pipeline-bubbles", "training", "Pipeline parallel bubbles", "Hard", "Technical",
         "What is the pipeline bubble and how do micro-batches shrink it?",
         "The bubble fraction falls with micro-batches."),
        ("checkpoint-frequency", "training", "Choosing a checkpoint interval", "Easy", "System Design",
         "How often should a long training job checkpoint?", "Balance checkpoint cost against lost work."),
    ]
    for question_id, topic, title, difficulty, kind, prompt, extra in questions:
        folder = root / "questions" / topic
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{question_id}.md").write_text(
            question_text(question_id, topic, title, difficulty, kind, prompt, extra)
        )
    for exercise_id, topic, best in [("ex-serving-one", "serving", "B"), ("ex-serving-two", "serving", "D"),
                                     ("ex-training-one", "training", "A")]:
        folder = root / "exercises" / topic
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{exercise_id}.md").write_text(exercise_text(exercise_id, topic, best))
    return root


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    return write_content(tmp_path / "content")


@pytest.fixture
def bank_path(content_dir: Path, tmp_path: Path) -> Path:
    path = tmp_path / "bank.sqlite"
    build_bank(content_dir, path)
    return path


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def study(bank_path: Path, data_dir: Path):
    opened = Study.open(bank_path, data_dir)
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot, study):
    from desktop.ui.main_window import MainWindow

    main = MainWindow(study)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    qtbot.waitUntil(main.is_ready)  # the panes and keys that follow the first paint
    yield main
    main.close()  # saves drafts and drops pending work (a search typed a moment ago) before the study closes
