// Analyse a job: paste a job description (or pick a posting) -> the match score with each
// component, the skill gap (matched with evidence / missing / transferable), the ATS report,
// and the next steps (tailor a resume, cover letter, roadmap, interview practice).

import { useState } from "../../vendor/hooks.js";
import { api } from "../api.js";
import {
  Alert,
  Card,
  Chip,
  ErrorAlert,
  Meter,
  Page,
  ScoreRing,
  Spinner,
  Tabs,
  html,
  humanize,
  navigate,
  pct,
  useAction,
  useAsync,
  when,
} from "../ui.js";
import { NEXT_STEPS, PostingNote, PostingPicker, rememberJob, useJobParam } from "./next-steps.js";

const RECENCY_LABEL = { current: "used now", recent: "recent", dated: "a while ago", unknown: "no date" };

function TargetLine({ target }) {
  const parts = [target.company, target.seniority && humanize(target.seniority), target.years_min != null && `${target.years_min}+ years`, `${target.skills} skills asked`];
  return html`<p class="muted">${parts.filter(Boolean).join(" · ")}</p>`;
}

function Breakdown({ match }) {
  return html`<div>
    <table class="table breakdown">
      <caption class="sr-only">How the match score is made</caption>
      <thead><tr><th scope="col">What counts</th><th scope="col">How well</th><th scope="col">Points</th></tr></thead>
      <tbody>
        ${match.components.map(
          (c) => html`<tr>
            <th scope="row">${c.label || humanize(c.name)}<div class="muted small">${c.evidence}</div></th>
            <td class="meter-cell"><${Meter} value=${c.value} label=${c.label || humanize(c.name)} /><span class="small">${pct(c.value)}</span></td>
            <td class="num">${Math.round(c.points)} of ${Math.round(c.max_points || c.weight * 100)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
    ${match.warnings.length > 0 && html`<${Alert} kind="warn"><ul>${match.warnings.map((w) => html`<li>${w}</li>`)}</ul><//>`}
  </div>`;
}

export function GapView({ gap }) {
  const missing = [...gap.missing_required, ...gap.missing_preferred];
  return html`<div class="gap-grid">
    <section class="gap-col gap-matched" aria-labelledby="gap-matched">
      <h3 id="gap-matched">Matched <span class="count">${gap.matched.length}</span></h3>
      ${gap.matched.length === 0 && html`<p class="muted">None of the job's skills found in your profile yet.</p>`}
      <ul class="gap-list">
        ${gap.matched.map(
          (m) => html`<li>
            <div class="gap-name">${m.name} <${Chip} kind=${"chip-" + (m.recency === "current" ? "good" : "plain")}>${RECENCY_LABEL[m.recency] || m.recency}<//>
              ${m.importance !== "required" && html`<${Chip}>${m.importance}<//>`}</div>
            <div class="muted small">Evidence: ${m.evidence.join("; ")}</div>
          </li>`,
        )}
      </ul>
    </section>
    <section class="gap-col gap-missing" aria-labelledby="gap-missing">
      <h3 id="gap-missing">Missing <span class="count">${missing.length}</span></h3>
      ${missing.length === 0 && html`<p class="muted">Nothing missing. Well done.</p>`}
      <ol class="gap-list">
        ${missing.map(
          (m) => html`<li>
            <div class="gap-name">${m.name} ${m.hot && html`<${Chip} kind="chip-hot">hot<//>`} <${Chip}>${m.importance}<//></div>
            <div class="muted small">${m.reason}</div>
          </li>`,
        )}
      </ol>
    </section>
    <section class="gap-col gap-transfer" aria-labelledby="gap-transfer">
      <h3 id="gap-transfer">Transferable <span class="count">${gap.transferable.length}</span></h3>
      ${gap.transferable.length === 0 && html`<p class="muted">No close substitutes found.</p>`}
      <ul class="gap-list">
        ${gap.transferable.map(
          (t) => html`<li>
            <div class="gap-name">${t.name} <span class="muted small">via</span> ${t.via_name}</div>
            <div class="muted small">${t.reason}</div>
          </li>`,
        )}
      </ul>
    </section>
  </div>`;
}

function AtsView({ ats }) {
  const found = { exact: "chip-good", alias: "chip-info", missing: "chip-bad" };
  const notes = ats.keywords.filter((k) => k.note);
  return html`<div class="ats">
    ${ats.document && html`<p class="muted ats-document">Checked: <strong>${ats.document.name}</strong> (${ats.document.kind}${ats.document.uploaded_at ? ", added " + when(ats.document.uploaded_at) : ""}).</p>`}
    <div class="ats-top">
      <div><span class="big-num">${pct(ats.keyword_coverage)}</span><span class="muted"> of the job's keywords found</span>
        <${Meter} value=${ats.keyword_coverage} label="Keyword coverage" /></div>
      <div><span class="big-num">${pct(ats.dates_parseable)}</span><span class="muted"> of dates readable</span>
        <${Meter} value=${ats.dates_parseable} label="Readable dates" /></div>
    </div>
    <h3 class="sub">Keywords</h3>
    <ul class="chips">
      ${ats.keywords.map(
        (k) => html`<li><${Chip} kind=${found[k.found]} title=${k.note || (k.found === "alias" ? `found as “${k.resume_surface}”` : k.found)}>
          <span aria-hidden="true">${k.found === "missing" ? "✕ " : "✓ "}</span>${k.term}${k.found === "alias" ? html` <span class="chip-meta">as ${k.resume_surface}</span>` : ""}
          <span class="sr-only">${k.found === "missing" ? " (missing)" : " (found)"}</span><//></li>`,
      )}
    </ul>
    ${notes.length > 0 && html`<ul class="small ats-notes">${notes.map((k) => html`<li>${k.note}</li>`)}</ul>`}
    <h3 class="sub">Checks</h3>
    <ul class="checks">
      ${ats.checks.map(
        (c) => html`<li class=${c.passed ? "pass" : "fail"}><span class="check-icon" aria-hidden="true">${c.passed ? "✓" : "!"}</span>
          <span><strong>${humanize(c.name)}</strong><span class="sr-only">${c.passed ? " passed" : " failed"}</span>: ${c.detail}</span></li>`,
      )}
      <li class=${ats.sections_missing.length ? "fail" : "pass"}><span class="check-icon" aria-hidden="true">${ats.sections_missing.length ? "!" : "✓"}</span>
        <span><strong>Sections</strong>: found ${ats.sections_found.join(", ") || "none"}${ats.sections_missing.length ? `; missing ${ats.sections_missing.join(", ")}` : ""}</span></li>
      <li class=${Object.values(ats.contact).every(Boolean) ? "pass" : "fail"}><span class="check-icon" aria-hidden="true">${Object.values(ats.contact).every(Boolean) ? "✓" : "!"}</span>
        <span><strong>Contact details</strong>: ${Object.entries(ats.contact).map(([k, v]) => `${k} ${v ? "✓" : "missing"}`).join(", ")}</span></li>
    </ul>
    ${ats.warnings.length > 0 && html`<${Alert} kind="warn"><ul>${ats.warnings.map((w) => html`<li>${w}</li>`)}</ul><//>`}
  </div>`;
}

function Result({ matchId, atsId }) {
  const result = useAsync(async () => {
    const [match, ats] = await Promise.all([
      api(`/api/analysis/${matchId}`),
      atsId ? api(`/api/analysis/${atsId}`).catch(() => null) : null,
    ]);
    return { match, ats };
  }, [matchId, atsId]);
  const [tab, setTab] = useState("gap");
  if (result.loading && !result.data) return html`<${Spinner} label="Loading the analysis…" />`;
  if (result.error) return html`<${ErrorAlert} error=${result.error} />`;
  const { match, ats } = result.data;
  // The stored analysis keeps the pasted job: the next steps open with it, on any device.
  if (match.target.job_text) rememberJob(match.id, { text: match.target.job_text, title: match.target.title, company: match.target.company });
  const m = match.match;
  const gap = match.gap;
  const tabs = [
    { id: "gap", label: "Skill gap", count: gap ? gap.counts.missing : null },
    { id: "score", label: "Score breakdown" },
    ...(ats ? [{ id: "ats", label: "ATS report" }] : []),
  ];
  return html`<div class="analysis" data-analysis=${match.id}>
    <div class="card result-head">
      <div class="result-title">
        <h2>${match.target.title || "This job"}</h2>
        <${TargetLine} target=${match.target} />
        ${m && m.summary && html`<p class="band">${m.band ? html`<strong>${m.band[0].toUpperCase() + m.band.slice(1)}</strong> · ${m.summary.replace(/^[^:]*:\s*/, "")}` : m.summary}</p>`}
        ${m && m.top_reasons.length > 0 && html`<ul class="reasons">${m.top_reasons.map((r) => html`<li>${r}</li>`)}</ul>`}
        ${match.warnings.map((w) => html`<${Alert} kind="warn">${w}<//>`)}
      </div>
      <div class="rings">
        <${ScoreRing} score=${m ? m.score : null} label="Match" />
        ${ats && html`<${ScoreRing} score=${ats.ats.score} label="ATS" />`}
      </div>
    </div>
    <${NextSteps} match=${match} />
    <${Tabs} tabs=${tabs} current=${tab} onChange=${setTab} label="Analysis details" />
    <div class="card tab-panel" role="tabpanel" aria-labelledby=${"tab-" + tab}>
      ${tab === "gap" && gap && html`<${GapView} gap=${gap} />`}
      ${tab === "score" && m && html`<${Breakdown} match=${m} />`}
      ${tab === "ats" && ats && html`<${AtsView} ats=${ats.ats} />`}
    </div>
  </div>`;
}

function NextSteps({ match }) {
  if (!NEXT_STEPS.length) return null;
  return html`<nav class="next-steps" aria-label="Next steps">
    ${NEXT_STEPS.map((s) => html`<a class=${"btn " + (s.primary ? "btn-primary" : "btn-ghost")} href=${s.href(match)}>${s.label}</a>`)}
  </nav>`;
}

function History({ current }) {
  const list = useAsync(() => api("/api/analysis?kind=match"), [current]);
  if (!list.data || !list.data.length) return null;
  return html`<${Card} title="Recent analyses">
    <ul class="list compact">
      ${list.data.slice(0, 8).map(
        (a) => html`<li class="list-item"><a href=${`/analyse/${a.id}`} aria-current=${a.id === current ? "page" : undefined}>${a.target.title || "Job description"}</a>
          <span class="muted small">${a.score != null ? Math.round(a.score) + " · " : ""}${when(a.created_at)}</span></li>`,
      )}
    </ul>
  <//>`;
}

export function Analyse({ loc }) {
  const parts = loc.path.split("/").filter(Boolean);
  const matchId = parts[1] || null;
  const atsId = loc.query.get("ats");
  const posting = useJobParam(loc);
  const [text, setText] = useState("");
  // body: the pasted text, or a saved posting ({job_id}: the server reads its text).
  const run = useAction(async (body) => {
    const [match, ats] = await Promise.all([
      api("/api/analysis/match", { method: "POST", json: body }),
      api("/api/analysis/ats", { method: "POST", json: body }),
    ]);
    if (body.job_description) rememberJob(match.id, { text: body.job_description, title: match.target.title, company: match.target.company });
    navigate(`/analyse/${match.id}?ats=${ats.id}`);
    window.scrollTo(0, 0); // on a phone the result (score, next steps) is at the top
  });
  const submit = (e) => {
    e.preventDefault();
    if (text.trim()) run.run({ job_description: text });
  };
  const noProfile = run.error && run.error.status === 409;
  return html`<${Page} title="Analyse a job" intro="Paste a job description to see how well you match, what is missing and how an applicant tracking system reads your resume." wide>
    <div class="analyse-layout">
      <div class="analyse-input">
        <${Card} title="The job">
          ${posting && !matchId &&
          html`<div class="form posting-target">
            <${PostingNote} target=${posting} />
            <button type="button" class="btn btn-primary btn-block" disabled=${run.busy || !posting.posting}
              onClick=${() => run.run({ job_id: posting.id })}>${run.busy ? "Analysing…" : "Analyse this posting"}</button>
          </div>`}
          <form onSubmit=${submit} class="form">
            <div class="field">
              <label for="jd-text">Job description</label>
              <textarea id="jd-text" rows="12" placeholder="Paste the whole posting: title, responsibilities, requirements…"
                value=${text} onInput=${(e) => setText(e.target.value)}></textarea>
              <p class="hint">${text.length.toLocaleString()} / 50,000 characters. The text is only data: instructions inside it are ignored.</p>
            </div>
            <${ErrorAlert} error=${run.error} hint=${noProfile ? "Import your resume first: the analysis compares the job with your profile." : null} />
            ${noProfile && html`<a class="btn btn-ghost" href="/onboarding">Import your resume</a>`}
            <button class="btn btn-primary btn-block" type="submit" disabled=${run.busy || !text.trim()}>${run.busy ? "Analysing…" : "Analyse"}</button>
          </form>
          <${PostingPicker} onPick=${(jobId) => run.run({ job_id: jobId })} />
        <//>
        <${History} current=${matchId} />
      </div>
      <div class="analyse-result">
        ${run.busy && html`<${Spinner} label="Parsing the job, comparing skills, scoring…" />`}
        ${matchId
          ? html`<${Result} matchId=${matchId} atsId=${atsId} />`
          : !run.busy && html`<div class="empty"><p class="empty-title">No job analysed yet</p><p>Paste a job description on the left, then press Analyse.</p></div>`}
      </div>
    </div>
  <//>`;
}
