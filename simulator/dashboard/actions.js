// What the dashboard changes, each through one control API call; each shows its result at the top.
import {del, enc, esc, post, storyHref, storyLink} from "./lib.js";
import {draw} from "./app.js";

export function showResult(ok, html, link = "") {
  const box = document.getElementById("result");
  box.className = `result ${ok ? "ok" : "bad"}`;
  box.innerHTML = `<span class="mark">${ok ? "✓" : "✗"}</span> <span data-result-text>${html}${link}</span>
    <button type="button" class="link" data-act="dismiss" aria-label="dismiss">×</button>`;
  box.hidden = false;
}

// A result stays until the person goes elsewhere, unless the action itself took them there (a trigger
// opens the story it started).
let keep = false;
export function forgetResult() {
  if (keep) { keep = false; return; }
  document.getElementById("result").hidden = true;
}

// Runs one action; the view is redrawn before its result shows, so what the result says is on screen.
async function attempt(what, fn) {
  let shown;
  try {
    const [html, link] = await fn();
    shown = [true, html, link || ""];
  } catch (err) {
    shown = [false, `${esc(what)}: ${esc(err.message)}`];
  }
  await draw();
  showResult(...shown);
}

const clock = (body) => attempt("move the clock", async () => {
  const moved = await post("/clock/advance", body);
  const fired = `${moved.fired} job${moved.fired === 1 ? "" : "s"} fired`;
  return [`Clock of <b>${esc(moved.tenant || "every tenant")}</b> now at <b>${esc(moved.now)}</b>: ${fired}.`];
});

const handlers = {
  dismiss() {
    document.getElementById("result").hidden = true;
  },
  advance(el) {
    const body = {tenant: el.dataset.tenant};
    if (el.dataset.to) body.to = el.dataset.to;
    if (el.dataset.duration) body.duration = el.dataset.duration;
    return clock(body);
  },
  resume(el) {
    return attempt("play the client's part", async () => {
      const done = await post(`/runs/${enc(el.dataset.run)}/resume`);
      return [`Played the client's part the run waited for (<code>${esc(done.waiting_for)}</code>): ${esc(done.done)}.`];
    });
  },
  trigger(el) {
    el.disabled = true;
    return attempt(`trigger ${el.dataset.scenario}`, async () => {
      const made = await post("/trigger", {scenario: el.dataset.scenario});
      const calls = made.calls.map((c) => `${esc(c.call)} → ${esc(c.status)}`).join(", ");
      if (made.story) { keep = true; location.hash = storyHref(made.story); }
      return [`Triggered <code>${esc(made.scenario)}</code> on tenant ${esc(made.tenant)}: ${calls}.`,
        made.story ? ` Its story: ${storyLink(made.story)}` : ""];
    });
  },
  reset(el) {
    const tenant = el.dataset.tenant;
    if (!window.confirm(`Forget everything of tenant ${tenant}: its verifications, requests, webhooks, bindings and clock?`)) return null;
    return attempt(`reset ${tenant}`, async () => {
      await post("/reset", {tenant});
      return [`Tenant <b>${esc(tenant)}</b> reset: its state is gone.`];
    });
  },
  unbind(el) {
    return attempt("delete the binding", async () => {
      await del(`/bindings/${enc(el.dataset.binding)}`);
      return [`Binding <code>${esc(el.dataset.binding)}</code> deleted.`];
    });
  },
};

const forms = {
  advance(form) {
    const duration = form.elements.duration.value.trim();
    if (!duration) return showResult(false, "Say how far to move the clock, e.g. <code>90s</code>, <code>15m</code>, <code>2h</code>.");
    return clock({tenant: form.dataset.tenant, duration});
  },
  replay(form, submitter) {
    const url = submitter && submitter.value === "url" ? form.elements.url.value.trim() : "";
    if (submitter && submitter.value === "url" && !url) return showResult(false, "Give the URL to send it to.");
    return attempt("replay", async () => {
      const sent = await post(`/webhooks/${enc(form.dataset.target)}/replay`, url ? {url} : {});
      const attempts = sent.data || [sent];
      const outcome = attempts.map((a) => `${esc(a.url)} answered <b>${esc(a.status_code ?? "nothing")}</b> (${a.ok ? "delivered" : "failed"}${a.error ? ": " + esc(a.error) : ""})`).join("; ");
      return [`Replayed <code>${esc(form.dataset.target)}</code>: ${outcome}.`];
    });
  },
  bind(form) {
    const data = new FormData(form);
    const scenario = data.get("scenario");
    if (!scenario) return showResult(false, "Pick a scenario first.");
    const body = {scenario};
    const field = data.get("field");
    const value = String(data.get("value") || "").trim();
    if (field && !value) return showResult(false, `Give the ${esc(field)} the next check will have, or bind for any check.`);
    body.match = field ? {[field]: value} : {};
    if (data.get("tenant")) body.tenant = data.get("tenant");
    if (!data.get("forever")) body.times = Number(data.get("times") || 1);
    return attempt("bind", async () => {
      const made = await post("/bindings", body);
      const which = field ? `the next check whose ${esc(field)} is <code>${esc(value)}</code>` : "the next check";
      const whose = made.tenant ? ` of tenant ${esc(made.tenant)}` : "";
      const times = made.times ? (made.times === 1 ? "once" : `${made.times} times`) : "until deleted";
      return [`Bound <code>${esc(made.scenario)}</code> for ${which}${whose} (${times}): binding <code>${esc(made.id)}</code>.`];
    });
  },
};

export function act(name, el) {
  if (handlers[name]) handlers[name](el);
}

export function submit(name, form, submitter) {
  if (forms[name]) forms[name](form, submitter);
}
