"""Resume builder benchmarks: rendering, deterministic tailoring, prompt size, grounding speed.

    python benchmarks/bench_resume.py [--runs 30]

The input is a two-page resume (five positions, six bullets each, education, skills) and a
one-page job posting, both under tests/fixtures/resume/, imported with the product's own
importer and merged as the profile service does.

1. Render time of the tailored two-page resume in each template: PDF (WeasyPrint) and DOCX
   (python-docx), p50/p95 over --runs. Targets: PDF <= 1 s, DOCX <= 200 ms.
2. Tailoring without the LLM (parse the posting, gap analysis, each bullet's similarity to the
   job, selection and order, summary, grounding check of the result), as the service runs it:
   once cold (no bullet embedded yet: the first tailoring after an import), then p50/p95 for the
   same posting again and for a new posting each time (the profile's bullets are embedded once
   and cached by content; the posting is parsed and embedded each time). Target: p95 <= 200 ms.
3. Prompt tokens a tailoring sends to the model (the gateway's estimate, which over-counts:
   3.5 characters a token), for the same resume and posting. Target: <= 3,000.
4. The grounding check alone: bullets checked per second.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from careergini.core.embeddings import Embedder  # noqa: E402
from careergini.profile.aggregate import ImportInput, merge_imports  # noqa: E402
from careergini.profile.parsers import parse_document  # noqa: E402
from careergini.resume import grounding, render, rewrite, service, tailor  # noqa: E402
from careergini.resume.schemas import TEMPLATES  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "resume"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def load_profile(text: str):
    result = parse_document(text.encode(), "resume.txt")
    item = ImportInput(
        id="bench",
        kind=result.document_type.value,
        label="two_page_resume.txt",
        created_at=datetime.now(UTC),
        profile=result.profile,
    )
    return merge_imports([item], now_year=datetime.now(UTC).year)


def timed(fn, runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    profile = load_profile((FIXTURES / "two_page_resume.txt").read_text())
    jd = (FIXTURES / "one_page_jd.txt").read_text()
    embedder = Embedder()

    async def tailor_once(template: str = "classic", posting: str = jd) -> service.Prepared:
        return await service.prepare(
            profile=profile,
            embedder=embedder,
            job_description=posting,
            role_id=None,
            options=tailor.TailorOptions(template=template, position_order="chronological"),
        )

    loop = asyncio.new_event_loop()
    embedder.embed_sync(["warm the model up"])  # loading the model is not tailoring
    started = time.perf_counter()
    prepared = loop.run_until_complete(tailor_once())
    cold = (time.perf_counter() - started) * 1000
    document = prepared.draft.document

    bullets = sum(len(w.bullets) for w in profile.work)
    print(
        f"\nRender the tailored two-page resume ({len(profile.work)} positions, {bullets} "
        f"bullets), {args.runs} runs each"
    )
    print("| template | format | pages | p50 ms | p95 ms | target |\n|---|---|---|---|---|---|")
    for template in TEMPLATES:
        pdf = render.render_pdf(document, template=template)  # warm fonts and templates
        render.render_docx(document, template=template)
        with pdfplumber.open(io.BytesIO(pdf)) as opened:
            pages = len(opened.pages)
        pdf_times = timed(lambda t=template: render.render_pdf(document, template=t), args.runs)
        docx_times = timed(lambda t=template: render.render_docx(document, template=t), args.runs)
        for fmt, times, target in (("PDF", pdf_times, "<= 1000"), ("DOCX", docx_times, "<= 200")):
            print(
                f"| {template} | {fmt} | {pages if fmt == 'PDF' else '-'} | "
                f"{statistics.median(times):.0f} | {percentile(times, 0.95):.0f} | {target} |"
            )

    same = timed(lambda: loop.run_until_complete(tailor_once()), args.runs * 3)
    # A new posting each time (the usual case): the posting is parsed and embedded again; the
    # profile's bullets are already embedded.
    counter = iter(range(10**6))
    new = timed(
        lambda: loop.run_until_complete(
            tailor_once(posting=f"{jd}\nReference: BENCH-{next(counter)}\n")
        ),
        args.runs * 3,
    )
    print("\nTailoring without the LLM (parse JD, gap, similarities, selection, grounding)")
    print("| case | runs | p50 ms | p95 ms | target p95 |\n|---|---|---|---|---|")
    print(f"| first tailoring (cold: nothing embedded yet) | 1 | {cold:.0f} | {cold:.0f} | - |")
    for label, timings in (("same posting again", same), ("a new posting each time", new)):
        print(
            f"| {label} | {len(timings)} | {statistics.median(timings):.1f} | "
            f"{percentile(timings, 0.95):.1f} | <= 200 |"
        )

    print("\nPrompt sent to the model per tailoring (two-page resume, one-page posting)")
    print("| template | bullets sent | prompt chars | est. prompt tokens | budget | target |")
    print("|---|---|---|---|---|---|")
    for template in TEMPLATES:
        draft = loop.run_until_complete(tailor_once(template)).draft
        messages = rewrite.tailor_messages(
            draft.document, prepared.target, tone="neutral", years=draft.years, budget=3000
        )
        chars = sum(len(m["content"]) for m in messages.messages)
        print(
            f"| {template} | {len(messages.ids)} | {chars:,} | {messages.estimate:,} | 3,000 | "
            "<= 3,000 |"
        )

    evidence = prepared.evidence
    pairs = [
        (b.source, b.source.replace("Led", "Guided")) for _, b in tailor.included_bullets(document)
    ]
    checks = 0
    started = time.perf_counter()
    while time.perf_counter() - started < 1.0:
        for source, output in pairs:
            grounding.check(output, evidence=evidence, source=source)
            checks += 1
    elapsed = time.perf_counter() - started
    print("\nGrounding check alone")
    print("| bullets checked | seconds | bullets/s |\n|---|---|---|")
    print(f"| {checks} | {elapsed:.2f} | {checks / elapsed:,.0f} |")
    loop.close()


if __name__ == "__main__":
    main()
