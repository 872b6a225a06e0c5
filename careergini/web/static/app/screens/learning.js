// Learning: a roadmap as weeks and a gantt-like timeline, tasks ticked off, progress, re-plan;
// free resources per skill; quizzes; interview practice with feedback, a session reopened by its
// id (/learning/interview/<id>).

import { useRef, useState } from "../../vendor/hooks.js";
import { api, download } from "../api.js";
import {
  Alert,
  Card,
  Chip,
  Empty,
  ErrorAlert,
  Field,
  Meter,
  Page,
  Progress,
  Spinner,
  Tabs,
  html,
  humanize,
  navigate,
  useAction,
  useAsync,
  when,
} from "../ui.js";
import { ModelVersion, TaskProgress, VersionLabel, newIdempotencyKey } from "../tasks.js";
import { PostingNote, recallJob, useJobParam } from "./next-steps.js";

// An Idempotency-Key per request body for the POSTs that start a model task: the same body sent
// again (a retry after a lost answer) replays the first answer instead of a second task.
function useIdempotency() {
  const sent = useRef({ body: "", key: "" });
  return (body) => {
    const text = JSON.stringify(body);
    if (sent.current.body !== text) sent.current = { body: text, key: newIdempotencyKey() };
    return { "Idempotency-Key": sent.current.key };
  };
}

// A target: a role title, a job's text (pre-filled from an analysis), or the saved posting the
// screen was opened for (?job=<id>: the request sends its job_id).
function TargetFields({ target, setTarget, idPrefix }) {
  const posting = target.posting;
  return html`<div class="target-fields">
    <div class="row" role="radiogroup" aria-label="Target">
      ${posting && html`<label class="radio"><input type="radio" name=${idPrefix + "-mode"} checked=${target.mode === "posting"} onChange=${() => setTarget({ ...target, mode: "posting" })} /> The saved posting</label>`}
      <label class="radio"><input type="radio" name=${idPrefix + "-mode"} checked=${target.mode === "role"} onChange=${() => setTarget({ ...target, mode: "role" })} /> A role</label>
      <label class="radio"><input type="radio" name=${idPrefix + "-mode"} checked=${target.mode === "job"} onChange=${() => setTarget({ ...target, mode: "job" })} /> A job description</label>
    </div>
    ${target.mode === "posting"
      ? html`<${PostingNote} target=${posting} />`
      : target.mode === "role"
        ? html`<${Field} label="Role" id=${idPrefix + "-role"} hint="A job title, e.g. Data Engineer">
            <input id=${idPrefix + "-role"} value=${target.role} onInput=${(e) => setTarget({ ...target, role: e.target.value })} />
          <//>`
        : html`<${Field} label="Job description" id=${idPrefix + "-jd"}>
            <textarea id=${idPrefix + "-jd"} rows="6" value=${target.jd} onInput=${(e) => setTarget({ ...target, jd: e.target.value })}></textarea>
          <//>`}
  </div>`;
}

function targetBody(target) {
  if (target.mode === "posting") return { job_id: target.posting.id };
  return target.mode === "role" ? { target_role: target.role.trim() } : { job_description: target.jd };
}

function targetReady(target) {
  if (target.mode === "posting") return Boolean(target.posting.posting);
  return Boolean(target.mode === "role" ? target.role.trim() : target.jd.trim());
}

// [target, setTarget]: the posting (loaded as it arrives) rides along with the form's state.
function useTarget(loc) {
  const posting = useJobParam(loc);
  const job = posting ? null : recallJob(loc.query.get("analysis") || "");
  const [target, setTarget] = useState(
    posting ? { mode: "posting", jd: "", role: "" } : job ? { mode: "job", jd: job.text, role: "", title: job.title } : { mode: "role", jd: "", role: "" },
  );
  // The query can lose its posting while the form stays (a link to /learning): back to a role.
  const mode = target.mode === "posting" && !posting ? "role" : target.mode;
  return [{ ...target, mode, posting }, (next) => setTarget({ ...next, posting: undefined })];
}

// --- roadmaps -------------------------------------------------------------------------------

function NewRoadmap({ loc }) {
  const [target, setTarget] = useTarget(loc);
  const [hours, setHours] = useState(6);
  const [months, setMonths] = useState("");
  const keyFor = useIdempotency();
  const create = useAction(async () => {
    const body = { ...targetBody(target), hours_per_week: Number(hours) };
    if (months) body.months = Number(months);
    const roadmap = await api("/api/learning/roadmaps", { method: "POST", json: body, headers: keyFor(body) });
    navigate(`/learning/roadmaps/${roadmap.id}`);
  });
  return html`<${Card} title="Plan a roadmap">
    <form class="form" onSubmit=${(e) => {
      e.preventDefault();
      create.run();
    }}>
      ${target.title && html`<${Alert} kind="info">For <strong>${target.title}</strong>, from your analysis.<//>`}
      <${TargetFields} target=${target} setTarget=${setTarget} idPrefix="roadmap" />
      <div class="grid-2">
        <${Field} label="Hours a week" id="roadmap-hours"><input id="roadmap-hours" type="number" min="1" max="80" value=${hours} onInput=${(e) => setHours(e.target.value)} /><//>
        <${Field} label="Months (optional)" id="roadmap-months" hint="Empty: as long as it takes"><input id="roadmap-months" type="number" min="1" max="60" value=${months} onInput=${(e) => setMonths(e.target.value)} /><//>
      </div>
      <${ErrorAlert} error=${create.error} />
      <button class="btn btn-primary" type="submit" disabled=${create.busy || !targetReady(target)}>${create.busy ? "Planning…" : "Plan my roadmap"}</button>
    </form>
  <//>`;
}

