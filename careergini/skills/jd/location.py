"""Read where the job is and for whom: the place, the company, and the remote policy."""

from __future__ import annotations

import re

from careergini.skills.jd.document import Document, LogicalLine, PhysicalLine
from careergini.skills.jd.schemas import Cue, RemoteInfo, RemotePolicy, SectionKind
from careergini.skills.jd.words import ROLE_NOUN_RE, has_any, phrases, words

_US_STATES = words(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC ON QC BC AB MB NS NSW "
    "VIC QLD"
)
_REGIONS = frozenset(
    s.lower()
    for s in (
        *_US_STATES,
        *words("USA US U.S. U.S.A. UK U.K. UAE EU EMEA APAC LATAM NCR"),
        *phrases(
            "United States|United Kingdom|England|Scotland|Wales|Ireland|Northern Ireland|"
            "Canada|Australia|New Zealand|India|Germany|France|Spain|Portugal|Italy|"
            "Netherlands|Belgium|Switzerland|Austria|Sweden|Norway|Denmark|Finland|Poland|"
            "Czech Republic|Czechia|Romania|Hungary|Greece|Turkey|Israel|Egypt|Nigeria|"
            "Kenya|South Africa|Brazil|Mexico|Argentina|Chile|Colombia|Japan|China|"
            "Singapore|Malaysia|Indonesia|Philippines|Vietnam|Thailand|South Korea|Korea|"
            "Pakistan|Bangladesh|Sri Lanka|Ukraine|Estonia|Lithuania|Latvia|Luxembourg|"
            "Remote|California|New York|Texas|Washington|Massachusetts|Illinois|Florida|"
            "Colorado|Georgia|Ontario|Quebec|British Columbia|Haryana|Karnataka|"
            "Maharashtra|Tamil Nadu|Telangana|Delhi|Delhi NCR|Uttar Pradesh|West Bengal|"
            "Gujarat|Kerala|Punjab|Rajasthan|Bavaria|Greater London"
        ),
    )
)
_LOCATION_LABEL_RE = re.compile(
    r"^(?:job\s+|work\s+|office\s+|primary\s+)?(?:locat\w*|based\s+in|city|where|workplace)"
    r"\s*[:\-–—]\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_BASED_IN_RE = re.compile(
    r"\bbased\s+(?:in|out\s+of)\s+(?P<value>[A-Z][\w'’-]*(?:(?:\s+|,\s*)[A-Z][\w'’-]*){0,3})"
)
_HEADER_SPLIT_RE = re.compile(r"\s+[·|•—–]\s+|\s+-\s+|\s{2,}")
_COMPANY_LABEL_RE = re.compile(
    r"^(?:company(?:\s+name|\s+profile)?|employer|organi[sz]ation|hiring\s+company|client)"
    r"\s*[:\-–—]\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_NAME = r"[A-Z][\w&.'’-]*(?:\s+(?:[A-Z0-9][\w&.'’-]*|&|of|and|de|la))*?"
# Each pattern with the words a line must hold for it to be worth trying.
_COMPANY_PROSE_RES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(rf"(?:^|[.!?]\s+)At\s+(?P<value>{_NAME}),\s+(?:we|our)\b"), ("at ",)),
    (
        re.compile(
            rf"(?:^|[.!?]\s+)(?P<value>{_NAME})\s+(?:is|are)\s+(?:an?|the)\s+"
            r"(?:[\w-]+\s+){0,6}?(?:company|leader|startup|firm|provider|business|organi[sz]ation|"
            r"agency|platform|team|group|studio|consultancy|marketplace|bank|employer)\b"
        ),
        (" is ", " are "),
    ),
    (
        re.compile(
            rf"\b(?:as|is)\s+an?\s+(?:[\w-]+\s+){{1,5}}?at\s+(?P<value>{_NAME})"
            r"(?=[,.]|\s+(?:you|is|will))"
        ),
        (" at ",),
    ),
    (re.compile(rf"\bjoin\s+(?P<value>{_NAME})(?:'s)?\s+(?:as|in|and|to|on)\b"), ("join ",)),
)
_NOT_COMPANY = frozenset(
    words(
        "we our the this it there that here you he she they each a an us job role team "
        "position company about"
    )
)


