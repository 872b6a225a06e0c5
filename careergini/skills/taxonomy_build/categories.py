"""Sort source entries into the taxonomy's categories by their O*NET commodity or ESCO group."""

from __future__ import annotations

from collections import Counter

# O*NET commodity titles (UNSPSC) to a category, first match wins.
_COMMODITY_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("operating system", "os"),
    ("data base management", "database"),
    ("object oriented data base", "database"),
    ("data base user interface", "database"),
    ("data base reporting", "data_ml"),
    ("business intelligence", "data_ml"),
    ("data mining", "data_ml"),
    ("analytical or scientific", "data_ml"),
    ("object or component oriented", "framework"),
    ("web platform development", "framework"),
    ("graphical user interface development", "framework"),
    ("compiler", "devops"),
    ("program testing", "devops"),
    ("configuration management", "devops"),
    ("file versioning", "devops"),
    ("cloud-based protection", "security"),
    ("cloud-based", "cloud"),
    ("security", "security"),
    ("virus", "security"),
    ("authentication", "security"),
    ("network", "networking"),
    ("switch or router", "networking"),
    ("lan software", "networking"),
    ("wan switching", "networking"),
    ("internet protocol", "networking"),
    ("communications server", "networking"),
    ("graphics", "design"),
    ("photo", "design"),
    ("computer aided design", "design"),
    ("computer aided manufacturing", "design"),
    ("video creation", "design"),
    ("desktop publishing", "design"),
    ("music or sound", "design"),
    ("map creation", "design"),
    ("enterprise resource planning", "business"),
    ("accounting", "business"),
    ("financial", "business"),
    ("customer relationship", "business"),
    ("human resources", "business"),
    ("sales and marketing", "business"),
    ("tax", "business"),
    ("procurement", "business"),
    ("point of sale", "business"),
    ("inventory", "business"),
    ("materials requirements", "business"),
    ("project management", "tool"),
)

# ESCO broader groups (and label hints) to a category, first match wins.
_ESCO_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("computer programming", "language"),
    ("query languages", "language"),
    ("web programming", "language"),
    ("database management systems", "database"),
    ("software frameworks", "framework"),
    ("digital game creation", "framework"),
    ("software configuration management", "devops"),
    ("ict test automation", "devops"),
    ("project management methodologies", "method"),
    ("penetration testing", "security"),
    ("protecting ict", "security"),
    ("security", "security"),
    ("extraction, transformation and loading", "data_ml"),
    ("digital data", "data_ml"),
    ("quantitative data", "data_ml"),
    ("information and data", "data_ml"),
    ("graphics editor", "design"),
    ("computer aided design", "design"),
    ("audio-visual", "design"),
    ("sound and images", "design"),
    ("learning management systems", "tool"),
    ("marketing", "business"),
    ("business operations", "business"),
    ("financial, business", "business"),
    ("management and administration", "business"),
    ("communications equipment", "networking"),
    ("network", "networking"),
)


def commodity_category(counts: Counter[str]) -> str:
    """Return the category of an O*NET product from its most frequent commodity titles."""
    for title, _ in counts.most_common():
        low = title.lower()
        for needle, category in _COMMODITY_CATEGORIES:
            if needle in low:
                return category
    return "tool"


def esco_category(row: dict[str, str], *, transversal: bool) -> str:
    """Return the category of an ESCO skill from its label and broader groups."""
    if transversal:
        return "soft_skill"
    label = row["preferredLabel"].lower()
    groups = (row.get("broaderConceptPT") or "").lower()
    if "(computer programming)" in label:
        return "language"
    for needle, category in _ESCO_CATEGORIES:
        if needle in groups:
            return category
    return "knowledge" if row.get("skillType") == "knowledge" else "digital"
