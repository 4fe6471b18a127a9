"""The user's own question packs: import (validated, all-or-nothing), list, remove, and the combined bank.

A pack is a folder or a .zip laid out like content/ (topics/, questions/<topic>/, exercises/<topic>/),
optionally with a pack.yaml giving `id` and `title`. Its input is treated as hostile: links, paths
that leave the pack, zip bombs, huge or non-UTF-8 files are refused with a message naming each file;
raw HTML in its Markdown is shown as text (render_markdown never lets markup through).

Validated sources are copied to `<data dir>/packs/<pack id>/`, so they survive bank rebuilds and app
updates. The app opens a *combined* bank: a copy of the bundled bank with every installed pack added,
rebuilt only when the bank or the set of packs changed (a hash of both names the file).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import stat
import tempfile
import time
import zipfile
from collections.abc import Callable
from contextlib import closing, suppress
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .content import ID_PATTERN, ContentError, ContentSet, meta_line, parse_exercise, parse_question, parse_topic

Progress = Callable[[int, int], "bool | None"]

PACKS_DIR = "packs"
CACHE_DIR = "cache"
MANIFEST = "pack.json"
PACK_META = "pack.yaml"
PACK_FOLDERS = ("topics", "questions", "exercises")
COMBINED_PREFIX = "bank-with-packs-"
COMBINED_VERSION = 1
TOPIC_ORDER_OFFSET = 10_000  # pack topics list after the bank's own

# Limits for hostile input. A real pack is a few hundred small Markdown files.
MAX_ENTRIES = 2_000
MAX_FILE_BYTES = 512 * 1024
MAX_TOTAL_BYTES = 32 * 1024 * 1024
MAX_RATIO = 100  # uncompressed : compressed, for entries big enough to matter
RATIO_MIN_BYTES = 64 * 1024
RAW_HTML = re.compile(r"<\s*/?\s*(script|iframe|img|style|object|embed|link|meta|form|input|svg|a|div|span|html|body)"
                      r"\b", re.IGNORECASE)


class PackError(RuntimeError):
    """A pack cannot be imported (or removed); `problems` lists every problem found, as `file:line: what`."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = list(problems or [])
        detail = "".join(f"\n• {problem}" for problem in self.problems[:50])
        more = f"\n… and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        super().__init__(message + detail + more)
        self.message = message


class PackCancelled(Exception):  # noqa: N818 - a cancel is not an error
    """The user cancelled; nothing was stored."""


@dataclass
class PackPlan:
    """A validated pack, ready to install."""

    id: str
    title: str
    source: Path
    files: dict[str, bytes]  # relative POSIX path -> bytes, only the content files
    content: ContentSet
    warnings: list[str] = field(default_factory=list)
    replaces: bool = False  # a pack with this id is installed and would be replaced

    def summary(self) -> str:
        return (f"{len(self.content.topics)} topics, {len(self.content.questions)} questions, "
                f"{len(self.content.exercises)} exercises")


@dataclass(frozen=True)
class PackInfo:
    id: str
    title: str
    topics: int
    questions: int
    exercises: int
    imported_at: str
    source: str
    files_hash: str
    path: Path


def packs_root(data_dir: Path) -> Path:
    return data_dir / PACKS_DIR


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise PackCancelled()


# --- reading a source (folder or zip), hostile-input checks ------------------------------------


def _is_content_file(parts: tuple[str, ...]) -> bool:
    return (len(parts) >= 2 and parts[0] in PACK_FOLDERS and parts[-1].endswith(".md")
            and not any(part.startswith(".") for part in parts))


def _strip_wrapper(names: list[tuple[str, ...]]) -> int:
    """How many leading folders to drop: a zip of `mypack/` holds `mypack/topics/...`."""
    if any(parts and parts[0] in PACK_FOLDERS + (PACK_META,) for parts in names):
        return 0
    tops = {parts[0] for parts in names if len(parts) > 1}
    if len(tops) == 1:
        return 1
    return 0


