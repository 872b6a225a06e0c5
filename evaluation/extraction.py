"""Skill extraction quality: labelled job-ad spans (Green 2022) and hand-labelled TTS lines.

Spans, on ``tests/eval/extraction/testset.conll.txt`` (Green et al., LREC 2022, CC BY 4.0; a
copy of ``jobs/green2022-skill-spans``): 336 job-ad sentences with 676 crowd-labelled Skill spans.
Each sentence is rebuilt by joining its CoNLL tokens with single spaces, so gold spans become
character spans of that text. A hit is judged by overlap, not exact boundaries, because the
labels are loose phrases ("Desktop Technologies Active Directory design" where the extractor
returns "Active Directory"): a predicted mention is correct when its span overlaps a gold Skill
span; a gold span is found when a predicted mention overlaps it. The technology measures
restrict predictions to technology categories and gold spans to the 68 of TECH_SPANS, which
name a concrete technology (chosen by reading every labelled span, independently of the
extractor). Most labelled spans are soft skills phrased freely, so overall recall is low.

Held-out lines, HELD_OUT: lines of 18F/join.tts.gsa.gov job pages (CC0) whose technologies
were written down by hand before the extractor was run on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from careergini.skills.extraction import extract_skills
from careergini.skills.taxonomy import TECH_CATEGORIES, load_taxonomy
from evaluation.measures import Context, Measure, rounded

GREEN_CONLL = (
    Path(__file__).resolve().parents[1] / "tests" / "eval" / "extraction" / "testset.conll.txt"
)

# (sentence index, first token index, text) of the gold Skill spans that name a technology.
TECH_SPANS: tuple[tuple[int, int, str], ...] = (
    (19, 4, "Selenium"),
    (19, 9, "HTML"),
    (19, 11, "JavaScript"),
    (46, 0, "MS Dynamics CRM"),
    (46, 4, "CRM"),
    (46, 6, "Microsoft Dynamics CRM"),
    (46, 10, "Dynamics CRM"),
    (47, 10, "iTrent"),
    (52, 25, "C"),
    (77, 2, "Microsoft Word"),
    (77, 5, "Excel"),
    (77, 7, "Outlook"),
    (77, 9, "SalesForce . com"),
    (96, 21, "Navision system"),
    (112, 18, "working with Selenium"),
    (118, 23, "CRM"),
    (122, 6, "Microsoft Dynamics"),
    (122, 16, "Dynamics CRM"),
    (167, 2, "MS Windows Server"),
    (167, 6, "Desktop Technologies Active Directory design"),
    (167, 15, "architecture MS Exchange Server Backup and Restore technologies"),
    (167, 25, "MS Windows"),
    (167, 32, "MS Windows VB"),
    (175, 8, "Dynamics CRM Development"),
    (175, 27, "MS CRM"),
    (175, 30, "Dynamics CRM"),
    (209, 18, "Selenium"),
    (209, 30, ". Net"),
    (211, 12, "Selenium"),
    (211, 21, "HTML"),
    (211, 23, "JavaScript"),
    (238, 10, "Windows and Linux architecture"),
    (250, 5, "Microsoft Excel"),
    (271, 13, "Linux infrastructure"),
    (274, 0, "Software MS Office"),
    (274, 6, "excel"),
    (279, 6, "Microsoft office and Project"),
    (282, 8, "Microsoft Dynamics"),
    (
        287,
        0,
        "Red Hat Enterprise Linux Server environments VMware vSphere Technologies "
        "Collaboration services Kerio Connect",
    ),
    (287, 14, "Google"),
    (287, 16, "Dropbox"),
    (295, 7, "iTrent Release 10"),
    (295, 12, "iTrent Business Objects Universe"),
    (296, 15, "Dynamics CRM"),
    (296, 23, ". Net"),
    (296, 26, "C"),
    (296, 33, "MS"),
    (306, 5, "Windows"),
    (306, 7, "Active Directory"),
    (307, 7, "Business Objects XI"),
    (313, 3, "MS Office applications"),
    (325, 17, "global Dynamics CRM"),
    (330, 19, "Linux System Administration"),
    (330, 23, "NIS"),
    (330, 25, "DNS"),
    (330, 27, "DHCP"),
    (330, 29, "PXE"),
    (330, 31, "Apache"),
    (330, 33, "CUPS"),
    (330, 35, "SSH"),
    (330, 37, "Exim Linux Distros Debian"),
    (330, 42, "Ubuntu"),
    (330, 44, "CentOS"),
    (330, 46, "Redhat Shell Scripts Ethernet local area networking"),
    (330, 54, "VLANs IP Routing"),
    (331, 11, "Word"),
    (331, 13, "Outlook"),
    (331, 15, "Excel"),
)


# (line, technologies named in it[, other skills it really names: a concept, a practice])
HELD_OUT: list[tuple[str, tuple[str, ...]] | tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("Developing reports using business intelligence tools (e.g. Tableau, Power BI, "
     "MicroStrategy etc.)", ("Tableau", "Power BI", "MicroStrategy"),
     ("business intelligence",)),
    ("Experience with database systems and infrastructure to support data analytics such as "
     "BigQuery", ("BigQuery",), ("data analysis", "database management systems")),
    ("Using a Cloud Foundry platform", ("Cloud Foundry",)),
    ("Developing tooling, models, and visualizations using general-purpose programming "
     "languages (such as Python) and/or tools optimized for statistical and data analysis "
     "(such as R).", ("Python", "R"), ("data analysis",)),
    ("Implement style changes in GitHub, or pair with engineers to implement and review them "
     "collaboratively. Make visual design work visible in shared project management tools.",
     ("GitHub",), ("user interface design",)),
    ("Developing digital applications using **ONE** of the following server-side languages: "
     "Python, Ruby, Go or Node.js", ("Python", "Ruby", "Go", "Node.js")),
    ("You may check your status by logging into USAJOBS. Go to My USAJOBS and then to "
     "Applications.", ()),
    ("Write and participate in code review, which can include Go, Ruby, Python, Java, "
     "JavaScript, POSIX shell, and YAML.",
     ("Go", "Ruby", "Python", "Java", "JavaScript", "shell scripting", "YAML")),
    ("Ruby on rails development", ("Ruby on Rails",)),
    ("Experienced working in cloud computing platforms (e.g., Cloud Foundry) and leveraging "
     "cloud computing infrastructure (e.g., Amazon Web Services).",
     ("cloud computing", "Cloud Foundry", "Amazon Web Services")),
    ("languages (e.g Java, .NET, Ruby on Rails, Python, Go, Node.js), client-side languages "
     "(e.g HTML, Javascript) and database",
     ("Java", ".NET", "Ruby on Rails", "Python", "Go", "Node.js", "HTML", "JavaScript")),
    ("Create processes and procedures that keep Cloud Foundry environments resilient, "
     "fault-tolerant, and consistent.", ("Cloud Foundry",)),
    ("Use infrastructure-as-code (currently Terraform) and configuration management "
     "(currently Chef) to automate Login.gov's AWS",
     ("infrastructure as code", "Terraform", "Chef", "Amazon Web Services")),
    ("Front end design, which could include the following activities and tools: HTML/CSS "
     "prototypes, front end frameworks, accessibility best practices, optimizing digital "
     "metrics (such as page performance, semantic code, page weight, or code reusability).",
     ("HTML", "CSS")),
    ("Use infrastructure-as-code (currently, but not limited to, Terraform) and configuration "
     "management (currently, but not limited to, Chef) to automate CoE and agency DevOps AWS, "
     "Azure, and/or Google Cloud infrastructure",
     ("infrastructure as code", "Terraform", "Chef", "DevOps", "Amazon Web Services",
      "Microsoft Azure", "Google Cloud Platform")),
    ("environments. You should have strong knowledge of public clouds (Amazon Web Services "
     "(AWS) and/or Microsoft Azure), Redhat,",
     ("Amazon Web Services", "Microsoft Azure", "Red Hat Enterprise Linux")),
    ("Analyzing large data sets using statistical packages (e.g. Python, R, SAS, SQL, etc.)",
     ("Python", "R", "SAS", "SQL")),
    ("FedRAMP's Cyber Data Analyst will play a key role in building the data- and API-driven",
     ()),
]  # fmt: skip


@dataclass
class Sentence:
    text: str
    gold: list[tuple[int, int, int]]  # (start, end, first token index) of Skill spans
    other: list[tuple[int, int]]  # spans of the other labelled entities


def load_green(path: Path) -> list[Sentence]:
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if current:
                sentences.append(current)
                current = []
            continue
        current.append((parts[0], parts[-1] if len(parts) > 1 else "O"))
    if current:
        sentences.append(current)
    out = []
    for tokens in sentences:
        offsets, pos = [], 0
        for word, _ in tokens:
            offsets.append((pos, pos + len(word)))
            pos += len(word) + 1
        text = " ".join(w for w, _ in tokens)
        spans: dict[str, list[tuple[int, int, int]]] = {}
        i = 0
        while i < len(tokens):
            tag = tokens[i][1]
            if tag.startswith("B-"):
                kind = tag[2:]
                j = i + 1
                while j < len(tokens) and tokens[j][1] == f"I-{kind}":
                    j += 1
                spans.setdefault(kind, []).append((offsets[i][0], offsets[j - 1][1], i))
                i = j
            else:
                i += 1
        other = [(s, e) for kind, items in spans.items() if kind != "Skill" for s, e, _ in items]
        out.append(Sentence(text, spans.get("Skill", []), other))
    return out


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class SpanReport:
    """Overlap counts of the extractor's mentions against the labelled Skill spans."""

    predicted: int = 0
    predicted_correct: int = 0
    predicted_entity: int = 0
    gold: int = 0
    gold_found: int = 0
    exact: int = 0
    tech_predicted: int = 0
    tech_predicted_correct: int = 0
    tech_gold: int = 0
    tech_found: int = 0
    errors: list[str] = field(default_factory=list)


