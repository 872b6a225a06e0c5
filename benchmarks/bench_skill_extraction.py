"""Benchmark the skill extractor: precision/recall on labelled job-ad spans, and latency.

    python benchmarks/bench_skill_extraction.py [--data ../shared/data] [--errors] [--runs 300]

Quality, on ``jobs/green2022-skill-spans`` (Green et al., LREC 2022, CC BY 4.0): 336 job-ad
sentences with 676 crowd-labelled Skill spans. Each sentence is rebuilt by joining its CoNLL tokens
with single spaces, so gold spans become character spans of that text.

How a hit is judged (overlap, not exact boundaries, because the labels are loose phrases such as
"Desktop Technologies Active Directory design" while the extractor returns "Active Directory"):
- a predicted mention is correct when its span overlaps a gold Skill span;
- a gold Skill span is found when at least one predicted mention overlaps it.
"Technology" rows restrict the predictions to technology categories (languages, frameworks,
databases, cloud, tools...) and the gold spans to the 68 that name a concrete technology (a
product, language, platform, protocol or OS), listed in TECH_SPANS below and chosen by reading
every labelled span, independently of the extractor. Most labelled spans are soft or business
skills phrased freely ("influence cross functional teams"), so overall recall is low by design:
the extractor favours precision and named skills.

Latency: extraction of a two-page resume (about 700 words, built in below), after warm-up; the
one-off cost of loading the taxonomy and building the matcher is reported separately.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from careergini.skills.extraction import (  # noqa: E402
    SkillMention,
    extract_skills,
    get_extractor,
)
from careergini.skills.taxonomy import load_taxonomy  # noqa: E402
from evaluation.extraction import Sentence, evaluate_spans, load_green  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data"

RESUME = """\
JANE DOE
Senior Software Engineer | jane.doe@example.com | github.com/janedoe | San Francisco, CA

SUMMARY
Backend engineer with 8 years of experience building scalable Python and Go services, data
pipelines and machine learning platforms. Comfortable owning systems end to end, from design
reviews to on-call. I excel at mentoring and at turning vague requirements into shipped products.

TECHNICAL SKILLS
Languages: Python, Go, Java, TypeScript, SQL, Bash, R
Frameworks: Django, FastAPI, Flask, Spring Boot, React, Node.js
Data: PostgreSQL, MySQL, Redis, Kafka, Apache Spark, Airflow, Snowflake, pandas, NumPy
Cloud & DevOps: AWS (EC2, S3, Lambda), GCP, Docker, Kubernetes, Terraform, Jenkins, GitHub Actions
ML: scikit-learn, PyTorch, TensorFlow, MLflow, Hugging Face Transformers

EXPERIENCE
Acme Corp - Senior Software Engineer (Jan 2021 - Present)
- Led the migration of a monolith to microservices in Go and Python, cutting p95 latency by 40%.
- Designed REST APIs and gRPC services used by 30 teams; wrote the API style guide.
- Built event-driven pipelines on Kafka and Spark Structured Streaming processing 2B events/day.
- Introduced CI/CD with GitHub Actions, Docker and Helm; deployments went from weekly to daily.
- Ran the go-to-market data work for a new product line with the sales team in Spring 2023.
- Mentored 5 engineers; ran design reviews and code reviews; improved on-call runbooks.

StartupCo - Software Engineer (Jun 2017 - Dec 2020)
- Developed payment processing in Java 11 with Spring and Hibernate on PostgreSQL.
- Wrote data quality checks in pandas and SQL; built Tableau dashboards for finance.
- Automated infrastructure with Terraform and Ansible on AWS; managed EKS clusters.
- Built a recommendation model with scikit-learn and XGBoost, served with FastAPI.
- Worked in an Agile team using Scrum and Jira; wrote documentation in Confluence.

Globex Bank - Software Engineer, Payments Platform (Aug 2015 - May 2017)
- Maintained a C# and .NET Core settlement service backed by Microsoft SQL Server and Redis.
- Wrote T-SQL stored procedures and SSIS packages for nightly reconciliation with partner banks.
- Replaced a cron-driven batch with RabbitMQ consumers; cut end-of-day processing from 4h to 40m.
- Added unit tests with xUnit and integration tests in Postman; set up Azure DevOps pipelines.
- Worked with compliance on PCI DSS audits; documented data flows in Visio and Confluence.
- Supported the go-live of the new card platform; joined the on-call rotation from week one.
- Presented quarterly reliability reviews to the CTO; mentored two graduate engineers.

Data Analytics Inc. - Data Analyst Intern (Summer 2016)
- Cleaned survey data in R and Excel; presented findings to stakeholders in PowerPoint.
- Wrote SQL queries against a Microsoft SQL Server warehouse; automated reports with VBA.

