"""Question packs: validation reporting every problem, hostile input refused, all-or-nothing import,
the combined bank (searchable, survives rebuilds), removal."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

import pytest

from desktop.core import packs
from desktop.core.bank import Bank
from desktop.core.bank_build import build_bank
from desktop.core.packs import PackError, bank_with_packs, install_pack, installed_packs, remove_pack, validate_pack
from desktop.core.study import BankStatus, Study, with_question_packs
from tests.conftest import exercise_text, question_text, topic_text


def make_pack(root: Path, name: str = "my-pack") -> Path:
    pack = root / name
    (pack / "topics").mkdir(parents=True)
    (pack / "topics" / "vector-db.md").write_text(topic_text("vector-db", "Vector databases", 1))
    folder = pack / "questions" / "vector-db"
    folder.mkdir(parents=True)
    (folder / "hnsw-recall.md").write_text(
        question_text("hnsw-recall", "vector-db", "HNSW recall versus latency", words=40,
                      prompt="How do you trade **HNSW** recall against latency? <script>alert(1)</script>"))
    (folder / "ivf-pq.md").write_text(question_text("ivf-pq", "vector-db", "IVF-PQ compression", words=40))
    # A pack may also add questions to a topic of the bank.
    (pack / "questions" / "serving").mkdir()
    (pack / "questions" / "serving" / "reranker-serving.md").write_text(
        question_text("reranker-serving", "serving", "Serving a cross-encoder reranker", words=40))
    (pack / "exercises" / "vector-db").mkdir(parents=True)
    (pack / "exercises" / "vector-db" / "ex-vector-one.md").write_text(exercise_text("ex-vector-one", "vector-db"))
    return pack


def zip_folder(folder: Path, target: Path, wrap: bool = True) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                relative = path.relative_to(folder.parent if wrap else folder).as_posix()
                archive.write(path, relative)
    return target


def state(data_dir: Path, bank: Path) -> tuple:
    """Everything an import must leave alone when it fails."""
    files = sorted(str(path.relative_to(data_dir)) for path in data_dir.rglob("*"))
    return files, bank.read_bytes()


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    return make_pack(tmp_path / "sources")


def test_folder_pack_imports_and_appears_in_the_bank(pack_dir, bank_path, data_dir):
    plan = validate_pack(pack_dir, data_dir, bank_path)
    assert plan.id == "my-pack" and plan.summary() == "1 topics, 3 questions, 1 exercises"
    assert any("Raw HTML" in warning for warning in plan.warnings)
    info = install_pack(plan, data_dir)
    assert (data_dir / "packs" / "my-pack" / "questions" / "vector-db" / "hnsw-recall.md").is_file()
    assert [pack.id for pack in installed_packs(data_dir)] == ["my-pack"] and info.questions == 3

    combined, warnings = bank_with_packs(bank_path, data_dir)
    assert warnings == [] and combined != bank_path
    bank = Bank(combined)
    try:
        topics = [topic.id for topic in bank.topics()]
        assert topics[-1] == "vector-db" and "serving" in topics  # pack topics after the bank's
        assert bank.topic("vector-db").question_count == 2
        assert {hit.id for hit in bank.search("HNSW")} == {"hnsw-recall"}  # searchable
        detail = bank.question("hnsw-recall")
        assert "<script>" not in detail.prompt_html and "&lt;script&gt;" in detail.prompt_html  # neutralised
        assert bank.question("reranker-serving").topic == "serving"
        assert [exercise.id for exercise in bank.exercises("vector-db")] == ["ex-vector-one"]
    finally:
        bank.close()
    # Built once; the next start reuses it.
    assert bank_with_packs(bank_path, data_dir)[0] == combined


def test_zip_pack_with_a_wrapping_folder_imports(pack_dir, bank_path, data_dir, tmp_path):
    archive = zip_folder(pack_dir, tmp_path / "vectors.zip")
    plan = validate_pack(archive, data_dir, bank_path)
    assert plan.id == "vectors" and len(plan.content.questions) == 3


def test_pack_yaml_names_the_pack(pack_dir, bank_path, data_dir):
    (pack_dir / "pack.yaml").write_text("id: vector-search\ntitle: Vector search drills\n")
    plan = validate_pack(pack_dir, data_dir, bank_path)
    assert (plan.id, plan.title) == ("vector-search", "Vector search drills")


def test_every_problem_is_reported_with_file_and_line(pack_dir, bank_path, data_dir):
    folder = pack_dir / "questions" / "vector-db"
    (folder / "bad-difficulty.md").write_text(
        question_text("bad-difficulty", "vector-db", "Bad", difficulty="Impossible", words=40))
    (folder / "no-topic.md").write_text(question_text("no-topic", "nowhere", "Orphan", words=40))
    (folder / "taken-id.md").write_text(question_text("zero-stages", "vector-db", "Taken id", words=40))
    (pack_dir / "topics" / "serving.md").write_text(topic_text("serving", "Serving again", 2))
    (pack_dir / "exercises" / "vector-db" / "ex-broken.md").write_text("no front matter here\n")
    before = state(data_dir, bank_path)
    with pytest.raises(PackError) as raised:
        validate_pack(pack_dir, data_dir, bank_path)
    problems = raised.value.problems
    assert len(problems) == 5, problems
    expected = [
        ("questions/vector-db/bad-difficulty.md:5:", "difficulty 'Impossible'"),
        ("questions/vector-db/no-topic.md:3:", "topic 'nowhere'"),
        ("questions/vector-db/taken-id.md:2:", "already used by the question bank"),
        ("topics/serving.md:2:", "already used by the question bank"),
        ("exercises/vector-db/ex-broken.md:1:", "front matter"),
    ]
    for prefix, words in expected:
        assert any(problem.startswith(prefix) and words in problem for problem in problems), (prefix, problems)
    assert "nothing was changed" in str(raised.value)
    assert state(data_dir, bank_path) == before


def test_non_utf8_and_nul_files_are_refused(pack_dir, bank_path, data_dir):
    folder = pack_dir / "questions" / "vector-db"
    latin1 = question_text("latin1", "vector-db", "Café", words=40).replace("→", "->")
    (folder / "latin1.md").write_bytes(latin1.encode("latin-1"))
    (folder / "binary.md").write_bytes(b"---\nid: x\n\x00\x00\x00")
    with pytest.raises(PackError) as raised:
        validate_pack(pack_dir, data_dir, bank_path)
    problems = raised.value.problems
    assert any(p.startswith("questions/vector-db/latin1.md:1: file is not UTF-8") for p in problems)
    assert any(p.startswith("questions/vector-db/binary.md:1:") and "NUL" in p for p in problems)


def test_huge_file_is_refused(pack_dir, bank_path, data_dir):
    (pack_dir / "questions" / "vector-db" / "huge.md").write_text("x" * (packs.MAX_FILE_BYTES + 10))
    with pytest.raises(PackError) as raised:
        validate_pack(pack_dir, data_dir, bank_path)
    assert any(p.startswith("questions/vector-db/huge.md: is") and "at most" in p for p in raised.value.problems)


def hostile_zip(tmp_path: Path, pack_dir: Path, name: str, data: bytes = b"x", info: zipfile.ZipInfo | None = None,
                ) -> Path:
    target = zip_folder(pack_dir, tmp_path / "hostile.zip", wrap=False)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(info or zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return target


@pytest.mark.parametrize("name, words", [
    ("../../evil.md", "'../'"),
    ("questions/../../../evil.md", "'../'"),
    ("/etc/evil.md", "absolute path"),
    ("C:/Windows/evil.md", "absolute path"),
    ("..\\..\\evil.md", "'../'"),
])
def test_zip_paths_that_escape_are_refused(pack_dir, bank_path, data_dir, tmp_path, name, words):
    archive = hostile_zip(tmp_path, pack_dir, name)
    before = state(data_dir, bank_path)
    with pytest.raises(PackError) as raised:
        validate_pack(archive, data_dir, bank_path)
    assert any(problem.startswith(name) and words in problem for problem in raised.value.problems)
    assert state(data_dir, bank_path) == before
    assert not (tmp_path / "evil.md").exists() and not (tmp_path.parent / "evil.md").exists()


def test_zip_symlink_entry_is_refused(pack_dir, bank_path, data_dir, tmp_path):
    link = zipfile.ZipInfo("questions/vector-db/link.md")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive = hostile_zip(tmp_path, pack_dir, "", b"/etc/passwd", link)
    with pytest.raises(PackError) as raised:
        validate_pack(archive, data_dir, bank_path)
    assert any("link.md: is a link" in problem for problem in raised.value.problems)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_folder_symlink_is_refused_and_not_followed(pack_dir, bank_path, data_dir, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("secret")
    os.symlink(secret, pack_dir / "questions" / "vector-db" / "sneaky.md")
    os.symlink(tmp_path, pack_dir / "questions" / "loop")
    with pytest.raises(PackError) as raised:
        validate_pack(pack_dir, data_dir, bank_path)
    problems = raised.value.problems
    assert any(p.startswith("questions/vector-db/sneaky.md: is a link") for p in problems)
    assert any(p.startswith("questions/loop: is a link") for p in problems)


def test_zip_bomb_by_ratio_is_refused(pack_dir, bank_path, data_dir, tmp_path):
    archive = hostile_zip(tmp_path, pack_dir, "questions/vector-db/bomb.md", b"\n" * (packs.MAX_FILE_BYTES - 1))
    with pytest.raises(PackError) as raised:
        validate_pack(archive, data_dir, bank_path)
    assert any("bomb.md" in p and "zip bomb" in p for p in raised.value.problems)


def test_zip_bomb_by_total_size_is_refused_before_reading(pack_dir, bank_path, data_dir, tmp_path):
    target = tmp_path / "bomb.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(80):
            archive.writestr(f"questions/vector-db/b{number}.md", b" " * (packs.MAX_FILE_BYTES - 1))
    with pytest.raises(PackError, match="zip bomb"):
        validate_pack(target, data_dir, bank_path)


def test_zip_with_too_many_entries_is_refused(bank_path, data_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(packs, "MAX_ENTRIES", 50)
    target = tmp_path / "many.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for number in range(51):
            archive.writestr(f"questions/t/q{number}.md", b"")
    with pytest.raises(PackError, match="at most 50"):
        validate_pack(target, data_dir, bank_path)


def test_zip_that_lies_about_its_size_is_caught(pack_dir, bank_path, data_dir, tmp_path):
    """The declared size is never trusted: reading stops at the limit."""
    archive = hostile_zip(tmp_path, pack_dir, "questions/vector-db/liar.md", os.urandom(packs.MAX_FILE_BYTES + 100))
    with zipfile.ZipFile(archive) as opened:
        assert opened.getinfo("questions/vector-db/liar.md").file_size > packs.MAX_FILE_BYTES
    with pytest.raises(PackError) as raised:
        validate_pack(archive, data_dir, bank_path)
    assert any("liar.md" in p for p in raised.value.problems)


def test_not_a_zip_is_a_clear_message(bank_path, data_dir, tmp_path):
    fake = tmp_path / "pack.zip"
    fake.write_bytes(b"PK\x03\x04 but not really a zip")
    with pytest.raises(PackError, match="neither a folder nor a .zip"):
        validate_pack(fake, data_dir, bank_path)


def test_reimport_replaces_and_removal_rebuilds(pack_dir, bank_path, data_dir):
    install_pack(validate_pack(pack_dir, data_dir, bank_path), data_dir)
    first, _ = bank_with_packs(bank_path, data_dir)
    (pack_dir / "questions" / "vector-db" / "ivf-pq.md").unlink()
    # Validated against the combined bank: the pack's own ids are not collisions with itself.
    plan = validate_pack(pack_dir, data_dir, first)
    assert plan.replaces
    install_pack(plan, data_dir)
    second, _ = bank_with_packs(bank_path, data_dir)
    assert second != first and not first.exists()
    bank = Bank(second)
    assert bank.question("ivf-pq") is None and bank.question("hnsw-recall") is not None
    bank.close()
    remove_pack(data_dir, "my-pack")
    assert installed_packs(data_dir) == [] and bank_with_packs(bank_path, data_dir) == (bank_path, [])


def test_packs_survive_a_bank_rebuild(pack_dir, content_dir, bank_path, data_dir):
    install_pack(validate_pack(pack_dir, data_dir, bank_path), data_dir)
    first, _ = bank_with_packs(bank_path, data_dir)
    (content_dir / "questions" / "serving" / "dynamic-batching.md").write_text(
        (content_dir / "questions" / "serving" / "dynamic-batching.md").read_text().replace(
            "Dynamic batching for GPU serving", "Dynamic batching, revised"))
    build_bank(content_dir, bank_path)
    status = with_question_packs(BankStatus(bank_path), data_dir)
    assert status.path != first and status.warning is None
    study = Study.open(status.path, data_dir)
    try:
        assert study.question("hnsw-recall") is not None
        assert study.question("dynamic-batching").title == "Dynamic batching, revised"
    finally:
        study.close()


def test_a_stored_pack_that_no_longer_fits_is_skipped_with_a_warning(pack_dir, content_dir, bank_path, data_dir):
    install_pack(validate_pack(pack_dir, data_dir, bank_path), data_dir)
    # An app update adds a bank question with the same id as one in the pack.
    (content_dir / "questions" / "serving" / "hnsw-recall.md").write_text(
        question_text("hnsw-recall", "serving", "Bank HNSW question"))
    build_bank(content_dir, bank_path)
    status = with_question_packs(BankStatus(bank_path), data_dir)
    assert "was not loaded" in status.warning and "hnsw-recall" in status.warning
    assert [pack.id for pack in installed_packs(data_dir)] == ["my-pack"]  # kept, never deleted


def test_refresh_study_bank_switches_the_open_study(pack_dir, study, bank_path):
    data_dir = study.store.path.parent
    install_pack(validate_pack(pack_dir, data_dir, study.bank.path), data_dir)
    packs.refresh_study_bank(study)
    assert "vector-db" in [topic.id for topic in study.topics()]
    remove_pack(data_dir, "my-pack")
    packs.refresh_study_bank(study)
    assert study.bank.path == bank_path
    assert "vector-db" not in [topic.id for topic in study.topics()]


def test_remove_unknown_pack_is_a_clear_message(data_dir):
    with pytest.raises(PackError, match="No question pack named"):
        remove_pack(data_dir, "../../etc")


def test_start_up_skips_the_pack_code_only_when_the_packs_folder_is_absent(bank_path, data_dir):
    from desktop.core import packs
    from desktop.core.study import BankStatus, with_question_packs

    # study.with_question_packs checks for this folder by name, to avoid importing packs.py at start-up
    assert packs.PACKS_DIR == "packs"
    assert with_question_packs(BankStatus(bank_path), data_dir).path == bank_path
