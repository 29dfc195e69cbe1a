"""The report's files are replaced in one step (strategy_kit.report.files): a reader sees the old
version or the new one, and a failure leaves the old one and no temporary file behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from strategy_kit.report.files import replace_folder, unused_name, write_atomically


def test_unused_names_are_hidden_fresh_and_beside_the_target(tmp_path: Path):
    first, second = unused_name(tmp_path, ".report.pdf"), unused_name(tmp_path, ".report.pdf")
    assert first != second and first.parent == second.parent == tmp_path
    assert first.name.startswith(".report.pdf.") and first.suffix == ".tmp" and not first.exists()


def test_a_folder_is_replaced_whole_and_the_old_one_removed(tmp_path: Path):
    final = tmp_path / "scorecards"
    final.mkdir()
    (final / "old-rep.pdf").write_text("old", encoding="utf-8")
    staging = unused_name(tmp_path, ".scorecards")
    staging.mkdir()
    (staging / "ana.pdf").write_text("new", encoding="utf-8")
    replace_folder(staging, final)
    assert [p.name for p in final.iterdir()] == ["ana.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scorecards"]  # no staging, no .old left


def test_a_folder_that_did_not_exist_is_created(tmp_path: Path):
    staging = tmp_path / ".staging"
    staging.mkdir()
    replace_folder(staging, tmp_path / "notebooks")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks"]


def test_a_file_written_atomically_replaces_the_old_one(tmp_path: Path):
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")
    write_atomically(target, "<p>été</p>")
    assert target.read_text(encoding="utf-8") == "<p>été</p>"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")

    def full_disk(self: Path, *args: object, **kwargs: object) -> int:
        self.touch()
        raise OSError(28, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_text", full_disk)
    with pytest.raises(OSError):
        write_atomically(target, "new")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
