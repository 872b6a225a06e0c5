// The resume builder: tailor a resume (or write a cover letter) for a job, see each change beside
// your original text marked kept / rewritten / reverted by the grounding check / edited, accept
// or reject it, edit, leave things out, switch template with a live preview, and download the
// PDF, DOCX or JSON Resume.

import { useEffect, useRef, useState } from "../../vendor/hooks.js";
import { api, download } from "../api.js";
import {
  Alert,
  Card,
  Chip,
  Empty,
  ErrorAlert,
  Field,
  Page,
  Spinner,
  dateRange,
  html,
  navigate,
  useAction,
  useAsync,
  when,
} from "../ui.js";
import { ModelVersion, StatusChip, VersionLabel, isFinal, newIdempotencyKey } from "../tasks.js";
import { PostingNote, recallJob, useJobParam } from "./next-steps.js";

const TEMPLATES = [
  { id: "classic", label: "Classic", note: "Serif headings, one column: safe everywhere." },
  { id: "modern", label: "Modern", note: "Accent colour, clean sans-serif." },
  { id: "compact", label: "Compact", note: "Tighter spacing: fits more on one page." },
  { id: "ats", label: "ATS plain", note: "No colour or rules, the usual order: what screening software reads best." },
  { id: "executive", label: "Executive", note: "Serif, centred header, generous space." },
  { id: "minimal", label: "Minimal", note: "Light type and lots of white space." },
  { id: "technical", label: "Technical", note: "Skills and projects first, monospaced headings." },
  { id: "bold", label: "Bold", note: "A large name and coloured heading bands." },
];
const TONES = ["neutral", "confident", "warm", "formal"];
const STATUS = {
  kept: { label: "kept", kind: "chip-plain", note: "Your text, unchanged." },
  rewritten: { label: "rewritten", kind: "chip-info" },
  reverted: { label: "reverted by the grounding check", kind: "chip-warn" },
  edited: { label: "edited by you", kind: "chip-edited" },
};

function TemplatePicker({ value, onChange, name = "template" }) {
  return html`<fieldset class="templates">
    <legend>Template</legend>
    ${TEMPLATES.map(
      (t) => html`<label class=${"template-card" + (value === t.id ? " selected" : "")}>
        <input type="radio" name=${name} value=${t.id} checked=${value === t.id} onChange=${() => onChange(t.id)} />
        <span class=${"template-thumb thumb-" + t.id} aria-hidden="true"><i></i><i></i><i></i><i></i></span>
        <span><strong>${t.label}</strong><span class="muted small block">${t.note}</span></span>
      </label>`,
    )}
  </fieldset>`;
}

