// Jobs: add sources and watch them refresh, search with filters, recommendations with reasons,
// a posting's details and your match, and the application board (saved -> offer / rejected).

import { useEffect, useState } from "../../vendor/hooks.js";
import { api, download, upload } from "../api.js";
import {
  Card,
  Chip,
  Empty,
  ErrorAlert,
  Field,
  Page,
  Progress,
  ScoreRing,
  Spinner,
  Tabs,
  html,
  humanize,
  navigate,
  useAction,
  useAsync,
  when,
} from "../ui.js";
import { TaskProgress } from "../tasks.js";
import { GapView } from "./analyse.js";

const STAGES = ["saved", "applied", "interviewing", "offer", "rejected"];
const STAGE_LABELS = { saved: "Saved", applied: "Applied", interviewing: "Interviewing", offer: "Offer", rejected: "Rejected", withdrawn: "Withdrawn" };
const SOURCE_KINDS = [
  { id: "greenhouse", label: "Greenhouse board", hint: "The board's name, e.g. “acme”, or its URL" },
  { id: "lever", label: "Lever board", hint: "The company's Lever name or URL" },
  { id: "ashby", label: "Ashby board", hint: "The company's Ashby name or URL" },
  { id: "workable", label: "Workable", hint: "The account name, e.g. “acme” from apply.workable.com/acme" },
  { id: "smartrecruiters", label: "SmartRecruiters", hint: "The company id from jobs.smartrecruiters.com/<id>" },
  { id: "recruitee", label: "Recruitee", hint: "The name in <name>.recruitee.com, or that URL" },
  { id: "personio", label: "Personio", hint: "The name in <name>.jobs.personio.de, or that URL" },
  { id: "teamtailor", label: "Teamtailor", hint: "The name in <name>.teamtailor.com, or that URL" },
  { id: "bamboohr", label: "BambooHR", hint: "The name in <name>.bamboohr.com, or that URL" },
  { id: "workday", label: "Workday", hint: "The career site's address, e.g. https://acme.wd5.myworkdayjobs.com/External" },
  { id: "feed", label: "RSS / Atom feed", hint: "The feed's URL" },
  { id: "page", label: "Career page", hint: "A page with job postings (schema.org JobPosting)" },
];

// --- shared pieces --------------------------------------------------------------------------

function JobMeta({ job }) {
  const salary = job.salary && (job.salary.min || job.salary.max)
    ? `${job.salary.currency || ""} ${[job.salary.min, job.salary.max].filter(Boolean).map((n) => Math.round(n).toLocaleString()).join("–")}${job.salary.period ? " / " + job.salary.period : ""}`.trim()
    : null;
  const parts = [job.company, job.location, job.remote && humanize(job.remote), job.seniority && humanize(job.seniority), salary, job.posted_at && `posted ${when(job.posted_at)}`];
  return html`<p class="muted small job-meta">${parts.filter(Boolean).join(" · ")}${job.status === "closed" ? html` <${Chip} kind="chip-bad">closed<//>` : ""}</p>`;
}

function scoreChip(score) {
  if (score == null) return null;
  const kind = score >= 70 ? "chip-good" : score >= 45 ? "chip-warn" : "chip-bad";
  return html`<${Chip} kind=${kind} title="Your match score">${Math.round(score)} match<//>`;
}

// Track a posting on the board (as "saved"); a second save says it is tracked already.
function useTrack(onDone) {
  return useAction(async (job) => {
    await api("/api/applications", { method: "POST", json: { job_id: job.id, status: "saved" } });
    onDone && onDone(job);
    return true;
  });
}

function TrackButton({ job, tracked, onTracked }) {
  const track = useTrack(onTracked);
  if (tracked) return html`<span class="chip chip-good">On your board</span>`;
  return html`<span>
    <button type="button" class="btn btn-ghost btn-sm" disabled=${track.busy} onClick=${() => track.run(job)} aria-label=${"Save " + job.title}>Save</button>
    ${track.error && html`<span class="field-error small">${track.error.status === 409 ? "Already on your board." : track.error.detail}</span>`}
  </span>`;
}

function useTrackedIds() {
  const apps = useAsync(() => api("/api/applications"), []);
  const ids = new Set((apps.data || []).map((a) => a.job_id).filter(Boolean));
  return { ids, reload: apps.reload };
}