function Roadmaps({ loc }) {
  const list = useAsync(() => api("/api/learning/roadmaps"), []);
  return html`<div class="grid-2">
    <${NewRoadmap} loc=${loc} />
    <${Card} title="Your roadmaps">
      ${!list.data ? html`<${Spinner} />` : list.data.length === 0
        ? html`<p class="muted">No roadmap yet. Plan one from a role or a job you analysed.</p>`
        : html`<ul class="list">${list.data.map(
            (r) => html`<li class="list-item"><div class="grow"><a href=${`/learning/roadmaps/${r.id}`}><strong>${r.title}</strong></a>
              <div class="muted small">${r.months_total} months · made ${when(r.created_at)}${r.revision > 1 ? ` · re-planned ${r.revision - 1}×` : ""}</div>
              <${Meter} value=${r.percent_done / 100} label=${"Progress of " + r.title} /></div>
              <span class="small">${r.percent_done}%</span></li>`,
          )}</ul>`}
      <${ErrorAlert} error=${list.error} />
    <//>
  </div>`;
}

// Gantt-like: a row per skill, a bar from its first to its last week; months on top; today marked.
function Gantt({ roadmap }) {
  const weeks = roadmap.summary.weeks_total;
  const current = roadmap.summary.current_week;
  const cols = `grid-template-columns: minmax(7rem, 10rem) repeat(${weeks}, minmax(0.7rem, 1fr))`;
  return html`<div class="gantt-wrap" role="img" aria-label=${`Timeline of ${weeks} weeks: ` + roadmap.units.map((u) => `${u.name} weeks ${u.first_week}-${u.last_week}`).join(", ")}>
    <div class="gantt" style=${cols}>
      <div class="gantt-corner"></div>
      ${roadmap.months.map(
        (m) => html`<div class="gantt-month" style=${`grid-column: ${m.start_week + 1} / ${m.end_week + 2}`} title=${m.title}>M${m.index}</div>`,
      )}
      ${roadmap.units.filter((u) => u.first_week).map(
        (u) => html`<div class="gantt-label" title=${u.reason}>${u.name}</div>
          <div class=${"gantt-bar imp-" + u.importance} style=${`grid-column: ${u.first_week + 1} / ${u.last_week + 2}`}
            title=${`${u.name}: weeks ${u.first_week}–${u.last_week}, ${u.hours} h`}></div>`,
      )}
      <div class="gantt-label">Done</div>
      ${roadmap.weeks.map(
        (w) => html`<div class=${"gantt-week" + (w.index === current ? " now" : "")} style=${`grid-column: ${w.index + 1}`} title=${`Week ${w.index}: ${w.percent_done}% done`}>
          <span style=${`height:${w.percent_done}%`}></span></div>`,
      )}
    </div>
  </div>`;
}

