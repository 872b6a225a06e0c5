// The coach: threads, a streamed answer (Server-Sent Events) with the agents' activity shown
// as it happens, cancel, and a banner when the AI model is offline (answers then come from the
// analysis itself and still show).

import { useEffect, useRef, useState } from "../../vendor/hooks.js";
import { api, download, stream } from "../api.js";
import { Chip, ErrorAlert, Page, Spinner, html, navigate, useAction, useAsync, when } from "../ui.js";
import { useJobParam } from "./next-steps.js";

// --- links to what the coach made -----------------------------------------------------------

// A path of this app the coach may mention: the API or one of the SPA's sections, never a full
// URL (nothing before the slash that could make it another site's path).
const APP_PATH =
  /(?<![\w/.:~@%-])\/(?:api|profile|analyse|resumes|jobs|learning|coach|account|onboarding)(?![\w~-])(?:\/[\w~-]+(?:\.[\w~-]+)*)*(?:\?[\w=&%+-]+(?:\.[\w=&%+-]+)*)?/g;
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const SESSION_API = new RegExp(`^/api/interview/sessions/(${UUID})(?:/answers)?$`, "i");
const FILE_API = /^\/api\/.+\/(pdf|docx|ics|json)$/;

// Where each kind of stored item opens in the app, and its downloads (ids checked first).
const KINDS = {
  resume: { title: "Tailored resume", open: "Open resume", app: (id) => `/resumes/${id}`, files: (id) => [["PDF", `/api/resumes/${id}/pdf`], ["DOCX", `/api/resumes/${id}/docx`]] },
  cover_letter: { title: "Cover letter", open: "Open cover letter", app: (id) => `/resumes/letters/${id}`, files: (id) => [["PDF", `/api/cover-letters/${id}/pdf`], ["DOCX", `/api/cover-letters/${id}/docx`]] },
  roadmap: { title: "Learning roadmap", open: "Open roadmap", app: (id) => `/learning/roadmaps/${id}`, files: (id) => [["Calendar (.ics)", `/api/learning/roadmaps/${id}/ics`]] },
  interview_session: { title: "Interview practice", open: "Start answering", app: (id) => `/learning/interview/${id}`, files: () => [] },
};
// The paths that name a stored item in an answer's text: [pattern, kind].
const MENTIONS = [
  [`/resumes/letters/(${UUID})`, "cover_letter"],
  [`/api/cover-letters/(${UUID})`, "cover_letter"],
  [`/resumes/(${UUID})`, "resume"],
  [`/learning/roadmaps/(${UUID})`, "roadmap"],
  [`/learning/interview/(${UUID})`, "interview_session"],
  [`/api/interview/sessions/(${UUID})`, "interview_session"],
].map(([re, kind]) => [new RegExp(re, "gi"), kind]);

// The items an answer's text links to, in the order it mentions them.
function mentionedItems(text) {
  const found = [];
  for (const path of text.match(APP_PATH) || []) {
    for (const [re, kind] of MENTIONS) {
      re.lastIndex = 0;
      const m = re.exec(path);
      if (m) {
        found.push({ kind, id: m[1].toLowerCase() });
        break;
      }
    }
  }
  return found;
}