function JobCard({ job, tracked, onTracked, extra }) {
  return html`<li class="job-card">
    <div class="job-main">
      <h3><a href=${`/jobs/${job.id}`}>${job.title}</a> ${scoreChip(job.match_score)}</h3>
      <${JobMeta} job=${job} />
      ${job.skills && job.skills.length > 0 && html`<ul class="chips">${job.skills.slice(0, 8).map((s) => html`<li><${Chip}>${s}<//></li>`)}</ul>`}
      ${extra}
    </div>
    <div class="job-actions"><${TrackButton} job=${job} tracked=${tracked} onTracked=${onTracked} /></div>
  </li>`;
}

// --- search ---------------------------------------------------------------------------------

function Search() {
  const [form, setForm] = useState({ q: "", location: "", remote: "", seniority: "", skills: "", posted_within: "" });
  const [query, setQuery] = useState(form);
  const [pages, setPages] = useState([]);
  const tracked = useTrackedIds();
  const params = (f, cursor) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (v) p.set(k, v);
    if (cursor) p.set("cursor", cursor);
    return p.toString();
  };
  const result = useAsync(() => api(`/api/jobs?${params(query)}`), [query]);
  useEffect(() => setPages(result.data ? [result.data] : []), [result.data]);
  const more = useAction(async () => {
    const last = pages[pages.length - 1];
    const next = await api(`/api/jobs?${params(query, last.next_cursor)}`);
    setPages([...pages, next]);
  });
  const set = (name) => (e) => setForm({ ...form, [name]: e.target.value });
  const items = pages.flatMap((p) => p.items);
  const first = pages[0];
  return html`<div class="jobs-search">
    <form class="card filters" role="search" onSubmit=${(e) => {
      e.preventDefault();
      setQuery({ ...form });
    }}>
      <div class="filter-row">
        <div class="field grow"><label for="job-q">Search</label><input id="job-q" type="search" placeholder="Title, skills, company…" value=${form.q} onInput=${set("q")} /></div>
        <button class="btn btn-primary" type="submit">Search</button>
      </div>
      <div class="filter-grid">
        <div class="field"><label for="job-location">Location</label><input id="job-location" value=${form.location} onInput=${set("location")} placeholder="e.g. Berlin" /></div>
        <div class="field"><label for="job-remote">Work mode</label>
          <select id="job-remote" value=${form.remote} onChange=${set("remote")}>
            <option value="">Any</option><option value="remote">Remote</option><option value="hybrid">Hybrid</option><option value="onsite">On-site</option>
          </select></div>
        <div class="field"><label for="job-seniority">Seniority</label>
          <select id="job-seniority" value=${form.seniority} onChange=${set("seniority")}>
            <option value="">Any</option>${["intern", "junior", "mid", "senior", "staff", "lead", "manager"].map((s) => html`<option value=${s}>${humanize(s)}</option>`)}
          </select></div>
        <div class="field"><label for="job-skills">Skills</label><input id="job-skills" value=${form.skills} onInput=${set("skills")} placeholder="e.g. Python, SQL" /></div>
        <div class="field"><label for="job-posted">Posted</label>
          <select id="job-posted" value=${form.posted_within} onChange=${set("posted_within")}>
            <option value="">Any time</option><option value="24h">Last 24 hours</option><option value="7d">Last week</option><option value="30">Last month</option>
          </select></div>
      </div>
    </form>
    <${ErrorAlert} error=${result.error || more.error} />
    ${result.loading && !first && html`<${Spinner} label="Searching…" />`}
    ${first &&
    html`<p class="muted small" role="status">${first.total.toLocaleString()} posting${first.total === 1 ? "" : "s"}${first.reranked ? ", the best re-ranked by your match" : ""}.</p>
      ${first.warnings.map((w) => html`<p class="muted small">${w}</p>`)}
      ${items.length === 0
        ? html`<${Empty} title="No postings found" action=${html`<a class="btn btn-primary" href="/jobs/sources">Add a source</a>`}>Add job sources or paste a posting, then search again.<//>`
        : html`<ul class="job-list">${items.map((j) => html`<${JobCard} key=${j.id} job=${j} tracked=${tracked.ids.has(j.id)} onTracked=${tracked.reload} />`)}</ul>`}
      ${pages[pages.length - 1].next_cursor && html`<button type="button" class="btn btn-ghost" disabled=${more.busy} onClick=${() => more.run()}>More results</button>`}`}
  </div>`;
}

