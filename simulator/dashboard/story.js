// One verification's story (GET /_sim/stories/{id}): what it is, what can be done to it, and everything
// that happened to it on one timeline, in virtual time with the real time beside it.
import {api, days, details, esc, enc, json, words, kindOf, linkIds, qs, storyLink, table, tag, tenantLink, wall, when} from "./lib.js";
import {attemptDetails, chaos, clockForm, replayButtons, result, warnings} from "./views.js";

export const story = {
  title: (state) => `story of ${state.id}`,
  async data(ctx) {
    const s = await api(`/stories/${enc(ctx.id)}${qs({tenant: ctx.params.tenant})}`);
    const main = s.subjects[0];
    const others = s.also_in.length
      ? `<p class="notice">Other tenants have something going by <code>${esc(s.id)}</code> too: ${s.also_in.map((t) => `<a href="#/story/${enc(s.id)}${qs({tenant: t})}">${esc(t)}</a>`).join(", ")}.</p>` : "";
    const found = s.id === main.id ? "" : `<p class="muted">found by ${esc(s.what)} <code>${esc(s.id)}</code></p>`;
    return `<div class="story-head">
        <h1>${esc(main.kind)} <code>${esc(main.id)}</code></h1>${found}
        <div class="chips">${main.status ? `<span class="chip ${kindOf(main.status)}">status <b id="story-status">${esc(main.status)}</b></span>` : ""}
          <span class="chip">${esc(s.provider)} · ${esc(main.kind)}</span>
          <span class="chip">tenant ${tenantLink(s.tenant)}</span>
          <span class="chip">this tenant's virtual time <b>${when(s.now)}</b></span>
          <span class="chip">applicant ${esc(s.applicant_mode)}</span></div></div>
      ${others}
      <div class="story-grid">
        <div>${s.subjects.map((subject) => subjectCard(subject, s.tenant)).join("")}</div>
        <div>${actionsCard(s)}${s.runs.map((run) => scriptCard(run)).join("")}</div>
      </div>
      <section class="card"><h2>Timeline <span class="muted">(virtual time · real time)</span></h2>${timeline(s)}</section>`;
  },
};

function subjectCard(subject, tenant) {
  const ids = Object.entries(subject.ids).map(([name, id]) => `<dt>${esc(name)}</dt><dd>${storyLink(id, tenant)}</dd>`).join("");
  const facts = Object.entries(subject.facts).map(([name, value]) =>
    `<dt>${esc(name)}</dt><dd>${Array.isArray(value) ? value.map((v) => `<div>${esc(v)}</div>`).join("") : esc(value)}</dd>`).join("");
  const pages = subject.pages.map((p) => `<li><a href="${esc(p.url)}" target="_blank" rel="noopener" data-page="${esc(p.url)}">${esc(p.label)} ↗</a></li>`).join("");
  return `<section class="card"><h2>${esc(subject.kind)} ${storyLink(subject.id, tenant)}</h2>
    <dl class="facts">${ids}${facts}</dl>
    ${pages ? `<h3>Hosted pages</h3><ul class="pages">${pages}</ul>` : ""}</section>`;
}

function actionsCard(s) {
  const running = s.runs.filter((r) => r.status === "running");
  const armed = running.find((r) => r.next_step_at);
  const waits = running.filter((r) => r.waiting_for).map((r) => {
    const person = r.script.some((step) => step.state === "next" && step.by_person) || r.handed_off === false;
    const page = s.subjects.flatMap((subject) => subject.pages)[0];
    const how = person
      ? `a person: ${page ? `<a href="${esc(page.url)}" target="_blank" rel="noopener">open the hosted page ↗</a>` : "on the hosted page"}`
      : `<button type="button" data-act="resume" data-run="${esc(r.id)}">Play the client's part</button>`;
    return `<p>Run <code>${esc(r.id)}</code> waits for <code>${esc(r.waiting_for)}</code>: ${how}</p>`;
  }).join("");
  const due = armed ? `<p>Next step <code>${esc((armed.script.find((x) => x.state === "next") || {}).step || "")}</code> due at ${when(armed.next_step_at)}.</p>` : "";
  return `<section class="card"><h2>Act</h2>${due}${waits}
    <h3>This tenant's clock</h3>${clockForm(s.tenant, running.length > 0, armed && armed.next_step_at)}
    <h3>Other</h3><div class="actions">
      <a class="button secondary" href="#/bindings${qs({tenant: s.tenant})}">Bind a scenario for this tenant's next check…</a>
      <button type="button" class="danger" data-act="reset" data-tenant="${esc(s.tenant)}">Reset this tenant</button></div></section>`;
}

