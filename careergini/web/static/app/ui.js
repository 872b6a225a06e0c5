// Shared pieces: htm bound to Preact, the client-side router, form fields, alerts, progress,
// charts (hand-drawn SVG), and a hook that loads API data with loading and error states.

import { h, createContext } from "../vendor/preact.js";
import { useCallback, useContext, useEffect, useRef, useState } from "../vendor/hooks.js";
import htm from "../vendor/htm.js";

export const html = htm.bind(h);

// --- routing --------------------------------------------------------------------------------

export function navigate(to, { replace = false } = {}) {
  if (to === location.pathname + location.search) return;
  history[replace ? "replaceState" : "pushState"](null, "", to);
  dispatchEvent(new Event("cg:navigate"));
}

export function useLocation() {
  const read = () => ({ path: location.pathname, query: new URLSearchParams(location.search) });
  const [loc, setLoc] = useState(read);
  useEffect(() => {
    const update = () => setLoc(read());
    addEventListener("popstate", update);
    addEventListener("cg:navigate", update);
    return () => {
      removeEventListener("popstate", update);
      removeEventListener("cg:navigate", update);
    };
  }, []);
  return loc;
}

// --- app-wide state (the user, the features the server offers) ------------------------------

export const AppContext = createContext({ user: null, features: {} });
export const useApp = () => useContext(AppContext);

// --- data loading ---------------------------------------------------------------------------

// Run an async loader; returns {data, error, loading, reload, setData}.
export function useAsync(loader, deps = []) {
  const [state, setState] = useState({ data: undefined, error: null, loading: true });
  const seq = useRef(0);
  const run = useCallback(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    return Promise.resolve()
      .then(loader)
      .then(
        (data) => mine === seq.current && setState({ data, error: null, loading: false }),
        (error) => mine === seq.current && setState({ data: undefined, error, loading: false }),
      );
  }, deps);
  useEffect(() => {
    run();
  }, [run]);
  const setData = (data) => setState((s) => ({ ...s, data: typeof data === "function" ? data(s.data) : data }));
  return { ...state, reload: run, setData };
}

// Wrap an action (a button's click): {run, busy, error, clear}.
export function useAction(action) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const run = async (...args) => {
    setBusy(true);
    setError(null);
    try {
      return await action(...args);
    } catch (err) {
      if (err.name !== "AbortError") setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error, clear: () => setError(null) };
}

// --- small components -----------------------------------------------------------------------

// After a move to another section, the next page's heading takes the focus (keyboard and screen
// reader users start reading there instead of at the top of the document).
let headingFocusWanted = false;
// Someone already working in the page (a box they typed in, a button they pressed) keeps the
// focus: the heading takes it only from the body, the header or the main menu.
function focusIsInPage() {
  const active = document.activeElement;
  return !!(active && active !== document.body && active.id !== "page-title" && active.closest && active.closest("main"));
}
export function focusNextHeading() {
  // Effects run children first: the new section's page may already be on screen.
  const heading = document.getElementById("page-title");
  if (heading) {
    headingFocusWanted = false;
    if (!focusIsInPage()) heading.focus({ preventScroll: true });
  } else {
    headingFocusWanted = true;
  }
}

export function Page({ title, intro, actions, children, wide }) {
  const heading = useRef(null);
  useEffect(() => {
    if (headingFocusWanted && heading.current) {
      headingFocusWanted = false;
      if (!focusIsInPage()) heading.current.focus({ preventScroll: true });
    }
  }, []);
  return html`<section class=${"page" + (wide ? " page-wide" : "")} aria-labelledby="page-title">
    <header class="page-head">
      <div>
        <h1 id="page-title" tabindex="-1" ref=${heading}>${title}</h1>
        ${intro && html`<p class="lead">${intro}</p>`}
      </div>
      ${actions && html`<div class="page-actions">${actions}</div>`}
    </header>
    ${children}
  </section>`;
}

export function Card({ title, children, class: cls = "", actions, id }) {
  return html`<section class=${"card " + cls} id=${id} aria-label=${typeof title === "string" ? title : undefined}>
    ${(title || actions) &&
    html`<header class="card-head">${title && html`<h2>${title}</h2>`}${actions && html`<div class="card-actions">${actions}</div>`}</header>`}
    ${children}
  </section>`;
}