PROJECTS
- Open-source contributor to a Rust CLI for log analysis (1.2k GitHub stars).
- Wrote a small compiler for a teaching language in OCaml, with a web playground in Svelte.
- Home lab: Proxmox, Ubuntu Server, Ansible playbooks, Prometheus and Grafana dashboards.
- Built a Chrome extension in TypeScript that summarises pull requests with a local LLM.
- Maintains a static blog generated with Hugo and deployed to Netlify through GitHub Actions.
- Built a Flutter app with Firebase for a local food bank; swift delivery of volunteer schedules.
- Kaggle: top 5% in a tabular competition with LightGBM and careful feature engineering.

EDUCATION
B.S. Computer Science, State University (2011 - 2015). Coursework: algorithms, data structures,
operating systems, distributed systems, statistics, linear algebra, computer vision, NLP.
Senior thesis: "Approximate nearest-neighbour search on GPUs", written in C++ with CUDA; graded A.
Teaching assistant for Introduction to Programming (Java) and Databases (SQL, relational algebra).

PUBLICATIONS AND TALKS
- "Backpressure in practice", PyCon US 2022 (talk); "Idempotent payments", internal tech talk.
- Co-author of a workshop paper on feature stores for real-time fraud detection (KDD 2021).

LEADERSHIP AND VOLUNTEERING
- Organiser of the local Python user group (300 members): monthly talks, workshops for beginners.
- Volunteer mentor at a coding bootcamp for career changers; reviewed capstone projects.

CERTIFICATIONS
AWS Certified Solutions Architect - Associate; Certified Kubernetes Application Developer (CKAD)

ADDITIONAL
Strong communication skills, problem solving and attention to detail. Fluent in English and
Spanish. Volunteer chef at the community kitchen; enjoys rock climbing and the Rust Belt's
industrial history; plays the C major scale badly on guitar.
"""


def evaluate(sentences: list[Sentence], show_errors: bool) -> list[tuple[str, str, str]]:
    try:
        r = evaluate_spans(sentences)
    except ValueError as exc:
        raise SystemExit(str(exc)) from exc
    if show_errors:
        print("Errors (FP: predicted, overlaps no Skill span; FN: technology span not found):")
        print("\n".join(sorted(r.errors)))
        print()

    def pct(a: int, b: int) -> str:
        return f"{100 * a / b:5.1f}%  ({a}/{b})" if b else "n/a"

    return [
        (
            "precision, all predictions",
            pct(r.predicted_correct, r.predicted),
            "overlaps a Skill span",
        ),
        (
            "precision, lenient",
            pct(r.predicted_entity, r.predicted),
            "overlaps any labelled entity",
        ),
        ("recall, all Skill spans", pct(r.gold_found, r.gold), "mostly free-text soft skills"),
        ("exact-boundary matches", pct(r.exact, r.gold), "same start and end"),
        (
            "precision, technology",
            pct(r.tech_predicted_correct, r.tech_predicted),
            "tech-category predictions",
        ),
        ("recall, technology spans", pct(r.tech_found, r.tech_gold), "68 hand-marked tech spans"),
    ]


def latency(runs: int) -> list[tuple[str, str, str]]:
    load_taxonomy.cache_clear()
    t0 = time.perf_counter()
    taxonomy = load_taxonomy()
    t1 = time.perf_counter()
    get_extractor(taxonomy)
    t2 = time.perf_counter()
    for _ in range(20):
        extract_skills(RESUME)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        found: list[SkillMention] = extract_skills(RESUME)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p50 = statistics.median(samples)
    p95 = samples[min(len(samples) - 1, int(0.95 * len(samples)))]
    words = len(RESUME.split())
    return [
        ("taxonomy load (cold)", f"{(t1 - t0) * 1000:.0f} ms", f"{len(taxonomy)} skills"),
        ("matcher build (once)", f"{(t2 - t1) * 1000:.0f} ms", "token trie of all aliases"),
        ("resume extraction p50", f"{p50:.2f} ms", f"{words} words, {len(found)} mentions"),
        ("resume extraction p95", f"{p95:.2f} ms", f"{runs} runs"),
    ]


def print_table(title: str, rows: list[tuple[str, str, str]]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    print(title)
    print("-" * (sum(widths) + 6))
    for row in rows:
        print(f"{row[0]:<{widths[0]}}   {row[1]:>{widths[1]}}   {row[2]}")
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--errors", action="store_true", help="list false positives and misses")
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    rows = latency(args.runs)
    conll = args.data / "jobs" / "green2022-skill-spans" / "testset.conll.txt"
    if conll.exists():
        sentences = load_green(conll)
        print_table(
            f"Skill spans, green2022 ({len(sentences)} sentences, overlap matching)",
            evaluate(sentences, args.errors),
        )
    else:
        print(f"(no labelled spans at {conll}; quality part skipped)\n")
    print_table("Latency", rows)
    if args.errors:
        print("Mentions in the built-in resume:")
        for m in extract_skills(RESUME):
            print(f"  {m.surface!r:<34} {m.skill_id:<24} {m.category}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