def _safe_parts(name: str) -> tuple[tuple[str, ...] | None, str | None]:
    """Split an archive member name, or say why it is unsafe."""
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or re.match(r"^[A-Za-z]:", normalised):
        return None, "has an absolute path; a pack's files must stay inside the pack"
    parts = tuple(part for part in PurePosixPath(normalised).parts if part not in ("", "."))
    if ".." in parts:
        return None, "has a '../' path that leads outside the pack"
    return parts, None


def read_zip(source: Path, progress: Progress | None = None) -> tuple[dict[str, bytes], list[str], list[str]]:
    """(content files, problems, ignored names) of a zip, refusing links, escapes and bombs."""
    problems: list[str] = []
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        raise PackError(f"{source.name} cannot be opened as a zip file: {error}.") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise PackError(f"{source.name} has {len(infos)} entries; a pack may hold at most {MAX_ENTRIES}. "
                            "Nothing was imported.")
        declared = sum(info.file_size for info in infos)
        if declared > MAX_TOTAL_BYTES:
            raise PackError(f"{source.name} would unpack to {declared / 1e6:.0f} MB; a pack may hold at most "
                            f"{MAX_TOTAL_BYTES / 1e6:.0f} MB (is it a zip bomb?). Nothing was imported.")
        entries = []
        for info in infos:
            parts, problem = _safe_parts(info.filename)
            if problem:
                problems.append(f"{info.filename}: {problem}")
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                problems.append(f"{info.filename}: is a link; packs may not contain links")
                continue
            if info.is_dir() or not parts:
                continue
            entries.append((parts, info))
        drop = _strip_wrapper([parts for parts, _info in entries])
        files: dict[str, bytes] = {}
        ignored: list[str] = []
        total = 0
        for done, (parts, info) in enumerate(entries, start=1):
            inner = parts[drop:]
            name = "/".join(inner)
            if not (_is_content_file(inner) or inner == (PACK_META,)):
                ignored.append(name)
                continue
            if info.flag_bits & 0x1:
                problems.append(f"{name}: is encrypted; packs must not be password-protected")
                continue
            if info.file_size > MAX_FILE_BYTES:
                problems.append(f"{name}: is {info.file_size / 1024:.0f} KB; a pack file may be at most "
                                f"{MAX_FILE_BYTES // 1024} KB")
                continue
            if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                problems.append(f"{name}: compresses {info.file_size // max(info.compress_size, 1)}:1, "
                                "which looks like a zip bomb")
                continue
            try:
                with archive.open(info) as handle:
                    data = handle.read(MAX_FILE_BYTES + 1)  # never trust the declared size
            except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as error:
                problems.append(f"{name}: cannot be read from the zip ({error})")
                continue
            total = _keep(files, problems, name, data, total, f"{source.name} unpacks to")
            _tick(progress, done, len(entries))
    return files, problems, ignored


def _keep(files: dict[str, bytes], problems: list[str], name: str, data: bytes, total: int, source: str) -> int:
    """Keep a file read from a pack unless it is too large; returns the running total of bytes.

    The declared size of a zip entry or file cannot be trusted, so the bytes actually read decide.
    """
    if len(data) > MAX_FILE_BYTES:
        problems.append(f"{name}: is larger than {MAX_FILE_BYTES // 1024} KB")
        return total
    total += len(data)
    if total > MAX_TOTAL_BYTES:
        raise PackError(f"{source} more than {MAX_TOTAL_BYTES / 1e6:.0f} MB of files. Nothing was imported.")
    files[name] = data
    return total


