"""Keep the coach's instructions out of its answers, even when a document asks for them.

Untrusted text reaches the model only as data blocks, and the instructions tell it never to
repeat them; this guard is the last line behind that. It watches the streamed answer word by
word: words that continue a verbatim run of the instructions are held back instead of sent, a
run that breaks is released, and a run of ``threshold`` words is a leak: the held words are
dropped and the answer stops there. Ordinary answers share only short runs ("the job", "your
profile") with the instructions, so they are delayed by a word or two at most.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[\w'’-]+")
DEFAULT_THRESHOLD = 7


def _norm(word: str) -> str:
    return word.casefold().replace("’", "'")


class LeakGuard:
    def __init__(self, protected: Iterable[str], *, threshold: int = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
        self._grams: list[set[tuple[str, ...]]] = [set() for _ in range(threshold + 1)]
        for text in protected:
            words = [_norm(w) for w in _WORD.findall(text)]
            for size in range(1, threshold + 1):
                for start in range(len(words) - size + 1):
                    self._grams[size].add(tuple(words[start : start + size]))
        self._recent: list[str] = []  # the last words judged (normalised)
        self._run = 0  # how many of them end in a verbatim run
        self._held = ""  # text not sent yet
        self._judged = 0  # complete words of the held text already judged
        self.leaked = False

    def _run_length(self) -> int:
        """Return how many trailing words form a verbatim run of the protected text."""
        best = 0
        for size in range(1, min(len(self._recent), self.threshold) + 1):
            if tuple(self._recent[-size:]) in self._grams[size]:
                best = size
            else:
                break
        return best

    def _judge(self, words: list[str]) -> bool:
        """Take words in order; return True at the first that completes a leak."""
        for word in words:
            self._recent = [*self._recent, word][-self.threshold :]
            self._run = self._run_length()
            if self._run >= self.threshold:
                self.leaked = True
                self._held = ""
                return True
        return False

    def feed(self, piece: str) -> str:
        """Take the next streamed piece; return the text that is safe to send now."""
        if self.leaked:
            return ""
        self._held += piece
        matches = list(_WORD.finditer(self._held))
        # The last word may continue in the next piece: judge it once it is complete.
        complete = matches
        if matches and matches[-1].end() == len(self._held):
            complete = matches[:-1]
        if self._judge([_norm(m.group(0)) for m in complete[self._judged :]]):
            return ""
        keep_from = len(complete) - min(self._run, len(complete))
        if keep_from < len(complete):
            cut = complete[keep_from].start()
        elif len(complete) < len(matches):
            cut = matches[-1].start()
        else:
            cut = len(self._held)
        released, self._held = self._held[:cut], self._held[cut:]
        self._judged = len(complete) - keep_from
        return released

    def flush(self) -> str:
        """Return what is still held once the answer has ended (a leak releases nothing)."""
        if self.leaked:
            return ""
        matches = list(_WORD.finditer(self._held))
        if self._judge([_norm(m.group(0)) for m in matches[self._judged :]]):
            return ""
        released, self._held, self._judged = self._held, "", 0
        return released
