// The solve page: start a solve, follow its server-sent events, draw the figures, cancel.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  const { api, problemLines, showMessage } = window.pfp;
  const form = document.getElementById("solve-form");
  const message = document.getElementById("solve-message");
  const job = document.getElementById("job");
  const chart = document.getElementById("chart");
  const cancel = document.getElementById("job-cancel");
  const SVG = "http://www.w3.org/2000/svg";
  let points = [];
  let source = null;
  let calendarId = job.dataset.calendar || "";
  let limit = Number(job.dataset.limit) || 0;
  let over = false; // once done, the time axis ends at the last figure, not at the limit

  function text(id, value) {
    document.getElementById(id).textContent = value;
  }

  function svg(tag, attrs, content) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function draw() {
    const W = 720, H = 260, L = 48, R = 12, T = 12, B = 32;
    const tLast = Math.max(0, ...points.map((p) => p.t));
    const tMax = over ? Math.max(tLast * 1.05, 0.5) : Math.max(limit, tLast, 1);
    const yMax = Math.max(1, ...points.flatMap((p) => [p.priority, p.bound || 0, p.nations])) * 1.1;
    const x = (t) => L + (t / tMax) * (W - L - R);
    const y = (v) => H - B - (v / yMax) * (H - T - B);
    const nodes = [];
    for (let i = 0; i <= 4; i++) {
      const v = (yMax / 4) * i;
      nodes.push(svg("line", { class: "grid", x1: L, x2: W - R, y1: y(v), y2: y(v) }));
      nodes.push(svg("text", { x: 4, y: y(v) + 4 }, Math.round(v)));
    }
    for (let i = 0; i <= 5; i++) {
      const t = (tMax / 5) * i;
      const anchor = i === 0 ? "start" : i === 5 ? "end" : "middle";
      nodes.push(svg("text", { x: x(t), y: H - 12, "text-anchor": anchor }, t.toFixed(t < 10 ? 1 : 0) + " s"));
    }
    nodes.push(svg("line", { class: "axis", x1: L, x2: L, y1: T, y2: H - B }));
    nodes.push(svg("line", { class: "axis", x1: L, x2: W - R, y1: H - B, y2: H - B }));
    const series = (key) => points.filter((p) => p[key] !== null && p[key] !== undefined);
    for (const [key, cls] of [["bound", "series-bound"], ["priority", "series-priority"], ["nations", "series-nations"]]) {
      const pts = series(key);
      if (!pts.length) continue;
      // a step line: each figure holds until the next improvement
      const coords = [];
      pts.forEach((p, i) => {
        if (i > 0) coords.push(x(p.t) + "," + y(pts[i - 1][key]));
        coords.push(x(p.t) + "," + y(p[key]));
      });
      const last = pts[pts.length - 1];
      const end = Math.max(last.t, points[points.length - 1].t);
      coords.push(x(end) + "," + y(last[key]));
      nodes.push(svg("polyline", { class: cls, points: coords.join(" "), "data-series": key, "data-points": pts.length }));
    }
    chart.replaceChildren(...nodes);
    chart.dataset.points = String(points.length);
  }

  function progress(p) {
    if (!p || !p.kpi) return;
    const point = {
      t: p.elapsed_s,
      priority: p.kpi.priority_scheduled,
      nations: p.kpi.nation_participations,
      bound: p.bound,
    };
    const last = points[points.length - 1];
    if (last && last.t === point.t && last.priority === point.priority && last.bound === point.bound) return;
    points.push(point);
    text("fig-elapsed", p.elapsed_s.toFixed(1) + " s");
    text("fig-priority", p.kpi.priority_scheduled);
    text("fig-nations", p.kpi.nation_participations);
    text("fig-months", p.kpi.preferred_month_hits);
    text("fig-bound", p.bound === null || p.bound === undefined ? "-" : p.bound);
    text("fig-gap", p.gap === null || p.gap === undefined ? "-" : (p.gap * 100).toFixed(1) + " %");
    draw();
  }

  function status(value) {
    job.dataset.status = value;
    text("job-status", value);
    const over = !["queued", "running"].includes(value);
    cancel.disabled = over;
    form.querySelector("button[type=submit]").disabled = !over;
  }

  function finished(data) {
    over = true;
    if (source) source.close();
    source = null;
    if (data.progress) progress(data.progress);
    if (data.kpi && !data.progress) progress({ elapsed_s: 0, kpi: data.kpi, bound: null, gap: null });
    status(data.status + (data.calendar_status ? " (" + data.calendar_status + ")" : ""));
    job.dataset.status = data.status;
    if (data.error) showMessage(message, "error", data.error);
    if (data.calendar_status) {
      const result = document.getElementById("job-result");
      result.href = "/calendars/" + calendarId;
      result.hidden = false;
      const conflicts = document.getElementById("job-conflicts");
      conflicts.href = "/conflicts?calendar=" + calendarId;
      conflicts.hidden = false;
    }
  }

  function watch(id) {
    calendarId = id;
    points = [];
    over = false;
    job.hidden = false;
    job.dataset.calendar = id;
    text("job-id", id);
    document.getElementById("job-result").hidden = true;
    document.getElementById("job-conflicts").hidden = true;
    history.replaceState(null, "", "/solve?calendar=" + encodeURIComponent(id));
    source = new EventSource("/api/v1/calendars/" + encodeURIComponent(id) + "/events");
    source.addEventListener("status", (e) => {
      const data = JSON.parse(e.data);
      if (data.params) limit = data.params.time_limit_s;
      status(data.status);
      if (data.progress) progress(data.progress);
    });
    source.addEventListener("progress", (e) => progress(JSON.parse(e.data)));
    source.addEventListener("done", (e) => finished(JSON.parse(e.data)));
    source.addEventListener("closing", () => {
      showMessage(message, "warn", "The service is stopping; reload the page later to see how the solve ended.");
      source.close();
    });
    draw();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.hidden = true;
    const name = document.getElementById("solve-name").value.trim();
    const base = document.getElementById("solve-base").value;
    const body = { time_limit_s: Number(document.getElementById("solve-limit").value) };
    if (name) body.name = name;
    if (base) body.base = base;
    const answer = await api("POST", "/api/v1/calendars", { json: body });
    if (answer.status === 202) {
      limit = body.time_limit_s;
      status(answer.data.status);
      watch(answer.data.id);
    } else {
      const detail = answer.data && answer.data.detail ? answer.data.detail : "HTTP " + answer.status;
      showMessage(message, "error", "The solve could not start: " + detail, problemLines(answer.data));
    }
  });

  cancel.addEventListener("click", async () => {
    if (!calendarId) return;
    cancel.disabled = true;
    const answer = await api("POST", "/api/v1/calendars/" + encodeURIComponent(calendarId) + "/cancel");
    if (answer.status === 200 || answer.status === 202) {
      showMessage(message, "ok", answer.status === 200 ? "The solve was cancelled; its best calendar is kept." : "The solve is stopping.");
    } else {
      showMessage(message, "error", (answer.data && answer.data.detail) || "HTTP " + answer.status);
    }
  });

  if (calendarId) {
    status(job.dataset.status);
    watch(calendarId);
  }
});