def read_folder(source: Path, progress: Progress | None = None) -> tuple[dict[str, bytes], list[str], list[str]]:
    """(content files, problems, ignored names) of a folder; links are refused, never followed."""
    problems: list[str] = []
    found: list[tuple[tuple[str, ...], Path]] = []
    count = 0
    for folder, dirs, names in os.walk(source, followlinks=False):
        base = Path(folder)
        for name in sorted(dirs + names):
            path = base / name
            relative = path.relative_to(source).as_posix()
            count += 1
            if count > MAX_ENTRIES:
                raise PackError(f"{source.name} holds more than {MAX_ENTRIES} files; that is not a question pack. "
                                "Nothing was imported.")
            if path.is_symlink():
                problems.append(f"{relative}: is a link; packs may not contain links")
                if name in dirs:
                    dirs.remove(name)
                continue
            if name in names:
                found.append((tuple(relative.split("/")), path))
    drop = _strip_wrapper([parts for parts, _path in found])
    files: dict[str, bytes] = {}
    ignored: list[str] = []
    total = 0
    for done, (parts, path) in enumerate(found, start=1):
        inner = parts[drop:]
        name = "/".join(inner)
        if not (_is_content_file(inner) or inner == (PACK_META,)):
            ignored.append(name)
            continue
        try:
            size = path.lstat().st_size
            if not stat.S_ISREG(path.lstat().st_mode):
                problems.append(f"{name}: is not a regular file")
                continue
            if size > MAX_FILE_BYTES:
                problems.append(f"{name}: is {size / 1024:.0f} KB; a pack file may be at most "
                                f"{MAX_FILE_BYTES // 1024} KB")
                continue
            with open(path, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            problems.append(f"{name}: cannot be read ({error.strerror or error})")
            continue
        total = _keep(files, problems, name, data, total, f"{source.name} holds")
        _tick(progress, done, len(found))
    return files, problems, ignored


def read_source(source: Path, progress: Progress | None = None) -> tuple[dict[str, bytes], list[str], list[str]]:
    if source.is_symlink():
        raise PackError(f"{source} is a link; choose the pack folder or zip itself.")
    if source.is_dir():
        return read_folder(source, progress)
    if source.is_file():
        if not zipfile.is_zipfile(source):
            raise PackError(f"{source.name} is neither a folder nor a .zip file.")
        return read_zip(source, progress)
    raise PackError(f"{source} does not exist.")


# --- parsing and cross-checks ------------------------------------------------------------------


def existing_ids(bank_path: Path) -> dict[str, dict[str, str]]:
    """{"topics"|"questions"|"exercises": {id: source}} of a compiled bank ("bank" or "pack:<id>")."""
    result: dict[str, dict[str, str]] = {"topics": {}, "questions": {}, "exercises": {}}
    if not bank_path.exists():
        return result
    with closing(sqlite3.connect(f"file:{bank_path}?mode=ro", uri=True)) as connection:
        for table in result:
            with suppress(sqlite3.OperationalError):
                result[table] = dict(connection.execute(f"SELECT id, source FROM {table}").fetchall())
    return result


def _owner(source: str) -> str:
    return "the question bank" if source == "bank" else f"the installed pack '{source.removeprefix('pack:')}'"


def parse_files(
    files: dict[str, bytes], known: dict[str, dict[str, str]], pack_id: str,
) -> tuple[ContentSet, list[str], list[str]]:
    """Parse every content file; return (content, problems, warnings). Every problem is reported."""
    content = ContentSet()
    problems: list[str] = []
    texts: dict[str, str] = {}
    raw_html: list[str] = []
    for name in sorted(files):
        if name == PACK_META:
            continue
        data = files[name]
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            problems.append(f"{name}:1: file is not UTF-8 text ({error.reason} at byte {error.start})")
            continue
        if "\x00" in text:
            problems.append(f"{name}:1: file contains NUL bytes; it is not a Markdown text file")
            continue
        texts[name] = text
        path = Path(name)
        folder = name.split("/", 1)[0]
        try:
            if folder == "topics":
                content.topics.append(parse_topic(path, text))
            elif folder == "questions":
                content.questions.append(parse_question(path, text, strict=False))
            else:
                content.exercises.append(parse_exercise(path, text))
        except ContentError as error:
            problems.append(str(error))
            continue
        if RAW_HTML.search(text):
            raw_html.append(name)

    def line_of(item_path: Path, key: str) -> int:
        return meta_line(texts.get(item_path.as_posix(), "").splitlines(), key)

    mine = f"pack:{pack_id}"
    pack_topics: dict[str, Path] = {}
    for topic in content.topics:
        where = f"{topic.path.as_posix()}:{line_of(topic.path, 'id')}"
        if topic.id in pack_topics:
            problems.append(f"{where}: topic id {topic.id!r} is also used by {pack_topics[topic.id].as_posix()}")
        elif topic.id in known["topics"] and known["topics"][topic.id] != mine:
            problems.append(f"{where}: topic id {topic.id!r} is already used by {_owner(known['topics'][topic.id])}; "
                            "choose another id")
        pack_topics[topic.id] = topic.path
    bank_topics = {topic_id for topic_id, source in known["topics"].items() if source == "bank"}
    seen: dict[str, Path] = {}
    for item in [*content.questions, *content.exercises]:
        where = f"{item.path.as_posix()}:{line_of(item.path, 'id')}"
        if item.id in seen:
            problems.append(f"{where}: id {item.id!r} is also used by {seen[item.id].as_posix()}")
        else:
            for other_table in ("questions", "exercises"):
                source = known[other_table].get(item.id)
                if source is not None and source != mine:
                    problems.append(f"{where}: id {item.id!r} is already used by {_owner(source)}; choose another id")
                    break
        seen[item.id] = item.path
        if item.topic not in pack_topics and item.topic not in bank_topics:
            problems.append(f"{item.path.as_posix()}:{line_of(item.path, 'topic')}: topic {item.topic!r} has no file "
                            f"in the pack's topics/ and is not a topic of the question bank")
    warnings = []
    if raw_html:
        shown = ", ".join(raw_html[:3]) + (f" and {len(raw_html) - 3} more" if len(raw_html) > 3 else "")
        warnings.append(f"Raw HTML in {shown} will be shown as text, never run or loaded.")
    return content, problems, warnings


def _pack_meta(files: dict[str, bytes], source: Path) -> tuple[str, str, list[str]]:
    """Pack id and title from pack.yaml, else from the folder or zip name."""
    problems: list[str] = []
    fallback = re.sub(r"[^a-z0-9]+", "-", source.stem.lower()).strip("-") or "my-pack"
    pack_id, title = fallback, source.stem
    if PACK_META in files:
        import yaml  # only when a pack is installed: start-up with packs must not pay for it

        try:
            meta = yaml.safe_load(files[PACK_META].decode("utf-8")) or {}
            if not isinstance(meta, dict):
                raise ValueError("it must be a mapping of 'key: value' lines")
        except (UnicodeDecodeError, yaml.YAMLError, ValueError) as error:
            problems.append(f"{PACK_META}:1: cannot be read ({error})")
            meta = {}
        pack_id = str(meta.get("id", pack_id))
        title = str(meta.get("title", title))
    if not ID_PATTERN.match(pack_id):
        problems.append(f"{PACK_META}:1: pack id {pack_id!r} must be lowercase words joined by '-'")
    if pack_id == "bank":
        problems.append(f"{PACK_META}:1: the pack id 'bank' is reserved for the bundled question bank")
    return pack_id, title[:120], problems


def validate_pack(
    source: Path, data_dir: Path, bank_path: Path, progress: Progress | None = None,
) -> PackPlan:
    """Read and check a pack without storing anything. Raises PackError listing every problem."""
    files, problems, ignored = read_source(source, progress)
    pack_id, title, meta_problems = _pack_meta(files, source)
    problems += meta_problems
    known = existing_ids(bank_path)
    content, parse_problems, warnings = parse_files(files, known, pack_id)
    problems += parse_problems
    if not problems and not content.questions and not content.exercises:
        problems.append("the pack holds no questions or exercises (expected questions/<topic>/*.md or "
                        "exercises/<topic>/*.md)")
    if problems:
        raise PackError(f"{source.name} cannot be imported ({len(problems)} problem"
                        f"{'s' if len(problems) != 1 else ''}); nothing was changed:", problems)
    if ignored:
        shown = ", ".join(ignored[:3]) + (f" and {len(ignored) - 3} more" if len(ignored) > 3 else "")
        warnings.append(f"Ignored {len(ignored)} file(s) that are not pack content: {shown}.")
    replaces = (packs_root(data_dir) / pack_id / MANIFEST).is_file()
    kept = {name: data for name, data in files.items() if name != PACK_META}
    return PackPlan(pack_id, title, source, kept, content, warnings, replaces)


# --- storing, listing, removing ----------------------------------------------------------------


def files_hash(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name] + b"\0")
    return digest.hexdigest()


