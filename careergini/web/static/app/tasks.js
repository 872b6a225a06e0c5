// Background model tasks (issue 14): a request answers at once with the deterministic result and a
// `task`; this module follows that task live (Server-Sent Events from links.events, polling when
// the stream cannot be used), says where it is in words, offers Cancel and Retry, and tells the
// view when the task is over so it fetches the resource again and shows the model's version.

import { useEffect, useRef, useState } from "../vendor/hooks.js";
import { api } from "./api.js";
import { Chip, ErrorAlert, html, humanize } from "./ui.js";

export const FINAL = new Set(["succeeded", "failed", "cancelled"]);
export const isFinal = (task) => Boolean(task) && FINAL.has(task.status);

// How often the fallback asks for the task (ms), and how many failed looks it tolerates.
const POLL_MS = 1500;
const POLL_ERRORS = 5;

// A fresh Idempotency-Key for a task-creating POST (also outside a secure context, where
// crypto.randomUUID is missing).
export function newIdempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// --- words ----------------------------------------------------------------------------------

// What a task kind (or the kind of resource it works on) is, for a person.
// (First match wins: "resume.letter" is a letter, not a resume.)
const KINDS = [
  [/liveness/, { label: "Checking your postings are still open", reads: "your saved jobs", plain: true }],
  [/notifications/, { label: "Looking for news", reads: "your jobs", plain: true }],
  [/letter/, { label: "AI wording of a cover letter", reads: "your profile and the job" }],
  [/feedback|interview|answer/, { label: "AI feedback on an interview answer", reads: "your answer" }],
  [/quiz|question/, { label: "Extra quiz questions from the AI", reads: "the skill's topics" }],
  [/roadmap/, { label: "AI texts for a roadmap", reads: "your plan" }],
  [/tailor|resume/, { label: "AI rewording of a tailored resume", reads: "your resume" }],
];

function kindInfo(task) {
  const names = [task.kind, task.result && task.result.kind].filter(Boolean).map((k) => k.toLowerCase());
  for (const name of names) {
    const found = KINDS.find(([pattern]) => pattern.test(name));
    if (found) return found[1];
  }
  return { label: humanize(String(task.kind || "task").replace(/[._]/g, " ")), reads: "what you sent" };
}

export const kindLabel = (task) => kindInfo(task).label;

const STATUS_WORDS = {
  queued: { label: "waiting", kind: "chip-plain" },
  running: { label: "running", kind: "chip-info" },
  succeeded: { label: "done", kind: "chip-good" },
  failed: { label: "failed", kind: "chip-bad" },
  cancelled: { label: "cancelled", kind: "chip-warn" },
};

export function StatusChip({ status }) {
  const s = STATUS_WORDS[status] || { label: status, kind: "" };
  return html`<${Chip} kind=${s.kind}>${s.label}<//>`;
}

function waiting(position) {
  if (position == null) return "Waiting for the AI model…";
  if (position === 0) return "Waiting for the AI model: you are next";
  return `Waiting for the AI model: ${position} request${position === 1 ? "" : "s"} ahead of you`;
}

// The task's stage as a sentence ("The model is reading your resume…", "Writing: 43%").
export function stageText(task) {
  const p = task.progress || {};
  if (kindInfo(task).plain && task.status === "succeeded") return "Done.";
  if (kindInfo(task).plain && task.status === "failed") return "It could not be done.";
  if (task.status === "succeeded") return "Done: the AI version is ready.";
  if (task.status === "failed") return "The AI version could not be made.";
  if (task.status === "cancelled") return "Cancelled: the deterministic version stays.";
  switch (p.stage) {
    case "queued":
    case "waiting":
      return waiting(p.queue_position);
    case "starting":
      return "Starting…";
    case "preparing":
      return "Getting your profile and the target ready…";
    case "reading":
      return `The model is reading ${kindInfo(task).reads}…`;
    case "writing":
      if (p.percent != null) return p.percent < 0.5 && p.tokens ? "Writing: under 1%" : `Writing: ${Math.round(p.percent)}%`;
      return p.tokens ? `Writing: ${p.tokens} words so far…` : "Writing…";
    case "checking":
    case "grounding":
    case "validating":
      return "Checking the wording against your profile…";
    case "saving":
      return "Saving the AI version…";
    default:
      return p.stage ? `${humanize(String(p.stage))}…` : "Working…";
  }
}

// 0..1 for the bar, or null when the stage has no measure.
function fraction(task) {
  const p = task.progress || {};
  if (task.status === "succeeded") return 1;
  return p.stage === "writing" && p.percent != null ? Math.max(0, Math.min(1, p.percent / 100)) : null;
}

// --- routes ---------------------------------------------------------------------------------

