"""Tesseract in process, through its C API (libtesseract), for the page reads.

Why: the `tesseract` command loads its model afresh for every page (0.12-0.15 s, about
6 % of a page's read) and reads the page from an image file. A worker process keeps one
engine per language instead and hands it the pixels. It is the same library with the same
settings, so the TSV is the command's, row for row (a test checks this on a real page).

When the library cannot be loaded (another platform, another soname) or
`VNPLANS_TESSERACT=cli` is set, callers use the command (`available()` is False).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import ctypes.util
import os
import threading
from functools import lru_cache

import numpy as np

from vnplans.exceptions import ExternalToolError, MissingDependencyError

TSV_COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num",
               "left", "top", "width", "height", "conf", "text")
_SONAMES = ("libtesseract.so.5", "libtesseract.so.4")
_P, _S, _I, _F = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_float
_IP = ctypes.POINTER(ctypes.c_int)
_RIL_WORD, _RIL_SYMBOL = 3, 4
_SIGNATURES: dict[str, tuple[list, type | None]] = {
    "TessBaseAPICreate": ([], _P),
    "TessBaseAPIInit3": ([_P, _S, _S], _I),
    "TessBaseAPISetVariable": ([_P, _S, _S], _I),
    "TessBaseAPISetPageSegMode": ([_P, _I], None),
    "TessBaseAPISetImage": ([_P, _P, _I, _I, _I, _I], None),
    "TessBaseAPISetSourceResolution": ([_P, _I], None),
    "TessBaseAPIRecognize": ([_P, _P], _I),
    "TessBaseAPIGetTsvText": ([_P, _I], _P),
    "TessDeleteText": ([_P], None),
    "TessBaseAPIClear": ([_P], None),
    "TessBaseAPIEnd": ([_P], None),
    "TessBaseAPIDelete": ([_P], None),
    "TessBaseAPIGetIterator": ([_P], _P),
    "TessResultIteratorGetPageIterator": ([_P], _P),
    "TessResultIteratorNext": ([_P, _I], _I),
    "TessResultIteratorGetUTF8Text": ([_P, _I], _P),
    "TessResultIteratorGetChoiceIterator": ([_P], _P),
    "TessResultIteratorDelete": ([_P], None),
    "TessPageIteratorIsAtBeginningOf": ([_P, _I], _I),
    "TessPageIteratorBoundingBox": ([_P, _I, _IP, _IP, _IP, _IP], _I),
    "TessChoiceIteratorNext": ([_P], _I),
    "TessChoiceIteratorGetUTF8Text": ([_P], _S),
    "TessChoiceIteratorConfidence": ([_P], _F),
    "TessChoiceIteratorDelete": ([_P], None),
}
CHOICE_FLOOR = 1.0  # alternatives under this confidence (0-100) are noise, not doubt

# per word box (left, top, width, height): (index of the character in the word, the
# character, its confidence, the alternatives Tesseract weighed with their confidences)
Doubt = tuple[int, str, float, tuple[tuple[str, float], ...]]
Choices = dict[tuple[int, int, int, int], tuple[Doubt, ...]]


@lru_cache(maxsize=1)
def _library() -> ctypes.CDLL | None:
    """libtesseract with the C functions typed, or None. OMP_THREAD_LIMIT is set first:
    OpenMP reads it once, when the library is loaded."""
    if os.environ.get("VNPLANS_TESSERACT", "").lower() == "cli":
        return None
    os.environ["OMP_THREAD_LIMIT"] = "1"
    found = ctypes.util.find_library("tesseract")
    for name in ((found,) if found else ()) + _SONAMES:
        try:
            lib = ctypes.CDLL(name)
            for func, (args, result) in _SIGNATURES.items():
                getattr(lib, func).argtypes = args
                getattr(lib, func).restype = result
            _quiet_leptonica()
            return lib
        except (OSError, AttributeError):
            continue
    return None


# Tesseract's secondary beams, one per runner-up reading kept for a letter. Why 2 and not
# its default 5: the beams are what choice mode costs (callgrind, 2 page crops: +13.0 %
# of a read at 5, +5.8 % at 2), and the third to fifth readings rarely decide a change
# (GP 2507 body CER after restoration 1.01 % at 5, 1.11 % at 2; 0.69 % at both with a
# model trained on the user's texts; 16 rendered pages: the same).
CHOICE_ITERATIONS = 2
L_SEVERITY_NONE = 6  # leptonica's environ.h: no message at all


def _quiet_leptonica() -> None:
    """Silence Leptonica's messages. Why: inside Tesseract's layout analysis it reports
    internal clipping slips ("Error in boxClipToRectangle: box outside rectangle") that
    change no reading and that a user cannot act on; the `tesseract` command prints
    them too, but into a pipe we drop. Our stderr is for errors that name a file."""
    with contextlib.suppress(OSError, AttributeError):
        lept = ctypes.CDLL(ctypes.util.find_library("lept") or "liblept.so.5")
        lept.setMsgSeverity.argtypes = [ctypes.c_int]
        lept.setMsgSeverity(L_SEVERITY_NONE)


def available() -> bool:
    """True when pages can be read in process."""
    return _library() is not None


class _Engine:
    """One initialised TessBaseAPI: a model loaded once, reused for every page."""

    def __init__(self, lib: ctypes.CDLL, lang: str) -> None:
        self.lib = lib
        self.handle = lib.TessBaseAPICreate()
        if lib.TessBaseAPIInit3(self.handle, None, lang.encode()) != 0:
            lib.TessBaseAPIDelete(self.handle)
            raise MissingDependencyError(f"Tesseract could not load language {lang} "
                                         "(apt: tesseract-ocr-vie)")
        # its progress chatter ("Detected 58 diacritics") would land on our stderr, which
        # is for errors; the command's goes to a pipe that pytesseract drops
        lib.TessBaseAPISetVariable(self.handle, b"debug_file", os.devnull.encode())

    def read(self, gray: np.ndarray, dpi: int, psm: int, sauvola: bool,
             doubts: bool = True) -> tuple[str, Choices | None]:
        """Tesseract's TSV rows (no header) for a grey page, and its doubts per word."""
        lib, h = self.lib, self.handle
        page = np.ascontiguousarray(gray, dtype=np.uint8)
        if page.ndim != 2:
            raise ValueError(f"a grey page is 2-D, not of shape {page.shape}")
        if page.size == 0:  # the library would read past an empty buffer
            return "", {} if doubts else None
        lib.TessBaseAPISetPageSegMode(h, psm)
        lib.TessBaseAPISetVariable(h, b"thresholding_method", b"2" if sauvola else b"0")
        lib.TessBaseAPISetVariable(h, b"user_defined_dpi", str(dpi).encode())
        # the runner-up reading of each character; the text and confidences are unchanged
        lib.TessBaseAPISetVariable(h, b"lstm_choice_mode", b"2" if doubts else b"0")
        lib.TessBaseAPISetVariable(h, b"lstm_choice_iterations", str(CHOICE_ITERATIONS).encode())
        lib.TessBaseAPISetImage(h, page.ctypes.data, page.shape[1], page.shape[0], 1,
                                page.strides[0])
        lib.TessBaseAPISetSourceResolution(h, dpi)
        try:
            if lib.TessBaseAPIRecognize(h, None) != 0:
                raise ExternalToolError("tesseract failed to recognise the page")
            return self._tsv(), self._choices() if doubts else None
        finally:
            lib.TessBaseAPIClear(h)

    def _tsv(self) -> str:
        text = self.lib.TessBaseAPIGetTsvText(self.handle, 0)
        if not text:
            return ""
        try:
            return ctypes.string_at(text).decode("utf-8", errors="replace")
        finally:
            self.lib.TessDeleteText(text)

    def _choices(self) -> Choices:
        """Each word's doubtful characters, by the word's box (as the TSV gives it)."""
        lib = self.lib
        it = lib.TessBaseAPIGetIterator(self.handle)
        if not it:
            return {}
        page_it = lib.TessResultIteratorGetPageIterator(it)
        out: Choices = {}
        box, index, doubts = (0, 0, 0, 0), 0, list[Doubt]()
        try:
            while True:
                if lib.TessPageIteratorIsAtBeginningOf(page_it, _RIL_WORD):
                    if doubts:
                        out[box] = tuple(doubts)
                    box, index, doubts = _word_box(lib, page_it), 0, []
                char, conf, alternatives = _symbol(lib, it)
                if alternatives:
                    doubts.append((index, char, conf, alternatives))
                index += len(char)
                if not lib.TessResultIteratorNext(it, _RIL_SYMBOL):
                    break
        finally:
            lib.TessResultIteratorDelete(it)
        if doubts:
            out[box] = tuple(doubts)
        return out

    def close(self) -> None:
        self.lib.TessBaseAPIEnd(self.handle)
        self.lib.TessBaseAPIDelete(self.handle)


