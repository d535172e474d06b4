// pfp-scheduler: the script every page loads. Plain JavaScript, no library.
// Pages pass data through data-* attributes; the CSRF token is in <meta name="csrf-token">.
"use strict";

window.pfp = (function () {
  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  // fetch() against our own API with the session cookie and, for writes, the CSRF token.
  async function api(method, url, options) {
    const opts = options || {};
    const headers = Object.assign({ Accept: "application/json" }, opts.headers || {});
    if (method !== "GET" && method !== "HEAD") headers["X-CSRF-Token"] = csrfToken();
    let body = opts.body;
    if (opts.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(opts.json);
    }
    const response = await fetch(url, { method, headers, body, credentials: "same-origin" });
    let data = null;
    const type = response.headers.get("Content-Type") || "";
    if (type.includes("json")) data = await response.json();
    return { response, status: response.status, data };
  }

  // The reasons of a problem+json answer as lines ("pointer: reason").
  function problemLines(problem) {
    if (!problem) return [];
    const lines = [];
    for (const e of problem.errors || []) {
      const where = e.pointer !== undefined ? e.pointer : e.parameter;
      lines.push((where ? where + ": " : "") + e.reason);
    }
    return lines;
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === false || v === null || v === undefined) continue;
      if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) node.append(c);
    return node;
  }

  function showMessage(box, kind, text, lines) {
    box.replaceChildren();
    box.className = "message " + kind;
    box.hidden = false;
    box.append(el("span", { text }));
    if (lines && lines.length) {
      const list = el("ul");
      for (const l of lines) list.append(el("li", { text: l }));
      box.append(list);
    }
  }

  return { api, csrfToken, el, problemLines, showMessage };
})();

// Forms of choices (the timeline's filters...) apply on change; their button does the same
// without script.
document.addEventListener("DOMContentLoaded", function () {
  for (const form of document.querySelectorAll("form[data-autosubmit]")) {
    for (const select of form.querySelectorAll("select")) {
      select.addEventListener("change", () => form.submit());
    }
  }
  const timeline = document.getElementById("timeline");
  const details = document.getElementById("details");
  if (!timeline || !details) return;
  function show(bar) {
    for (const b of timeline.querySelectorAll(".bar.selected")) b.classList.remove("selected");
    bar.classList.add("selected");
    const d = bar.dataset;
    const fields = {
      name: d.name + " (" + d.exercise + ")",
      type: d.type,
      dates: d.start + " to " + d.end + " (" + d.days + " days)",
      site: d.siteName + (d.host ? " (" + d.host + ")" : ""),
      nations: d.nations ? d.nations.split(" ").join(", ") : "none",
      units: d.units ? d.units.split(" ").join(", ") : "none",
    };
    for (const [key, value] of Object.entries(fields)) {
      details.querySelector('[data-field="' + key + '"]').textContent = value;
    }
    details.querySelector("dl").hidden = false;
    details.querySelector(".hint").hidden = true;
  }
  for (const bar of timeline.querySelectorAll(".bar")) {
    bar.addEventListener("click", () => show(bar));
    bar.addEventListener("focus", () => show(bar));
    bar.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        show(bar);
      }
    });
  }
});