// The SPA page of a task's result: /api/resumes/<id> -> /resumes/<id>, and so on.
const ROUTES = [
  [/^\/api\/resumes\/([^/?#]+)/, (id) => `/resumes/${id}`],
  [/^\/api\/cover-letters\/([^/?#]+)/, (id) => `/resumes/letters/${id}`],
  [/^\/api\/learning\/roadmaps\/([^/?#]+)/, (id) => `/learning/roadmaps/${id}`],
  [/^\/api\/quizzes\/([^/?#]+)/, (id) => `/learning/quizzes/${id}`],
  [/^\/api\/interview\/sessions\/([^/?#]+)/, (id) => `/learning/interview/${id}`],
];

export function spaRoute(result) {
  if (!result || !result.url) return null;
  for (const [pattern, to] of ROUTES) {
    const m = pattern.exec(result.url);
    if (m) return to(encodeURIComponent(decodeURIComponent(m[1])));
  }
  return /^\/(?!api\/|\/)/.test(result.url) ? result.url : null;
}

// --- following a task -----------------------------------------------------------------------

function retryUrl(task) {
  return `${task.links ? task.links.self : `/api/tasks/${task.id}`}/retry`;
}

// Follow one task until it is final: returns [task, setTask]. Events come from links.events;
// when EventSource is missing or the stream fails (a dropped connection, an expired session),
// the task is polled through the API client instead (which refreshes the session once).
export function useTaskFeed(initial, onFinal) {
  const [task, setTask] = useState(initial);
  const finalRef = useRef(onFinal);
  finalRef.current = onFinal;
  // A newer state of the same task from the view (a re-fetch) wins over ours.
  useEffect(() => {
    if (initial) setTask(initial);
  }, [initial && initial.id, initial && initial.status, initial && initial.created_at]);

  const id = task && task.id;
  const live = Boolean(task) && !isFinal(task);
  const queuedAt = task && task.created_at; // a retry puts the task back in the queue
  useEffect(() => {
    if (!live) return undefined;
    let stopped = false;
    let source = null;
    let timer = null;
    let failures = 0;
    const seen = (next) => {
      if (stopped) return;
      setTask(next);
      if (isFinal(next)) {
        stop();
        if (finalRef.current) finalRef.current(next);
      }
    };
    const stop = () => {
      stopped = true;
      if (source) source.close();
      clearTimeout(timer);
    };
    const poll = async () => {
      if (stopped) return;
      try {
        seen(await api(task.links.self));
        failures = 0;
      } catch (err) {
        failures += 1;
        if (err.status === 404 || failures >= POLL_ERRORS) {
          stopped = true;
          return;
        }
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    if (typeof EventSource === "function" && task.links && task.links.events) {
      source = new EventSource(task.links.events);
      source.addEventListener("task", (e) => {
        try {
          seen(JSON.parse(e.data));
        } catch {
          // A malformed event: the next one or the poll brings the state.
        }
      });
      source.onerror = () => {
        if (stopped) return;
        // Closed by the server after the final event, or failed: poll from here on.
        source.close();
        source = null;
        timer = setTimeout(poll, 200);
      };
    } else {
      timer = setTimeout(poll, 0);
    }
    return stop;
  }, [id, live, queuedAt]);
  return [task, setTask];
}

// --- components -----------------------------------------------------------------------------

// "AI version" or "Deterministic version", from the resource's `shows`.
export function VersionLabel({ shows }) {
  if (shows === "model")
    return html`<span class="version-label" data-shows="model"><${Chip} kind="chip-info" title="Worded by the AI model, then checked against your profile">AI version<//></span>`;
  if (shows === "deterministic")
    return html`<span class="version-label" data-shows="deterministic"><${Chip} title="Made without the AI model, from your profile's facts">Deterministic version<//></span>`;
  return null;
}

// A task's live progress: the stage in words, a bar, Cancel while it waits or runs, the error
// and Retry when it failed. onFinal(task) runs once the task is final, so the view can fetch the
// resource again. A task that had already succeeded when the view opened shows nothing (the
// resource says "AI version").
export function TaskProgress({ task: initial, onFinal, hint, title }) {
  const [task, setTask] = useTaskFeed(initial, onFinal);
  const [actionError, setActionError] = useState(null);
  const [busy, setBusy] = useState(false);
  const doneAtOpen = useRef(Boolean(initial) && initial.status === "succeeded");
  if (!task) return null;
  if (task.status === "succeeded" && doneAtOpen.current) return null;
  const act = async (url, after) => {
    setBusy(true);
    setActionError(null);
    try {
      const next = await api(url, { method: "POST" });
      doneAtOpen.current = false;
      setTask(next);
      if (after) after(next);
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(false);
    }
  };
  const final = isFinal(task);
  const value = fraction(task);
  const pct = value == null ? null : Math.round(value * 100);
  const label = title || kindLabel(task);
  return html`<div class=${"task-progress task-" + task.status} data-task=${task.id} data-status=${task.status}>
    <div class="task-line">
      ${!final && html`<span class="spinner" aria-hidden="true"></span>`}
      <div class="grow">
        <strong class="task-title">${label}</strong>
        <p class="task-stage" role="status" aria-live="polite" aria-atomic="true">${stageText(task)}</p>
      </div>
      <div class="row-actions">
        ${!final && html`<button type="button" class="btn btn-ghost btn-sm" disabled=${busy} onClick=${() => act(task.links.cancel, onFinal)}>Cancel</button>`}
        ${(task.status === "failed" || task.status === "cancelled") &&
        html`<button type="button" class="btn btn-primary btn-sm" disabled=${busy} onClick=${() => act(retryUrl(task))}>Retry</button>`}
      </div>
    </div>
    ${!final &&
    html`<div class=${"progress" + (pct == null ? " indeterminate" : "")} role="progressbar" aria-label=${label}
      aria-valuemin="0" aria-valuemax="100" aria-valuenow=${pct ?? undefined}><span style=${pct == null ? "" : `width:${pct}%`}></span></div>`}
    ${task.status === "failed" && task.error && html`<p class="task-error">${task.error}</p>`}
    ${!final && hint && html`<p class="muted small">${hint}</p>`}
    <${ErrorAlert} error=${actionError} onDismiss=${() => setActionError(null)} />
  </div>`;
}

// The resource's version label and, when it has a task, the task's progress; `reload` fetches
// the resource again once the task is over.
export function ModelVersion({ resource, reload, hint, title }) {
  if (!resource) return null;
  return html`<div class="model-version">
    <${VersionLabel} shows=${resource.shows} />
    ${resource.task && html`<${TaskProgress} key=${resource.task.id} task=${resource.task} onFinal=${reload} hint=${hint} title=${title} />`}
  </div>`;
}
