"""What the routers serve: a rendered document (body, media type, file name) as an HTTP response,
and the query that picks another template."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import Query, Response
from fastapi.responses import HTMLResponse, JSONResponse

from careergini.resume.schemas import TEMPLATES

Format = Literal["html", "pdf", "docx", "json"]
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
}
TemplateQuery = Annotated[
    str | None,
    Query(max_length=40, description=f"render with another template: {' | '.join(TEMPLATES)}"),
]
PageSize = Literal["A4", "Letter"]
PageQuery = Annotated[
    PageSize | None,
    Query(description="page size: Letter (US, Canada) or A4; the server's setting when left out"),
]
# The preview is the user's own document: it may be framed by the app itself, and nothing in it
# may load or run anything.
_PREVIEW_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
    "X-Frame-Options": "SAMEORIGIN",
}


@dataclass
class Rendered:
    body: bytes | str | dict[str, Any]
    media_type: str
    filename: str


def slug(*parts: str | None) -> str:
    """Return an ASCII file-name stem made of the given parts."""
    text = " ".join(p for p in parts if p)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    found = re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")
    return found[:80] or "document"


def response(rendered: Rendered) -> Response:
    """Return the rendered document as JSON, a framable HTML preview or a download."""
    if isinstance(rendered.body, dict):
        return JSONResponse(rendered.body)
    if rendered.media_type.startswith("text/html"):
        return HTMLResponse(rendered.body, headers=_PREVIEW_HEADERS)
    disposition = (
        f"attachment; filename=\"{rendered.filename}\"; filename*=UTF-8''{quote(rendered.filename)}"
    )
    return Response(
        rendered.body,
        media_type=rendered.media_type,
        headers={"Content-Disposition": disposition},
    )