// An API error as the person should read it: the server's detail, plus the invalid fields.
export function ErrorAlert({ error, hint, onDismiss }) {
  if (!error) return null;
  const fields = (error.fields || []).filter((f) => f.path && f.path !== "body");
  return html`<div class="alert alert-error" role="alert">
    <div>
      <strong class="alert-title">${errorTitle(error)}</strong>
      <p>${error.detail || error.message}</p>
      ${hint && html`<p class="hint">${hint}</p>`}
      ${fields.length > 0 &&
      html`<ul>${fields.map((f) => html`<li><code>${f.path.replace(/^body\./, "")}</code>: ${f.message}</li>`)}</ul>`}
    </div>
    ${onDismiss && html`<button type="button" class="btn-icon" aria-label="Dismiss" onClick=${onDismiss}>×</button>`}
  </div>`;
}

function errorTitle(error) {
  const titles = {
    NetworkError: "No connection",
    ValidationError: "Please check the form",
    Unauthorized: "Please log in",
    NotFound: "Not found",
    Conflict: "Not possible yet",
    TooManyRequests: "Too many requests",
    Unavailable: "Temporarily unavailable",
  };
  return titles[error.error] || (error.status >= 500 ? "Something went wrong" : "That did not work");
}

export function Alert({ kind = "info", children, title }) {
  return html`<div class=${"alert alert-" + kind} role=${kind === "warn" ? "status" : undefined}>
    <div>${title && html`<strong class="alert-title">${title}</strong>`}${children}</div>
  </div>`;
}

export function Spinner({ label = "Loading…" }) {
  return html`<p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>${label}</p>`;
}

export function Progress({ value, label }) {
  // value in 0..1, or null for "working, no measure"
  const pct = value == null ? null : Math.round(value * 100);
  return html`<div class="progress-wrap">
    <div class="progress-label"><span>${label}</span>${pct != null && html`<span>${pct}%</span>`}</div>
    <div class=${"progress" + (pct == null ? " indeterminate" : "")} role="progressbar" aria-label=${label}
      aria-valuemin="0" aria-valuemax="100" aria-valuenow=${pct ?? undefined}>
      <span style=${pct == null ? "" : `width:${pct}%`}></span>
    </div>
  </div>`;
}

export function Empty({ title, children, action }) {
  return html`<div class="empty"><p class="empty-title">${title}</p>${children && html`<p>${children}</p>`}${action}</div>`;
}

export function Field({ label, hint, error, id, children }) {
  return html`<div class=${"field" + (error ? " has-error" : "")}>
    <label for=${id}>${label}</label>
    ${children}
    ${hint && html`<p class="hint" id=${id + "-hint"}>${hint}</p>`}
    ${error && html`<p class="field-error">${error}</p>`}
  </div>`;
}

export function Chip({ children, kind = "", title }) {
  return html`<span class=${"chip " + kind} title=${title}>${children}</span>`;
}

export function Sources({ sources }) {
  if (!sources || !sources.length) return null;
  return html`<span class="sources">${sources.map(
    (s) => html`<span class="source" title=${"From " + sourceLabel(s)}><span class="sr-only">from </span>${sourceLabel(s)}</span>`,
  )}</span>`;
}

export function sourceLabel(s) {
  const kinds = { pdf: "PDF", docx: "DOCX", text: "text", json_resume: "JSON Resume", linkedin_export: "LinkedIn", github: "GitHub" };
  const kind = kinds[s.kind] || s.kind;
  return s.label ? `${kind}: ${s.label}` : kind;
}

export function Tabs({ tabs, current, onChange, label }) {
  const refs = useRef([]);
  const onKey = (e, i) => {
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    const next = (i + step + tabs.length) % tabs.length;
    onChange(tabs[next].id);
    refs.current[next] && refs.current[next].focus();
  };
  return html`<div class="tabs" role="tablist" aria-label=${label}>
    ${tabs.map(
      (t, i) => html`<button type="button" role="tab" ref=${(el) => (refs.current[i] = el)}
        id=${"tab-" + t.id} aria-selected=${t.id === current} tabindex=${t.id === current ? 0 : -1}
        onKeyDown=${(e) => onKey(e, i)} onClick=${() => onChange(t.id)}>${t.label}${t.count != null && html` <span class="count">${t.count}</span>`}</button>`,
    )}
  </div>`;
}

// --- formatting -----------------------------------------------------------------------------

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function partialDate(d) {
  if (!d) return "";
  if (d.present) return "Present";
  if (!d.year) return d.raw || "";
  return d.month ? `${MONTHS[d.month - 1]} ${d.year}` : String(d.year);
}

export function dateRange(start, end, current) {
  const a = partialDate(start);
  const b = current && !end ? "Present" : partialDate(end);
  return [a, b].filter(Boolean).join(" – ");
}

export function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return d.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

export function pct(x, digits = 0) {
  return `${(x * 100).toFixed(digits)}%`;
}

