import { useState } from "../../vendor/hooks.js";
import { api } from "../api.js";
import { ErrorAlert, html, useAction, useAsync } from "../ui.js";

// What an analysed job leads to (tailor a resume, a cover letter, a roadmap, interview practice)
// and picking a stored posting to analyse. Each appears once its API exists.

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

export const NEXT_STEPS = [
  { label: "Tailor a resume", primary: true, href: (a) => `/resumes/new?analysis=${a.id}` },
  { label: "Write a cover letter", href: (a) => `/resumes/letters/new?analysis=${a.id}` },
  { label: "Start a roadmap", href: (a) => `/learning?analysis=${a.id}` },
  { label: "Practise an interview", href: (a) => `/learning/interview?analysis=${a.id}` },
];

function PostingList({ onPick }) {
  const jobs = useAsync(() => api("/api/jobs?limit=50"), []);
  const [chosen, setChosen] = useState("");
  const pick = useAction(async () => {
    const job = await api(`/api/jobs/${chosen}`);
    onPick(job.description);
  });
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