def _word_box(lib: ctypes.CDLL, page_it: int) -> tuple[int, int, int, int]:
    left, top, right, bottom = _I(), _I(), _I(), _I()
    lib.TessPageIteratorBoundingBox(page_it, _RIL_WORD, left, top, right, bottom)
    return left.value, top.value, right.value - left.value, bottom.value - top.value


def _symbol(lib: ctypes.CDLL, it: int) -> tuple[str, float, tuple[tuple[str, float], ...]]:
    """The symbol at the iterator, its confidence among the choices, and the other
    choices above CHOICE_FLOOR, best first."""
    raw = lib.TessResultIteratorGetUTF8Text(it, _RIL_SYMBOL)
    if not raw:
        return "", 0.0, ()
    try:
        char = ctypes.string_at(raw).decode("utf-8", errors="replace")
    finally:
        lib.TessDeleteText(raw)
    seen: dict[str, float] = {}
    choice = lib.TessResultIteratorGetChoiceIterator(it)
    if choice:
        try:
            while True:
                text = (lib.TessChoiceIteratorGetUTF8Text(choice) or b"").decode("utf-8", "replace")
                conf = float(lib.TessChoiceIteratorConfidence(choice))
                if text and conf >= CHOICE_FLOOR:
                    seen[text] = max(conf, seen.get(text, 0.0))
                if not lib.TessChoiceIteratorNext(choice):
                    break
        finally:
            lib.TessChoiceIteratorDelete(choice)
    own = seen.pop(char, 0.0)
    return char, own, tuple(sorted(seen.items(), key=lambda kv: -kv[1]))


