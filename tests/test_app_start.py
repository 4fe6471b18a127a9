"""Start-up: the bank is found or rebuilt, and bad user data is reported, never lost."""

from desktop import app, paths
from desktop.core.userstore import USER_DB_NAME


def use_fixture_paths(monkeypatch, content_dir, tmp_path):
    monkeypatch.setattr(paths, "content_dir", lambda: content_dir)
    monkeypatch.setattr(paths, "source_bank_path", lambda: tmp_path / "build" / "bank.sqlite")
    monkeypatch.setattr(paths, "shipped_bank_path", lambda: tmp_path / "shipped" / "bank.sqlite")


def test_source_run_builds_the_bank_and_starts_clean(monkeypatch, content_dir, tmp_path, data_dir):
    use_fixture_paths(monkeypatch, content_dir, tmp_path)
    study, notices = app.open_study(data_dir)
    assert notices == []
    assert len(study.bank.questions()) == 6
    study.close()


def test_corrupt_user_data_is_moved_aside_with_a_message(monkeypatch, content_dir, tmp_path, data_dir):
    use_fixture_paths(monkeypatch, content_dir, tmp_path)
    garbage = b"definitely not sqlite" * 200
    (data_dir / USER_DB_NAME).write_bytes(garbage)
    study, notices = app.open_study(data_dir)
    assert len(notices) == 1
    assert "could not be used" in notices[0] and "nothing was deleted" in notices[0]
    kept = [path for path in data_dir.iterdir() if ".corrupt-" in path.name]
    assert len(kept) == 1 and kept[0].read_bytes() == garbage
    study.close()


def test_broken_content_file_is_reported_with_file_and_line(monkeypatch, content_dir, tmp_path, data_dir):
    use_fixture_paths(monkeypatch, content_dir, tmp_path)
    app.open_study(data_dir)[0].close()  # a good build first
    broken = content_dir / "questions" / "training" / "zero-stages.md"
    broken.write_text(broken.read_text().replace("## Key points", "## Keypoints"))
    study, notices = app.open_study(data_dir)
    assert any("zero-stages.md:" in notice and "Keypoints" in notice for notice in notices)
    assert len(study.bank.questions()) == 6  # the last good bank is still in use
    study.close()