function WeekCard({ week, current, onTask, busy }) {
  return html`<details class=${"week" + (week.index === current ? " week-now" : "")} open=${week.index === current || undefined}>
    <summary>
      <span class="week-title">Week ${week.index}: ${week.focus}</span>
      <span class="muted small">${when(week.start)} – ${when(week.end)} · ${week.hours} h</span>
      ${week.index === current && html`<${Chip} kind="chip-info">this week<//>`}
      <span class="week-pct">${week.percent_done}%</span>
    </summary>
    <p class="muted small">${week.description}</p>
    <ul class="tasks">
      ${week.tasks.map(
        (t) => html`<li class=${"task task-" + t.status}>
          <input type="checkbox" id=${"task-" + t.id} checked=${t.status === "done"} disabled=${busy}
            onChange=${(e) => onTask(t, e.target.checked ? "done" : "todo")} />
          <label for=${"task-" + t.id}><span class="task-title">${t.title}</span>
            <span class="muted small"> · ${t.kind} · ${t.hours} h${t.status === "skipped" ? " · skipped" : ""}</span></label>
          ${t.status !== "done" && t.status !== "skipped" && html`<button type="button" class="btn-link small" onClick=${() => onTask(t, "skipped")} aria-label=${"Skip " + t.title}>Skip</button>`}
          ${t.resources.length > 0 &&
          html`<ul class="resources">${t.resources.slice(0, 3).map(
            (r) => html`<li><a href=${r.url} target="_blank" rel="noopener noreferrer">${r.title}</a> <span class="muted small">${r.provider} · ${r.kind} · ${r.cost}</span></li>`,
          )}</ul>`}
        </li>`,
      )}
    </ul>
  </details>`;
}

function Replan({ roadmap, onDone }) {
  const [hours, setHours] = useState(roadmap.summary.hours_per_week);
  const [months, setMonths] = useState("");
  const replan = useAction(async () => {
    const body = { hours_per_week: Number(hours) };
    if (months) body.months = Number(months);
    onDone(await api(`/api/learning/roadmaps/${roadmap.id}/replan`, { method: "POST", json: body }));
  });
  return html`<form class="row replan" onSubmit=${(e) => {
    e.preventDefault();
    replan.run();
  }}>
    <label for="replan-hours">Hours a week</label>
    <input id="replan-hours" type="number" min="1" max="80" value=${hours} onInput=${(e) => setHours(e.target.value)} />
    <label for="replan-months">Months</label>
    <input id="replan-months" type="number" min="1" max="60" value=${months} placeholder="any" onInput=${(e) => setMonths(e.target.value)} />
    <button class="btn btn-ghost btn-sm" type="submit" disabled=${replan.busy}>${replan.busy ? "Re-planning…" : "Re-plan from this week"}</button>
    <${ErrorAlert} error=${replan.error} />
  </form>`;
}

function RoadmapView({ id }) {
  const roadmap = useAsync(() => api(`/api/learning/roadmaps/${id}`), [id]);
  const task = useAction(async (t, status) => {
    roadmap.setData(await api(`/api/learning/roadmaps/${id}/tasks/${t.id}`, { method: "PATCH", json: { status } }));
  });
  const ics = useAction(() => download(`/api/learning/roadmaps/${id}/ics`, "roadmap.ics"));
  // The same timeline as a Mermaid gantt chart: pastes into Markdown (GitHub, GitLab, Notion, Obsidian).
  const chart = useAction(() => download(`/api/learning/roadmaps/${id}/mermaid`, "roadmap.mmd"));
  if (roadmap.error) return html`<${Page} title="Roadmap"><${ErrorAlert} error=${roadmap.error} /><//>`;
  if (!roadmap.data) return html`<${Spinner} />`;
  const r = roadmap.data;
  const s = r.summary;
  return html`<${Page} title=${r.title} wide intro=${r.overview}
    actions=${html`<button type="button" class="btn btn-ghost" onClick=${() => ics.run()}>Add to calendar (.ics)</button><a class="btn btn-ghost" href="/learning">All roadmaps</a>`}>
    <${ModelVersion} resource=${r} reload=${roadmap.reload} title="AI texts for this roadmap"
      hint="Your plan is ready to use; the AI writes its overview and week descriptions in the background." />
    <${ErrorAlert} error=${task.error || ics.error || chart.error} />
    ${!s.fits && html`<${Alert} kind="warn">${s.message}<//>`}
    ${s.behind_hours > 0 && html`<${Alert} kind="warn" title=${`${s.behind_hours} h behind`}>Re-plan to spread the unfinished work over the weeks ahead.<//>`}
    ${r.texts.note && html`<p class="muted small">${r.texts.note}</p>`}
    <div class="card roadmap-summary">
      <div><span class="big-num">${s.percent_done}%</span> <span class="muted">done · ${s.done_hours} of ${s.total_hours} h · week ${s.current_week} of ${s.weeks_total} · ${s.hours_per_week} h a week · until ${when(s.end_date)}</span>
        <${Progress} value=${s.percent_done / 100} label="Roadmap progress" /></div>
      <${Replan} roadmap=${r} onDone=${roadmap.setData} />
    </div>
    <${Card} title="Timeline" actions=${html`<button type="button" class="btn btn-ghost btn-sm" disabled=${chart.busy} onClick=${() => chart.run()}>Download as a Mermaid chart</button>`}><${Gantt} roadmap=${r} /><//>
    <div class="builder">
      <${Card} title="Weeks">
        ${r.weeks.map((w) => html`<${WeekCard} key=${w.index} week=${w} current=${s.current_week} onTask=${task.run} busy=${task.busy} />`)}
      <//>
      <div class="stack">
        <${Card} title="Months">
          <ol class="months">${r.months.map(
            (m) => html`<li><strong>${m.title}</strong> <span class="small">${m.percent_done}%</span>
              <div class="small">Project: ${m.project.name} (${m.project.difficulty}, ${m.project.hours} h): ${m.project.description}</div>
              <div class="muted small">Checkpoint: ${m.checkpoint}</div></li>`,
          )}</ol>
        <//>
        <${Card} title="Skills in this plan">
          <ul class="list compact">${r.units.map(
            (u) => html`<li class="list-item"><span><strong>${u.name}</strong> <span class="muted small">${u.hours} h · ${u.importance}</span>
              <div class="muted small">${u.reason}</div></span>
              <a class="btn-link small" href=${`/learning/resources?skill=${encodeURIComponent(u.skill_id)}`}>Resources</a></li>`,
          )}</ul>
        <//>
      </div>
    </div>
  <//>`;
}