// --- recommendations ------------------------------------------------------------------------

function Recommended() {
  const recs = useAsync(() => api("/api/jobs/recommendations?limit=20"), []);
  const tracked = useTrackedIds();
  if (recs.error) return html`<${ErrorAlert} error=${recs.error} hint=${recs.error.status === 409 ? "Import your resume first: recommendations compare postings with your profile." : null} />`;
  if (!recs.data) return html`<${Spinner} label="Scoring postings against your profile…" />`;
  if (!recs.data.items.length)
    return html`<${Empty} title="No recommendations yet" action=${html`<a class="btn btn-primary" href="/jobs/sources">Add a source</a>`}>Recommendations come from the postings you collect.<//>`;
  return html`<div>
    <p class="muted small">${recs.data.scored} of ${recs.data.considered} postings scored in full.</p>
    <ul class="job-list">
      ${recs.data.items.map(
        (r) => html`<${JobCard} key=${r.job.id} job=${{ ...r.job, match_score: r.score }} tracked=${tracked.ids.has(r.job.id)} onTracked=${tracked.reload}
          extra=${html`<div class="why">
            <ul class="reasons">${r.top_reasons.map((t) => html`<li>${t}</li>`)}</ul>
            ${r.gaps.length > 0 && html`<p class="small"><strong>Gaps:</strong> ${r.gaps.map((g) => g.name).join(", ")}</p>`}
          </div>`} />`,
      )}
    </ul>
  </div>`;
}

// --- the application board -----------------------------------------------------------------