// Tailor a resume, or write a cover letter, for a pasted job (pre-filled from an analysis) or
// for a saved posting (?job=<id>: the request sends its job_id).
function CreateForm({ kind, loc }) {
  const posting = useJobParam(loc);
  const job = posting ? null : recallJob(loc.query.get("analysis") || "");
  const [jd, setJd] = useState(job ? job.text : "");
  const [template, setTemplate] = useState("classic");
  const [tone, setTone] = useState("neutral");
  const letter = kind === "letter";
  // One Idempotency-Key per request body: sending the same form again (a retry after a lost
  // answer) replays the first answer instead of starting a second model task.
  const sent = useRef({ body: "", key: "" });
  const create = useAction(async () => {
    const body = { ...(posting ? { job_id: posting.id } : { job_description: jd }), template, tone };
    const text = JSON.stringify(body);
    if (sent.current.body !== text) sent.current = { body: text, key: newIdempotencyKey() };
    const made = await api(letter ? "/api/cover-letters" : "/api/resumes/tailor", {
      method: "POST",
      json: body,
      headers: { "Idempotency-Key": sent.current.key },
    });
    navigate(letter ? `/resumes/letters/${made.id}` : `/resumes/${made.id}`, { replace: true });
  });
  return html`<${Page} title=${letter ? "Write a cover letter" : "Tailor a resume"}
    intro=${letter
      ? "A letter for this job from the facts in your profile only: anything it cannot trace back to you is left out."
      : "Your most relevant experience first, the job's keywords where you really have them, every fact traced to your profile."}>
    <form class="form card create-form" onSubmit=${(e) => {
      e.preventDefault();
      create.run();
    }}>
      ${posting
        ? html`<${PostingNote} target=${posting} pasteHref=${letter ? "/resumes/letters/new" : "/resumes/new"} />`
        : html`${job && html`<${Alert} kind="info">For <strong>${job.title || "the job you analysed"}</strong>${job.company ? ` at ${job.company}` : ""}.<//>`}
          <${Field} label="Job description" id="tailor-jd">
            <textarea id="tailor-jd" rows="8" value=${jd} onInput=${(e) => setJd(e.target.value)} placeholder="Paste the job's text"></textarea>
          <//>`}
      <${TemplatePicker} value=${template} onChange=${setTemplate} />
      <${Field} label="Tone" id="tailor-tone">
        <select id="tailor-tone" value=${tone} onChange=${(e) => setTone(e.target.value)}>
          ${TONES.map((t) => html`<option value=${t}>${t[0].toUpperCase() + t.slice(1)}</option>`)}
        </select>
      <//>
      <${ErrorAlert} error=${create.error} hint=${create.error && create.error.status === 409 ? "Import your resume first." : null} />
      <button class="btn btn-primary" type="submit" disabled=${create.busy || (posting ? !posting.posting : !jd.trim())}>
        ${create.busy ? (letter ? "Writing…" : "Tailoring…") : letter ? "Write the letter" : "Tailor my resume"}</button>
      <p class="muted small">You get a version made from your profile's facts at once; the AI model's rewording follows in the background and replaces it when ready (every fact checked against your profile).</p>
    </form>
  <//>`;
}

// The answer to an edit with a fact the profile lacks: add the line to that position of the
// profile (it is true, the person says), then make the same edit again, which now passes.
function AddToProfile({ offer, retry }) {
  const add = useAction(async () => {
    const profile = await api("/api/profile");
    const entry = profile.work.find((w) => w.key === offer.position_key);
    if (!entry) throw new Error("That position is no longer in your profile. Reload the page.");
    const bullets = entry.bullets.includes(offer.bullet) ? entry.bullets : [...entry.bullets, offer.bullet];
    await api("/api/profile", { method: "PATCH", json: { work: [{ key: entry.key, bullets }] } });
    await retry();
  });
  return html`<div class="alert alert-info add-to-profile">
    <p>Is it true? Add “${offer.bullet}” to ${offer.position ? html`your position <strong>${offer.position}</strong>` : "that position"} in your profile, and your edit is made.</p>
    <button type="button" class="btn btn-primary btn-sm" disabled=${add.busy} onClick=${() => add.run()}>Add to my profile</button>
    <${ErrorAlert} error=${add.error} />
  </div>`;
}

