"""The user's review of a draft: the per-item report, accept/reject decisions and edits.

An edit is grounding-checked against the profile (with the job's title and company as targets
for a cover letter); an unsupported fact is refused, never stored.
"""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.db import utcnow
from careergini.profile import service as profile_service
from careergini.resume import grounding, tailor
from careergini.resume.errors import NoProfileForResume, UnsupportedFacts
from careergini.resume.schemas import Item, ItemReport
from careergini.skills.service import professional_years


def item_report(
    item: Item, *, position_key: str | None = None, included: bool = True
) -> ItemReport:
    return ItemReport(
        id=item.id,
        position_key=position_key,
        source=item.source,
        output=item.text,
        status=item.status,
        reason=item.reason,
        unsupported=item.unsupported,
        proposed=item.proposed,
        decision=item.decision,
        included=included,
    )


async def edit_evidence(
    *, session: AsyncSession, owner_id: uuid.UUID, targets: list[str] | None = None
) -> grounding.Evidence:
    """Gather what the user's current profile states, for checking an edit."""
    evidence, _ = await edit_context(session=session, owner_id=owner_id, targets=targets)
    return evidence


async def edit_context(
    *, session: AsyncSession, owner_id: uuid.UUID, targets: list[str] | None = None
) -> tuple[grounding.Evidence, dict[str, str]]:
    """Gather the current profile's evidence and the text of each position, by its key.

    A bullet's edit may state what its position says *now* in the profile (a line the user
    just added there), not only what the bullet said when the resume was made.
    """
    profile = await profile_service.build_profile(session=session, owner_id=owner_id)
    if profile is None:
        raise NoProfileForResume()
    now = utcnow()
    years = professional_years(profile.work, now_year=now.year, now_month=now.month)
    evidence = tailor.profile_evidence(
        profile,
        years=int(years) if years and years >= 1 else None,
        targets=targets or [],
        years_experience=years,
    )
    positions = {
        entry.key: "\n".join(filter(None, [entry.title, entry.company, *entry.bullets]))
        for entry in profile.work
        if not entry.hidden
    }
    return evidence, positions


def decide(item: Item, action: str) -> None:
    """Apply the user's accept or reject to one item."""
    if action == "accept":
        item.decision = "accepted"
    elif action == "reject":
        item.text, item.decision = item.source, "rejected"
        item.reason = "You kept your own text instead of the change."


def apply_edit(
    item: Item,
    text: str,
    *,
    evidence: grounding.Evidence,
    source: str | None,
    where: str,
    context_dates: set[tuple[int, int | None]] | None = None,
    position_key: str | None = None,
    position: str | None = None,
    source_name: str = "the source bullet",
) -> None:
    """Check the user's text and store it on the item; raise when a fact is unsupported."""
    text = " ".join(text.split())
    result = grounding.check(
        text,
        evidence=evidence,
        source=source,
        context_dates=context_dates or (),
        source_name=source_name,
    )
    if not result.ok:
        raise UnsupportedFacts(
            where, result.reasons(), position_key=position_key, position=position, text=text
        )
    item.text, item.status, item.decision = text, "edited", "accepted"
    item.unsupported = []
    item.reason = "Edited by you; every fact in it is traced to your profile."
