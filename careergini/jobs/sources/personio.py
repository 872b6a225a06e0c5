"""Personio's public XML feed: ``GET https://{company}.jobs.personio.de/xml?language=en``.

The answer is ``<workzag-jobs>`` with one ``<position>`` a job: ``id``, ``subcompany``,
``office`` (and ``additionalOffices/office``), ``department``, ``name`` (the title),
``jobDescriptions/jobDescription`` (``name`` heading + HTML ``value``), ``employmentType``
(permanent, intern, trainee, freelance...), ``schedule`` (full-time, part-time...),
``seniority``, ``yearsOfExperience`` and ``createdAt``. The job's page is
``https://{company}.jobs.personio.de/job/{id}``.
"""

from __future__ import annotations

from typing import Any

from careergini.jobs.sources.base import (
    FetchResult,
    RawPosting,
    SourceContext,
    SourceError,
    company_url,
    get_board,
    subdomain_from,
)
from careergini.jobs.sources.text import clean_line, html_to_text, parse_datetime
from careergini.jobs.sources.xmlfeed import child_text, children, load, local

KIND = "personio"
DOMAINS = ("jobs.personio.de", "jobs.personio.com")
SCHEDULE = {
    "full-time": "full-time",
    "part-time": "part-time",
    "full-or-part-time": "full-time",
}
EMPLOYMENT = {"intern": "internship", "trainee": "internship", "freelance": "contract"}


def normalise_identifier(identifier: str) -> str:
    return subdomain_from(identifier, domain=DOMAINS, what="Personio company")


def default_name(identifier: str) -> str:
    return identifier.replace("-", " ").title()


def parse(data: bytes, *, company: str | None, public_base: str) -> FetchResult:
    """Read Personio's XML positions; raise SourceError when it is not such a feed."""
    root = load(data, what="Personio")
    if local(root.tag) != "workzag-jobs":
        raise SourceError("Personio answered, but not with its job feed (no <workzag-jobs>).")
    result = FetchResult()
    for position in children(root, "position"):
        external = child_text(position, "id") or ""
        title = clean_line(child_text(position, "name"))
        if not external or not title:
            result.skip_unreadable(external)
            continue
        parts = []
        for block in children(position, "jobDescriptions"):
            for description in children(block, "jobDescription"):
                heading = clean_line(child_text(description, "name"))
                body = html_to_text(child_text(description, "value"))
                if body:
                    parts.append("\n".join(filter(None, [heading, body])))
        offices = [child_text(position, "office")]
        for extra in children(position, "additionalOffices"):
            offices.extend(child_text_all(extra, "office"))
        employment = EMPLOYMENT.get(str(child_text(position, "employmentType") or "").lower())
        schedule = SCHEDULE.get(str(child_text(position, "schedule") or "").lower())
        result.postings.append(
            RawPosting(
                external_id=external,
                title=title,
                company=company or clean_line(child_text(position, "subcompany"), limit=200),
                location=clean_line("; ".join(o for o in offices if o)),
                description="\n".join(parts),
                url=f"{public_base}/job/{external}",
                posted_at=parse_datetime(child_text(position, "createdAt")),
                employment_type=employment or schedule,
            )
        )
    return result


def child_text_all(node: Any, name: str) -> list[str]:
    return [(c.text or "").strip() for c in children(node, name) if (c.text or "").strip()]


async def fetch(
    ctx: SourceContext, *, identifier: str, name: str | None, options: dict[str, Any]
) -> FetchResult:
    base = company_url(ctx.settings.jobs_personio_url, identifier)
    response = await get_board(
        ctx,
        f"{base}/xml?language=en",
        board=f'Personio company "{identifier}"',
        missing=f'Personio has no careers site "{identifier}" (HTTP 404). Check the name: it '
        "is the first part of <name>.jobs.personio.de.",
        accept="application/xml, text/xml",
    )
    return parse(response.content, company=name, public_base=base)