// One bullet, paragraph or summary: the original beside the tailored text, and the decisions.
function ItemRow({ item, onChange, editable = true, droppable = false }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(item.text);
  const status = STATUS[item.status] || STATUS.kept;
  const changed = item.text !== item.source;
  const included = item.included !== false;
  const act = (change) => onChange({ id: item.id, ...change });
  // The same edit made from elsewhere ("Add to my profile" retries it): the form is done.
  useEffect(() => {
    if (editing && item.status === "edited" && item.text === text.split(/\s+/).join(" ").trim()) setEditing(false);
  }, [item.text, item.status]);
  const save = async (e) => {
    e.preventDefault();
    if (await act({ action: "edit", text })) setEditing(false);
  };
  const quiet = !changed && item.status === "kept";
  return html`<li class=${"item" + (quiet ? " item-quiet" : "") + (included ? "" : " item-dropped") + (item.decision === "pending" ? " item-pending" : "")}
    data-status=${item.status} title=${quiet ? item.reason : undefined}>
    <div class="item-head">
      <${Chip} kind=${status.kind}>${status.label}<//>
      ${item.decision === "pending" && html`<${Chip} kind="chip-warn">waiting for you<//>`}
      ${item.decision === "rejected" && html`<${Chip}>you kept your text<//>`}
      ${!included && html`<${Chip}>left out<//>`}
      ${item.matched_skills && item.matched_skills.length > 0 && html`<span class="muted small">matches ${item.matched_skills.join(", ")}</span>`}
    </div>
    ${editing
      ? html`<form class="inline-edit" onSubmit=${save}>
          <label class="sr-only" for=${"edit-" + item.id}>Edit text</label>
          <textarea id=${"edit-" + item.id} rows="3" value=${text} onInput=${(e) => setText(e.target.value)}></textarea>
          <div class="row"><button class="btn btn-primary btn-sm" type="submit">Save</button>
            <button class="btn btn-ghost btn-sm" type="button" onClick=${() => setEditing(false)}>Cancel</button></div>
        </form>`
      : changed
        ? html`<div class="compare">
            <div class="compare-col"><span class="compare-label">Original</span><p>${item.source}</p></div>
            <div class="compare-col tailored"><span class="compare-label">Tailored</span><p>${item.text}</p></div>
          </div>`
        : html`<p class="item-text">${item.text}</p>`}
    ${(changed || item.status !== "kept") &&
    html`<p class="muted small item-reason">${item.reason}${item.unsupported && item.unsupported.length ? html` Not in your profile: <strong>${item.unsupported.join(", ")}</strong>.` : ""}</p>`}
    ${item.status === "reverted" && item.proposed && html`<p class="muted small">The model proposed: <del>${item.proposed}</del></p>`}
    ${!editing &&
    html`<div class="row item-actions">
      ${item.decision === "pending" &&
      html`<button type="button" class="btn btn-primary btn-sm" onClick=${() => act({ action: "accept" })}>Accept</button>
        <button type="button" class="btn btn-ghost btn-sm" onClick=${() => act({ action: "reject" })}>Reject</button>`}
      ${editable && html`<button type="button" class="btn btn-ghost btn-sm" onClick=${() => (setText(item.text), setEditing(true))}>Edit</button>`}
      ${droppable &&
      (included
        ? html`<button type="button" class="btn-link" onClick=${() => act({ action: "drop" })}>Leave out</button>`
        : html`<button type="button" class="btn-link" onClick=${() => act({ action: "restore" })}>Put back</button>`)}
    </div>`}
  </li>`;
}

// Letter paper in the US and Canada, A4 elsewhere, unless the user picked one (kept per browser).
const PAGE_KEY = "cg-page-size";
function localPageSize() {
  try {
    const picked = localStorage.getItem(PAGE_KEY);
    if (picked === "A4" || picked === "Letter") return picked;
  } catch {
    // storage blocked: fall back to the language's region
  }
  const region = (navigator.language || "").split("-")[1] || "";
  return ["US", "CA"].includes(region.toUpperCase()) ? "Letter" : "A4";
}

function PageSwitch({ value, onChange }) {
  const pick = (e) => {
    try {
      localStorage.setItem(PAGE_KEY, e.target.value);
    } catch {
      // not remembered; still used now
    }
    onChange(e.target.value);
  };
  return html`<div class="field page-switch"><label for="page-size">Paper size</label>
    <select id="page-size" value=${value} onChange=${pick}>
      <option value="Letter">US Letter (US, Canada)</option>
      <option value="A4">A4 (most other countries)</option>
    </select></div>`;
}

function Preview({ src, title }) {
  return html`<div class="preview">
    <iframe title=${title} src=${src} sandbox="" loading="lazy"></iframe>
  </div>`;
}

function Downloads({ base, name, template, page }) {
  const query = `?template=${template}${page ? `&page=${page}` : ""}`;
  const dl = useAction((fmt, ext) => download(`${base}/${fmt}${fmt === "json" ? "" : query}`, `${name}.${ext}`));
  return html`<div class="downloads">
    <button type="button" class="btn btn-primary" disabled=${dl.busy} onClick=${() => dl.run("pdf", "pdf")}>Download PDF</button>
    <button type="button" class="btn btn-ghost" disabled=${dl.busy} onClick=${() => dl.run("docx", "docx")}>DOCX</button>
    <button type="button" class="btn btn-ghost" disabled=${dl.busy} onClick=${() => dl.run("json", "json")}>JSON Resume</button>
    <${ErrorAlert} error=${dl.error} />
  </div>`;
}

// Who wrote what the page shows: the AI model (checked) or the deterministic tailoring.
function madeBy(r) {
  const model = r.shows ? r.shows === "model" : r.llm_used;
  return model ? "worded with the local model, checked against your profile" : "deterministic (from your profile, without the model)";
}

function Builder({ id }) {
  const resume = useAsync(() => api(`/api/resumes/${id}`), [id]);
  const [page, setPage] = useState(localPageSize);
  const [error, setError] = useState(null);
  const [failed, setFailed] = useState(null);
  const patch = async (body) => {
    setError(null);
    try {
      resume.setData(await api(`/api/resumes/${id}`, { method: "PATCH", json: body }));
      return true;
    } catch (err) {
      setError(err);
      setFailed(body);
      return false;
    }
  };
  if (resume.error) return html`<${Page} title="Resume"><${ErrorAlert} error=${resume.error} /><//>`;
  if (!resume.data) return html`<${Spinner} />`;
  const r = resume.data;
  const counts = r.report.counts || {};
  const title = [r.target.title, r.target.company].filter(Boolean).join(" at ") || "Tailored resume";
  const onItem = ({ id: itemId, ...change }) => patch({ bullets: [{ id: itemId, ...change }] });
  const onSummary = ({ id: _id, ...change }) => patch({ summary: change });
  // Everything still waiting for a decision, in reading order: accept all at once or go one by one.
  const waiting = [r.content.summary, ...r.content.positions.flatMap((p) => p.bullets)].filter((i) => i.decision === "pending");
  const acceptAll = () =>
    patch({
      bullets: waiting.filter((i) => i !== r.content.summary).map((i) => ({ id: i.id, action: "accept" })),
      ...(r.content.summary.decision === "pending" ? { summary: { action: "accept" } } : {}),
    });
  const reviewEach = () => {
    const first = document.querySelector(".item-pending");
    if (!first) return;
    first.scrollIntoView({ block: "center" });
    const button = first.querySelector(".item-actions button");
    if (button) button.focus({ preventScroll: true });
  };
  const name = (r.content.basics.name || "resume").replace(/\s+/g, "_");
  return html`<${Page} title=${title} wide
    intro=${`Made ${when(r.created_at)} · ${madeBy(r)}`}
    actions=${html`<a class="btn btn-ghost" href="/resumes">All resumes</a>`}>
    <${ModelVersion} resource=${r} reload=${resume.reload} title="AI rewording of this resume"
      hint="You can use and edit this version now. If you change it meanwhile, the AI's version will not replace your edits." />
    ${r.report.llm.degraded && !(r.task && r.task.status !== "failed") && html`<${Alert} kind="warn" title="The AI model was unavailable">The resume was tailored without rewording: ordering, keywords and summary still apply.<//>`}
    <${ErrorAlert} error=${error} onDismiss=${() => setError(null)} hint=${error && error.status === 422 ? "Edits may only state facts that are in your profile." : null} />
    ${error && error.body && error.body.add_to_profile &&
    html`<${AddToProfile} offer=${error.body.add_to_profile} retry=${() => patch(failed)} />`}
    <div class="builder">
      <div class="builder-changes">
        ${waiting.length > 0 &&
        html`<div class="alert alert-warn pending-bar" role="status">
          <div><strong class="alert-title">${waiting.length === 1 ? "1 suggested change is" : `${waiting.length} suggested changes are`} waiting for you</strong>
            <p>Your resume keeps your own words there until you accept; the preview marks those places.</p></div>
          <div class="row"><button type="button" class="btn btn-primary btn-sm" onClick=${acceptAll}>Accept all</button>
            <button type="button" class="btn btn-ghost btn-sm" onClick=${reviewEach}>Review each</button></div>
        </div>`}
        <${Card} title="Changes" actions=${html`<span class="muted small">${counts.rewritten || 0} rewritten · ${counts.reverted || 0} reverted · ${counts.pending || 0} waiting</span>`}>
          <h3 class="sub first">Summary</h3>
          <ul class="items"><${ItemRow} item=${r.content.summary} onChange=${onSummary} /></ul>
          ${r.content.positions.map(
            (p) => html`<section class=${"position" + (p.included ? "" : " item-dropped")} aria-label=${p.title || "Position"}>
              <div class="position-head">
                <div><h3>${p.title}${p.company && html`<span class="tl-place"> · ${p.company}</span>`}</h3>
                  <div class="muted small">${dateRange(p.start, p.end, p.current)}${p.why ? ` · ${p.why}` : ""}</div></div>
                ${p.included
                  ? html`<button type="button" class="btn-link" onClick=${() => patch({ exclude_positions: [p.key] })}>Leave out</button>`
                  : html`<button type="button" class="btn-link" onClick=${() => patch({ include_positions: [p.key] })}>Put back</button>`}
              </div>
              ${p.excluded_reason && html`<p class="muted small">${p.excluded_reason}</p>`}
              <ul class="items">${p.bullets.map((b) => html`<${ItemRow} key=${b.id} item=${b} onChange=${onItem} droppable />`)}</ul>
            </section>`,
          )}
        <//>
        <${Card} title="Keywords">
          <p class="muted small">The job's skills this resume shows, and those it does not claim because your profile has no evidence for them.</p>
          <ul class="chips">${r.report.keywords.surfaced.map((k) => html`<li><${Chip} kind="chip-good" title=${"in " + k.where.join(", ")}>✓ ${k.name}<//></li>`)}</ul>
          <ul class="chips">${r.report.keywords.not_claimed.map((k) => html`<li><${Chip} kind="chip-bad" title=${k.reason}>✕ ${k.name}<//></li>`)}</ul>
        <//>
      </div>
      <div class="builder-preview">
        <${Card} title="Preview">
          <${TemplatePicker} value=${r.template} name="builder-template" onChange=${(t) => patch({ template: t })} />
          <${PageSwitch} value=${page} onChange=${setPage} />
          <${Downloads} base=${`/api/resumes/${r.id}`} name=${name} template=${r.template} page=${page} />
          <${Preview} src=${`/api/resumes/${r.id}/preview?template=${r.template}&page=${page}&v=${encodeURIComponent(r.updated_at)}`} title="Resume preview" />
        <//>
      </div>
    </div>
  <//>`;
}

