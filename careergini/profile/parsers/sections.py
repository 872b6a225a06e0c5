"""Find section headings and cut a resume's lines into sections."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from careergini.documents.layout import Line, is_bullet, unspace_letters
from careergini.profile.parsers.dates import find_date_ranges


class SectionKind(StrEnum):
    HEADER = "header"
    SUMMARY = "summary"
    EXPERIENCE = "experience"
    INTERNSHIPS = "internships"
    VOLUNTEER = "volunteer"
    EDUCATION = "education"
    SKILLS = "skills"
    PROJECTS = "projects"
    CERTIFICATIONS = "certifications"
    LANGUAGES = "languages"
    OTHER = "other"


_ALIASES: dict[SectionKind, tuple[str, ...]] = {
    SectionKind.SUMMARY: (
        "summary", "professional summary", "career summary", "executive summary", "profile",
        "professional profile", "personal profile", "about", "about me", "objective",
        "career objective", "professional objective", "overview", "personal statement",
        "introduction", "summary of qualifications", "qualifications summary",
    ),
    SectionKind.EXPERIENCE: (
        "experience", "work experience", "professional experience", "employment",
        "employment history", "work history", "career history", "relevant experience",
        "professional background", "experience and employment", "industry experience",
        "research experience", "work",
        "technical experience", "career", "positions", "professional history",
    ),
    SectionKind.EDUCATION: (
        "education", "academic background", "education and training", "academic history",
        "educational background", "academics", "academic qualifications", "studies",
        "education and certifications", "qualifications",
    ),
    SectionKind.SKILLS: (
        "skills", "technical skills", "core competencies", "competencies", "key skills",
        "technologies", "tech stack", "technical expertise", "areas of expertise", "expertise",
        "skills and tools", "tools and technologies", "skills and technologies",
        "technical proficiencies", "proficiencies", "core skills", "skill set", "skillset",
        "relevant skills", "skills and abilities", "skills and expertise", "computer skills",
        "programming skills", "hard skills", "soft skills", "skills summary", "strengths",
        "skill", "technical skill", "tools",
    ),
    SectionKind.PROJECTS: (
        "projects", "personal projects", "selected projects", "side projects", "key projects",
        "academic projects", "open source", "open source projects", "open-source projects",
        "project experience", "relevant projects", "notable projects", "project",
    ),
    SectionKind.CERTIFICATIONS: (
        "certifications", "certificates", "certification", "licenses and certifications",
        "licences and certifications", "certifications and licenses", "certifications and training",
        "professional certifications", "courses and certifications", "training", "accreditations",
    ),
    SectionKind.LANGUAGES: ("languages", "spoken languages", "language skills", "language"),
    SectionKind.INTERNSHIPS: ("internships", "internship experience", "internship"),
    SectionKind.VOLUNTEER: (
        "volunteer", "volunteering", "volunteer experience", "volunteer work", "activities",
        "extracurricular activities", "leadership", "leadership experience",
        "campus involvement", "campus activities", "leadership and activities",
        "community service", "community involvement", "leadership and volunteering",
        "volunteering and leadership", "leadership and volunteer experience",
        "volunteer and leadership", "leadership and service", "campus leadership",
    ),
    SectionKind.OTHER: (
        "publications", "selected publications", "awards", "honors", "honours",
        "honors and awards", "awards and honors", "selected honors", "achievements",
        "accomplishments", "interests",
        "hobbies", "hobbies and interests", "references", "patents", "talks", "invited talks",
        "presentations",
        "affiliations", "memberships", "professional affiliations", "additional information",
        "courses", "coursework", "relevant coursework", "conferences", "research", "teaching",
    ),
}  # fmt: skip


@dataclass(slots=True)
class Section:
    kind: SectionKind
    title: str
    lines: list[Line] = field(default_factory=list)
    heading: Line | None = None


def normalize_heading(text: str) -> str:
    text = unspace_letters(text.strip())
    text = text.lower().replace("&", " and ").replace("/", " and ")
    text = re.sub(r"[^\w\s-]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


# Headings in German, French, Spanish, Portuguese, Italian and Dutch.
_FOREIGN_ALIASES: dict[SectionKind, tuple[str, ...]] = {
    SectionKind.SUMMARY: (
        "profil", "kurzprofil", "über mich", "zusammenfassung", "persönliches profil",
        "à propos", "a propos", "objectif", "profil professionnel", "perfil",
        "perfil profesional", "resumen", "sobre mí", "acerca de mí", "objetivo",
        "perfil profissional", "resumo", "sobre mim", "profilo", "profilo personale",
        "chi sono", "sommario", "obiettivo", "profiel", "over mij", "samenvatting",
    ),
    SectionKind.EXPERIENCE: (
        "berufserfahrung", "berufliche erfahrung", "berufstätigkeit", "beruflicher werdegang",
        "werdegang", "erfahrung", "expérience", "expériences",
        "expérience professionnelle", "expériences professionnelles", "parcours professionnel",
        "experiencia", "experiencia laboral", "experiencia profesional",
        "experiência", "experiência profissional", "histórico profissional",
        "esperienza", "esperienze", "esperienza professionale", "esperienze professionali",
        "esperienze lavorative", "werkervaring", "ervaring", "loopbaan",
        "stages en werkervaring", "professionele ervaring",
    ),
    SectionKind.EDUCATION: (
        "ausbildung", "bildung", "bildungsweg", "schulbildung", "studium", "akademischer werdegang",
        "formation", "formations", "diplômes", "études", "formation académique", "formación",
        "educación", "formación académica", "estudios", "formação", "educação",
        "formação acadêmica", "formação académica", "istruzione", "formazione",
        "istruzione e formazione", "titoli di studio", "opleiding", "opleidingen", "onderwijs",
    ),
    SectionKind.SKILLS: (
        "kenntnisse", "fähigkeiten", "fachkenntnisse", "it-kenntnisse", "it kenntnisse",
        "kompetenzen", "edv-kenntnisse", "edv kenntnisse", "compétences",
        "compétences techniques", "habilidades", "competencias", "conocimientos",
        "aptitudes", "competências", "habilidades técnicas", "conhecimentos", "competenze",
        "competenze tecniche", "capacità", "vaardigheden", "competenties", "kennis",
        "sonstige kenntnisse", "weitere kenntnisse", "besondere kenntnisse", "it-skills",
        "autres compétences", "otras habilidades", "outras competências", "altre competenze",
        "overige vaardigheden",
    ),
    SectionKind.INTERNSHIPS: (
        "praktika", "praktikum", "stages", "prácticas", "estágios", "tirocini",
    ),
    SectionKind.VOLUNTEER: (
        "ehrenamt", "bénévolat", "voluntariado", "volontariato", "vrijwilligerswerk",
    ),
    SectionKind.PROJECTS: (
        "projekte", "projets", "proyectos", "projetos", "progetti", "projecten",
    ),
    SectionKind.CERTIFICATIONS: (
        "zertifikate", "zertifizierungen", "weiterbildung", "certifications et formations",
        "certificats", "certificaciones", "certificados", "certificações", "certificazioni",
        "certificaten", "certificeringen", "cursussen", "zusatzqualifikationen",
        "weiterbildungen", "fortbildungen",
    ),
    SectionKind.LANGUAGES: (
        "sprachen", "sprachkenntnisse", "fremdsprachen", "langues", "idiomas", "lenguas",
        "línguas", "lingue", "conoscenze linguistiche", "talen", "talenkennis",
    ),
    SectionKind.OTHER: (
        "persönliche daten", "hobbys", "interessen", "auszeichnungen",
        "centres d'intérêt", "centres d intérêt", "loisirs", "intereses",
        "interesses", "interessi", "hobby's", "persoonlijke gegevens", "datos personales",
        "dados pessoais",
        "dati personali", "informations personnelles", "referenzen", "références",
        "referencias", "referências", "referenze", "referenties", "publikationen",
        "publications", "publicaciones", "publicações", "pubblicazioni", "publicaties",
        "aufgaben",
    ),
}  # fmt: skip
for _kind, _aliases in _FOREIGN_ALIASES.items():
    _ALIASES[_kind] = _ALIASES[_kind] + tuple(normalize_heading(a) for a in _aliases)
_KIND_BY_ALIAS = {alias: kind for kind, aliases in _ALIASES.items() for alias in aliases}


def heading_kind(text: str) -> SectionKind | None:
    """Return the section a heading names, or None if it is not a known heading.

    A heading whose first letters are set in another colour is read as two words ("exp
    erience"); joining two neighbouring words that make a known heading undoes it.
    """
    normal = normalize_heading(text)
    if (kind := _KIND_BY_ALIAS.get(normal)) is not None:
        return kind
    words = normal.split()
    if not 2 <= len(words) <= 4:
        return None
    for i in range(len(words) - 1):
        if min(len(words[i]), len(words[i + 1])) <= 3:
            joined = " ".join([*words[:i], words[i] + words[i + 1], *words[i + 2 :]])
            if (kind := _KIND_BY_ALIAS.get(joined)) is not None:
                return kind
    return None


def _heading_shaped(line: Line) -> bool:
    if len(line.segments) != 1 or is_bullet(line):
        return False
    text = line.segments[0].strip().rstrip(":").strip()
    if not text or len(text) > 48 or not re.search(r"[A-Za-z]", text):
        return False
    if text.endswith((".", ",", ";")) or "@" in text or find_date_ranges(text):
        return False
    if re.search(r"\d|:\s*\S", text):
        return False  # "GPA: 3.7/4.0" and "Languages: Python" are content, not headings
    return len(unspace_letters(text).split()) <= 6


def _signature(line: Line) -> tuple[object, ...]:
    text = line.segments[0]
    letters = [c for c in text if c.isalpha()]
    upper = bool(letters) and all(c.isupper() for c in letters)
    if line.x0 is None:
        return (upper, line.heading_hint, text.rstrip().endswith(":"), line.bold)
    return (round(line.size), line.bold, upper, round(line.x0 / 4), line.heading_hint)


def _capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def split_side_headings(lines: Sequence[Line]) -> list[Line]:
    """Set section headings printed in a left column on lines of their own.

    Job-board templates (LiveCareer and the like) print "EXPERIENCE" to the left of the first
    entry, on the same row, and a long heading wraps onto the next row ("EXPÉRIENCE" over
    "PROFESSIONNELLE"). Such a row becomes the heading, then the entry's text.
    """
    rows = [Line(**{name: getattr(line, name) for name in Line.__slots__}) for line in lines]
    out: list[Line] = []
    for i, line in enumerate(rows):
        if len(line.segments) < 2 or is_bullet(line) or not _capitals(line.segments[0]):
            out.append(line)
            continue
        head, taken = line.segments[0].strip(), 1
        below = rows[i + 1] if i + 1 < len(rows) else None
        if below is not None and len(below.segments) >= 2 and _capitals(below.segments[0]):
            joined = f"{head} {below.segments[0].strip()}"
            if heading_kind(joined) is not None:
                head = joined
                below.segments = below.segments[1:]
                below.starts = below.starts[1:]
                if below.starts:
                    below.x0 = below.starts[0]
        if heading_kind(head) is None:
            out.append(line)
            continue
        x1 = line.starts[1] if len(line.starts) > 1 else line.x1
        out.append(
            Line(segments=[head], page=line.page, x0=line.x0, x1=x1, top=line.top,
                 size=line.size, bold=True, heading_hint=True)
        )  # fmt: skip
        rest = Line(**{name: getattr(line, name) for name in Line.__slots__})
        rest.segments = line.segments[taken:]
        rest.starts = line.starts[taken:]
        if rest.starts:
            rest.x0 = rest.starts[0]
        out.append(rest)
    return out


def split_sections(lines: Sequence[Line]) -> list[Section]:
    """Cut the lines into a header followed by titled sections."""
    lines = split_side_headings(lines)
    known: dict[int, SectionKind] = {}
    for i, line in enumerate(lines):
        if not _heading_shaped(line):
            continue
        kind = heading_kind(line.segments[0])
        if kind is None:
            continue
        if line.x0 is None and not _looks_emphasised(line, lines, i):
            continue
        known[i] = kind

    _drop_odd_known(known, lines)
    headings = dict(known)
    if known:
        signatures = Counter(_signature(lines[i]) for i in known)
        candidates: Counter[tuple[object, ...]] = Counter()
        unknown: list[int] = []
        # Headings we don't know can come before the first one we do ("Welcome to ...").
        for i in range(1, len(lines)):
            if i in known or not _heading_shaped(lines[i]):
                continue
            signature = _signature(lines[i])
            if signature in signatures:
                unknown.append(i)
                candidates[signature] += 1
        for i in unknown:
            signature = _signature(lines[i])
            # A look shared by many more lines than the known headings is an entry style
            # (bold company names), not a heading style.
            if candidates[signature] <= max(2, 2 * signatures[signature]) and _distinct(
                signature, lines[i]
            ):
                headings[i] = SectionKind.OTHER

    sections = [Section(kind=SectionKind.HEADER, title="")]
    for i, line in enumerate(lines):
        if i in headings:
            title = line.segments[0].strip().rstrip(":").strip()
            sections.append(Section(kind=headings[i], title=title, heading=line))
        else:
            sections[-1].lines.append(line)
    return sections


def _drop_odd_known(known: dict[int, SectionKind], lines: Sequence[Line]) -> None:
    """Forget a role word taken for a heading: "Volunteer" or "Internship" set unlike every
    other heading of the resume is an entry's title, not a section.

    "Volunteer" in plain type under "Central Texas Food Bank ... 2020 – 2022" is the role,
    where the resume's headings are all set in capitals.
    """
    for i in list(known):
        if known[i] not in (SectionKind.VOLUNTEER, SectionKind.INTERNSHIPS):
            continue
        text = lines[i].segments[0].strip()
        if len(text.split()) != 1 or text.isupper():
            continue
        others = {_signature(lines[j]) for j in known if j != i}
        if len(known) >= 4 and _signature(lines[i]) not in others:
            del known[i]


def _distinct(signature: tuple[object, ...], line: Line) -> bool:
    # Without geometry only an explicit mark (caps, "#", a colon, bold) sets a heading apart.
    if line.x0 is None:
        return any(signature)
    return True


def _looks_emphasised(line: Line, lines: Sequence[Line], index: int) -> bool:
    """Tell whether a known heading word in plain text stands as a heading, not as prose."""
    text = line.segments[0].strip()
    if line.heading_hint or line.bold or text.isupper() or text.endswith(":"):
        return True
    # A bare "Experience" alone on its line reads as a heading too.
    return len(text.split()) <= 4
