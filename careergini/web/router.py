"""Serve the browser SPA: ``index.html`` for the app's pages and its files under ``/assets/``.

Assets are read once, gzipped once, and served from memory under ``/assets/<version>/``, where
the version is a hash of every file: a release changes the URL, so the files can be cached for a
year (``immutable``) and a browser never mixes two releases' modules. ``index.html`` itself is
never cached. Compression happens here rather than in a middleware so streamed API answers (SSE)
are never buffered.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import mimetypes
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

STATIC_DIR = Path(__file__).parent / "static"
ASSET_PREFIX = "/assets"
# The SPA's top-level pages; each also answers for its sub-paths (``/jobs/board``).
SPA_SECTIONS = (
    "login",
    "signup",
    "onboarding",
    "profile",
    "analyse",
    "resumes",
    "jobs",
    "learning",
    "coach",
    "tasks",
    "account",
    "admin",
    "goodbye",
    "notifications",
)
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
_COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
_TYPES = {".js": "text/javascript", ".css": "text/css", ".txt": "text/plain", ".html": "text/html"}

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    gzipped: bytes | None
    media_type: str
    etag: str


@dataclass(frozen=True, slots=True)
class AssetBundle:
    version: str
    files: dict[str, Asset]
    index: Asset


def _asset(body: bytes, media_type: str) -> Asset:
    compressible = media_type.startswith(_COMPRESSIBLE) and len(body) > 512
    gzipped = gzip.compress(body, compresslevel=9, mtime=0) if compressible else None
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    return Asset(body=body, gzipped=gzipped, media_type=media_type, etag=etag)


def _media_type(path: Path) -> str:
    media = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
    media = media or "application/octet-stream"
    return f"{media}; charset=utf-8" if media.startswith("text/") else media


@cache
def load_bundle(root: Path = STATIC_DIR) -> AssetBundle:
    """Read, hash and compress the SPA's files once."""
    paths = sorted(p for p in root.rglob("*") if p.is_file() and p.name != "index.html")
    digest = hashlib.sha256()
    files: dict[str, Asset] = {}
    for path in paths:
        name = path.relative_to(root).as_posix()
        body = path.read_bytes()
        digest.update(name.encode() + b"\0" + body + b"\0")
        files[name] = _asset(body, _media_type(path))
    version = digest.hexdigest()[:12]
    html = (root / "index.html").read_text(encoding="utf-8")
    html = html.replace("%ASSETS%", f"{ASSET_PREFIX}/{version}")
    return AssetBundle(
        version=version, files=files, index=_asset(html.encode(), _media_type(root / "index.html"))
    )


def _accepts_gzip(request: Request) -> bool:
    accepted = request.headers.get("accept-encoding", "")
    return any(part.split(";")[0].strip() == "gzip" for part in accepted.split(","))


def _respond(request: Request, asset: Asset, cache_control: str) -> Response:
    headers = {"Cache-Control": cache_control, "ETag": asset.etag, "Vary": "Accept-Encoding"}
    if asset.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    body = asset.body
    if asset.gzipped is not None and _accepts_gzip(request):
        body = asset.gzipped
        headers["Content-Encoding"] = "gzip"
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return Response(status_code=200, headers=headers, media_type=asset.media_type)
    return Response(body, headers=headers, media_type=asset.media_type)


async def index(request: Request) -> Response:
    """The SPA's page: every client-side route loads the same document."""
    return _respond(request, load_bundle().index, REVALIDATE)


@router.api_route("/assets/{version}/{path:path}", methods=["GET", "HEAD"])
async def asset(version: str, path: str, request: Request) -> Response:
    """One of the SPA's files; cached for a year when the URL carries the current version."""
    bundle = load_bundle()
    found = bundle.files.get(path)
    if found is None:
        raise StarletteHTTPException(404, f"No such asset: {path}.")
    # An old page may still ask for its release's files: answer with today's, uncached.
    return _respond(request, found, IMMUTABLE if version == bundle.version else REVALIDATE)


# The browser clipper (extension/ in the source; ./extension in the container image).
CLIPPER_PAGE = Path(__file__).parent / "clipper.html"
_EXTENSION_DIRS = (Path(__file__).resolve().parents[2] / "extension", Path.cwd() / "extension")


@router.get("/clipper", include_in_schema=False)
async def clipper_page() -> Response:
    """How to install the browser clipper."""
    return Response(CLIPPER_PAGE.read_bytes(), media_type="text/html; charset=utf-8")


@cache
def _clipper_zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            if path.is_file():
                archive.write(path, f"careergini-clipper/{path.name}")
    return buffer.getvalue()


@router.get("/clipper/careergini-clipper.zip", include_in_schema=False)
async def clipper_zip() -> Response:
    """The clipper's files as a ZIP, to load unpacked."""
    folder = next((d for d in _EXTENSION_DIRS if (d / "manifest.json").is_file()), None)
    if folder is None:
        raise StarletteHTTPException(
            404, "This install has no extension/ folder: take it from CareerGini's source."
        )
    return Response(
        _clipper_zip(folder),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="careergini-clipper.zip"'},
    )


router.add_api_route("/", index, methods=["GET", "HEAD"])
for _section in SPA_SECTIONS:
    router.add_api_route(f"/{_section}", index, methods=["GET", "HEAD"])
    router.add_api_route(f"/{_section}/{{rest:path}}", index, methods=["GET", "HEAD"])