function LetterEditor({ id }) {
  const letter = useAsync(() => api(`/api/cover-letters/${id}`), [id]);
  const [error, setError] = useState(null);
  const patch = async (body) => {
    setError(null);
    try {
      letter.setData(await api(`/api/cover-letters/${id}`, { method: "PATCH", json: body }));
      return true;
    } catch (err) {
      setError(err);
      return false;
    }
  };
  if (letter.error) return html`<${Page} title="Cover letter"><${ErrorAlert} error=${letter.error} /><//>`;
  if (!letter.data) return html`<${Spinner} />`;
  const l = letter.data;
  const title = `Cover letter${l.target.title ? ": " + l.target.title : ""}${l.target.company ? " at " + l.target.company : ""}`;
  return html`<${Page} title=${title} wide intro=${`Made ${when(l.created_at)} · ${madeBy(l)}`} actions=${html`<a class="btn btn-ghost" href="/resumes">All documents</a>`}>
    <${ModelVersion} resource=${l} reload=${letter.reload} title="AI wording of this letter"
      hint="You can use and edit this letter now. If you change it meanwhile, the AI's version will not replace your edits." />
    ${l.report.llm.degraded && !(l.task && l.task.status !== "failed") && html`<${Alert} kind="warn" title="The AI model was unavailable">The letter was assembled from your profile without the model.<//>`}
    <${ErrorAlert} error=${error} onDismiss=${() => setError(null)} />
    <div class="builder">
      <div class="builder-changes">
        <${Card} title="Paragraphs">
          <p>${l.content.greeting}</p>
          <ul class="items">${l.content.paragraphs.map((p) => html`<${ItemRow} key=${p.id} item=${p} onChange=${(c) => patch({ paragraphs: [c] })} />`)}</ul>
          <p>${l.content.closing}</p>
        <//>
      </div>
      <div class="builder-preview">
        <${Card} title="Preview">
          <${TemplatePicker} value=${l.template} name="letter-template" onChange=${(t) => patch({ template: t })} />
          <${Downloads} base=${`/api/cover-letters/${l.id}`} name="cover_letter" template=${l.template} />
          <${Preview} src=${`/api/cover-letters/${l.id}/preview?template=${l.template}&v=${encodeURIComponent(l.updated_at)}`} title="Cover letter preview" />
        <//>
      </div>
    </div>
  <//>`;
}

