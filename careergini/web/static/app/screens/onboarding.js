// Onboarding: bring a resume (drag and drop, upload then parse progress), a LinkedIn export or
// a GitHub account; see what was read and correct it inline. Parse errors say what to do next.

import { useRef, useState } from "../../vendor/hooks.js";
import { api, upload } from "../api.js";
import {
  Alert,
  Card,
  Chip,
  ErrorAlert,
  Page,
  Progress,
  Spinner,
  bytes,
  html,
  sourceLabel,
  useAction,
  useAsync,
  when,
} from "../ui.js";
import { BasicsEditor, SkillsEditor, SummaryEditor, Timeline, loadProfile } from "./profile-edit.js";

// What to do about each way an upload can fail (the API's detail says what happened).
const FIXES = {
  ScannedDocument:
    "This PDF has no text layer (it is a picture of a page). Export it again from your editor with \"Save as PDF\", or upload the DOCX.",
  EncryptedDocument: "This PDF is password-protected. Save a copy without a password and upload that.",
  UnreadableDocument: "The file looks damaged or cut short. Export it again and upload the new file.",
  UnsupportedDocumentType:
    "CareerGini reads PDF, DOCX, plain text or Markdown, JSON Resume, and LinkedIn data-export ZIP files.",
  UnsupportedMediaType:
    "CareerGini reads PDF, DOCX, plain text or Markdown, JSON Resume, and LinkedIn data-export ZIP files.",
  NoResumeContent: "The file was read, but nothing in it looks like a resume. Check that you picked the right file.",
  DocumentTooLarge: "Files can be 10 MB at most. Export without embedded images, or upload the DOCX.",
  ArchiveTooLarge: "This archive expands to far more than a resume should. For LinkedIn, upload the basic export ZIP.",
  PayloadTooLarge: "Files can be 10 MB at most. Export without embedded images, or upload the DOCX.",
};
// The API's detail often says what to do already; add ours only when it does not.
function fixFor(error) {
  const fix = FIXES[error.error];
  return fix && !/upload|export|save a copy/i.test(error.detail || "") ? fix : null;
}

const ACCEPT = ".pdf,.docx,.txt,.md,.markdown,.json,.zip,application/pdf,application/zip";

function Dropzone({ id, label, help, accept, onFile, disabled }) {
  const [over, setOver] = useState(false);
  const input = useRef(null);
  const drop = (e) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    if (file && !disabled) onFile(file);
  };
  return html`<div class=${"dropzone" + (over ? " over" : "") + (disabled ? " disabled" : "")}
    onDragEnter=${(e) => {
      e.preventDefault();
      setOver(true);
    }}
    onDragOver=${(e) => {
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
    }}
    onDragLeave=${(e) => !e.currentTarget.contains(e.relatedTarget) && setOver(false)}
    onDrop=${drop}>
    <svg width="36" height="36" viewBox="0 0 24 24" aria-hidden="true" class="dz-icon"><path d="M12 16V4m0 0-4 4m4-4 4 4M5 14v4a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-4" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>
    <p class="dz-title">${label}</p>
    <p class="muted small">${help}</p>
    <input id=${id} ref=${input} class="sr-only" type="file" tabindex="-1" accept=${accept} disabled=${disabled}
      onChange=${(e) => {
        const file = e.target.files[0];
        e.target.value = "";
        if (file) onFile(file);
      }} />
    <label for=${id} class=${"btn btn-primary" + (disabled ? " disabled" : "")}
      tabindex=${disabled ? -1 : 0} role="button"
      onKeyDown=${(e) => (e.key === "Enter" || e.key === " ") && (e.preventDefault(), input.current.click())}>Choose a file</label>
  </div>`;
}

// Upload state machine: null -> {stage: "upload", progress} -> {stage: "parse"} -> done/error.
function useImport() {
  const [state, setState] = useState(null);
  const start = async (file) => {
    setState({ stage: "upload", progress: 0, file });
    const form = new FormData();
    form.append("file", file, file.name);
    try {
      const result = await upload("/api/profile/imports", form, {
        onProgress: (p) => setState((s) => (s && s.stage === "upload" ? { ...s, progress: p } : s)),
        onUploaded: () => setState((s) => ({ ...s, stage: "parse" })),
      });
      setState({ stage: "done", file, result });
      return result;
    } catch (error) {
      setState({ stage: "error", file, error });
      return null;
    }
  };
  return { state, start, reset: () => setState(null) };
}

