import { useState } from "../../vendor/hooks.js";
import { api } from "../api.js";
import { Alert, ErrorAlert, html, useAction, useAsync } from "../ui.js";

// What an analysed job leads to (tailor a resume, a cover letter, a roadmap, interview practice),
// a saved posting as the target of those screens (?job=<id>: the request sends its job_id), and
// picking a stored posting to analyse.

const KEY = "cg.jobs";

// Keep the job's text for the next steps (this tab only: sessionStorage).
export function rememberJob(analysisId, job) {
  const all = JSON.parse(sessionStorage.getItem(KEY) || "{}");
  all[analysisId] = job;
  const ids = Object.keys(all);
  for (const id of ids.slice(0, Math.max(0, ids.length - 20))) delete all[id];
  sessionStorage.setItem(KEY, JSON.stringify(all));
}

export function recallJob(analysisId) {
  return JSON.parse(sessionStorage.getItem(KEY) || "{}")[analysisId] || null;
}

// An analysis of a saved posting passes the posting on; one of pasted text, the remembered text.
const forTarget = (path, a) => `${path}?${a.target.job_id ? "job=" + encodeURIComponent(a.target.job_id) : "analysis=" + a.id}`;

export const NEXT_STEPS = [
  { label: "Tailor a resume", primary: true, href: (a) => forTarget("/resumes/new", a) },
  { label: "Write a cover letter", href: (a) => forTarget("/resumes/letters/new", a) },
  { label: "Start a roadmap", href: (a) => forTarget("/learning", a) },
  { label: "Practise an interview", href: (a) => forTarget("/learning/interview", a) },
];

// The saved posting a screen was opened for (?job=<id>), loaded for its title; null without one.
export function useJobParam(loc) {
  const id = loc.query.get("job") || "";
  const posting = useAsync(() => (id ? api(`/api/jobs/${encodeURIComponent(id)}`) : null), [id]);
  return id ? { id, posting: posting.data || null, error: posting.error } : null;
}

// Which posting the form is for, with a way back to pasting a description.
export function PostingNote({ target, pasteHref }) {
  const paste = pasteHref && html` <a href=${pasteHref}>Paste a description instead</a>`;
  if (target.error)
    return html`<${ErrorAlert} error=${target.error} hint=${target.error.status === 404 ? "This posting is not among your saved postings." : null} />${paste}`;
  if (!target.posting) return html`<p class="muted small" role="status">Loading the posting…</p>`;
  const p = target.posting;
  return html`<${Alert} kind="info" title="For your saved posting"><a href=${`/jobs/${p.id}`}>${p.title}</a>${p.company ? ` at ${p.company}` : ""}${p.status === "closed" ? " (closed: you can still apply)" : ""}.${paste}<//>`;
}

function PostingList({ onPick }) {
  const jobs = useAsync(() => api("/api/jobs?limit=50"), []);
  const [chosen, setChosen] = useState("");
  const pick = useAction(async () => onPick(chosen));
  if (jobs.error) return html`<${ErrorAlert} error=${jobs.error} />`;
  if (!jobs.data) return html`<p class="muted small">Loading your postings…</p>`;
  if (!jobs.data.items.length) return html`<p class="muted small">No postings yet: add sources under <a href="/jobs/sources">Jobs</a>.</p>`;
  return html`<div class="row picker">
    <label class="sr-only" for="posting-pick">Posting</label>
    <select id="posting-pick" value=${chosen} onChange=${(e) => setChosen(e.target.value)}>
      <option value="">Choose a posting…</option>
      ${jobs.data.items.map((j) => html`<option value=${j.id}>${j.title}${j.company ? " · " + j.company : ""}</option>`)}
    </select>
    <button type="button" class="btn btn-ghost" disabled=${!chosen || pick.busy} onClick=${() => pick.run()}>Analyse it</button>
    <${ErrorAlert} error=${pick.error} />
  </div>`;
}

// Pick one of your stored postings instead of pasting (loaded when opened).
export function PostingPicker({ onPick }) {
  const [open, setOpen] = useState(false);
  return html`<details class="posting-picker" onToggle=${(e) => setOpen(e.currentTarget.open)}>
    <summary>Or pick a saved posting</summary>
    ${open && html`<${PostingList} onPick=${onPick} />`}
  </details>`;
}
