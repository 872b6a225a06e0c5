// The SPA's shell: who is logged in, the top bar and navigation, and the page for the URL.
// Pages are ES modules loaded when first visited, so the first load stays small.

import { render } from "../vendor/preact.js";
import { useEffect, useRef, useState } from "../vendor/hooks.js";
import { api, onSignedOut } from "./api.js";
import { AppContext, ErrorAlert, Spinner, focusNextHeading, html, navigate, useLocation } from "./ui.js";

const NAV = [
  { path: "/profile", label: "Profile" },
  { path: "/analyse", label: "Analyse a job" },
  { path: "/resumes", label: "Resumes" },
  { path: "/jobs", label: "Jobs" },
  { path: "/learning", label: "Learning" },
  { path: "/coach", label: "Coach" },
  { path: "/tasks", label: "Background tasks" },
];

// URL prefix -> [module, export]. Public pages work without a login ("/" matches only itself).
const ROUTES = [
  { prefix: "/", load: () => import("./screens/welcome.js"), name: "Welcome", public: true },
  { prefix: "/goodbye", load: () => import("./screens/welcome.js"), name: "Goodbye", public: true },
  { prefix: "/login", load: () => import("./screens/auth.js"), name: "Login", public: true },
  { prefix: "/signup", load: () => import("./screens/auth.js"), name: "Signup", public: true },
  { prefix: "/onboarding", load: () => import("./screens/onboarding.js"), name: "Onboarding" },
  { prefix: "/profile", load: () => import("./screens/profile.js"), name: "Profile" },
  { prefix: "/analyse", load: () => import("./screens/analyse.js"), name: "Analyse" },
  { prefix: "/resumes", load: () => import("./screens/resumes.js"), name: "Resumes" },
  { prefix: "/jobs", load: () => import("./screens/jobs.js"), name: "Jobs" },
  { prefix: "/learning", load: () => import("./screens/learning.js"), name: "Learning" },
  { prefix: "/coach", load: () => import("./screens/coach.js"), name: "Coach" },
  { prefix: "/tasks", load: () => import("./screens/tasks.js"), name: "Tasks" },
  { prefix: "/account", load: () => import("./screens/account.js"), name: "Account" },
  { prefix: "/admin", load: () => import("./screens/admin.js"), name: "Admin" },
  { prefix: "/notifications", load: () => import("./screens/notifications.js"), name: "Notifications" },
];

// How often the bell asks for new notifications (ms); also on every page change.
const BELL_POLL_MS = 60000;

// This browser had a login: so a refused session is one that really ended, not a first visit.
const SESSION_MARK = "cg-had-session";
function markSession(on) {
  try {
    if (on) localStorage.setItem(SESSION_MARK, "1");
    else localStorage.removeItem(SESSION_MARK);
  } catch {
    // Storage blocked: the notice is then never shown, which is the safer mistake.
  }
}
function hadSession() {
  try {
    return localStorage.getItem(SESSION_MARK) === "1";
  } catch {
    return false;
  }
}
const SESSION_ENDED = "Your session has ended. Please log in again.";

function match(path) {
  return ROUTES.find((r) => path === r.prefix || path.startsWith(r.prefix + "/"));
}

function Lazy({ route, loc }) {
  const [mod, setMod] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    let live = true;
    setError(null);
    route.load().then(
      (m) => live && setMod(() => m[route.name]),
      (e) => live && setError({ error: "NetworkError", detail: `This page could not be loaded (${e.message}). Reload to try again.` }),
    );
    return () => (live = false);
  }, [route]);
  useEffect(() => {
    // The first screen is on the page and answers input: benchmarks/bench_web.py's "interactive".
    if (mod && !performance.getEntriesByName("cg-ready").length) {
      performance.mark("cg-ready");
      document.documentElement.dataset.ready = "1";
    }
  }, [mod]);
  if (error) return html`<${ErrorAlert} error=${error} />`;
  if (!mod) return html`<${Spinner} />`;
  const Screen = mod;
  return html`<${Screen} loc=${loc} />`;
}

// The bell: unread notifications (new matching jobs, follow-ups due, tracked jobs that closed).
function Bell({ path }) {
  const [state, setState] = useState({ items: [], unread: 0 });
  const [open, setOpen] = useState(false);
  const box = useRef(null);
  const load = () => api("/api/notifications?limit=8").then(setState, () => {});
  useEffect(() => {
    load();
    const timer = setInterval(load, BELL_POLL_MS);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    setOpen(false);
    load();
  }, [path]);
  useEffect(() => {
    if (!open) return undefined;
    const away = (e) => box.current && !box.current.contains(e.target) && setOpen(false);
    const escape = (e) => e.key === "Escape" && setOpen(false);
    document.addEventListener("mousedown", away);
    document.addEventListener("keydown", escape);
    return () => {
      document.removeEventListener("mousedown", away);
      document.removeEventListener("keydown", escape);
    };
  }, [open]);
  const readAll = async () => {
    await api("/api/notifications/read-all", { method: "POST" }).catch(() => {});
    load();
  };
  const read = (item) => {
    if (!item.read_at) api(`/api/notifications/${item.id}/read`, { method: "POST" }).then(load, () => {});
  };
  const label = state.unread ? `Notifications, ${state.unread} unread` : "Notifications";
  return html`<div class="bell" ref=${box}>
    <button type="button" class="btn btn-ghost bell-button" aria-label=${label} aria-expanded=${open ? "true" : "false"} aria-controls="bell-panel" onClick=${() => setOpen(!open)}>
      <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"><path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9"/><path d="M13.7 21a2 2 0 0 1-3.4 0"/></svg>
      ${state.unread > 0 && html`<span class="bell-count" aria-hidden="true">${state.unread > 99 ? "99+" : state.unread}</span>`}
    </button>
    ${open && html`<div id="bell-panel" class="bell-panel" role="region" aria-label="Notifications">
      <div class="bell-head"><strong>Notifications</strong>
        <button type="button" class="btn-link small" disabled=${!state.unread} onClick=${readAll}>Mark all read</button></div>
      ${state.items.length
        ? html`<ul class="notice-list">${state.items.map(
            (item) => html`<li key=${item.id} class=${"notice" + (item.read_at ? "" : " notice-unread")} data-kind=${item.kind}>
              <a href=${item.link || "/notifications"} onClick=${() => read(item)}><strong>${item.title}</strong></a>
              <div class="small">${item.body}</div></li>`,
          )}</ul>`
        : html`<p class="muted small">Nothing new. New matching jobs, follow-ups due and closed jobs show here.</p>`}
      <a class="small" href="/notifications">All notifications and the email digest</a>
    </div>`}
  </div>`;
}

