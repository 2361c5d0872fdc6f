"""The `vnplans` command: help for every subcommand, usage errors, `ocr` on a real
rendered page with real Tesseract, `restore`, `load`, Ctrl-C."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_batch import TEXT, render_page
from vnplans.cli import build_parser, main
from vnplans.exceptions import ExitCode

SUBCOMMANDS = ("run", "ocr", "restore", "parse", "train", "load")


def test_top_level_help_lists_every_command_and_exit_code(capsys: pytest.CaptureFixture) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in SUBCOMMANDS:
        assert name in out
    for code in ExitCode:
        assert code.name in out


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_option_of_every_command_is_described(command: str, capsys: pytest.CaptureFixture) -> None:
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "exit codes:" in out and "OUTPUT_ERROR" in out
    sub = build_parser()._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    for action in sub._actions:
        assert action.help, f"{command}: {action.option_strings or action.dest} has no help"


@pytest.mark.parametrize("argv", [
    [], ["frobnicate"], ["run", "x"], ["run", "x", "--out", "o", "--workers", "0"],
    ["ocr", "f", "--dpi", "5"], ["train"],
])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture) -> None:
    assert main(argv) == ExitCode.USAGE
    assert capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("vnplans ")


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_page(tmp_path_factory.mktemp("page") / "page.png")


def test_ocr_prints_the_page_text(page: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["ocr", str(page)]) == 0
    out = capsys.readouterr().out
    assert "KẾ HOẠCH" in out and "pháp luật" in out
    assert "\f" not in out  # one page: no separator


def test_ocr_json_has_words_with_boxes_and_confidences(page: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["ocr", str(page), "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    (only,) = body["pages"]
    assert only["lines"] and only["words"]
    word = only["words"][0]
    assert set(word["box"]) == {"x0", "y0", "x1", "y1"} and 0 <= word["conf"] <= 100
    assert only["text"][word["start"]:word["end"]] == word["text"]


def test_ocr_steps_can_be_switched_off(page: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["ocr", str(page), "--json", "--no-deskew", "--no-tables", "--no-orientation"]) == 0
    (only,) = json.loads(capsys.readouterr().out)["pages"]
    assert not [s for s in only["steps"] if s.startswith(("deskew", "tables", "orientation"))]
    assert "HOẠCH" in only["text"]


def test_ocr_of_a_scanned_pdf_in_two_workers_separates_pages(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture) -> None:
    from tests.test_batch import scanned_pdf

    pdf = scanned_pdf(tmp_path / "scan.pdf", 2)
    assert main(["ocr", str(pdf), "--workers", "2", "--dpi", "200"]) == 0
    first, second = capsys.readouterr().out.split("\f")
    assert "Trang số 1" in first and "Trang số 2" in second


def test_ocr_of_a_text_file_pages_are_form_feed_separated(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "two.txt").write_text("trang một\ftrang hai\n", encoding="utf-8")
    assert main(["ocr", str(tmp_path / "two.txt")]) == 0
    assert capsys.readouterr().out.split("\f") == ["trang một", "trang hai\n"]


@pytest.mark.parametrize("argv,code", [
    (["ocr", "/nonexistent/scan.png"], ExitCode.INPUT_NOT_FOUND),
    (["restore", "/nonexistent/old.txt"], ExitCode.INPUT_NOT_FOUND),
    (["load", "/nonexistent/out"], ExitCode.INPUT_NOT_FOUND),
])
def test_missing_files_are_one_line_and_their_code(argv: list[str], code: ExitCode,
                                                   capsys: pytest.CaptureFixture) -> None:
    result = main(argv)
    err = capsys.readouterr().err
    assert err.startswith("vnplans: ") and err.count("\n") == 1
    assert result == code


def test_bad_input_to_ocr_exits_4(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "fake.png").write_bytes(b"not an image")
    assert main(["ocr", str(tmp_path / "fake.png")]) == ExitCode.BAD_INPUT
    assert capsys.readouterr().err.count("\n") == 1


def test_restore_keeps_the_lines(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = tmp_path / "old.txt"
    src.write_text("Ke hoach\n\nTrien khai thuc hien\ncong tac nam 2025\n", encoding="utf-8")
    code = main(["restore", str(src)])
    out = capsys.readouterr().out
    assert code == 0
    assert out.count("\n") == 4 and out.split("\n")[1] == ""
    assert "Kế hoạch" in out or "hoạch" in out


def test_run_then_load_into_sqlite(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "a.txt"), "--out", str(out), "--quiet", "--workers", "1"]) == 0
    assert "1 ok" in capsys.readouterr().out
    assert (out / "tables" / "documents.parquet").is_file()  # rebuilt at the end of the run
    assert main(["load", str(out)]) == 0
    counts = dict(line.split("\t") for line in capsys.readouterr().out.splitlines())
    assert counts["documents"] == "1" and (out / "vnplans.sqlite").is_file()


def test_parse_summary_and_json(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "plan.txt").write_text(TEXT, encoding="utf-8")
    assert main(["parse", str(tmp_path / "plan.txt")]) == 0
    summary = capsys.readouterr().out
    assert "doc_type: KẾ HOẠCH" in summary and "legal acts:" in summary
    assert main(["parse", str(tmp_path / "plan.txt"), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["header"]["doc_type"]["value"] == "KẾ HOẠCH"


def test_ctrl_c_exits_130() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "vnplans.cli", "restore", "-"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        time.sleep(1.5)  # let it start and block on standard input
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == ExitCode.INTERRUPTED
    assert b"Traceback" not in err


def test_train_then_restore_and_run_with_the_model(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A term the shipped model does not know (`vật liệu nổ`) is restored once a corpus
    that uses it has been trained into a model of its own; the shipped model is untouched."""
    from diacritics.model import MODEL_PATH

    shipped = MODEL_PATH.read_bytes()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Quản lý vật liệu nổ công nghiệp. Kho vật liệu nổ công nghiệp.\n"
                                  "Sử dụng vật liệu nổ công nghiệp an toàn.\n", encoding="utf-8")
    model = tmp_path / "model.json.gz"
    assert main(["train", "--corpus", str(corpus), "--model", str(model)]) == 0
    assert MODEL_PATH.read_bytes() == shipped
    text = tmp_path / "in.txt"
    text.write_text("kiem tra kho vat lieu no cong nghiep\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["restore", str(text), "--model", str(model)]) == 0
    assert capsys.readouterr().out == "kiểm tra kho vật liệu nổ công nghiệp\n"
    out = tmp_path / "out"
    assert main(["run", str(text), "--out", str(out), "--model", str(model), "--quiet"]) == 0
    doc = json.loads(next((out / "documents").glob("*.json")).read_text(encoding="utf-8"))
    assert "vật liệu nổ" in json.dumps(doc, ensure_ascii=False)


@pytest.mark.parametrize("content", [None, b"not a model"])
def test_bad_model_is_a_clear_error(tmp_path: Path, content: bytes | None, capsys: pytest.CaptureFixture) -> None:
    model = tmp_path / "m.json.gz"
    if content is not None:
        model.write_bytes(content)
    text = tmp_path / "in.txt"
    text.write_text("vat lieu\n", encoding="utf-8")
    assert main(["restore", str(text), "--model", str(model)]) == ExitCode.MISSING_DEPENDENCY
    err = capsys.readouterr().err
    assert str(model) in err and "restoration model" in err and len(err.strip().splitlines()) == 1