// --- resources ------------------------------------------------------------------------------

function Resources({ loc }) {
  const [skill, setSkill] = useState(loc.query.get("skill") || "");
  const [level, setLevel] = useState("");
  const [query, setQuery] = useState({ skill: loc.query.get("skill") || "", level: "" });
  const found = useAsync(() => {
    const p = new URLSearchParams({ limit: "30" });
    if (query.skill) p.set("skill", query.skill);
    if (query.level) p.set("level", query.level);
    return api(`/api/learning/resources?${p}`);
  }, [query.skill, query.level]);
  return html`<div>
    <form class="card row filters" role="search" onSubmit=${(e) => {
      e.preventDefault();
      setQuery({ skill: skill.trim(), level });
    }}>
      <div class="field grow"><label for="res-skill">Skill</label><input id="res-skill" value=${skill} onInput=${(e) => setSkill(e.target.value)} placeholder="e.g. SQL" /></div>
      <div class="field"><label for="res-level">Level</label><select id="res-level" value=${level} onChange=${(e) => setLevel(e.target.value)}>
        <option value="">Any</option><option value="beginner">Beginner</option><option value="intermediate">Intermediate</option><option value="advanced">Advanced</option></select></div>
      <button class="btn btn-primary" type="submit">Find</button>
    </form>
    <${ErrorAlert} error=${found.error} />
    ${found.loading && !found.data && html`<${Spinner} />`}
    ${found.data &&
    html`${found.data.note && html`<p class="muted small">${found.data.note}</p>`}
      ${found.data.resources.length === 0 ? html`<${Empty} title="No resources found">Try another skill name.<//>` : html`<ul class="resource-grid">
        ${found.data.resources.map(
          (r) => html`<li class="card resource-card"><a href=${r.url} target="_blank" rel="noopener noreferrer"><strong>${r.title}</strong></a>
            <p class="muted small">${r.provider} · ${humanize(r.kind)} · ${r.level} · about ${r.hours} h · ${r.cost}</p>
            <ul class="chips">${r.skills.slice(0, 5).map((s) => html`<li><${Chip}>${s}<//></li>`)}</ul></li>`,
        )}</ul>`}`}
  </div>`;
}

// --- quizzes --------------------------------------------------------------------------------