function ImportStatus({ state }) {
  if (!state) return null;
  const name = html`<p class="file-line"><strong>${state.file.name}</strong> <span class="muted">(${bytes(state.file.size)})</span></p>`;
  if (state.stage === "upload") return html`<div class="status-box">${name}<${Progress} value=${state.progress} label="Uploading" /></div>`;
  if (state.stage === "parse")
    return html`<div class="status-box">${name}<${Progress} value=${null} label="Reading your resume: text, sections, positions, skills…" /></div>`;
  if (state.stage === "error")
    return html`<div class="status-box">${name}<${ErrorAlert} error=${state.error} hint=${fixFor(state.error)} /></div>`;
  return html`<div class="status-box">${name}<${ImportSummary} result=${state.result} /></div>`;
}

function ImportSummary({ result }) {
  const c = result.counts || {};
  return html`<div role="status">
    <p class="ok-line">Read ${sourceLabel({ kind: result.kind, label: null })}: ${c.work || 0} positions, ${c.education || 0} education
      entries, ${c.skills || 0} skills, ${c.projects || 0} projects.</p>
    <${ImportWarnings} warnings=${result.warnings} />
  </div>`;
}

// A warning is "code: what we saw and how to fix it"; codes without words of their own get some.
const WARNING_WORDS = {
  tables_found: null, // reading tables is normal, not worth a line
  pdf_encrypted_without_password: "The PDF is protected against editing; its text was read anyway.",
  missing_file: "The export lacks a file:",
  extension_mismatch: "The file's name and its content disagree:",
};
// Warnings the profile page fixes (add what is missing); the others are fixed by the file.
const FIX_ON_PROFILE = new Set(["name_not_found", "no_positions", "no_dates", "some_dates_missing", "no_skills", "other_language", "unsupported_language", "two_column_layout", "positions_unknown_heading"]);

export function ImportWarnings({ warnings }) {
  const items = (warnings || [])
    .map((w) => {
      const at = w.indexOf(":");
      const code = at > 0 ? w.slice(0, at) : w;
      const rest = at > 0 ? w.slice(at + 1).trim() : "";
      if (code in WARNING_WORDS && WARNING_WORDS[code] === null) return null;
      const words = code in WARNING_WORDS ? `${WARNING_WORDS[code]} ${rest}`.trim() : rest || code.replace(/_/g, " ");
      return { code, words };
    })
    .filter(Boolean);
  if (!items.length) return null;
  const fixable = items.some((item) => FIX_ON_PROFILE.has(item.code));
  return html`<${Alert} kind="warn" title="What we could not read">
    <ul class="import-warnings">${items.map((item) => html`<li data-code=${item.code}>${item.words}</li>`)}</ul>
    ${fixable && html`<p class="small">Add or correct it under “Check what we read” on this page (kept when you import again), or upload another version of the file.</p>`}
  <//>`;
}

function GitHubImport({ onDone }) {
  const [username, setUsername] = useState("");
  const action = useAction(async () => {
    const result = await api("/api/profile/imports/github", { method: "POST", json: { username: username.trim().replace(/^@/, "") } });
    onDone(result);
    return result;
  });
  const [last, setLast] = useState(null);
  return html`<form class="form" onSubmit=${async (e) => {
    e.preventDefault();
    setLast(await action.run());
  }}>
    <div class="field">
      <label for="gh-username">GitHub username</label>
      <div class="row">
        <input id="gh-username" value=${username} placeholder="e.g. octocat" autocomplete="off" onInput=${(e) => setUsername(e.target.value)} />
        <button class="btn btn-primary" type="submit" disabled=${action.busy || !username.trim()}>Import</button>
      </div>
      <p class="hint">Public repositories and their languages become evidence for your skills.</p>
    </div>
    ${action.busy && html`<${Progress} value=${null} label="Reading public repositories…" />`}
    <${ErrorAlert} error=${action.error} />
    ${last && !action.busy && html`<${ImportSummary} result=${last} />`}
  </form>`;
}