def check_tech_spans(sentences: list[Sentence]) -> None:
    """Refuse to score when TECH_SPANS no longer names the data set's spans."""
    for s, t, label in TECH_SPANS:
        gold = {g[2]: sentences[s].text[g[0] : g[1]] for g in sentences[s].gold}
        if gold.get(t) != label:
            raise ValueError(f"TECH_SPANS out of date at sentence {s}, token {t}: {gold.get(t)!r}")


def evaluate_spans(sentences: list[Sentence]) -> SpanReport:
    """Count the extractor's hits on every labelled sentence (overlap matching)."""
    check_tech_spans(sentences)
    tech_keys = {(s, t) for s, t, _ in TECH_SPANS}
    r = SpanReport()
    for idx, sent in enumerate(sentences):
        mentions = extract_skills(sent.text)
        spans = [(m.start, m.end) for m in mentions]
        for m in mentions:
            hit = any(overlaps((m.start, m.end), (g[0], g[1])) for g in sent.gold)
            r.predicted += 1
            r.predicted_correct += hit
            r.predicted_entity += hit or any(overlaps((m.start, m.end), o) for o in sent.other)
            if m.category in TECH_CATEGORIES:
                r.tech_predicted += 1
                r.tech_predicted_correct += hit
            if not hit:
                r.errors.append(f"  FP  [{idx}] {m.surface!r} -> {m.skill_id} | {sent.text[:110]}")
        for g in sent.gold:
            found = any(overlaps(s, (g[0], g[1])) for s in spans)
            r.exact += (g[0], g[1]) in spans
            r.gold += 1
            r.gold_found += found
            if (idx, g[2]) in tech_keys:
                r.tech_gold += 1
                r.tech_found += found
                if not found:
                    r.errors.append(f"  FN  [{idx}] tech span {sent.text[g[0] : g[1]]!r}")
    return r