// A quiz has its own address (/learning/quizzes/<id>), so the AI's extra questions, which come
// from a background task, are found again after leaving the page.
function Quizzes({ id }) {
  const confidence = useAsync(() => api("/api/learning/skills/confidence"), []);
  const [form, setForm] = useState({ skill: "", level: "beginner", n: 5 });
  const loaded = useAsync(() => (id ? api(`/api/quizzes/${encodeURIComponent(id)}`) : Promise.resolve(null)), [id]);
  const quiz = loaded.data || null;
  const setQuiz = loaded.setData;
  const [answers, setAnswers] = useState({});
  const keyFor = useIdempotency();
  const start = useAction(async () => {
    setAnswers({});
    const body = { skill: form.skill.trim(), level: form.level, n: Number(form.n) };
    const made = await api("/api/quizzes", { method: "POST", json: body, headers: keyFor(body) });
    setQuiz(made);
    navigate(`/learning/quizzes/${made.id}`);
  });
  const submit = useAction(async () => {
    const body = { answers: Object.entries(answers).map(([question_id, choice]) => ({ question_id, choice })) };
    setQuiz(await api(`/api/quizzes/${quiz.id}/answers`, { method: "POST", json: body }));
    confidence.reload();
  });
  const results = quiz && quiz.result ? Object.fromEntries(quiz.result.results.map((r) => [r.question_id, r])) : {};
  return html`<div class="grid-2">
    <div class="stack">
      <${Card} title="Take a quiz">
        <form class="row filters" onSubmit=${(e) => {
          e.preventDefault();
          start.run();
        }}>
          <div class="field grow"><label for="quiz-skill">Skill</label><input id="quiz-skill" value=${form.skill} onInput=${(e) => setForm({ ...form, skill: e.target.value })} placeholder="e.g. Python" /></div>
          <div class="field"><label for="quiz-level">Level</label><select id="quiz-level" value=${form.level} onChange=${(e) => setForm({ ...form, level: e.target.value })}>
            <option value="beginner">Beginner</option><option value="intermediate">Intermediate</option><option value="advanced">Advanced</option></select></div>
          <div class="field"><label for="quiz-n">Questions</label><input id="quiz-n" type="number" min="1" max="20" value=${form.n} onInput=${(e) => setForm({ ...form, n: e.target.value })} /></div>
          <button class="btn btn-primary" type="submit" disabled=${start.busy || !form.skill.trim() || !(form.n >= 1 && form.n <= 20)}>Start</button>
        </form>
        <${ErrorAlert} error=${start.error || loaded.error} />
      <//>
      ${quiz &&
      html`<${Card} title=${`${quiz.skill_name} quiz (${quiz.level})`}>
        <${ModelVersion} resource=${quiz} reload=${loaded.reload} title="Extra questions from the AI"
          hint="Start answering: the AI's questions are added below when they are ready." />
        ${quiz.warnings.map((w) => html`<p class="muted small">${w}</p>`)}
        <form class="form" onSubmit=${(e) => {
          e.preventDefault();
          submit.run();
        }}>
          ${quiz.questions.map(
            (q, i) => html`<fieldset class="question">
              <legend>${i + 1}. ${q.question}</legend>
              ${q.options.map((o, k) => {
                const r = results[q.id];
                const mark = r ? (k === r.answer ? " right" : k === r.choice ? " wrong" : "") : "";
                return html`<label class=${"option" + mark}><input type="radio" name=${"q-" + q.id} checked=${answers[q.id] === k} disabled=${!!quiz.result}
                  onChange=${() => setAnswers({ ...answers, [q.id]: k })} /> ${o}</label>`;
              })}
              ${results[q.id] && results[q.id].explanation && html`<p class="muted small">${results[q.id].explanation}</p>`}
            </fieldset>`,
          )}
          <${ErrorAlert} error=${submit.error} />
          ${quiz.result
            ? html`<${Alert} kind="info" title=${`${quiz.result.correct} of ${quiz.result.total} right`}>Your confidence in ${quiz.skill_name} is now ${Math.round(quiz.result.confidence.confidence * 100)}%.<//>`
            : html`<button class="btn btn-primary" type="submit" disabled=${submit.busy || Object.keys(answers).length < quiz.questions.length}>Check my answers</button>`}
        </form>
      <//>`}
    </div>
    <${Card} title="Your confidence by skill">
      ${confidence.data && confidence.data.length === 0 && html`<p class="muted">Take a quiz to measure your confidence in a skill.</p>`}
      <ul class="list compact">${(confidence.data || []).map(
        (c) => html`<li class="list-item"><span class="grow"><strong>${c.name}</strong> <span class="muted small">${c.quizzes} quiz${c.quizzes === 1 ? "" : "zes"}, last ${c.last_level}</span>
          <${Meter} value=${c.confidence} label=${"Confidence in " + c.name} /></span><span class="small">${Math.round(c.confidence * 100)}%</span></li>`,
      )}</ul>
      <${ErrorAlert} error=${confidence.error} />
    <//>
  </div>`;
}

// --- interview practice ---------------------------------------------------------------------

function NewInterview({ loc }) {
  const [target, setTarget] = useTarget(loc);
  const start = useAction(async () => {
    const made = await api("/api/interview/sessions", { method: "POST", json: targetBody(target) });
    navigate(`/learning/interview/${made.id}`);
  });
  return html`<${Card} title="Practise an interview">
    <form class="form" onSubmit=${(e) => {
      e.preventDefault();
      start.run();
    }}>
      <${TargetFields} target=${target} setTarget=${setTarget} idPrefix="interview" />
      <${ErrorAlert} error=${start.error} />
      <button class="btn btn-primary" type="submit" disabled=${start.busy || !targetReady(target)}>Start practising</button>
    </form>
  <//>`;
}

