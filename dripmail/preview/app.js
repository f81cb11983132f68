// dripmail preview app: reads /__dripmail__/state.json, listens to /__dripmail__/events and
// redraws itself after every build. Article content is shown with textContent only.
"use strict";

const API = "/__dripmail__";
const $ = (selector) => document.querySelector(selector);
let state = null;
let selected = { folder: null, position: null };
const view = { width: "desktop", dark: "off", tab: "email", tags: "sample" };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function emails() {
  const all = [];
  for (const seq of state ? state.sequences : []) {
    for (const email of seq.emails) all.push({ seq, email });
  }
  return all;
}

function current() {
  const all = emails();
  return all.find((x) => x.seq.folder === selected.folder && x.email.position === selected.position)
    || all[0] || null;
}

function select(item) {
  selected = { folder: item.seq.folder, position: item.email.position };
  render();
}

function indexOf(all, item) {
  return item ? all.findIndex((x) => x.email === item.email) : -1;
}

function step(delta) {
  const all = emails();
  const here = indexOf(all, current());
  const next = all[here + delta];
  if (next) select(next);
}

function count(n, one, many) {
  return n === 1 ? `1 ${one}` : `${n} ${many}`;
}

function findingsBadge(findings) {
  if (!findings.length) return el("span", { class: "badge ok" }, "no findings");
  const worst = findings.some((f) => f.severity === "error") ? "error"
    : findings.some((f) => f.severity === "warning") ? "warning" : "info";
  return el("span", { class: `badge ${worst}` }, count(findings.length, "finding", "findings"));
}

function renderTimeline(here) {
  const nav = $("#timeline");
  nav.replaceChildren();
  for (const seq of state.sequences) {
    nav.append(el("h2", {}, seq.title || seq.folder));
    nav.append(el("p", { class: "origin" }, `${seq.source || ""} · ${count(seq.emails.length, "email", "emails")} · ${seq.provider || ""}`));
    const list = el("ol", {});
    for (const email of seq.emails) {
      const button = el("button", { type: "button", "data-position": String(email.position), "data-folder": seq.folder },
        el("span", { class: "day" }, `Day ${email.day} · ${email.position} of ${seq.emails.length}`),
        el("span", { class: "subj" }, email.subject),
        el("span", { class: "pre" }, email.preheader),
        el("span", { class: "nums" },
          `${email.words} words · ${email.reading} · `,
          el("span", { class: `size size-${email.size_level}` }, `${email.size_kb} KB`),
          state.checks ? " · " : "", state.checks ? findingsBadge(email.findings) : ""));
      if (here && here.email === email) button.setAttribute("aria-current", "true");
      button.addEventListener("click", () => select({ seq, email }));
      list.append(el("li", {}, button));
    }
    nav.append(list);
  }
}

function fillInbox(box, seq, row) {
  box.querySelector(".sender").textContent = seq.sender || seq.title || "";
  box.querySelector(".subject").textContent = row.subject;
  box.querySelector(".pre").textContent = row.preheader;
}

async function fetchText(url, target) {
  try {
    const response = await fetch(url, { cache: "no-store" });
    target.textContent = response.ok ? await response.text() : `(${response.status})`;
  } catch (err) {
    target.textContent = `(could not load: ${err})`;
  }
}