function ImportsList({ imports, onChange }) {
  const action = useAction(async (fn) => {
    await fn();
    onChange();
  });
  if (!imports.length) return html`<p class="muted">Nothing imported yet.</p>`;
  return html`<div>
    <ul class="list">
      ${imports.map(
        (imp) => html`<li class="list-item">
          <div>
            <strong>${imp.filename || imp.source_ref || imp.kind}</strong>
            <div class="muted small">${sourceLabel({ kind: imp.kind })} · ${imp.size_bytes ? bytes(imp.size_bytes) + " · " : ""}imported ${when(imp.created_at)}
              · ${imp.counts.work || 0} positions, ${imp.counts.skills || 0} skills</div>
            ${imp.stale && html`<${Chip} kind="chip-warn">read by an older parser<//>`}
            <${ImportWarnings} warnings=${imp.warnings} />
          </div>
          <div class="row-actions">
            ${imp.kind !== "github" &&
            html`<button type="button" class="btn btn-ghost btn-sm" disabled=${action.busy}
              onClick=${() => action.run(() => api(`/api/profile/imports/${imp.id}/reparse`, { method: "POST" }))}>Read again</button>`}
            <button type="button" class="btn btn-ghost btn-sm danger" disabled=${action.busy}
              aria-label=${"Delete " + (imp.filename || imp.kind)}
              onClick=${() => confirm("Delete this import? Your profile is merged again without it.") &&
              action.run(() => api(`/api/profile/imports/${imp.id}`, { method: "DELETE" }))}>Delete</button>
          </div>
        </li>`,
      )}
    </ul>
    <${ErrorAlert} error=${action.error} />
  </div>`;
}

export function Onboarding() {
  const resume = useImport();
  const linkedin = useImport();
  const imports = useAsync(() => api("/api/profile/imports"), []);
  const profile = useAsync(loadProfile, []);
  const refresh = () => {
    imports.reload();
    profile.reload();
  };
  const importFile = (imp) => async (file) => {
    if (await imp.start(file)) refresh();
  };
  const busy = (s) => s && (s.stage === "upload" || s.stage === "parse");
  const hasData = profile.data && (profile.data.work.length || profile.data.skills.length || profile.data.basics.name?.value);

  return html`<${Page} title="Bring your career in"
    intro="Start with your resume. Add your LinkedIn export or GitHub for more evidence: CareerGini merges them into one profile and shows where each fact came from."
    actions=${hasData && html`<a class="btn btn-primary" href="/profile">See your profile</a>`}>
    <div class="grid-3">
      <${Card} title="1. Your resume" class="card-import">
        <${Dropzone} id="resume-file" label="Drop your resume here" help="PDF, DOCX, text, Markdown or JSON Resume · up to 10 MB"
          accept=${ACCEPT} disabled=${busy(resume.state)} onFile=${importFile(resume)} />
        <${ImportStatus} state=${resume.state} />
      <//>
      <${Card} title="2. LinkedIn export" class="card-import">
        <${Dropzone} id="linkedin-file" label="Drop your LinkedIn data export" help="On LinkedIn: Settings › Data privacy › Get a copy of your data, then upload the ZIP."
          accept=".zip,application/zip" disabled=${busy(linkedin.state)} onFile=${importFile(linkedin)} />
        <${ImportStatus} state=${linkedin.state} />
      <//>
      <${Card} title="3. GitHub" class="card-import">
        <${GitHubImport} onDone=${refresh} />
      <//>
    </div>

    ${profile.loading && !profile.data && html`<${Spinner} />`}
    <${ErrorAlert} error=${profile.error} />
    ${hasData &&
    html`<h2 class="section-title">Check what we read</h2>
      <p class="muted">Fix anything that is wrong: your corrections are kept when you import again.</p>
      <div class="grid-2 review">
        <${Card} title="About you">
          <${BasicsEditor} profile=${profile.data} onChange=${profile.setData} />
          <h3 class="sub">Summary</h3>
          <${SummaryEditor} profile=${profile.data} onChange=${profile.setData} />
        <//>
        <div class="stack">
          <${Card} title="Experience"><${Timeline} kind="work" profile=${profile.data} onChange=${profile.setData} /><//>
          <${Card} title="Education"><${Timeline} kind="education" profile=${profile.data} onChange=${profile.setData} /><//>
          <${Card} title=${`Skills (${profile.data.skills.length})`}><${SkillsEditor} profile=${profile.data} onChange=${profile.setData} /><//>
        </div>
      </div>
      <div class="row center"><a class="btn btn-primary" href="/profile">Looks right: show my profile</a></div>`}

    <${Card} title="Your imports">
      ${imports.data ? html`<${ImportsList} imports=${imports.data} onChange=${refresh} />` : html`<${Spinner} />`}
      <${ErrorAlert} error=${imports.error} />
    <//>
  <//>`;
}