function sessionTitle(s) {
  const t = s.target || {};
  return [t.title || "Interview", t.company].filter(Boolean).join(" at ");
}

function InterviewSessions() {
  const list = useAsync(() => api("/api/interview/sessions"), []);
  return html`<${Card} title="Your practice sessions">
    ${!list.data ? !list.error && html`<${Spinner} />` : list.data.length === 0
      ? html`<p class="muted">No session yet. Start one here, or ask the coach for a mock interview.</p>`
      : html`<ul class="list">${list.data.map(
          (s) => html`<li class="list-item"><div class="grow"><a href=${`/learning/interview/${s.id}`}><strong>${sessionTitle(s)}</strong></a>
            <div class="muted small">${s.answered} of ${s.total} answered · started ${when(s.created_at)}</div>
            <${Meter} value=${s.total ? s.answered / s.total : 0} label=${"Answered in " + sessionTitle(s)} /></div>
            ${s.finished ? html`<${Chip} kind="chip-good">finished<//>` : html`<a class="btn btn-ghost btn-sm" href=${`/learning/interview/${s.id}`}>Continue</a>`}</li>`,
        )}</ul>`}
    <${ErrorAlert} error=${list.error} />
  <//>`;
}

// Feedback on one answer: the rubric's at once, the AI model's when its task is done.
function Feedback({ feedback, shows, task, reload }) {
  return html`<${Card} title="Feedback on your last answer" class="feedback">
    <${ModelVersion} resource=${{ shows, task }} reload=${reload} title="AI feedback on this answer"
      hint="This is the rubric's feedback; the AI's reading of your answer replaces it when ready. You can go on with the next question." />
    <p>${feedback.summary}</p>
    ${feedback.strengths.length > 0 && html`<h3 class="sub">Strengths</h3><ul>${feedback.strengths.map((s) => html`<li>${s}</li>`)}</ul>`}
    ${feedback.improvements.length > 0 && html`<h3 class="sub">To improve</h3><ul>${feedback.improvements.map((s) => html`<li>${s}</li>`)}</ul>`}
    ${feedback.outline.length > 0 && html`<h3 class="sub">A strong answer's outline</h3><ol>${feedback.outline.map((s) => html`<li>${s}</li>`)}</ol>`}
    ${feedback.note && html`<p class="muted small">${feedback.note}</p>`}
  <//>`;
}