function TopBar({ user, onLogout, path }) {
  return html`<header class="topbar">
    <div class="topbar-inner">
      <a class="brand" href="/profile"><span class="logo" aria-hidden="true">C</span>CareerGini</a>
      <nav class="mainnav" aria-label="Main">
        ${NAV.map(
          (item) => html`<a href=${item.path} aria-current=${path.startsWith(item.path) ? "page" : undefined}>${item.label}</a>`,
        )}
      </nav>
      <div class="usermenu">
        <${Bell} path=${path} />
        ${user.is_admin && html`<a href="/admin" class="user-link" aria-current=${path.startsWith("/admin") ? "page" : undefined}>Admin</a>`}
        <a href="/account" class="user-link" aria-current=${path.startsWith("/account") ? "page" : undefined} title="Your account"><span class="user-name">${user.full_name || user.email}</span><span class="user-short">Account</span></a>
        <button type="button" class="btn btn-ghost" onClick=${onLogout}>Log out</button>
      </div>
    </div>
  </header>`;
}

function App() {
  const loc = useLocation();
  const [user, setUser] = useState(undefined); // undefined: still asking; null: logged out
  const [notice, setNotice] = useState(null);

  const userRef = useRef(user);
  userRef.current = user;

  useEffect(() => {
    api("/api/auth/me").then(setUser, () => {
      // A first visit has no session to lose; a browser that was logged in lost its session.
      if (hadSession()) setNotice(SESSION_ENDED);
      markSession(false);
      setUser(null);
    });
    return onSignedOut(() => {
      if (!userRef.current) return; // still asking who this is: the answer above decides
      markSession(false);
      setUser(null);
      setNotice(SESSION_ENDED);
    });
  }, []);

  useEffect(() => {
    if (user) markSession(true);
  }, [user]);

  const route = match(loc.path);

  // Redirects: logged-out visitors to /login (keeping where they wanted to go), "/" onwards.
  useEffect(() => {
    if (user === undefined) return;
    if (!user && (!route || !route.public)) {
      navigate(`/login?next=${encodeURIComponent(loc.path + location.search)}`, { replace: true });
    } else if (user && (loc.path === "/" || (route && route.public))) {
      const next = loc.query.get("next") || "";
      navigate(/^\/(?!\/)/.test(next) ? next : "/profile", { replace: true });
    }
  }, [user, loc.path]);

  // Moving to another section: its heading takes the focus once it renders; back to the top.
  const section = loc.path.split("/")[1] || "";
  const lastSection = useRef(null);
  useEffect(() => {
    if (lastSection.current !== null && lastSection.current !== section) {
      focusNextHeading();
      window.scrollTo(0, 0);
    }
    lastSection.current = section;
  }, [section]);

  useEffect(() => {
    if (user !== undefined) document.documentElement.dataset.user = user ? "in" : "out";
  }, [user]);

  const logout = async () => {
    try {
      await api("/api/auth/logout", { method: "POST" });
    } catch {
      // Logged out either way: the cookies are cleared or already invalid.
    }
    markSession(false);
    setUser(null);
    setNotice("You are logged out.");
    navigate("/login");
  };

  if (user === undefined) return html`<main id="main" class="main"><${Spinner} label="Starting…" /></main>`;

  const ctx = {
    user,
    setUser,
    // The account is gone: no "session ended" notice, and the goodbye page instead of the login.
    accountDeleted: () => {
      markSession(false);
      setNotice(null);
      navigate("/goodbye", { replace: true });
      setUser(null);
    },
    notice,
    clearNotice: () => setNotice(null),
  };
  let content;
  if (!route) {
    content = html`<section class="page"><h1 tabindex="-1">Page not found</h1><p>There is no page at <code>${loc.path}</code>. <a href="/profile">Go to your profile</a>.</p></section>`;
  } else if (!user && !route.public) {
    content = html`<${Spinner} />`;
  } else {
    content = html`<${Lazy} key=${route.prefix} route=${route} loc=${loc} />`;
  }
  return html`<${AppContext.Provider} value=${ctx}>
    <a class="skip-link" href="#main">Skip to content</a>
    ${user && html`<${TopBar} user=${user} onLogout=${logout} path=${loc.path} />`}
    <main id="main" class=${"main" + (user ? "" : " main-public")} tabindex="-1">${content}</main>
  <//>`;
}

// Internal links navigate inside the SPA; /api, /docs and downloads go to the server.
document.addEventListener("click", (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const link = e.target.closest("a[href]");
  if (!link || link.target || link.hasAttribute("download")) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || /^\/(api|docs|redoc|assets|metrics)\b/.test(url.pathname)) return;
  if (url.hash && url.pathname === location.pathname) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});

const root = document.getElementById("app");
root.textContent = "";
render(html`<${App} />`, root);
