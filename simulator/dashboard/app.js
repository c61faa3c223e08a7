// The dashboard: routes (#/view/...), the header, the refresh loop and the event wiring.
// Every change to the simulator goes through actions.js (JSON POSTs to the control API).
import {api, esc, opened, qs, storyHref} from "./lib.js";
import {filters, views} from "./views.js";
import {story} from "./story.js";
import {act, forgetResult, submit, showResult} from "./actions.js";

const all = {...views, story};
export const state = {route: "verifications", id: null, params: {}, health: null, filters: {}};

function parseHash() {
  const [path, query] = (location.hash.replace(/^#\/?/, "") || "verifications").split("?");
  const [route, ...rest] = path.split("/");
  state.route = all[route] ? route : "verifications";
  state.id = rest.length ? decodeURIComponent(rest.join("/")) : null;
  state.params = Object.fromEntries(new URLSearchParams(query || ""));
}

// Not under the person's hands: no redraw while they type in a field or select text.
function busy() {
  const el = document.activeElement;
  if (el && el.closest && el.closest("#view") && ["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName)) return true;
  const selection = window.getSelection && window.getSelection();
  return Boolean(selection && String(selection).length);
}

let drawing = null;
export async function draw({controls = false} = {}) {
  const view = all[state.route];
  const ctx = {state, id: state.id, params: state.params, health: state.health};
  if (controls) {
    document.getElementById("controls").innerHTML = view.controls ? await view.controls(ctx) : "";
    if (view.ready) view.ready(ctx);
  }
  const run = (async () => {
    try {
      document.getElementById("view").innerHTML = await view.data(ctx);
      if (view.drawn) view.drawn(ctx);
    } catch (err) {
      document.getElementById("view").innerHTML = `<p class="notice bad" role="alert">${esc(err.message)}</p>`;
    }
    const shown = document.getElementById("view");
    shown.removeAttribute("aria-busy");
    shown.dataset.drawn = location.hash || "#/verifications";  // what the page shows now (tests wait for it)
  })();
  drawing = run;
  await run;
}

async function header() {
  try {
    const [health, clock] = await Promise.all([api("/health"), api("/clock")]);
    state.health = health;
    document.getElementById("meta").textContent =
      `v${health.version} · seed ${health.seed} · speed ${health.speed} · applicant ${health.applicant || "auto"}`;
    document.getElementById("clock").innerHTML = `shared virtual time <b>${esc(String(clock.now).replace("T", " ").replace("Z", ""))}</b>`;
  } catch (err) {
    document.getElementById("meta").textContent = "cannot reach the simulator: " + err.message;
  }
}

async function navigate() {
  parseHash();
  forgetResult();
  document.querySelectorAll("nav.tabs a").forEach((a) => {
    const here = a.dataset.tab === state.route || (state.route === "story" && a.dataset.tab === "verifications");
    if (here) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  });
  document.getElementById("view").setAttribute("aria-busy", "true");
  delete document.getElementById("view").dataset.drawn;
  document.title = `kycsim · ${all[state.route].title(state)}`;
  await header();
  await draw({controls: true});
}

// A search that names one verification exactly opens its story; otherwise the list of matches.
document.getElementById("find").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const q = document.getElementById("find-q").value.trim();
  if (!q) { location.hash = "#/verifications"; return; }
  try {
    const found = await api(`/stories${qs({q, limit: 2})}`);
    if (found.count === 1) { location.hash = storyHref(found.data[0].id); return; }
  } catch (err) {
    showResult(false, err.message);
  }
  location.hash = `#/verifications${qs({q})}`;
});

document.addEventListener("click", (ev) => {
  const el = ev.target.closest && ev.target.closest("[data-act]");
  if (!el) return;
  ev.preventDefault();
  act(el.dataset.act, el);
});
document.addEventListener("submit", (ev) => {
  const form = ev.target.closest("form[data-form]");
  if (!form) return;
  ev.preventDefault();
  submit(form.dataset.form, form, ev.submitter);
});
// Filters: typing redraws the data (once the typing pauses); a choice in a list redraws the controls too
// (the products of the chosen provider).
let typing = null;
function filterChanged(ev) {
  const key = ev.target.dataset && ev.target.dataset.filter;
  if (!key) return;
  const [view, name] = key.split(".");
  const value = ev.target.type === "checkbox" ? ev.target.checked : ev.target.value;
  // A text field's "change" (it loses focus, say to a click on a button) after its typing was drawn: nothing
  // to redraw, and redrawing would replace the button under the click.
  if (ev.type === "change" && filters[view][name] === value) return;
  filters[view][name] = value;
  clearTimeout(typing);
  if (ev.type === "input" && ev.target.tagName === "INPUT" && ev.target.type !== "checkbox") {
    typing = setTimeout(() => draw(), 250);
  } else if (ev.type === "change" && ev.target.tagName === "SELECT") {
    draw({controls: true});
  } else if (ev.type === "change") {
    draw();
  }
}
document.addEventListener("input", filterChanged);
document.addEventListener("change", filterChanged);
// Opened <details> stay open ("toggle" does not bubble: listen while it is captured).
document.addEventListener("toggle", (ev) => {
  const key = ev.target.dataset && ev.target.dataset.key;
  if (key) { if (ev.target.open) opened.add(key); else opened.delete(key); }
}, true);

window.addEventListener("hashchange", navigate);
navigate();
setInterval(async () => {
  if (!document.getElementById("live").checked || busy() || document.hidden) return;
  await drawing;
  await header();
  await draw();
}, 2000);