// A document's version in a list: AI or deterministic, and the AI task while it waits or runs.
function Versions({ doc }) {
  return html`<div class="row small"><${VersionLabel} shows=${doc.shows} />
    ${doc.task && !isFinal(doc.task) && html`<span class="muted">AI version</span> <${StatusChip} status=${doc.task.status} />`}</div>`;
}

function Library() {
  const resumes = useAsync(() => api("/api/resumes"), []);
  const letters = useAsync(() => api("/api/cover-letters"), []);
  const remove = useAction(async (url) => {
    await api(url, { method: "DELETE" });
    resumes.reload();
    letters.reload();
  });
  const actions = html`<a class="btn btn-primary" href="/resumes/new">Tailor a resume</a><a class="btn btn-ghost" href="/resumes/letters/new">Write a cover letter</a>`;
  return html`<${Page} title="Resumes and letters" intro="Every version you made, each for one job." actions=${actions}>
    <${ErrorAlert} error=${resumes.error || letters.error || remove.error} />
    <div class="grid-2">
      <${Card} title="Tailored resumes">
        ${!resumes.data ? html`<${Spinner} />` : resumes.data.length === 0
          ? html`<${Empty} title="No tailored resume yet" action=${html`<a class="btn btn-primary" href="/analyse">Analyse a job first</a>`}>Analyse a job, then press “Tailor a resume”.<//>`
          : html`<ul class="list">${resumes.data.map(
              (r) => html`<li class="list-item"><div><a href=${`/resumes/${r.id}`}><strong>${r.target.title || "Resume"}</strong></a>
                <div class="muted small">${r.target.company ? r.target.company + " · " : ""}${r.template} · ${when(r.created_at)}</div>
                <${Versions} doc=${r} /></div>
                <button type="button" class="btn-link" aria-label=${"Delete resume for " + (r.target.title || "job")} onClick=${() => confirm("Delete this resume version?") && remove.run(`/api/resumes/${r.id}`)}>Delete</button></li>`,
            )}</ul>`}
      <//>
      <${Card} title="Cover letters">
        ${!letters.data ? html`<${Spinner} />` : letters.data.length === 0
          ? html`<p class="muted">No cover letter yet.</p>`
          : html`<ul class="list">${letters.data.map(
              (l) => html`<li class="list-item"><div><a href=${`/resumes/letters/${l.id}`}><strong>${l.target.title || "Cover letter"}</strong></a>
                <div class="muted small">${l.target.company ? l.target.company + " · " : ""}${when(l.created_at)}</div>
                <${Versions} doc=${l} /></div>
                <button type="button" class="btn-link" aria-label=${"Delete letter for " + (l.target.title || "job")} onClick=${() => confirm("Delete this cover letter?") && remove.run(`/api/cover-letters/${l.id}`)}>Delete</button></li>`,
            )}</ul>`}
      <//>
    </div>
  <//>`;
}

export function Resumes({ loc }) {
  const parts = loc.path.split("/").filter(Boolean); // resumes, [id | new | letters], [id | new]
  if (parts[1] === "letters") {
    if (!parts[2] || parts[2] === "new") return html`<${CreateForm} kind="letter" loc=${loc} />`;
    return html`<${LetterEditor} id=${parts[2]} />`;
  }
  if (parts[1] === "new") return html`<${CreateForm} kind="resume" loc=${loc} />`;
  if (parts[1]) return html`<${Builder} id=${parts[1]} />`;
  return html`<${Library} />`;
}
