"""Clean the labels of the sources: slugs, ESCO's parentheticals, O*NET's product names."""

from __future__ import annotations

import re

from careergini.skills.extraction import alias_tokens
from careergini.skills.taxonomy import MODE_CASE

# Vendor prefixes of O*NET product names; the rest of the name becomes an alias when distinctive.
_VENDORS = sorted(
    [
        "Microsoft",
        "Oracle",
        "Apache",
        "Google",
        "Amazon",
        "Amazon Web Services",
        "IBM",
        "Adobe",
        "Autodesk",
        "Atlassian",
        "The MathWorks",
        "MathWorks",
        "SAP",
        "Apple",
        "Intuit",
        "Dassault Systemes",
        "ESRI",
        "Corel",
        "Bentley",
        "Trimble",
        "StataCorp",
        "National Instruments",
        "Qlik Tech",
        "SmugMug",
        "iParadigms",
        "Blackbaud",
        "Cisco",
        "VMware",
        "Hewlett Packard",
        "Hewlett-Packard",
        "HP",
        "Siemens",
        "PTC",
        "Unity Technologies",
        "Unreal Technology",
        "Eclipse",
        "Mozilla",
        "Citrix",
        "Symantec",
        "McAfee",
        "Infor",
        "Kronos",
        "Henry Schein",
        "Thomson Reuters",
        "Wolters Kluwer",
        "Red Hat",
        "Salesforce",
        "Ansys",
        "ANSYS",
        "Altair",
        "AspenTech",
        "Aspen Technology",
        "Schneider Electric",
        "Rockwell Automation",
        "Honeywell",
        "Emerson",
        "Cerner",
        "Allscripts",
        "Embarcadero",
        "JetBrains",
        "Borland",
        "Novell",
        "Sun Microsystems",
        "Teradata",
        "SAS Institute",
        "Wolfram Research",
        "Waterloo Maple",
        "Cadence",
        "Synopsys",
        "Mentor Graphics",
        "Xilinx",
        "Intel",
        "NVIDIA",
        "Epic",
        "Bloomberg",
        "Hootsuite",
        "Trello",
        "Dell",
        "NetApp",
        "Juniper Networks",
        "Fortinet",
        "Palo Alto Networks",
        "Check Point",
        "BMC Software",
        "Tableau",
        "Meta",
        "Zoho",
        "Sage",
        "Workday",
        "Ellucian",
        "Blackboard",
        "Bentley Systems",
        "Tyler Technologies",
    ],
    key=len,
    reverse=True,
)

SMALL_WORDS = {"and", "of", "for", "the", "or", "to", "in", "on", "a", "an", "with", "by"}
FUNCTION_WORDS = SMALL_WORDS | {"be", "is", "are", "your", "their", "its", "at", "as", "from"}
_PAREN = re.compile(r"\s*\(([^)]*)\)\s*$")
ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,6}$")
_ESCO_URI = re.compile(r"^http://data\.europa\.eu/esco/(?:skill|occupation)/(.+)$")


def clean(label: str) -> str:
    """Return a label with collapsed whitespace."""
    return " ".join(label.split())


def strip_parenthetical(label: str) -> str:
    """Return "Python" for ESCO's "Python (computer programming)"."""
    return _PAREN.sub("", label).strip() or label


def slugify(name: str) -> str:
    """Return a stable URL-safe id for a skill name."""
    s = name.lower()
    for old, new in (
        ("c++", "cpp"),
        ("c#", "csharp"),
        ("f#", "fsharp"),
        ("+", "plus"),
        ("#", "sharp"),
    ):
        s = s.replace(old, new)
    s = re.sub(r"^\.", "dot", s)
    s = s.replace("&", " and ").replace(".", "")
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "skill"


def is_plain_word(alias: str) -> bool:
    """Say whether an alias is one plain capitalised or lowercase word ("Maya", "notes")."""
    return bool(re.fullmatch(r"[A-Z]?[a-z]+", alias))


def esco_id(uri: str) -> str:
    """Return the id part of an ESCO skill or occupation URI (the URI itself if it is not one)."""
    return _ESCO_URI.sub(r"\1", uri)


def variant_of(alt: str, base: str) -> bool:
    """Say whether an ESCO alternative label is a variant of a generic concept, not a product."""
    alt_words = {w for w in alias_tokens(alt)[0] if w.isalpha() and w not in SMALL_WORDS}
    base_words = {w for w in alias_tokens(base)[0] if w.isalpha() and w not in SMALL_WORDS}
    if alt_words & base_words or any(a[:5] == b[:5] for a in alt_words for b in base_words):
        return True
    initials = "".join(w[0] for w in alias_tokens(base)[0] if w not in SMALL_WORDS)
    return alt.isupper() and alt.lower() == initials


def onet_names(example: str) -> tuple[str, list[tuple[str, str | None]]]:
    """Return a display name and extra aliases for an O*NET product name.

    "Geographic information system GIS software" -> "Geographic information system (GIS)" with
    aliases GIS, "Geographic information system" and "GIS software"; "Salesforce software" ->
    "Salesforce"; "Autodesk AutoCAD" keeps its name and gets the alias "AutoCAD" (but "IBM Notes"
    does not get "Notes": a vendor-less ordinary word names too many other things).
    """
    aliases: list[tuple[str, str | None]] = []
    name = example
    had_software = name.endswith(" software")
    if had_software:
        rest = name[: -len(" software")]
        if any(c.isupper() for c in rest[1:]) or len(rest.split()) == 1:
            name = rest
    vendor = next(
        (v for v in _VENDORS if name.startswith(v + " ") and len(name) > len(v) + 1), None
    )
    core = name[len(vendor) + 1 :] if vendor else name
    core_words = core.split()
    if len(core_words) >= 2 and ACRONYM.match(core_words[-1]):
        acronym = core_words[-1]
        expansion = " ".join(core_words[:-1])
        if _abbreviates(acronym, expansion):
            aliases.append((acronym, MODE_CASE if len(acronym) <= 4 else None))
            aliases.append((expansion, None))
            if had_software:
                aliases.append((f"{acronym} software", None))
            if vendor:
                aliases.append((f"{vendor} {acronym}", None))
            display = f"{expansion} ({acronym})"
            return (f"{vendor} {display}" if vendor else display), aliases
    if vendor and (len(alias_tokens(core)[0]) >= 2 or not is_plain_word(core)):
        aliases.append((core, None))
    return name, aliases


def _abbreviates(acronym: str, expansion: str) -> bool:
    """Say whether an acronym abbreviates a phrase: "GIS", "XML" (eXtensible), "EC2"."""
    letters = acronym.rstrip("0123456789").lower()
    words = [w.lower() for w in expansion.split() if w.lower() not in SMALL_WORDS]
    if not letters or not words or letters[0] not in words[0]:
        return False
    rest = iter("".join(words))
    return all(ch in rest for ch in letters) and len(letters) <= len(words) + 1