def _explain(error: OSError, where: Path) -> str:
    from .export import explain_os_error

    return explain_os_error(error, where).replace("Nothing was written", "Nothing was changed")


def install_pack(plan: PackPlan, data_dir: Path) -> PackInfo:
    """Store a validated pack (replacing an older copy of the same id) in one rename."""
    root = packs_root(data_dir)
    target = root / plan.id
    manifest = {
        "id": plan.id, "title": plan.title, "source": plan.source.name,
        "imported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "topics": len(plan.content.topics), "questions": len(plan.content.questions),
        "exercises": len(plan.content.exercises), "files_hash": files_hash(plan.files),
    }
    incoming: Path | None = None
    old: Path | None = None
    try:
        root.mkdir(parents=True, exist_ok=True)
        incoming = Path(tempfile.mkdtemp(prefix=".incoming-", dir=root))
        for name, data in plan.files.items():
            path = incoming.joinpath(*name.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        import yaml

        (incoming / PACK_META).write_text(yaml.safe_dump({"id": plan.id, "title": plan.title}), encoding="utf-8")
        (incoming / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=".replaced-", dir=root))
            os.replace(target, old / plan.id)
        try:
            os.replace(incoming, target)
        except OSError:
            if old is not None:
                os.replace(old / plan.id, target)
                old = None
            raise
    except OSError as error:
        raise PackError(_explain(error, root)) from None
    finally:
        if incoming is not None:
            shutil.rmtree(incoming, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return _info(target, manifest)


def _info(folder: Path, manifest: dict) -> PackInfo:
    return PackInfo(
        str(manifest["id"]), str(manifest.get("title", manifest["id"])), int(manifest.get("topics", 0)),
        int(manifest.get("questions", 0)), int(manifest.get("exercises", 0)), str(manifest.get("imported_at", "")),
        str(manifest.get("source", "")), str(manifest.get("files_hash", "")), folder,
    )


def installed_packs(data_dir: Path) -> list[PackInfo]:
    root = packs_root(data_dir)
    if not root.is_dir():
        return []
    packs = []
    for folder in sorted(root.iterdir()):
        manifest_path = folder / MANIFEST
        if folder.name.startswith(".") or not manifest_path.is_file():
            continue
        try:
            packs.append(_info(folder, json.loads(manifest_path.read_text(encoding="utf-8"))))
        except (OSError, ValueError, KeyError):
            continue  # a damaged manifest: the pack is left alone and not loaded
    return packs


def remove_pack(data_dir: Path, pack_id: str) -> None:
    """Delete an installed pack (the user's drafts and grades for its questions are kept)."""
    root = packs_root(data_dir)
    target = root / pack_id
    if not ID_PATTERN.match(pack_id) or not (target / MANIFEST).is_file():
        raise PackError(f"No question pack named {pack_id!r} is installed.")
    try:
        doomed = Path(tempfile.mkdtemp(prefix=".removing-", dir=root))
        os.replace(target, doomed / pack_id)
    except OSError as error:
        raise PackError(_explain(error, root)) from None
    shutil.rmtree(doomed, ignore_errors=True)


# --- the combined bank -------------------------------------------------------------------------


def _meta(bank_path: Path, key: str) -> str | None:
    try:
        with closing(sqlite3.connect(f"file:{bank_path}?mode=ro", uri=True)) as connection:
            row = connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def base_bank_of(bank_path: Path) -> Path:
    """The bundled/source bank a combined bank was built from (itself if it is not combined)."""
    base = _meta(bank_path, "base_bank")
    return Path(base) if base else bank_path


def combined_hash(base_bank: Path, packs: list[PackInfo]) -> str:
    digest = hashlib.sha256(f"combined {COMBINED_VERSION}\n{_meta(base_bank, 'content_hash')}\n{base_bank}\n".encode())
    for pack in packs:
        digest.update(f"{pack.id}\0{pack.files_hash}\n".encode())
    return digest.hexdigest()


def bank_with_packs(base_bank: Path, data_dir: Path) -> tuple[Path, list[str]]:
    """The bank to open: `base_bank` itself, or a combined copy with every installed pack added.

    Returns (path, warnings). A pack that no longer fits (a bank update took one of its ids) is left
    out with a warning; it is never deleted.
    """
    packs = installed_packs(data_dir)
    if not packs:
        return base_bank, []
    digest = combined_hash(base_bank, packs)
    cache = data_dir / CACHE_DIR
    target = cache / f"{COMBINED_PREFIX}{digest[:20]}.sqlite"
    if target.exists() and _meta(target, "combined_hash") == digest:
        return target, []
    cache.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".combined-", suffix=".sqlite", dir=cache)
    os.close(handle)
    temp = Path(temp_name)
    warnings: list[str] = []
    try:
        shutil.copyfile(base_bank, temp)
        _add_packs(temp, packs, warnings)
        with closing(sqlite3.connect(temp)) as connection:
            connection.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [("combined_hash", digest), ("base_bank", str(base_bank))],
            )
            connection.commit()
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    for stale in cache.glob(f"{COMBINED_PREFIX}*.sqlite"):
        if stale != target:
            with suppress(OSError):  # still open (Windows): removed on a later start
                stale.unlink()
    return target, warnings


