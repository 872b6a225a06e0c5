"""What an import found and could not read, said plainly: the ``warnings`` of a parse result.

Each warning is ``"code: what we saw and how to fix it"``; the code lets a client pick its own
words, the text after the colon reads well on its own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from careergini.documents.layout import word_set
from careergini.profile.schemas import ParsedProfile

LANGUAGE_NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "pt": "Portuguese",
    "it": "Italian", "nl": "Dutch", "pl": "Polish", "sv": "Swedish", "da": "Danish",
    "no": "Norwegian", "fi": "Finnish", "tr": "Turkish", "cs": "Czech", "ro": "Romanian",
    "hu": "Hungarian", "id": "Indonesian", "ru": "Russian", "uk": "Ukrainian", "el": "Greek",
    "ar": "Arabic", "he": "Hebrew", "zh": "Chinese", "ja": "Japanese", "ko": "Korean",
    "hi": "Hindi", "th": "Thai",
}  # fmt: skip
# The languages whose section headings, month names and date forms the parser knows.
SUPPORTED_LANGUAGES = frozenset({"en", "de", "fr", "es", "pt", "it", "nl"})

# Short function words: frequent in any running text of their language, rare in the others.
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": word_set("the and of to in for with on at by from as is was are an or my our"),
    "de": word_set("und der die das mit für von zu im bei auf den des ein eine ich als ist zur"),
    "fr": word_set("le la les et des du pour avec dans une un en sur au aux je est par chez"),
    "es": word_set("el la los las y de del para con en una un por como al mi se es"),
    "pt": word_set("o a os as e de do da dos das para com em um uma por no na ao é"),
    "it": word_set("il lo la gli le e di del della per con in un una da nel al è presso"),
    "nl": word_set("de het en van een voor met in op bij als ik is aan naar te"),
    "pl": word_set("i w z na do dla się oraz jest od przez jako o że"),
    "sv": word_set("och att det som för med på av en ett är jag till"),
    "da": word_set("og at det som for med på af en et er jeg til hos"),
    "no": word_set("og at det som for med på av en et er jeg til hos"),
    "fi": word_set("ja on että se ei ole ovat myös kanssa tai kuin"),
    "tr": word_set("ve bir bu ile için da de olarak gibi olan çok"),
    "cs": word_set("a v na se z je do pro s o jako že ve"),
    "ro": word_set("și în de la cu pentru pe un o din care este"),
    "hu": word_set("és a az hogy egy nem is van meg ezt mint"),
    "id": word_set("dan di yang untuk dengan dari ini pada ke dalam sebagai"),
}
_SCRIPTS: tuple[tuple[str, str], ...] = (
    ("ru", "\u0400-\u04ff"),
    ("el", "\u0370-\u03ff"),
    ("ar", "\u0600-\u06ff"),
    ("he", "\u0590-\u05ff"),
    ("hi", "\u0900-\u097f"),
    ("th", "\u0e00-\u0e7f"),
    ("ja", "\u3040-\u30ff"),
    ("ko", "\uac00-\ud7af"),
    ("zh", "\u4e00-\u9fff"),
)
_WORD_RE = re.compile(r"[^\W\d_]+")
_ADDRESS_RE = re.compile(
    # "\S+" alternatives start only at a token's start: elsewhere they fail in linear time.
    r"(?<!\S)\S+@\S+|\b(?:https?://|www\.)\S+|(?<!\S)\S+\.(?:com|de|fr|es|pt|it|nl|org|net|io)\b"
)
# Words only resumes use: their headings and date words, which short CVs are mostly made of.
_RESUME_WORDS: dict[str, frozenset[str]] = {
    "en": word_set("experience education skills summary present languages projects university"),
    "de": word_set(
        "lebenslauf berufserfahrung ausbildung kenntnisse sprachen seit heute bis persönliche "
        "daten berufstätigkeit studium werdegang praktikum aufgaben"
    ),
    "fr": word_set(
        "expérience expériences formation compétences langues professionnelle aujourd'hui "
        "depuis stage projets centres intérêt"
    ),
    "es": word_set(
        "experiencia formación educación habilidades idiomas actualidad presente laboral "
        "proyectos prácticas estudios"
    ),
    "pt": word_set(
        "experiência formação educação competências idiomas atual presente profissional "
        "projetos estágio"
    ),
    "it": word_set(
        "esperienza esperienze formazione istruzione competenze lingue oggi attuale "
        "professionale progetti tirocinio"
    ),
    "nl": word_set(
        "werkervaring opleiding opleidingen vaardigheden talen heden huidig ervaring "
        "projecten stage"
    ),
}


def detect_language(text: str) -> str | None:
    """Return the text's probable language (ISO 639-1), or None when too little to tell."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 40:
        return None
    for code, ranges in _SCRIPTS:
        if len(re.findall(f"[{ranges}]", text)) > len(letters) * 0.3:
            if code == "ru" and re.search("[іїєґ]", text, re.IGNORECASE):
                return "uk"
            return code
    words = Counter(w.lower() for w in _WORD_RE.findall(_ADDRESS_RE.sub(" ", text)))
    scores = {
        code: sum(count for word, count in words.items() if word in stop)
        + 3 * sum(count for word, count in words.items() if word in _RESUME_WORDS.get(code, ()))
        for code, stop in _STOPWORDS.items()
    }
    best = max(scores, key=lambda code: scores[code])
    if scores[best] < 5:
        return None
    # Tie-breaks between near neighbours go to the language the parser reads.
    if best in ("no", "da") and scores.get("en", 0) >= scores[best]:
        return "en"
    return best


def language_warning(language: str | None) -> str | None:
    """Return the warning for a resume that is not in English, or None."""
    if language is None or language == "en":
        return None
    name = LANGUAGE_NAMES.get(language, language)
    if language in SUPPORTED_LANGUAGES:
        return (
            f"other_language: The resume reads as {name}. {name} headings and dates are "
            "understood; check the positions and dates below."
        )
    return (
        f"unsupported_language: The resume reads as {name}, which we cannot read yet: sections "
        "and dates may be missing. Upload an English, German, French, Spanish, Portuguese, "
        "Italian or Dutch version, or add what is missing on your profile."
    )


def profile_warnings(profile: ParsedProfile, *, text: str) -> list[str]:
    """Return what the import could not find or is unsure of, in the order a reader checks."""
    warnings: list[str] = []
    if not profile.basics.name:
        warnings.append(
            "name_not_found: We could not find your name at the top of the resume; add it on "
            "your profile."
        )
    if not profile.work:
        warnings.append(
            "no_positions: No jobs, internships or volunteer roles were found. Check that they "
            "sit under a heading such as “Experience”, or add them on your profile."
        )
    elif not any(w.start or w.end for w in profile.work):
        warnings.append(
            "no_dates: No dates were found for your positions; write them as “Mar 2021 – "
            "Present” or “2019 – 2021”, or add them on your profile."
        )
    elif undated := sum(1 for w in profile.work if not (w.start or w.end)):
        warnings.append(
            f"some_dates_missing: {undated} of {len(profile.work)} positions have no dates; "
            "add them on your profile."
        )
    if not profile.skills:
        warnings.append(
            "no_skills: No skills were found; list them under a “Skills” heading or add them "
            "on your profile."
        )
    if warning := language_warning(detect_language(text)):
        warnings.append(warning)
    return warnings


def warning_codes(warnings: Sequence[str]) -> list[str]:
    """Return the codes of the warnings (the part before the colon)."""
    return [w.split(":", 1)[0] for w in warnings]