const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// One session, opened by its id (/learning/interview/<id>): the current question, answered here.
function InterviewSession({ id }) {
  const session = useAsync(
    () => (SESSION_ID.test(id) ? api(`/api/interview/sessions/${id}`) : Promise.reject({ error: "NotFound", status: 404, detail: `There is no interview session “${id}”.` })),
    [id],
  );
  const [answer, setAnswer] = useState("");
  // The answer just sent, as the POST returned it (until the session lists it with its feedback).
  const [posted, setPosted] = useState(null);
  const keyFor = useIdempotency();
  const send = useAction(async () => {
    const q = session.data.current_question;
    const body = { answer, question_id: q.id };
    const res = await api(`/api/interview/sessions/${id}/answers`, { method: "POST", json: body, headers: keyFor(body) });
    setPosted({ id: res.answer_id, feedback: res.feedback, shows: res.shows, task: res.task });
    session.setData(res.session);
    setAnswer("");
  });
  const back = html`<a class="btn btn-ghost btn-sm" href="/learning/interview">All sessions</a>`;
  if (session.error)
    return html`<${ErrorAlert} error=${session.error} hint=${session.error.status === 404 ? "Open one of your sessions from the list, or start a new one." : null} />${back}`;
  if (!session.data) return html`<${Spinner} />`;
  const s = session.data;
  const q = s.current_question;
  const given = s.answers || [];
  // The feedback beside the question: the answer just sent, else the session's newest one.
  const last = (posted && given.find((a) => a.id === posted.id)) || posted || given[given.length - 1] || null;
  const lastTask = last && (last.task || (s.task && last === given[given.length - 1] ? s.task : null));
  return html`<div class="grid-2">
    <div class="stack">
      <${Card} title=${s.finished ? `All ${s.total} questions answered` : `Question ${Math.min(s.answered + 1, s.total)} of ${s.total}`} actions=${back}>
        <p class="muted small">${sessionTitle(s)} · started ${when(s.created_at)}</p>
        <${Progress} value=${s.total ? s.answered / s.total : 0} label="Answered" />
        ${s.notes.map((n) => html`<p class="muted small">${n}</p>`)}
        ${q
          ? html`<form class="form" onSubmit=${(e) => {
              e.preventDefault();
              send.run();
            }}>
              <p class="question-text"><${Chip}>${q.kind}<//> ${q.question}</p>
              <details><summary>What a good answer covers</summary><ul>${q.rubric.map((r) => html`<li><strong>${r.criterion}</strong>: ${r.description}</li>`)}</ul></details>
              <${Field} label="Your answer" id="interview-answer">
                <textarea id="interview-answer" rows="7" value=${answer} onInput=${(e) => setAnswer(e.target.value)}></textarea>
              <//>
              <${ErrorAlert} error=${send.error} />
              <button class="btn btn-primary" type="submit" disabled=${send.busy || !answer.trim()}>${send.busy ? "Reading your answer…" : "Submit answer"}</button>
            </form>`
          : html`<${Alert} kind="info" title="Finished">You answered every question. <a href="/learning/interview">Practise again</a><//>`}
      <//>
    </div>
    ${last && html`<${Feedback} key=${last.id} feedback=${last.feedback} shows=${last.shows} task=${lastTask} reload=${session.reload} />`}
  </div>`;
}

function Interview({ loc, id }) {
  if (id) return html`<${InterviewSession} key=${id} id=${id} />`;
  return html`<div class="grid-2">
    <${NewInterview} loc=${loc} />
    <${InterviewSessions} />
  </div>`;
}

export function Learning({ loc }) {
  const parts = loc.path.split("/").filter(Boolean);
  if (parts[1] === "roadmaps" && parts[2]) return html`<${RoadmapView} id=${parts[2]} />`;
  const tab = ["resources", "quizzes", "interview"].includes(parts[1]) ? parts[1] : "roadmaps";
  const tabs = [
    { id: "roadmaps", label: "Roadmaps" },
    { id: "resources", label: "Resources" },
    { id: "quizzes", label: "Quizzes" },
    { id: "interview", label: "Interview practice" },
  ];
  return html`<${Page} title="Learning" intro="Close your gaps week by week, check yourself with quizzes, and rehearse interviews." wide>
    <${Tabs} tabs=${tabs} current=${tab} label="Learning" onChange=${(id) => navigate(id === "roadmaps" ? "/learning" : `/learning/${id}`)} />
    <div class="tab-body" role="tabpanel" aria-labelledby=${"tab-" + tab}>
      ${tab === "roadmaps" && html`<${Roadmaps} loc=${loc} />`}
      ${tab === "resources" && html`<${Resources} loc=${loc} />`}
      ${tab === "quizzes" && html`<${Quizzes} id=${parts[2]} />`}
      ${tab === "interview" && html`<${Interview} loc=${loc} id=${parts[2]} />`}
    </div>
  <//>`;
}