def _split_place(text: str) -> tuple[str | None, str | None]:
    """Split "Acme, San Francisco, CA, USA" into (company, place); (None, None) if no place."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) < 2 or len(parts) > 5 or not all(parts) or len(text) > 80:
        if text.strip().lower() in _REGIONS and text.strip().lower() != "remote":
            return None, text.strip()
        return None, None
    regions = 0
    while regions < len(parts) and parts[len(parts) - 1 - regions].lower() in _REGIONS:
        regions += 1
    if regions == 0:
        return None, None
    rest = parts[: len(parts) - regions]
    if not rest:
        return None, ", ".join(parts)
    if not all(re.fullmatch(r"[A-Z][\w.'’ -]*", p) for p in rest):
        return None, None
    if len(rest) == 1:
        return None, ", ".join(parts)
    return ", ".join(rest[:-1]), ", ".join(parts[len(rest) - 1 :])


def find_place_and_company(doc: Document, title_line: int | None) -> tuple[str | None, str | None]:
    """Return (company, location): from labels, the header lines, then the prose."""
    company, location = _labelled_company_and_place(doc)
    if location is None or company is None:
        named, place = _header_company_and_place(doc, title_line, location_known=bool(location))
        location = location or place
        company = company if company is not None else named
    if company is None and title_line is not None:
        company = _company_under_title(doc, title_line)
    if company is None:
        company = _company_from_about(doc) or _company_from_prose(doc)
    if location is None:
        location = _based_in(doc)
    return company, location


def _labelled_company_and_place(doc: Document) -> tuple[str | None, str | None]:
    """Read "Company: Acme" and "Location: Berlin" lines."""
    location: str | None = None
    company: str | None = None
    for text in [line.text for line in doc.first_lines] + [ln.text for ln in doc.lines[:40]]:
        if company is None and (match := _COMPANY_LABEL_RE.match(text)):
            company = match.group("value").strip(" .")
        if location is None and (match := _LOCATION_LABEL_RE.match(text)):
            location = match.group("value").strip(" .!")
            if _REMOTE_RE.search(location) and not location.lower().startswith("remote"):
                location = "Remote"  # "Location: the comfort of your own home!"
    return company, location


def _header_company_and_place(
    doc: Document, title_line: int | None, *, location_known: bool
) -> tuple[str | None, str | None]:
    """Read the first header line that names a place; only the first when the place is known."""
    header = [
        line
        for line in doc.first_lines
        if line.heading is None and line.number != title_line and not line.bullet
    ]
    for line in header[:4]:
        found = _company_and_place_in(line.text)
        if found is not None or location_known:
            return found or (None, None)
    return None, None


def _company_and_place_in(text: str) -> tuple[str | None, str] | None:
    """Read "Acme, Berlin, Germany" or "Acme · Berlin, Germany · Hybrid"."""
    parts = [p.strip() for p in _HEADER_SPLIT_RE.split(text) if p.strip()]
    for index, part in enumerate(parts):
        named, place = _split_place(part)
        if not place and index > 0 and re.match(r"(?i)remote\b", part):
            # "Acme Payments - Remote (US)": the place is "remote", maybe with a region.
            named, place = None, part
        if not place:
            continue
        if not named and index > 0 and _looks_like_company_line(parts[0]):
            named = parts[0]
        return named, place
    return None


def _company_under_title(doc: Document, title_line: int) -> str | None:
    """Return a company name on one of the two lines under the title."""
    after: list[PhysicalLine] = [ln for ln in doc.first_lines if ln.number > title_line][:2]
    for line in after:
        if line.heading is not None and line.heading.kind is not None:
            break
        if _looks_like_company_line(line.text):
            return line.text
    return None


def _based_in(doc: Document) -> str | None:
    """Return the place of "based in Berlin" in the first lines of the text."""
    for logical in doc.lines[:30]:
        if match := _BASED_IN_RE.search(logical.text):
            return match.group("value").strip(" ,.")
    return None


def _looks_like_company_line(text: str) -> bool:
    tokens = text.split()
    if not 1 <= len(tokens) <= 5 or text.endswith((".", ":", "!", "?")) or ":" in text:
        return False
    if ROLE_NOUN_RE.search(text) or _split_place(text)[1]:
        return False
    return all(w[0].isupper() or w[0].isdigit() or w in ("&", "of", "and") for w in tokens)


def _company_from_about(doc: Document) -> str | None:
    for section in doc.sections:
        if section.kind is SectionKind.ABOUT and section.heading:
            match = re.match(r"^about\s+(?P<name>.+)$", section.heading, re.IGNORECASE)
            if match:
                name = match.group("name").strip(" :")
                if name.split()[0].lower() not in _NOT_COMPANY and name[0].isupper():
                    return name
    return None


def _company_from_prose(doc: Document) -> str | None:
    for logical in doc.lines[:20]:
        for pattern, hints in _COMPANY_PROSE_RES:
            if not has_any(logical.lower, hints):
                continue
            for match in pattern.finditer(logical.text):
                name = match.group("value").strip(" ,.")
                first = name.split()[0].lower() if name else ""
                if not name or first in _NOT_COMPANY or ROLE_NOUN_RE.search(name):
                    continue
                if len(name.split()) > 5:
                    continue
                return name
    return None


# ---------------------------------------------------------------------------------------------
# Remote policy
# ---------------------------------------------------------------------------------------------

_REMOTE_LABEL_RE = re.compile(
    r"^(?:work(?:ing)?\s+remotely|remote(?:\s+work(?:ing)?)?|remote\s+(?:option|possible|policy)|"
    r"work\s+(?:model|mode|arrangement|location|setup|type|style)|workplace(?:\s+type)?|"
    r"location\s+type)\s*[:\-–—]\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_REMOTE_NEGATION_RE = re.compile(
    r"\b(?:not\s+(?:a\s+)?(?:fully\s+)?remote|no\s+remote|remote\s+(?:work\s+)?(?:is\s+)?not\s+"
    r"(?:possible|available|an\s+option|offered|supported)|not\s+(?:available|eligible|open)\s+"
    r"(?:for|to)\s+remote|non[- ]remote)\b",
    re.IGNORECASE,
)
_HYBRID_RE = re.compile(
    r"\bhybrid\b(?!\s+(?:cloud|apps?|mobile|models?|vehicles?|cars?|engines?|approach|"
    r"infrastructure|environments?|systems?|solutions?|architectures?|workloads?|integration|"
    r"search|deployments?))|"
    r"\b\d\s*(?:days?)\s*(?:a|per|/)\s*week\s+(?:in|at|from)\s+(?:the|our)\s+office\b|"
    r"\b(?:in|at)\s+(?:the|our)\s+office\s+\d\s*days?\b|\bpartially\s+remote\b|"
    r"\bpartly\s+remote\b|\bremote\s+and\s+(?:in[- ]office|on[- ]?site)\b",
    re.IGNORECASE,
)
_REMOTE_RE = re.compile(
    r"\b(?:(?:fully|100\s?%|completely|temporarily|permanently|entirely|totally)\s+remote(?:ly)?|"
    r"remote(?:ly)?[- ](?:first|friendly|only|ok|eligible|optional|possible|based)|"
    r"remote\s+(?:position|role|job|work(?:ing)?|opportunity|option|setup|contract|team\s+member)|"
    r"work(?:ing)?\s+(?:from\s+home|remotely|from\s+anywhere|fully\s+remote)|wfh|"
    r"telecommut\w*|from\s+(?:the\s+)?comfort\s+of\s+your\s+(?:own\s+)?home|"
    r"comfort\s+of\s+your\s+own\s+home|anywhere\s+in\s+the\s+world)\b|"
    r"\((?:fully\s+)?remote\b[^)]*\)|^\s*remote(?=\s*(?:$|[-–—(,|/:]))",
    re.IGNORECASE,
)
_ONSITE_RE = re.compile(
    r"\bon[- ]?site\b(?!\s+(?:visits?|support|training|meetings?|interviews?|customers?|"
    r"clients?|events?|gym|cafeteria|parking|childcare|amenities))|"
    r"\b(?:in[- ]office|office[- ]based|in[- ]person\s+(?:role|position|job|work))\b|"
    r"\b(?:work|working|based|located)\s+(?:from|in|at)\s+(?:our|the)\s+(?:office|offices|"
    r"headquarters|hq)\b",
    re.IGNORECASE,
)


# The value of "Remote: ..." or "Location: ...", first match wins.
_LABEL_VALUES: tuple[tuple[RemotePolicy, re.Pattern[str]], ...] = tuple(
    (policy, re.compile(pattern))
    for policy, pattern in (
        (RemotePolicy.ONSITE, r"^(?:no|none|not|never|false|0)\b|on[- ]?site"),
        (RemotePolicy.HYBRID, r"hybrid|partial|some days|flexible"),
        (
            RemotePolicy.REMOTE,
            r"^(?:yes|fully|100|temporar|remote|always|true|permanent)|remote|from home|own home",
        ),
    )
)
# Policies stated in the prose, in order of authority: "not remote" beats "hybrid" beats "remote".
_PROSE_POLICIES: tuple[tuple[str, re.Pattern[str], RemotePolicy], ...] = (
    ("negation", _REMOTE_NEGATION_RE, RemotePolicy.ONSITE),
    ("hybrid", _HYBRID_RE, RemotePolicy.HYBRID),
    ("remote", _REMOTE_RE, RemotePolicy.REMOTE),
    ("onsite", _ONSITE_RE, RemotePolicy.ONSITE),
)
_REMOTE_HINTS = phrases(
    "remote|hybrid|site|office|home|person|wfh|telecommut|anywhere|headquarters|hq"
)


def find_remote(doc: Document, location: str | None) -> RemoteInfo | None:
    """Return the remote policy: a labelled one first, then the prose, then the location."""
    found: dict[str, RemoteInfo] = {}
    for index, logical in enumerate(doc.lines):
        if doc.kind_of(logical) in (SectionKind.APPLY, SectionKind.LEGAL):
            continue
        if "label" not in found and (labelled := _labelled_policy(doc.lines, index)) is not None:
            found["label"] = labelled
        if has_any(logical.lower, _REMOTE_HINTS):
            _policies_in_prose(logical, found)
    for name in ("label", *(name for name, _, _ in _PROSE_POLICIES)):
        if name in found:
            return found[name]
    if location and re.search(r"\bremote\b", location, re.IGNORECASE):
        return RemoteInfo(policy=RemotePolicy.REMOTE, cue=Cue(text=location))
    return None


def _labelled_policy(lines: list[LogicalLine], index: int) -> RemoteInfo | None:
    """Read "Remote: yes" or "Location: Remote"; the value may sit on the next line."""
    text = lines[index].text
    remote_label = _REMOTE_LABEL_RE.match(text)
    label = remote_label or _LOCATION_LABEL_RE.match(text)
    if not label:
        return None
    value = label.group("value")
    if not value and index + 1 < len(lines):
        value = lines[index + 1].text
    policy = _policy_of_value(value)
    # A "Location:" value is taken as a policy only when it says remote or hybrid.
    if policy is None or (not remote_label and policy is RemotePolicy.ONSITE):
        return None
    cue = text if label.group("value") else f"{text} {value}"
    return RemoteInfo(policy=policy, cue=Cue(text=cue, line=lines[index].number))


def _policy_of_value(value: str) -> RemotePolicy | None:
    value = value.strip().lower()
    if not value:
        return None
    for policy, pattern in _LABEL_VALUES:
        if pattern.search(value):
            return policy
    return None


def _policies_in_prose(logical: LogicalLine, found: dict[str, RemoteInfo]) -> None:
    """Add the first cue of each policy not found yet that this item states."""
    text = logical.text
    for name, pattern, policy in _PROSE_POLICIES:
        if name in found:
            continue
        if name == "remote" and _REMOTE_NEGATION_RE.search(text):
            continue
        if match := pattern.search(text):
            found[name] = RemoteInfo(
                policy=policy,
                cue=Cue(text=match.group(0).strip(), line=logical.line_at(match.start())),
            )