function merge(...lists) {
  const seen = new Set();
  return lists.flat().filter((a) => {
    const key = `${a.kind}:${a.id}`;
    if (!KINDS[a.kind] || !/^[\w-]{1,64}$/.test(String(a.id)) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// A link to a path of this app: files download through the API client (it refreshes an expired
// session), the interview API opens the practice screen, SPA paths navigate in place.
function AppLink({ path, class: cls, children }) {
  const dl = useAction(() => download(path, path.split("/").slice(-2).join(".")));
  const session = SESSION_API.exec(path);
  if (session) return html`<a class=${cls} href=${`/learning/interview/${session[1]}`}>${children}</a>`;
  if (!FILE_API.test(path)) return html`<a class=${cls} href=${path}>${children}</a>`;
  return html`<a class=${cls} href=${path} download aria-busy=${dl.busy}
    onClick=${(e) => {
      e.preventDefault();
      dl.run();
    }}>${children}</a>${dl.error && html`<span class="field-error" role="alert"> ${dl.error.detail}</span>`}`;
}

function linkify(text) {
  const out = [];
  let last = 0;
  for (const m of text.matchAll(APP_PATH)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(html`<${AppLink} path=${m[0]}>${m[0]}<//>`);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

// What the coach created, as links to the app's own screens and the downloads.
function Artifacts({ items }) {
  if (!items.length) return null;
  return html`<ul class="artifacts" aria-label="Made by the coach">${items.map((a) => {
    const kind = KINDS[a.kind];
    return html`<li key=${a.kind + a.id} class="artifact" role="group" aria-label=${a.title || kind.title}>
      <span class="artifact-title">${a.title || kind.title}</span>
      <span class="row-actions">
        <a class="btn btn-primary btn-sm" href=${kind.app(a.id)}>${kind.open}</a>
        ${kind.files(a.id).map(([label, path]) => html`<${AppLink} class="btn btn-ghost btn-sm" path=${path}>${label}<//>`)}
      </span>
    </li>`;
  })}</ul>`;
}

// A small, safe subset of Markdown (paragraphs, lists, **bold**, `code`, [text](/app/path) and
// the app's own paths as links) rendered as elements: the model's text never becomes HTML, and
// only a path of this app becomes a link.
function inline(text) {
  const out = [];
  const re = /(\*\*[^*]+\*\*|`[^`]+`|\[[^\]\n]{1,200}\]\(\/[^)\s]{1,300}\))/g;
  let last = 0;
  let m;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(...linkify(text.slice(last, m.index)));
    const token = m[0];
    const code = token.slice(1, -1);
    const named = /^\[([^\]]+)\]\((\/[^)\s]+)\)$/.exec(token);
    const path = named && (named[2].match(APP_PATH) || [])[0] === named[2] ? named[2] : null;
    out.push(
      named
        ? path
          ? html`<${AppLink} path=${path}>${named[1]}<//>`
          : named[1]
        : token.startsWith("**")
          ? html`<strong>${linkify(token.slice(2, -2))}</strong>`
          : (code.match(APP_PATH) || [])[0] === code
            ? html`<${AppLink} path=${code}><code>${code}</code><//>`
            : html`<code>${code}</code>`,
    );
    last = m.index + token.length;
  }
  if (last < text.length) out.push(...linkify(text.slice(last)));
  return out;
}

export function Markdown({ text }) {
  const blocks = [];
  let list = null;
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    const item = /^\s*(?:[-*•]|\d+[.)])\s+(.*)$/.exec(line);
    if (item) {
      const ordered = /^\s*\d/.test(line);
      if (!list || list.ordered !== ordered) blocks.push((list = { ordered, items: [] }));
      list.items.push(item[1]);
      continue;
    }
    list = null;
    const heading = /^#{1,4}\s+(.*)$/.exec(line);
    if (heading) blocks.push({ heading: heading[1] });
    else if (line.trim()) {
      const prev = blocks[blocks.length - 1];
      if (prev && prev.para != null && !prev.closed) prev.para += " " + line.trim();
      else blocks.push({ para: line.trim() });
    } else if (blocks.length) blocks[blocks.length - 1].closed = true;
  }
  return html`<div class="md">${blocks.map((b) =>
    b.items
      ? b.ordered
        ? html`<ol>${b.items.map((i) => html`<li>${inline(i)}</li>`)}</ol>`
        : html`<ul>${b.items.map((i) => html`<li>${inline(i)}</li>`)}</ul>`
      : b.heading != null
        ? html`<p class="md-h">${inline(b.heading)}</p>`
        : html`<p>${inline(b.para)}</p>`,
  )}</div>`;
}

const AGENTS = { profile: "profile", skills: "skills", jobs: "job market", resume: "resume", learning: "learning" };

// Fold one agent/tool event into the activity list: [{key, text, state}] (state: active|done|failed).
export function foldActivity(list, event, d) {
  const next = list.map((a) => ({ ...a }));
  let key = event === "tool" ? `${d.agent}:${d.tool}` : d.agent;
  let text = d.detail || d.title || "";
  if (d.agent === "supervisor") {
    key = `supervisor:${d.status}`;
    for (const a of next) if (a.key.startsWith("supervisor:")) a.state = "done";
    if (d.status === "routed") {
      const names = (d.agents || []).map((n) => AGENTS[n] || n);
      text = names.length ? `Asking the ${names.join(" and ")} agent${names.length > 1 ? "s" : ""}` : "Answering directly";
    } else if (d.status === "writing") text = "Writing the answer";
    else text = text || `Coach: ${d.status}`;
  }
  const state = d.status === "done" ? (d.ok === false ? "failed" : "done") : d.status === "failed" ? "failed" : "active";
  const same = next.find((a) => a.key === key || (text && a.text === text && a.key.split(":")[0] === key.split(":")[0]));
  if (same) {
    same.state = state === "active" && same.state !== "active" ? same.state : state;
    if (!same.text) same.text = text;
    if (same.key !== key && state !== "active") same.state = state;
    return next;
  }
  if (state !== "active" && !text) return next; // a "done" for something never announced
  next.push({ key, text: text || `${AGENTS[d.agent] || d.agent}: ${d.status}`, state });
  return next;
}

function ModelBanner({ health, degraded }) {
  const offline = health && health.status !== "ok";
  if (!offline && !degraded) return null;
  return html`<div class="banner-offline" role="status">
    <strong>The AI model is ${health && health.status === "degraded" ? "partly available" : "offline"}.</strong>
    <span> Answers come from CareerGini's own analysis of your profile and jobs: still useful, but shorter and less conversational.</span>
    ${health && health.detail && html`<span class="muted small"> (${health.detail})</span>`}
  </div>`;
}

// A stored answer lists what the coach created (`artifacts`); an answer stored before it did
// has only its text, whose paths are then all there is.
function Message({ m }) {
  const mine = m.role === "user";
  return html`<li class=${"msg " + (mine ? "msg-user" : "msg-coach")}>
    <div class="msg-who">${mine ? "You" : "Coach"}
      ${m.degraded && html`<${Chip} kind="chip-warn" title="The AI model was offline: this answer comes from the analysis itself">from the analysis<//>`}
      ${m.status === "interrupted" && html`<${Chip} kind="chip-warn">stopped<//>`}
      ${m.status === "failed" && html`<${Chip} kind="chip-bad">failed<//>`}
    </div>
    <div class="msg-body">${mine ? html`<p class="pre">${m.content}</p>` : html`<${Markdown} text=${m.content} />`}</div>
    ${!mine && html`<${Artifacts} items=${merge(m.artifacts || [], mentionedItems(m.content))} />`}
    ${m.agents && m.agents.length > 0 && html`<div class="muted small">Answered by ${m.agents.join(", ")}</div>`}
  </li>`;
}

// The saved posting the coach was opened for (?job=<id>): a removable chip while it is attached;
// one that is gone (or never was the person's) says so, and messages then go without it.
function AttachedJob({ job, onRemove }) {
  if (!job) return null;
  if (job.error) {
    const missing = job.error.status === 404 || job.error.status === 422;
    return html`<div class="attached-job">
      ${missing
        ? html`<p class="field-error" role="alert">That job posting was not found among your saved postings, so messages are sent without it.</p>`
        : html`<${ErrorAlert} error=${job.error} hint="Messages are sent without the job." />`}
      <button type="button" class="btn-link small" onClick=${onRemove}>Dismiss</button>
    </div>`;
  }
  if (!job.posting) return html`<p class="muted small" role="status">Loading the job…</p>`;
  const p = job.posting;
  return html`<div class="attached-job" role="group" aria-label="Attached job">
    <span class="chip chip-info">About: ${p.title}${p.company ? ` at ${p.company}` : ""}
      <button type="button" class="chip-x" aria-label=${"Remove the job " + p.title} onClick=${onRemove}>×</button></span>
  </div>`;
}

function Composer({ disabled, onSend, streaming, onCancel, job, onRemoveJob }) {
  const [text, setText] = useState("");
  const [jd, setJd] = useState("");
  const [withJob, setWithJob] = useState(false);
  const input = useRef(null);
  const attached = job && job.posting;
  const waiting = !!job && !job.posting && !job.error; // the attached job is still loading
  const send = (e) => {
    e && e.preventDefault();
    // The box itself, not the state: a key pressed right after typing may reach a handler
    // from the render before the typing's state update.
    const content = (input.current ? input.current.value : text).trim();
    if (!content || disabled || waiting) return;
    if (attached) onSend({ content, job_id: attached.id });
    else onSend({ content, job_description: withJob && jd.trim() ? jd.trim() : undefined });
    setText("");
  };
  return html`<form class="composer" onSubmit=${send}>
    <${AttachedJob} job=${job} onRemove=${onRemoveJob} />
    ${withJob && !attached &&
    html`<div class="field"><label for="coach-jd">Job description to discuss</label>
      <textarea id="coach-jd" rows="4" value=${jd} onInput=${(e) => setJd(e.target.value)} placeholder="Paste the job's text"></textarea></div>`}
    <label class="sr-only" for="coach-input">Your message</label>
    <textarea id="coach-input" ref=${input} rows="2" value=${text} placeholder="Ask the coach, e.g. “What should I learn first for a data engineering role?”"
      onInput=${(e) => setText(e.target.value)}
      onKeyDown=${(e) => e.key === "Enter" && !e.shiftKey && !e.isComposing && send(e)}></textarea>
    <div class="row composer-actions">
      ${!attached && html`<button type="button" class="btn-link" onClick=${() => setWithJob(!withJob)} aria-pressed=${withJob}>${withJob ? "Remove the job" : "Add a job description"}</button>`}
      <span class="muted small grow">Enter to send, Shift+Enter for a new line</span>
      ${streaming
        ? html`<button type="button" class="btn btn-ghost danger" onClick=${onCancel}>Stop</button>`
        : html`<button type="submit" class="btn btn-primary" disabled=${disabled || waiting || !text.trim()}>Send</button>`}
    </div>
  </form>`;
}

function Thread({ threadId, health, onActivity, job, onRemoveJob }) {
  const thread = useAsync(() => (threadId ? api(`/api/chat/threads/${threadId}`) : Promise.resolve(null)), [threadId]);
  const [live, setLive] = useState(null); // {user, answer, activity[], artifacts[], status, degraded, error}
  const [error, setError] = useState(null);
  const endRef = useRef(null);
  const idRef = useRef(threadId);
  const messages = (thread.data && thread.data.messages) || [];

  useEffect(() => {
    endRef.current && endRef.current.scrollIntoView({ block: "end" });
  }, [messages.length, live && live.answer.length, live && live.activity.length]);

  const send = async (body) => {
    setError(null);
    let id = threadId;
    try {
      if (!id) {
        const created = await api("/api/chat/threads", { method: "POST", json: {} });
        id = created.id;
      }
      idRef.current = id;
    } catch (err) {
      setError(err);
      return;
    }
    let state = { user: body.content, answer: "", activity: [], artifacts: [], status: "streaming", degraded: false, error: null };
    setLive(state);
    const update = (patch) => setLive((state = { ...state, ...patch }));
    try {
      await stream(`/api/chat/threads/${id}/messages`, {
        json: body,
        onEvent: ({ event, data }) => {
          if (event === "token") update({ answer: state.answer + (data.text || "") });
          else if (event === "agent" || event === "tool") {
            update({ activity: foldActivity(state.activity, event, data) });
            if (event === "tool" && data.status === "done" && data.ok !== false && data.artifact)
              update({ artifacts: merge(state.artifacts, [{ kind: data.artifact.kind, id: data.artifact.id, title: data.title }]) });
          } else if (event === "error") update({ error: data });
          else if (event === "done") {
            const activity = state.activity.map((a) => ({ ...a, state: a.state === "active" ? "done" : a.state }));
            update({ status: data.status, degraded: !!data.degraded, activity });
          }
        },
      });
    } catch (err) {
      update({ error: err, status: "failed" });
    }
    if (state.status === "streaming") update({ status: "interrupted" });
    onActivity();
    // A new conversation keeps the job attached (the address still names it).
    const keep = job && job.posting ? `?job=${encodeURIComponent(job.id)}` : "";
    if (id !== threadId) navigate(`/coach/${id}${keep}`, { replace: true });
    else await thread.reload();
    setLive(null);
  };

  const cancel = async () => {
    try {
      await api(`/api/chat/threads/${idRef.current}/cancel`, { method: "POST" });
    } catch (err) {
      setError(err);
    }
  };

  const degraded = (live && live.degraded) || messages.some((m) => m.degraded);
  return html`<div class="thread">
    <${ModelBanner} health=${health} degraded=${degraded} />
    ${thread.loading && !thread.data && threadId && html`<${Spinner} />`}
    <${ErrorAlert} error=${thread.error || error} />
    <ol class="messages" aria-live="polite" aria-busy=${!!live}>
      ${!threadId && !live && messages.length === 0 &&
      html`<li class="empty coach-empty"><p class="empty-title">Ask your career coach</p>
        <p>It knows your profile and analyses. Try: “Which of my skills matter most for a senior backend role?”, “Plan my next 8 weeks”, or paste a job and ask how to apply.</p></li>`}
      ${messages.map((m) => html`<${Message} m=${m} key=${m.id} />`)}
      ${live && html`<${Message} m=${{ role: "user", content: live.user, status: "complete" }} />`}
      ${live &&
      html`<li class="msg msg-coach msg-live">
        <div class="msg-who">Coach ${live.degraded && html`<${Chip} kind="chip-warn">from the analysis<//>`}</div>
        ${live.activity.length > 0 &&
        html`<ul class="activity" aria-label="What the coach is doing">${live.activity.map(
          (a) => html`<li key=${a.key} class=${a.state}>${a.text}${a.state === "active" && !/(\.\.\.|…)$/.test(a.text) ? "…" : ""}<span class="sr-only"> (${a.state})</span></li>`,
        )}</ul>`}
        <div class="msg-body">${live.answer ? html`<${Markdown} text=${live.answer} />` : live.status === "streaming" && html`<${Spinner} label="Thinking…" />`}</div>
        <${Artifacts} items=${merge(live.artifacts, mentionedItems(live.answer))} />
        ${live.error && html`<${ErrorAlert} error=${live.error} />`}
      </li>`}
      <li ref=${endRef} aria-hidden="true" class="end"></li>
    </ol>
    <${Composer} disabled=${!!live} streaming=${live && live.status === "streaming"} onSend=${send} onCancel=${cancel}
      job=${job} onRemoveJob=${onRemoveJob} />
  </div>`;
}

export function Coach({ loc }) {
  const threadId = loc.path.split("/")[2] || null;
  const threads = useAsync(() => api("/api/chat/threads"), []);
  const health = useAsync(() => api("/api/health/llm").catch(() => null), []);
  const job = useJobParam(loc); // ?job=<id>: a saved posting the messages are about
  const removeJob = () => navigate(loc.path, { replace: true });
  const remove = useAction(async (id) => {
    await api(`/api/chat/threads/${id}`, { method: "DELETE" });
    if (id === threadId) navigate("/coach", { replace: true });
    threads.reload();
  });
  return html`<${Page} title="Coach" intro="Chat with your career coach. It reads your profile and analyses; you see what it is doing as it works." wide>
    <div class="coach-layout">
      <aside class="card threads" aria-label="Conversations">
        <a class="btn btn-primary btn-block" href="/coach">+ New conversation</a>
        ${threads.data && threads.data.length === 0 && html`<p class="muted small">No conversations yet.</p>`}
        <ul class="list compact">
          ${(threads.data || []).map(
            (t) => html`<li class="list-item thread-item">
              <a href=${`/coach/${t.id}`} aria-current=${t.id === threadId ? "page" : undefined}>${t.title || "Conversation"}</a>
              <span class="muted small">${when(t.updated_at)}</span>
              <button type="button" class="btn-link small" aria-label=${"Delete " + (t.title || "conversation")}
                onClick=${() => confirm("Delete this conversation?") && remove.run(t.id)}>Delete</button>
            </li>`,
          )}
        </ul>
        <${ErrorAlert} error=${threads.error || remove.error} />
      </aside>
      <section class="card chat" aria-label="Conversation">
        <${Thread} key=${threadId || "new"} threadId=${threadId} health=${health.data} onActivity=${() => threads.reload()}
          job=${job} onRemoveJob=${removeJob} />
      </section>
    </div>
  <//>`;
}