function scriptCard(run) {
  const steps = run.script.map((step) => `<li class="${esc(step.state)}"><code>${esc(step.step)}</code>
    <span class="muted">${step.by_person ? "by the person" : `after ${esc(step.after)} s`}${Object.keys(step.with || {}).length ? ` ${esc(JSON.stringify(step.with))}` : ""} · ${esc(step.state)}${step.due ? ` (due ${when(step.due)})` : ""}</span></li>`).join("");
  return `<section class="card"><h2>Script: <code>${esc(run.scenario)}</code></h2>
    <p class="muted">run <code>${esc(run.id)}</code> · ${tag(run.status, kindOf(run.status))}${run.waiting_for ? ` waiting for <code>${esc(run.waiting_for)}</code>` : ""}</p>
    <ol class="script">${steps}</ol></section>`;
}

function timeline(s) {
  const day = days();
  const rows = s.timeline.map((item, index) => {
    const [what, detail] = (render[item.kind] || render.other)(item, s, index);
    return `<tr class="kind-${esc(item.kind)}"><td>${day(item.at)}<span class="small">${wall(item.wall_at)}</span></td>
      <td>${what}</td><td>${detail}</td></tr>`;
  });
  return table([["at", "9%"], ["what", "35%"], ["detail", "56%"]], rows, "Nothing has happened yet.", "timeline");
}

const render = {
  request(r, s) {
    const what = `<span class="kind">request</span> <code>${esc(r.method)} ${linkIds(r.path, s.tenant)}${r.query ? "?" + esc(r.query) : ""}</code>${r.operation ? `<span class="small muted">${esc(r.operation)}</span>` : ""}`;
    const bodies = (r.request_body ? details(`tq-${r.id}`, "request body", json(r.request_body)) : "")
      + (r.response_body ? details(`ts-${r.id}`, "response", json(r.response_body)) : "");
    return [what, `${tag(r.status, r.status < 400 ? "ok" : "bad")} <span class="muted">${esc(r.latency_ms)} ms</span>${warnings(r)}${bodies}`];
  },
  run(r) {
    return [`<span class="kind">scenario</span> <code>${esc(r.scenario)}</code> starts`, `<span class="muted">run <code>${esc(r.run)}</code></span>`];
  },
  step(r) {
    // Played by the scenario on its clock, or done outside it (a person on the hosted page, the client's
    // call: a signal, or a step the provider reports done) and the run went on from there.
    const signal = r.step.startsWith("signal:");
    const outside = signal || r.outside;
    const name = signal ? r.step.slice(7) : r.step;
    const how = outside ? "done outside the script (the person on the hosted page, or the client's call); the run goes on"
      : "played by the scenario";
    return [`<span class="kind">${outside ? "done" : "step"}</span> <code>${esc(name)}</code>${r.failed ? " " + tag("failed", "bad") : ""}`,
      `<span class="muted">${how} (<code>${esc(r.scenario)}</code>)</span>`];
  },
  status(r) {
    const extra = [r.attempt_status ? `attempt ${r.attempt_status}` : "", r.answer ? `answer ${r.answer}` : "", r.reject_type || ""].filter(Boolean).join(" · ");
    return [`<span class="kind">status</span> ${tag(r.status, kindOf(r.answer || r.status))}`, `<span class="muted">${esc(extra)}${r.event ? ` (with <code>${esc(r.event)}</code>)` : ""}</span>`];
  },
  webhook(r, s) {
    const deliveries = r.deliveries.map((d) => {
      const attempts = d.attempts.map((a) => `<li>#${a.number} ${when(a.at)} ${wall(a.wall_at)} ${result(a)}${chaos(a.chaos)}${attemptDetails(a)}</li>`).join("");
      return `<div class="delivery"><div><code>${esc(d.id)}</code> → <span class="url">${esc(d.url)}</span> ${tag(d.state, kindOf(d.state))}${d.due_at ? ` <span class="small muted">next attempt ${when(d.due_at)}</span>` : ""}${chaos(d.notes)}</div>
        <ol class="attempts">${attempts}</ol>${replayButtons(d.id, d.url)}</div>`;
    }).join("");
    const none = r.deliveries.length ? "" : `<p class="muted">No endpoint took it: it was not sent (it is in the log, and <code>kycsim listen</code> streams it).</p>${replayButtons(r.event_id, "")}`;
    return [`<span class="kind">webhook</span> <code class="event">${words(r.type)}</code><span class="small muted"><code>${esc(r.event_id)}</code></span>`,
      `${details(`pl-${r.event_id}`, "payload", json(r.payload))}${deliveries}${none}`];
  },
  next(r) {
    return [`<span class="kind">next</span> <code>${esc(r.step)}</code>`, `<span class="muted">due at ${when(r.at)} (<code>${esc(r.scenario)}</code>)</span>`];
  },
  waiting(r) {
    return [`<span class="kind">waiting</span> for <code>${esc(r.waiting_for)}</code>`, `<span class="muted">the run goes on once it happens</span>`];
  },
  other(r) {
    return [esc(r.kind), ""];
  },
};