_ENGINES: dict[tuple[int, int, str], _Engine] = {}  # (process, thread, language)
_LOCK = threading.Lock()


def _engine(lang: str) -> _Engine:
    """This thread's engine for `lang`. One per thread, not one shared behind a lock: a
    Dask worker runs several tasks at once in threads, and the library's calls release the
    GIL, so they run in parallel as the command's processes did. Keyed by process id too:
    an engine made before a fork is never used in the child."""
    lib = _library()
    if lib is None:
        raise MissingDependencyError("libtesseract not found: install tesseract-ocr")
    key = (os.getpid(), threading.get_ident(), lang)
    engine = _ENGINES.get(key)
    if engine is None:
        engine = _Engine(lib, lang)
        with _LOCK:
            _ENGINES[key] = engine
    return engine


@atexit.register
def _close_all() -> None:
    """Free this process's engines; Tesseract prints leak warnings at exit otherwise."""
    with _LOCK:
        for (pid, _, _), engine in list(_ENGINES.items()):
            if pid == os.getpid():
                engine.close()
        _ENGINES.clear()


def image_data(gray: np.ndarray, lang: str, dpi: int, psm: int = 3,
               sauvola: bool = True, doubts: bool = True) -> dict[str, list]:
    """The page's TSV as columns, as the command's TSV reads (`conf` a float, the
    numbers ints, `text` a string), plus `choices`: per row, the word's doubtful
    characters (index, character, alternatives), which the command's TSV cannot give
    (not there when `doubts` is off: choice mode costs about 15 % of a read)."""
    tsv, choices = _engine(lang).read(gray, dpi, psm, sauvola, doubts)
    data = parse_tsv(tsv)
    if choices is None:
        return data
    boxes = zip(data["left"], data["top"], data["width"], data["height"], strict=True)
    data["choices"] = [choices.get(box, ()) for box in boxes]
    return data


def parse_tsv(tsv: str) -> dict[str, list]:
    """Columns of Tesseract's TSV rows; a header row, if any, is skipped."""
    data: dict[str, list] = {name: [] for name in TSV_COLUMNS}
    for row in tsv.splitlines():
        cells = row.split("\t")
        if len(cells) < len(TSV_COLUMNS) or cells[0] == "level":
            continue
        cells = cells[:11] + ["\t".join(cells[11:])]
        for name, cell in zip(TSV_COLUMNS[:10], cells[:10], strict=True):
            data[name].append(int(cell))
        data["conf"].append(float(cells[10]))
        data["text"].append(cells[11])
    return data