function renderDetail(here) {
  const has = Boolean(here);
  $("#empty").hidden = has;
  $("#email-head").hidden = !has;
  $("#frame-box").hidden = !has || view.tab !== "email";
  $("#text").hidden = !has || view.tab !== "text";
  $("#source").hidden = !has || view.tab !== "source";
  if (!has) return;
  const { seq, email } = here;
  const all = emails();
  const index = indexOf(all, here);
  $("#prev").disabled = index <= 0;
  $("#next").disabled = index >= all.length - 1;
  $("#position").textContent = `Email ${email.position} of ${seq.emails.length} · day ${email.day}`;
  $("#subject").textContent = email.subject;
  $("#meta").replaceChildren(`${email.preheader} — ${email.words} words, ${email.reading} to read, `,
    el("span", { class: `size size-${email.size_level}` }, `${email.size_kb} KB of HTML`));
  fillInbox($(".inbox.phone"), seq, email.inbox.phone);
  fillInbox($(".inbox.desktop"), seq, email.inbox.desktop);
  const findings = $("#findings");
  findings.replaceChildren(...email.findings.map((f) =>
    el("li", { class: f.severity }, `${f.severity} ${f.rule}: ${f.message}${f.fix ? ` (fix: ${f.fix})` : ""}`)));
  findings.hidden = !email.findings.length;

  const box = $("#frame-box");
  box.className = `frame-box ${view.width}${view.dark === "invert" ? " invert" : ""}`;
  const sample = view.tags === "sample" ? "&sample=1" : "";
  const src = `${email.html}?raw=1${sample}${view.dark === "styles" ? "&dark=1" : ""}&v=${state.epoch}`;
  const frame = $("#frame");
  if (frame.getAttribute("src") !== src) frame.setAttribute("src", src);
  frame.title = `Email ${email.position}: ${email.subject}`;
  if (view.tab === "text") {
    if (email.text) fetchText(`${email.text}?v=${state.epoch}${sample}`, $("#text"));
    else $("#text").textContent = "(no plain-text part)";
  }
  if (view.tab === "source") fetchText(`${email.html}?raw=1&v=${state.epoch}`, $("#source"));
}

function renderError() {
  const error = state.error;
  $("#error").hidden = !error;
  if (!error) return;
  const where = error.file ? `${error.file}${error.line ? `:${error.line}` : ""}` : "";
  $("#error-where").textContent = where;
  $("#error-message").textContent = error.message;
  $("#error-trace-box").hidden = !error.traceback;
  $("#error-trace").textContent = error.traceback || "";
}

function renderControls() {
  const select = $("#provider");
  const options = [["", "as configured"], ...state.providers.map((p) => [p, p])];
  if (select.options.length !== options.length) {
    select.replaceChildren(...options.map(([value, label]) => el("option", { value }, label)));
  }
  select.value = state.provider || "";
  for (const button of document.querySelectorAll("[data-width]")) {
    button.setAttribute("aria-pressed", String(button.dataset.width === view.width));
  }
  for (const button of document.querySelectorAll("[data-tab]")) {
    button.setAttribute("aria-pressed", String(button.dataset.tab === view.tab));
  }
  for (const button of document.querySelectorAll("[data-tags]")) {
    button.setAttribute("aria-pressed", String(button.dataset.tags === view.tags));
  }
  $("#dark").value = view.dark;
  $("#static-index").hidden = !state.index;
  const warnings = $("#warnings");
  warnings.replaceChildren(...state.warnings.map((w) => el("li", {}, w)));
  warnings.hidden = !state.warnings.length;
}

function render() {
  if (!state) return;
  const here = current();
  if (here) selected = { folder: here.seq.folder, position: here.email.position };
  renderControls();
  renderError();
  renderTimeline(here);
  renderDetail(here);
  document.body.dataset.epoch = String(state.epoch);
}

async function load() {
  const response = await fetch(`${API}/state.json`, { cache: "no-store" });
  state = await response.json();
  render();
}

function connect() {
  const events = new EventSource(`${API}/events`);
  const status = $("#status");
  events.onopen = () => { status.textContent = "Live"; status.className = "status live"; };
  events.onerror = () => { status.textContent = "Reconnecting…"; status.className = "status"; };
  events.onmessage = (message) => {
    if (!state || String(state.epoch) !== message.data) load();
  };
}

function wire() {
  for (const button of document.querySelectorAll("[data-width]")) {
    button.addEventListener("click", () => { view.width = button.dataset.width; render(); });
  }
  for (const button of document.querySelectorAll("[data-tab]")) {
    button.addEventListener("click", () => { view.tab = button.dataset.tab; render(); });
  }
  for (const button of document.querySelectorAll("[data-tags]")) {
    button.addEventListener("click", () => { view.tags = button.dataset.tags; render(); });
  }
  $("#dark").addEventListener("change", (e) => { view.dark = e.target.value; render(); });
  $("#prev").addEventListener("click", () => step(-1));
  $("#next").addEventListener("click", () => step(1));
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("select, input, textarea")) return;
    if (e.key === "j") step(1);
    if (e.key === "k") step(-1);
  });
  $("#provider").addEventListener("change", async (e) => {
    const provider = e.target.value || null;
    await fetch(`${API}/provider`, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ provider }),
    });
    load();
  });
}

wire();
load().then(connect);