// A date-time input's value (local time, minutes) from an ISO date, and back.
const toLocalInput = (iso) => {
  if (!iso) return "";
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocalInput = (value) => (value ? new Date(value).toISOString() : null);

function AppDetails({ app, onSave }) {
  const [notes, setNotes] = useState(app.notes || "");
  const [interview, setInterview] = useState(toLocalInput(app.interview_at));
  const [followUp, setFollowUp] = useState(toLocalInput(app.follow_up_at));
  const save = useAction(() => onSave(app, { notes, interview_at: fromLocalInput(interview), follow_up_at: fromLocalInput(followUp) }));
  return html`<details class="app-more">
    <summary>Notes, dates and history</summary>
    <form class="form app-form" onSubmit=${(e) => {
      e.preventDefault();
      save.run();
    }}>
      <div class="field"><label for=${"notes-" + app.id}>Notes</label>
        <textarea id=${"notes-" + app.id} rows="3" value=${notes} onInput=${(e) => setNotes(e.target.value)}></textarea></div>
      <div class="field"><label for=${"interview-" + app.id}>Interview</label>
        <input id=${"interview-" + app.id} type="datetime-local" value=${interview} onInput=${(e) => setInterview(e.target.value)} /></div>
      <div class="field"><label for=${"follow-" + app.id}>Follow up on</label>
        <input id=${"follow-" + app.id} type="datetime-local" value=${followUp} onInput=${(e) => setFollowUp(e.target.value)} /></div>
      <button class="btn btn-primary btn-sm" type="submit" disabled=${save.busy}>${save.busy ? "Saving…" : "Save"}</button>
      <${ErrorAlert} error=${save.error} />
    </form>
    <h4 class="app-history-title">History</h4>
    <ol class="app-history">
      ${app.history.map(
        (h) => html`<li><span>${STAGE_LABELS[h.to_status] || h.to_status}</span> <span class="muted">${when(h.at)}</span>${h.note ? html` <span class="muted">· ${h.note}</span>` : ""}</li>`,
      )}
    </ol>
  </details>`;
}

function AppCard({ app, onMove, onDelete, onSave }) {
  const dates = [
    app.applied_at ? `applied ${when(app.applied_at)}` : `saved ${when(app.created_at)}`,
    app.interview_at && `interview ${when(app.interview_at)} ${new Date(app.interview_at).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })}`,
    app.follow_up_at && `follow up ${when(app.follow_up_at)}`,
    app.job_status === "closed" && "posting closed",
  ].filter(Boolean);
  return html`<li class="app-card" draggable="true" data-id=${app.id} onDragStart=${(e) => {
    e.dataTransfer.setData("text/plain", app.id);
    e.dataTransfer.effectAllowed = "move";
  }}>
    <p class="app-title">${app.job_id ? html`<a href=${`/jobs/${app.job_id}`}>${app.title}</a>` : app.url ? html`<a href=${app.url} target="_blank" rel="noopener noreferrer">${app.title}</a>` : app.title}</p>
    ${app.company && html`<p class="app-company">${app.company}</p>`}
    <p class="muted small app-dates">${dates.join(" · ")}</p>
    ${(app.resume_id || app.cover_letter_id) &&
    html`<p class="small app-docs">
      ${app.resume_id && html`<a href=${`/resumes/${app.resume_id}`}>Resume used</a>`}
      ${app.resume_id && app.cover_letter_id && " · "}
      ${app.cover_letter_id && html`<a href=${`/resumes/letters/${app.cover_letter_id}`}>Cover letter used</a>`}
    </p>`}
    ${app.notes && html`<p class="small app-notes">${app.notes.length > 140 ? app.notes.slice(0, 139) + "…" : app.notes}</p>`}
    <${AppDetails} key=${app.updated_at} app=${app} onSave=${onSave} />
    <div class="row app-actions">
      <label class="sr-only" for=${"move-" + app.id}>Move ${app.title} to</label>
      <select id=${"move-" + app.id} value=${app.status} onChange=${(e) => onMove(app, e.target.value)}>
        ${[...STAGES, "withdrawn"].map((s) => html`<option value=${s}>${STAGE_LABELS[s]}</option>`)}
      </select>
      <button type="button" class="btn-link small" aria-label=${"Remove " + app.title + " from the board"} onClick=${() => confirm("Stop tracking this application?") && onDelete(app)}>Remove</button>
    </div>
  </li>`;
}

// Export the board as a spreadsheet, import one, and the interviews as a calendar file.
function BoardFiles({ apps, onImported }) {
  const files = useAction((path, name) => download(path, name));
  const [result, setResult] = useState(null);
  const importer = useAction(async (file) => {
    const form = new FormData();
    form.append("file", file);
    const done = await upload("/api/applications/import", form);
    setResult(done);
    onImported();
  });
  const interviews = apps.filter((a) => a.interview_at).length;
  const [check, setCheck] = useState(null);
  const checker = useAction(async () => setCheck(await api("/api/applications/check-postings", { method: "POST" })));
  const checking = check && !["succeeded", "failed", "cancelled"].includes(check.status);
  return html`<div class="board-files row">
    <button type="button" class="btn btn-ghost btn-sm" disabled=${checker.busy || checking || !apps.some((a) => a.job_id)}
      title="Fetch the saved and applied-to postings again and mark the closed ones"
      onClick=${() => checker.run()}>Check postings are still open</button>
    ${check && html`<${TaskProgress} task=${check} title="Checking your postings" onFinal=${onImported} />`}
    <button type="button" class="btn btn-ghost btn-sm" disabled=${files.busy || !interviews}
      onClick=${() => files.run("/api/applications/calendar.ics", "interviews.ics")}>Interview calendar (${interviews})</button>
    <button type="button" class="btn btn-ghost btn-sm" disabled=${files.busy || !apps.length}
      onClick=${() => files.run("/api/applications/export.csv", "applications.csv")}>Export spreadsheet (CSV)</button>
    <label class="btn btn-ghost btn-sm file-btn">Import spreadsheet (CSV)
      <input type="file" accept=".csv,text/csv" class="sr-only" onChange=${(e) => {
        const file = e.target.files[0];
        e.target.value = "";
        if (file) importer.run(file);
      }} /></label>
    ${result && html`<span class="small" role="status">${result.imported} added${result.skipped ? `, ${result.skipped} already on your board` : ""}.</span>`}
    <${ErrorAlert} error=${files.error || importer.error || checker.error} />
  </div>`;
}

function AddExternal({ onAdded }) {
  const [form, setForm] = useState({ title: "", company: "", url: "" });
  const add = useAction(async () => {
    const external = { title: form.title.trim() };
    if (form.company.trim()) external.company = form.company.trim();
    if (form.url.trim()) external.url = form.url.trim();
    await api("/api/applications", { method: "POST", json: { external, status: "saved" } });
    setForm({ title: "", company: "", url: "" });
    onAdded();
  });
  const set = (n) => (e) => setForm({ ...form, [n]: e.target.value });
  return html`<details class="add-external">
    <summary>Track a job from elsewhere</summary>
    <form class="filter-grid" onSubmit=${(e) => {
      e.preventDefault();
      add.run();
    }}>
      <div class="field"><label for="ext-title">Title</label><input id="ext-title" value=${form.title} onInput=${set("title")} required /></div>
      <div class="field"><label for="ext-company">Company</label><input id="ext-company" value=${form.company} onInput=${set("company")} /></div>
      <div class="field"><label for="ext-url">Link</label><input id="ext-url" type="url" value=${form.url} onInput=${set("url")} /></div>
      <div class="field"><span class="label-spacer" aria-hidden="true"> </span><button class="btn btn-primary" type="submit" disabled=${add.busy || !form.title.trim()}>Add to board</button></div>
    </form>
    <${ErrorAlert} error=${add.error} />
  </details>`;
}

function Board() {
  const apps = useAsync(() => api("/api/applications"), []);
  const [over, setOver] = useState(null);
  const move = useAction(async (app, status) => {
    if (app.status === status) return;
    const body = { status };
    if (status === "applied" && !app.applied_at) body.applied_at = new Date().toISOString();
    const updated = await api(`/api/applications/${app.id}`, { method: "PATCH", json: body });
    apps.setData((list) => list.map((a) => (a.id === updated.id ? updated : a)));
  });
  const remove = useAction(async (app) => {
    await api(`/api/applications/${app.id}`, { method: "DELETE" });
    apps.setData((list) => list.filter((a) => a.id !== app.id));
  });
  const save = async (app, body) => {
    const updated = await api(`/api/applications/${app.id}`, { method: "PATCH", json: body });
    apps.setData((list) => list.map((a) => (a.id === updated.id ? updated : a)));
  };
  if (!apps.data) return html`<${Spinner} /><${ErrorAlert} error=${apps.error} />`;
  const columns = STAGES.map((s) => [s, apps.data.filter((a) => a.status === s || (s === "rejected" && a.status === "withdrawn"))]);
  return html`<div>
    <${AddExternal} onAdded=${apps.reload} />
    <${BoardFiles} apps=${apps.data} onImported=${apps.reload} />
    <${ErrorAlert} error=${move.error || remove.error} />
    <div class="board" aria-label="Applications by stage">
      ${columns.map(
        ([stage, list]) => html`<section class=${"board-col col-" + stage + (over === stage ? " over" : "")} aria-labelledby=${"col-" + stage}
          onDragOver=${(e) => {
            e.preventDefault();
            setOver(stage);
          }}
          onDragLeave=${() => setOver(null)}
          onDrop=${(e) => {
            e.preventDefault();
            setOver(null);
            const app = apps.data.find((a) => a.id === e.dataTransfer.getData("text/plain"));
            if (app) move.run(app, stage);
          }}>
          <h2 id=${"col-" + stage}>${STAGE_LABELS[stage]} <span class="count">${list.length}</span></h2>
          <ul class="app-list">${list.map((a) => html`<${AppCard} key=${a.id} app=${a} onMove=${move.run} onDelete=${remove.run} onSave=${save} />`)}</ul>
          ${list.length === 0 && html`<p class="muted small col-empty">${stage === "saved" ? "Save postings from search or recommendations." : "Nothing here yet."}</p>`}
        </section>`,
      )}
    </div>
  </div>`;
}

// --- sources --------------------------------------------------------------------------------

function SourceRow({ source, onChange }) {
  const act = useAction(async (fn) => {
    await fn();
    onChange();
  });
  const busy = source.status === "queued" || source.status === "running";
  const s = source.stats;
  return html`<li class="list-item source-row">
    <div class="grow">
      <strong>${source.name || source.identifier}</strong> <${Chip} kind=${source.status === "error" ? "chip-bad" : busy ? "chip-info" : "chip-good"}>${source.status}<//>
      <div class="muted small">${humanize(source.kind)} · ${source.identifier} · ${source.open_postings} open postings
        ${source.last_success_at ? ` · refreshed ${when(source.last_success_at)}` : ""}${source.next_refresh_at ? ` · next ${when(source.next_refresh_at)}` : ""}</div>
      ${busy && html`<${Progress} value=${null} label=${`Refreshing: ${s.fetched} fetched, ${s.new} new, ${s.updated} updated, ${s.closed} closed`} />`}
      ${!busy && source.last_attempt_at && html`<div class="small">Last refresh: ${s.fetched} fetched, ${s.new} new, ${s.updated} updated, ${s.closed} closed${s.failed ? `, ${s.failed} failed` : ""}.</div>`}
      ${source.last_error && html`<div class="field-error small">${source.last_error}</div>`}
      ${s.warnings.map((w) => html`<div class="muted small">${w}</div>`)}
    </div>
    <div class="row-actions">
      ${source.kind !== "upload" &&
      html`<button type="button" class="btn btn-ghost btn-sm" disabled=${busy || act.busy}
        onClick=${() => act.run(() => api(`/api/jobs/sources/${source.id}/refresh`, { method: "POST" }))}>Refresh now</button>`}
      <button type="button" class="btn btn-ghost btn-sm danger" disabled=${act.busy} aria-label=${"Remove source " + (source.name || source.identifier)}
        onClick=${() => confirm("Remove this source and the postings only it brought?") && act.run(() => api(`/api/jobs/sources/${source.id}`, { method: "DELETE" }))}>Remove</button>
    </div>
    <${ErrorAlert} error=${act.error} />
  </li>`;
}

function Sources() {
  const sources = useAsync(() => api("/api/jobs/sources"), []);
  const [form, setForm] = useState({ kind: "greenhouse", identifier: "", name: "" });
  const add = useAction(async () => {
    const body = { kind: form.kind, identifier: form.identifier.trim() };
    if (form.name.trim()) body.name = form.name.trim();
    await api("/api/jobs/sources", { method: "POST", json: body });
    setForm({ ...form, identifier: "", name: "" });
    sources.reload();
  });
  const [posting, setPosting] = useState("");
  const paste = useAction(async () => {
    const job = await api("/api/jobs", { method: "POST", json: { text: posting } });
    setPosting("");
    navigate(`/jobs/${job.id}`);
  });
  const file = useAction(async (f) => {
    const data = new FormData();
    data.append("file", f, f.name);
    await upload("/api/jobs/sources/upload", data);
    sources.reload();
  });
  // Watch refreshes in progress.
  const running = (sources.data || []).some((s) => s.status === "queued" || s.status === "running");
  useEffect(() => {
    if (!running) return undefined;
    const t = setInterval(() => api("/api/jobs/sources").then(sources.setData, () => {}), 1500);
    return () => clearInterval(t);
  }, [running]);
  const kind = SOURCE_KINDS.find((k) => k.id === form.kind);
  return html`<div class="grid-2">
    <div class="stack">
      <${Card} title="Add a source">
        <form class="form" onSubmit=${(e) => {
          e.preventDefault();
          add.run();
        }}>
          <${Field} label="Kind" id="source-kind">
            <select id="source-kind" value=${form.kind} onChange=${(e) => setForm({ ...form, kind: e.target.value })}>
              ${SOURCE_KINDS.map((k) => html`<option value=${k.id}>${k.label}</option>`)}
            </select>
          <//>
          <${Field} label="Board, feed or page" id="source-identifier" hint=${kind.hint}>
            <input id="source-identifier" value=${form.identifier} onInput=${(e) => setForm({ ...form, identifier: e.target.value })} required />
          <//>
          <${Field} label="Company name (optional)" id="source-name">
            <input id="source-name" value=${form.name} onInput=${(e) => setForm({ ...form, name: e.target.value })} />
          <//>
          <${ErrorAlert} error=${add.error} />
          <button class="btn btn-primary" type="submit" disabled=${add.busy || !form.identifier.trim()}>Add and refresh</button>
        </form>
        <div class="upload-line">
          <label class="btn btn-ghost btn-sm" for="postings-file">Upload postings (CSV or JSON)</label>
          <input id="postings-file" class="sr-only" type="file" accept=".csv,.json,text/csv,application/json"
            onChange=${(e) => {
              const f = e.target.files[0];
              e.target.value = "";
              if (f) file.run(f);
            }} />
          ${file.busy && html`<${Progress} value=${null} label="Uploading postings…" />`}
          <${ErrorAlert} error=${file.error} />
        </div>
      <//>
      <${Card} title="Paste one posting">
        <form class="form" onSubmit=${(e) => {
          e.preventDefault();
          paste.run();
        }}>
          <${Field} label="Posting text" id="posting-text">
            <textarea id="posting-text" rows="6" value=${posting} onInput=${(e) => setPosting(e.target.value)} placeholder="Paste the job's text"></textarea>
          <//>
          <${ErrorAlert} error=${paste.error} />
          <button class="btn btn-primary" type="submit" disabled=${paste.busy || !posting.trim()}>${paste.busy ? "Adding…" : "Add posting"}</button>
        </form>
      <//>
    </div>
    <${Card} title="Your sources">
      ${!sources.data ? html`<${Spinner} />` : sources.data.length === 0
        ? html`<p class="muted">No sources yet. Add a company's job board, a feed or a career page.</p>`
        : html`<ul class="list">${sources.data.map((s) => html`<${SourceRow} key=${s.id} source=${s} onChange=${sources.reload} />`)}</ul>`}
      <${ErrorAlert} error=${sources.error} />
    <//>
  </div>`;
}

// --- one posting ------------------------------------------------------------------------------

function JobView({ id }) {
  const job = useAsync(() => api(`/api/jobs/${id}`), [id]);
  const tracked = useTrackedIds();
  if (job.error) return html`<${Page} title="Posting"><${ErrorAlert} error=${job.error} /><//>`;
  if (!job.data) return html`<${Spinner} />`;
  const j = job.data;
  // Each screen opens with this posting chosen; its request sends the job_id.
  const target = `job=${encodeURIComponent(j.id)}`;
  return html`<${Page} title=${j.title} wide actions=${html`<a class="btn btn-ghost" href="/jobs">Back to search</a>`}>
    <${JobMeta} job=${j} />
    <div class="row next-steps">
      <${TrackButton} job=${j} tracked=${tracked.ids.has(j.id)} onTracked=${tracked.reload} />
      ${(j.description || "").trim()
        ? html`<nav class="row" aria-label="Use this posting">
            <a class="btn btn-primary" href=${`/resumes/new?${target}`}>Tailor resume</a>
            <a class="btn btn-ghost" href=${`/resumes/letters/new?${target}`}>Cover letter</a>
            <a class="btn btn-ghost" href=${`/learning?${target}`}>Learning roadmap</a>
            <a class="btn btn-ghost" href=${`/learning/interview?${target}`}>Interview practice</a>
            <a class="btn btn-ghost" href=${`/analyse?${target}`}>Analyse</a>
            <a class="btn btn-ghost" href=${`/coach?${target}`}>Ask the coach</a>
          </nav>`
        : html`<span class="muted small">This posting has no description: paste the job's text under <a href="/analyse">Analyse a job</a> to tailor or plan for it.</span>`}
      ${j.url && html`<a class="btn btn-ghost" href=${j.url} target="_blank" rel="noopener noreferrer">Open the posting</a>`}
    </div>
    <div class="builder">
      <div>
        ${j.analysis
          ? html`<${Card} title="Your match">
              <div class="result-head plain"><${ScoreRing} score=${j.analysis.match.score} label="Match" />
                <ul class="reasons">${j.analysis.match.top_reasons.map((r) => html`<li>${r}</li>`)}</ul></div>
              <${GapView} gap=${j.analysis.gap} />
            <//>`
          : html`<${Card} title="Your match"><p class="muted">${j.analysis_note || "Import your resume to see your match."}</p><//>`}
      </div>
      <${Card} title="The posting">
        <div class="posting-text">${j.description}</div>
      <//>
    </div>
  <//>`;
}

export function Jobs({ loc }) {
  const parts = loc.path.split("/").filter(Boolean);
  const tab = parts[1] || "search";
  if (!["search", "recommended", "board", "sources"].includes(tab)) return html`<${JobView} id=${tab} />`;
  const tabs = [
    { id: "search", label: "Search" },
    { id: "recommended", label: "Recommended" },
    { id: "board", label: "Applications" },
    { id: "sources", label: "Sources" },
  ];
  return html`<${Page} title="Jobs" intro="Collect postings from the boards you follow, find the ones that fit, and track your applications." wide>
    <${Tabs} tabs=${tabs} current=${tab} label="Jobs" onChange=${(id) => navigate(id === "search" ? "/jobs" : `/jobs/${id}`)} />
    <div class="tab-body" role="tabpanel" aria-labelledby=${"tab-" + tab}>
      ${tab === "search" && html`<${Search} />`}
      ${tab === "recommended" && html`<${Recommended} />`}
      ${tab === "board" && html`<${Board} />`}
      ${tab === "sources" && html`<${Sources} />`}
    </div>
  <//>`;
}