export function humanize(name) {
  return String(name || "").replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

export function bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

// --- charts (SVG, no library) ---------------------------------------------------------------

// A ring showing a 0-100 score, with the number in the middle.
export function ScoreRing({ score, label, size = 132 }) {
  const r = size / 2 - 10;
  const c = 2 * Math.PI * r;
  const value = score == null ? 0 : Math.max(0, Math.min(100, score));
  const tone = score == null ? "muted" : value >= 70 ? "good" : value >= 45 ? "fair" : "poor";
  return html`<figure class=${"score-ring " + tone} aria-label=${`${label}: ${score == null ? "not enough data" : Math.round(value) + " of 100"}`}>
    <svg width=${size} height=${size} viewBox=${`0 0 ${size} ${size}`} aria-hidden="true">
      <circle cx=${size / 2} cy=${size / 2} r=${r} class="ring-bg" />
      <circle cx=${size / 2} cy=${size / 2} r=${r} class="ring-fg" stroke-dasharray=${`${(c * value) / 100} ${c}`}
        transform=${`rotate(-90 ${size / 2} ${size / 2})`} />
      <text x="50%" y="50%" dy="0.35em" text-anchor="middle" class="ring-num">${score == null ? "–" : Math.round(value)}</text>
    </svg>
    <figcaption>${label}</figcaption>
  </figure>`;
}

// Radar (spider) chart: axes [{label, value 0..1}]; falls back to nothing under 3 axes.
export function Radar({ axes, size = 300, title }) {
  if (axes.length < 3) return null;
  const cx = size / 2;
  const cy = size / 2;
  const r = size / 2 - 58;
  const point = (i, v) => {
    const a = (Math.PI * 2 * i) / axes.length - Math.PI / 2;
    return [cx + Math.cos(a) * r * v, cy + Math.sin(a) * r * v];
  };
  const poly = (v) => axes.map((_, i) => point(i, v).join(",")).join(" ");
  const shape = axes.map((ax, i) => point(i, Math.max(0.04, ax.value)).join(",")).join(" ");
  return html`<svg class="radar" viewBox=${`0 0 ${size} ${size}`} role="img" aria-label=${title}>
    ${[0.25, 0.5, 0.75, 1].map((v) => html`<polygon points=${poly(v)} class="radar-grid" />`)}
    ${axes.map((_, i) => {
      const [x, y] = point(i, 1);
      return html`<line x1=${cx} y1=${cy} x2=${x} y2=${y} class="radar-axis" />`;
    })}
    <polygon points=${shape} class="radar-shape" />
    ${axes.map((ax, i) => {
      const [x, y] = point(i, Math.max(0.04, ax.value));
      return html`<circle cx=${x} cy=${y} r="3.5" class="radar-dot" />`;
    })}
    ${axes.map((ax, i) => {
      const [x, y] = point(i, 1.16);
      const anchor = Math.abs(x - cx) < 6 ? "middle" : x > cx ? "start" : "end";
      return html`<text x=${x} y=${y} dy="0.35em" text-anchor=${anchor} class="radar-label">${ax.label}</text>`;
    })}
  </svg>`;
}

// Horizontal stacked bars: rows [{label, segments: [{key, value}]}], legend [{key, label}].
export function StackedBars({ rows, legend, title }) {
  const max = Math.max(1, ...rows.map((r) => r.segments.reduce((a, s) => a + s.value, 0)));
  return html`<figure class="bars" aria-label=${title}>
    <ul class="legend" aria-hidden="true">${legend.map((l) => html`<li><span class=${"swatch seg-" + l.key}></span>${l.label}</li>`)}</ul>
    <table class="bars-table">
      <caption class="sr-only">${title}</caption>
      <thead class="sr-only"><tr><th>Area</th>${legend.map((l) => html`<th>${l.label}</th>`)}</tr></thead>
      <tbody>
        ${rows.map(
          (row) => html`<tr>
            <th scope="row">${row.label}</th>
            <td class="bar-cell">
              <div class="bar">
                ${row.segments.filter((s) => s.value > 0).map(
                  (s) => html`<span class=${"seg seg-" + s.key} style=${`width:${(s.value / max) * 100}%`}
                    title=${`${legend.find((l) => l.key === s.key).label}: ${s.value}`}></span>`,
                )}
              </div>
            </td>
            <td class="bar-total">${row.segments.reduce((a, s) => a + s.value, 0)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  </figure>`;
}

// A horizontal bar for one value 0..1 (score components, coverage).
export function Meter({ value, label }) {
  const v = Math.max(0, Math.min(1, value || 0));
  return html`<div class="meter" role="img" aria-label=${`${label}: ${Math.round(v * 100)}%`}><span style=${`width:${v * 100}%`}></span></div>`;
}
