// Background tasks: the model's work the user started (AI rewording, letters, feedback, quiz
// questions, roadmap texts), newest first, with its progress, a link to what it works on, and
// Cancel or Retry. The list is polled while a task is still waiting or running (one request for
// all rows, instead of an event stream per row).

import { useEffect, useState } from "../../vendor/hooks.js";
import { api } from "../api.js";
import { Card, Empty, ErrorAlert, Meter, Page, Spinner, Tabs, html, navigate, useAction, useAsync, when } from "../ui.js";
import { StatusChip, isFinal, kindLabel, spaRoute, stageText } from "../tasks.js";

const REFRESH_MS = 2000;
const FILTERS = [
  { id: "all", label: "All", status: [] },
  { id: "active", label: "Waiting or running", status: ["queued", "running"] },
  { id: "failed", label: "Failed", status: ["failed", "cancelled"] },
  { id: "done", label: "Done", status: ["succeeded"] },
];

function timeOf(iso) {
  if (!iso) return "";
  return `${when(iso)}, ${new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })}`;
}

function TaskRow({ task, onAction, busy }) {
  const to = spaRoute(task.result);
  const final = isFinal(task);
  const p = task.progress || {};
  const value = task.status === "succeeded" ? 1 : p.percent != null ? p.percent / 100 : 0;
  return html`<li class="list-item task-row" data-task=${task.id} data-status=${task.status}>
    <div class="grow">
      <div class="row">
        <strong>${to ? html`<a href=${to}>${kindLabel(task)}</a>` : kindLabel(task)}</strong>
        <${StatusChip} status=${task.status} />
      </div>
      <div class="muted small">${stageText(task)} · started ${timeOf(task.created_at)}${task.finished_at ? ` · ended ${timeOf(task.finished_at)}` : ""}</div>
      ${!final && html`<${Meter} value=${value} label=${"Progress of " + kindLabel(task)} />`}
      ${task.status === "failed" && task.error && html`<p class="task-error small">${task.error}</p>`}
    </div>
    <div class="row-actions">
      ${to && html`<a class="btn btn-ghost btn-sm" href=${to} aria-label=${"Open the result of " + kindLabel(task)}>Open</a>`}
      ${!final && html`<button type="button" class="btn btn-ghost btn-sm" disabled=${busy} onClick=${() => onAction(task.links.cancel)}>Cancel</button>`}
      ${(task.status === "failed" || task.status === "cancelled") &&
      html`<button type="button" class="btn btn-primary btn-sm" disabled=${busy} onClick=${() => onAction(`${task.links.self}/retry`)}>Retry</button>`}
    </div>
  </li>`;
}

export function Tasks({ loc }) {
  const current = FILTERS.find((f) => f.id === loc.query.get("show")) || FILTERS[0];
  const query = current.status.map((s) => `status=${s}`).join("&");
  const url = `/api/tasks${query ? `?${query}` : ""}`;
  const list = useAsync(() => api(url), [url]);
  const [tick, setTick] = useState(0);
  const items = list.data ? list.data.items : [];
  const active = items.some((t) => !isFinal(t));
  // Quietly refresh while something is still waiting or running.
  useEffect(() => {
    if (!active) return undefined;
    let live = true;
    const timer = setTimeout(() => {
      api(url).then(
        (data) => live && list.setData(data),
        () => live && setTick((n) => n + 1),
      );
    }, REFRESH_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [active, list.data, tick, url]);
  const act = useAction(async (action) => {
    await api(action, { method: "POST" });
    await list.reload();
  });
  return html`<${Page} title="Background tasks"
    intro="What the AI model is doing for you. Your resumes, letters and plans are usable at once; the AI's version replaces them when its task is done.">
    <${Tabs} tabs=${FILTERS} current=${current.id} label="Show tasks" onChange=${(id) => navigate(id === "all" ? "/tasks" : `/tasks?show=${id}`, { replace: true })} />
    <div class="tab-body" role="tabpanel" aria-labelledby=${"tab-" + current.id}>
      <${ErrorAlert} error=${list.error || act.error} onDismiss=${act.error ? act.clear : undefined} />
      <${Card}>
        ${!list.data
          ? !list.error && html`<${Spinner} />`
          : items.length === 0
            ? html`<${Empty} title="No background task here">Tailor a resume, write a cover letter or plan a roadmap: the AI's part runs here.<//>`
            : html`<ul class="list task-list">${items.map((t) => html`<${TaskRow} key=${t.id} task=${t} onAction=${act.run} busy=${act.busy} />`)}</ul>`}
      <//>
    </div>
  <//>`;
}