@dataclass
class HeldOutReport:
    """Technology recall and precision on the hand-labelled TTS lines."""

    lines: int = 0
    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0
    unknown: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0


def evaluate_held_out() -> HeldOutReport:
    """Score technology extraction on HELD_OUT (see its comment for how a hit is judged)."""
    taxonomy = load_taxonomy()
    r = HeldOutReport(lines=len(HELD_OUT))
    for line, names, *more in HELD_OUT:
        also = {s.id for n in (more[0] if more else ()) if (s := taxonomy.by_name(n))}
        gold = set()
        for name in names:
            skill = taxonomy.by_name(name)
            if skill is None:
                r.unknown.append(name)
            else:
                gold.add(skill.id)
        r.gold += len(names)
        every = {m.skill_id for m in extract_skills(line)}
        got = {s for s in every if s in taxonomy and taxonomy[s].is_technology}
        # A hand-written name may be a concept category (DevOps is a method): count it found
        # when the extractor names it, whatever its category.
        r.found += len(gold & every)
        r.predicted += len(got)
        r.correct += len(got & (gold | also))
        if gold - every or got - gold - also:
            extra = sorted(got - gold - also)
            r.errors.append(f"- {line[:80]}\n    missed {sorted(gold - every)} extra {extra}")
    return r


def measure(ctx: Context) -> list[Measure]:
    """Return span and technology precision/recall on Green 2022 and the held-out TTS lines."""
    sentences = load_green(GREEN_CONLL)
    spans = evaluate_spans(sentences)
    green = f"Green 2022 job-ad sentences ({len(sentences)} sentences, {spans.gold} Skill spans)"
    tech = f"Green 2022, {spans.tech_gold} hand-marked technology spans"
    held_out = evaluate_held_out()
    tts = f"{held_out.lines} hand-labelled lines of 18F/TTS postings ({held_out.gold} technologies)"

    def ratio(a: int, b: int) -> float:
        return rounded(a / b) if b else 0.0

    return [
        Measure(
            "extraction.spans.precision", ratio(spans.predicted_correct, spans.predicted), green
        ),
        Measure("extraction.spans.recall", ratio(spans.gold_found, spans.gold), green),
        Measure(
            "extraction.technology.precision",
            ratio(spans.tech_predicted_correct, spans.tech_predicted),
            tech,
        ),
        Measure("extraction.technology.recall", ratio(spans.tech_found, spans.tech_gold), tech),
        Measure("extraction.heldout.precision", rounded(held_out.precision), tts),
        Measure("extraction.heldout.recall", rounded(held_out.recall), tts),
    ]
