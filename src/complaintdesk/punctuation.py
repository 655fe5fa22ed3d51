"""Chinese punctuation in text people read: a half-width , : ; ? ! ( ) touching Chinese is a typing
slip, shown in its full-width form; English keeps its own. Used where text leaves an engine for a person
(drafts, policy reasons, page messages) and by the checks that count what slipped through."""

from __future__ import annotations

import re

_CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’]"
_HALF_TO_FULL = {",": "\uff0c", ":": "\uff1a", ";": "\uff1b", "?": "\uff1f", "!": "\uff01"}
# a half-width mark touching Chinese on either side is a typing slip, not an English phrase
_HALF_NEAR_CJK = re.compile(rf"(?<={_CJK})\s*[,:;?!]\s*|\s*[,:;?!]\s*(?={_CJK})")
_PARENS_NEAR_CJK = re.compile(rf"\(([^()]*)\)(?=\s*(?:{_CJK}|$))|(?<={_CJK})\(([^()]*)\)")


def full_width(text: str) -> str:
    """Half-width , : ; ? ! ( ) next to Chinese become their full-width forms; English stays as it is."""

    def mark(m: re.Match[str]) -> str:
        return _HALF_TO_FULL[m.group(0).strip()]

    def parens(m: re.Match[str]) -> str:
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        return f"\uff08{inner}\uff09"

    text = _PARENS_NEAR_CJK.sub(parens, text)
    return _HALF_NEAR_CJK.sub(mark, text)


def halfwidth_marks(text: str) -> list[str]:
    """Half-width punctuation inside Chinese text (each occurrence with a little context)."""
    found = [text[max(m.start() - 3, 0) : m.end() + 3] for m in _HALF_NEAR_CJK.finditer(text)]
    found += [m.group(0) for m in _PARENS_NEAR_CJK.finditer(text)]
    return found
