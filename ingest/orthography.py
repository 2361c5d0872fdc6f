"""Vietnamese orthography: is a token a well-formed Vietnamese syllable?

Why here: ingest must tell real Vietnamese from mojibake (a broken PDF text layer, a TCVN3
or VNI file read as Latin-1) without a dictionary, and every later stage may reuse it.
The rules are the spelling rules of the language (onset + rhyme + one tone; stop codas
take only the sắc or nặng tone), not a word list.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TONE_MARKS = {"\u0300": "huyen", "\u0301": "sac", "\u0303": "nga", "\u0309": "hoi", "\u0323": "nang"}

ONSETS = (
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
    "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
)

_RHYMES_BY_NUCLEUS = {
    "a": "a ai ao au ay an ang anh am ap at ac ach",
    "ă": "ăn ăng ăm ăp ăt ăc",
    "â": "âu ây ân âng âm âp ât âc",
    "e": "e eo en eng em ep et ec",
    "ê": "ê êu ên ênh êm êp êt êch",
    "i": "i ia iu in inh im ip it ich iêu iên iêng iêm iêp iêt iêc",
    "o": "o oa oai oao oay oan oang oanh oam oap oat oac oach oăn oăng oăm oăt oăc oe oeo "
         "oen oet oi on ong om op ot oc ooc oong",
    "ô": "ô ôi ôn ông ôm ôp ôt ôc",
    "ơ": "ơ ơi ơn ơm ơp ơt",
    "u": "u ua uân uâng uât uây ui un ung um up ut uc uê uêch uênh uy uya uyên uyêt uynh "
         "uych uyt uyn uyu uôi uôn uông uôm uôt uôc uơ",
    "ư": "ư ưa ưi ưu ưn ưng ưm ưt ưc ươi ươu ươn ương ươm ươp ươt ươc",
    "y": "y yêu yên yêm yêt yêng",
}
RHYMES = frozenset(r for group in _RHYMES_BY_NUCLEUS.values() for r in group.split())
_STOP_CODAS = ("p", "t", "c", "ch")
_LETTERS = re.compile(r"^[a-zđăâêôơư]+$")


def strip_tone(syllable: str) -> tuple[str, str | None]:
    """(toneless syllable, tone name or None). More than one tone mark → tone 'invalid'."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [TONE_MARKS[c] for c in decomposed if c in TONE_MARKS]
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    if len(tones) > 1:
        return base, "invalid"
    return base, tones[0] if tones else None


def strip_marks(text: str) -> str:
    """The mark-stripped skeleton: no tones, no vowel marks, đ → d (case kept)."""
    decomposed = unicodedata.normalize("NFD", text)
    out = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return out.replace("đ", "d").replace("Đ", "D")


@lru_cache(maxsize=200_000)
def is_syllable(token: str) -> bool:
    """True when `token` (any case) is a well-formed Vietnamese syllable."""
    base, tone = strip_tone(token.lower())
    if tone == "invalid" or not base or not _LETTERS.match(base):
        return False
    for onset in ONSETS:
        if not base.startswith(onset):
            continue
        rhyme = base[len(onset):]
        if rhyme in RHYMES and _tone_fits(rhyme, tone) and _onset_fits(onset, rhyme):
            return True
        if onset == "gi" and rhyme == "" :  # "gì", "gi" itself
            return True
    return False


def _tone_fits(rhyme: str, tone: str | None) -> bool:
    return not rhyme.endswith(_STOP_CODAS) or tone in ("sac", "nang")


def _onset_fits(onset: str, rhyme: str) -> bool:
    """k/gh/ngh only before i, e, ê (and y); c/g/ng never before them."""
    front = rhyme[:1] in ("i", "e", "ê", "y")
    if onset in ("k", "gh", "ngh"):
        return front
    if onset in ("c", "ng"):
        return not front
    if onset == "qu":
        return not rhyme.startswith(("u", "o"))
    return True


_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)


def syllable_rate(text: str, sample: int = 4000) -> float:
    """Share of alphabetic tokens (in the first `sample` tokens) that are Vietnamese
    syllables. ~0.9+ for Vietnamese, low for mojibake; 0.0 for text with no words."""
    tokens = _TOKEN.findall(text)[:sample]
    if not tokens:
        return 0.0
    return sum(is_syllable(t) for t in tokens) / len(tokens)


def marked_rate(text: str, sample: int = 4000) -> float:
    """Share of tokens carrying any Vietnamese mark: near 0 for English or legacy OCR."""
    tokens = _TOKEN.findall(text)[:sample]
    if not tokens:
        return 0.0
    return sum(strip_marks(t) != t for t in tokens) / len(tokens)


# Some PDF fonts map ư/Ư to the code points of ƣ/Ƣ (LATIN OI), which no Vietnamese word
# uses; extracted text layers and the text files made from them carry it (`Thƣơng`).
_GLYPHS = str.maketrans({"\u01a3": "ư", "\u01a2": "Ư"})


def repair_glyphs(text: str) -> str:
    """Known font-mapping slips back to the letters meant (ƣ → ư), length unchanged."""
    return text.translate(_GLYPHS)