def _add_packs(bank_file: Path, packs: list[PackInfo], warnings: list[str]) -> None:
    import sqlite_utils

    from .bank_build import insert_exercises, insert_questions
    from .render import render_inline, render_markdown

    known = existing_ids(bank_file)
    db = sqlite_utils.Database(bank_file)
    try:
        for pack in packs:
            try:
                files, problems, _ignored = read_folder(pack.path)
                content, parse_problems, _warnings = parse_files(files, known, pack.id)
                problems += parse_problems
            except PackError as error:
                problems = [error.message]
            if problems:
                warnings.append(f"The question pack '{pack.title}' was not loaded: {problems[0]}"
                                + (f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""))
                continue
            source = f"pack:{pack.id}"
            with db.conn:
                db["topics"].insert_all(
                    {
                        "id": topic.id, "title": topic.title, "position": TOPIC_ORDER_OFFSET + topic.order,
                        "description_html": render_markdown(topic.description),
                        "rules": json.dumps([[render_inline(rule.rule), render_inline(rule.why)]
                                             for rule in topic.rules]),
                        "source": source,
                    }
                    for topic in content.topics
                )
                insert_questions(db, content.questions, source=source)
                insert_exercises(db, content.exercises, source=source)
            for table, items in (("topics", content.topics), ("questions", content.questions),
                                 ("exercises", content.exercises)):
                known[table].update({item.id: source for item in items})
        db.conn.commit()
    finally:
        db.conn.close()


def refresh_study_bank(study) -> list[str]:  # noqa: ANN001 - desktop.core.study.Study
    """After a pack was added or removed: rebuild the combined bank and switch the study to it."""
    base = base_bank_of(study.bank.path)
    data_dir = study.store.path.parent
    try:
        path, warnings = bank_with_packs(base, data_dir)
    except (OSError, sqlite3.Error) as error:
        raise PackError(f"The question bank with your packs could not be rebuilt: {error}") from None
    if path != study.bank.path:
        study.reload_bank(path)
    return warnings
