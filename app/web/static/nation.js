// The nation page: availability editors (If-Match / ETag), the units' assignments and the
// nation's conflicts, drawn from the JSON API and drawn again after each saved change.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  const { api, el, problemLines, showMessage } = window.pfp;
  const KINDS = { availability: "window", blackouts: "blackout" };

  function windowRow(editor, kind, value, index) {
    const editable = editor.dataset.editable === "yes";
    const label = editor.dataset.label;
    const row = el("div", { class: "window", "data-window": "" });
    const n = index + 1;
    for (const end of ["start", "end"]) {
      const input = el("input", {
        type: "date",
        name: end,
        value: value ? value[end] : "",
        min: editor.dataset.min,
        max: editor.dataset.max,
        disabled: !editable,
        "aria-label": label + " " + KINDS[kind] + " " + n + (end === "start" ? " first day" : " last day"),
      });
      row.append(el("span", { text: end === "start" ? "from" : "to" }), input);
    }
    if (editable) {
      const remove = el("button", {
        type: "button",
        class: "secondary",
        "aria-label": "Remove " + label + " " + KINDS[kind] + " " + n,
        text: "Remove",
      });
      remove.addEventListener("click", () => row.remove());
      row.append(remove);
    }
    return row;
  }

  function draw(editor, data) {
    editor.querySelector(".loading").hidden = true;
    for (const kind of Object.keys(KINDS)) {
      const set = editor.querySelector('fieldset[data-kind="' + kind + '"]');
      set.hidden = false;
      const list = set.querySelector(".windows");
      const windows = data[kind] || [];
      list.replaceChildren(...windows.map((w, i) => windowRow(editor, kind, w, i)));
      if (!windows.length) list.append(el("p", { class: "none", text: kind === "availability" ? "No window: no limit." : "No blackout." }));
    }
  }

  function collect(editor) {
    const body = {};
    for (const kind of Object.keys(KINDS)) {
      const rows = editor.querySelectorAll('fieldset[data-kind="' + kind + '"] [data-window]');
      body[kind] = Array.from(rows, (row) => ({
        start: row.querySelector('input[name="start"]').value,
        end: row.querySelector('input[name="end"]').value,
      }));
    }
    if (!body.availability.length) body.availability = null;
    return body;
  }

  async function load(editor) {
    const answer = await api("GET", editor.dataset.url);
    if (answer.status !== 200) {
      showMessage(editor.querySelector("[data-message]"), "error", "The availability could not be read (HTTP " + answer.status + ").");
      return;
    }
    editor.dataset.etag = answer.response.headers.get("ETag");
    draw(editor, answer.data);
  }

  async function write(editor, options) {
    const box = editor.querySelector("[data-message]");
    const headers = Object.assign({ "If-Match": editor.dataset.etag }, options.headers || {});
    const answer = await api("PUT", editor.dataset.url, Object.assign({}, options, { headers }));
    if (answer.status === 200) {
      editor.dataset.etag = answer.response.headers.get("ETag");
      draw(editor, answer.data);
      showMessage(box, "ok", "Saved. The conflicts below are up to date.");
      refresh();
    } else if (answer.status === 412) {
      showMessage(box, "error", "Someone else changed this meanwhile, so your change was not saved. Load their version, then make your change again.");
      const reload = el("button", { type: "button", class: "secondary", text: "Load their version" });
      reload.addEventListener("click", async () => {
        await load(editor);
        showMessage(box, "ok", "This is the current version.");
      });
      box.append(reload);
    } else if (answer.status === 422 || answer.status === 400) {
      showMessage(box, "error", "Not saved: " + ((answer.data && answer.data.detail) || "the input is not valid") + ".", problemLines(answer.data));
    } else {
      showMessage(box, "error", "Not saved: " + ((answer.data && answer.data.detail) || "HTTP " + answer.status));
    }
  }

  for (const editor of document.querySelectorAll(".availability")) {
    load(editor);
    for (const add of editor.querySelectorAll("[data-add]")) {
      add.addEventListener("click", () => {
        const list = add.parentElement.querySelector(".windows");
        for (const none of list.querySelectorAll(".none")) none.remove();
        const row = windowRow(editor, add.dataset.add, null, list.querySelectorAll("[data-window]").length);
        list.append(row);
        row.querySelector("input").focus();
      });
    }
    const save = editor.querySelector("[data-save]");
    if (save) save.addEventListener("click", () => write(editor, { json: collect(editor) }));
    const upload = editor.querySelector("[data-upload]");
    if (upload) {
      upload.addEventListener("click", async () => {
        const file = editor.querySelector("[data-ical]").files[0];
        if (!file) {
          showMessage(editor.querySelector("[data-message]"), "error", "Choose an .ics file first.");
          return;
        }
        await write(editor, { body: await file.text(), headers: { "Content-Type": "text/calendar" } });
      });
    }
  }

  function conflictItem(c) {
    const item = el("li", { class: "conflict" + (c.severity === "error" ? " error" : ""), "data-code": c.code });
    item.append(el("strong", { text: (c.severity ? c.severity + ": " : "") + c.code.replaceAll("_", " ") }), el("br"), el("span", { text: c.message }));
    return item;
  }

  async function drawAssignments() {
    const section = document.getElementById("assignments");
    if (!section) return;
    const box = section.querySelector(".content");
    const answer = await api("GET", section.dataset.url);
    if (answer.status !== 200) {
      box.replaceChildren(el("p", { text: (answer.data && answer.data.detail) || "Not available." }));
      return;
    }
    const view = answer.data;
    const nodes = [];
    if (!view.calendar) {
      nodes.push(el("p", { text: "No calendar has been approved yet: no unit is assigned." }));
    } else {
      nodes.push(el("p", { class: "meta", text: "In the published calendar " + view.calendar.id + " (" + view.calendar.status + "): " + view.exercises.length + " exercises, " + view.person_days + " person-days." }));
      const table = el("table");
      table.append(el("caption", { text: "Assignments of the units" }));
      const head = el("tr");
      for (const h of ["Unit", "Exercise", "Dates", "Site", "With"]) head.append(el("th", { scope: "col", text: h }));
      table.append(el("thead", {}, head));
      const body = el("tbody");
      for (const unit of view.units) {
        if (!unit.assignments.length) {
          body.append(el("tr", {}, el("td", { text: unit.id }), el("td", { colspan: "4", text: "not assigned" })));
        }
        for (const a of unit.assignments) {
          body.append(el("tr", { "data-unit": unit.id, "data-exercise": a.exercise },
            el("td", { text: unit.id }), el("td", { text: a.name + " (" + a.exercise + ")" }),
            el("td", { text: a.start + " to " + a.end }), el("td", { text: a.site_name + (a.host_nation ? " (" + a.host_nation + ")" : "") }),
            el("td", { text: a.other_nations.join(", ") })));
        }
      }
      table.append(body);
      nodes.push(table);
      nodes.push(el("h3", { text: "What no longer fits the published calendar" }));
      if (!view.calendar_conflicts.length) {
        nodes.push(el("p", { text: "Nothing: the current data still fits it." }));
      } else {
        const list = el("ul", { class: "calendar-conflicts" });
        for (const c of view.calendar_conflicts) list.append(conflictItem(c));
        nodes.push(list);
      }
    }
    box.replaceChildren(...nodes);
  }

  async function drawConflicts() {
    const section = document.getElementById("nation-conflicts");
    if (!section) return;
    const box = section.querySelector(".content");
    const answer = await api("GET", section.dataset.url);
    if (answer.status !== 200) {
      box.replaceChildren(el("p", { text: (answer.data && answer.data.detail) || "Not available." }));
      return;
    }
    if (!answer.data.items.length) {
      box.replaceChildren(el("p", { text: "No conflict in the data." }));
      return;
    }
    const list = el("ul", { class: "data-conflicts" });
    for (const c of answer.data.items) list.append(conflictItem(c));
    box.replaceChildren(el("p", { class: "meta", text: answer.data.errors + " errors, " + answer.data.warnings + " warnings." }), list);
  }

  function refresh() {
    drawAssignments();
    drawConflicts();
  }
  refresh();
});
