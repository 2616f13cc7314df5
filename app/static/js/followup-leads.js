// Lan Tỏa — the lead editor of the follow-up list and of "My calls": status, next call and notes
// of a row (on the follow-up list the assignee too), saved as a call outcome through the queue
// kept on the phone (call-queue.js, the session's CSRF token). Online, the editor waits for the
// answer: a value the server refuses is said in the editor, to be corrected there; without an
// answer the editor closes, the row shows what was saved, marked "waiting to be sent", and the
// queue sends it when the connection is back (its answer then updates the row). On the follow-up
// list a status that closes or reopens the lead reloads the page, the row then in its section
// (what the queue said it sent is said again on the page read anew, call-queue.js `keep`);
// "My calls" stays where it is (its page and pager position), the row showing the new status and,
// when the lead changed group (a call-back day moved, the lead closed), where it now belongs, the
// section's counts moved at once (``regroup``).
// "Call back" is a promise to call on a day: choosing it offers tomorrow in the day box when that
// is empty, and it is not saved without a day (the server refuses it too, app.followup.lead_work).
// A row whose lead left no phone number (its button's data-no-number: the server's one rule,
// app/followup/numbers_left.py) is offered no outcome that needs one ("Called", "Wrong number",
// the options' data-needs-number): they are disabled, the editor saying why, as the live page's
// cards (leads.js); the server refuses them all the same.
// Every piece of text is written with textContent.
(function () {
  "use strict";
  var dialog = document.getElementById("lead-editor");
  var calls = window.LantoaCalls;
  if (!dialog || typeof dialog.showModal !== "function" || !calls) { return; }
  var form = dialog.querySelector("form");
  var error = dialog.querySelector(".lead-editor-error");
  var queueBox = document.getElementById("call-queue");
  var assignee = form.elements.assignee_id || null;  // none on "My calls"
  var noNumber = dialog.querySelector(".lead-editor-no-number");  // why some are disabled
  var current = null;  // the row's button being edited
  var ANSWER_MS = 8000;  // how long the editor waits for an answer before leaving it to the queue

  function labelOf(select, value) {
    var o = select.querySelector('option[value="' + value + '"]');
    return o ? o.textContent : "";
  }
  function day(iso) {  // 2026-12-24 -> 24/12/2026
    return iso ? iso.split("-").reverse().join("/") : "";
  }
  function iso(typed) {  // 24/12/2026 -> 2026-12-24
    var p = typed.trim().split("/");
    var pad = function (n) { return ("0" + n).slice(-2); };
    return typed ? p[2] + "-" + pad(p[1]) + "-" + pad(p[0]) : null;
  }
  var TYPED_DAY = /^\s*\d{1,2}\/\d{1,2}\/\d{4}\s*$/;  // the box reads dd/mm/yyyy, as every page
  function vnDay(ms) {  // the day in Vietnam at that time, whatever the phone's zone: {year, month, day}
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit",
      year: "numeric"}).formatToParts(new Date(ms)).forEach(function (x) { parts[x.type] = x.value; });
    return parts;
  }
  function before_today(typed) {  // dd/mm/yyyy earlier than today in Vietnam
    var parts = vnDay(Date.now());
    return iso(typed).replace(/-/g, "") < parts.year + parts.month + parts.day;
  }
  function tomorrow() {  // dd/mm/yyyy: a call back's day unless the officer writes another
    var parts = vnDay(Date.now() + 86400000);
    return parts.day + "/" + parts.month + "/" + parts.year;
  }
  function lastLine(notes) {  // "My calls" shows the notes' last line (app.followup.my_calls)
    var lines = (notes || "").split("\n").map(function (l) { return l.trim(); }).filter(Boolean);
    return lines.length ? lines[lines.length - 1] : "";
  }
  function put(row, selector, text) {  // a line of the lead-work cell, hidden while it is empty
    var span = row.querySelector(selector);
    if (!span) { return; }
    span.textContent = text;
    span.parentNode.hidden = !text;
  }
  function say(name) {
    error.textContent = error.getAttribute(name);
    error.hidden = false;
  }
  function eventOf(button) { return button.getAttribute("data-event") || dialog.getAttribute("data-event"); }

  // The row's button of a queued outcome: same event, same person (or same comment).
  function buttonOf(item) {
    var found = null;
    Array.prototype.forEach.call(document.querySelectorAll("button.lead-edit"), function (b) {
      if (found || eventOf(b) !== String(item.event)) { return; }
      if ((item.person && b.getAttribute("data-person") === String(item.person)) ||
          (!item.person && item.comment && b.getAttribute("data-comment") === String(item.comment))) { found = b; }
    });
    return found;
  }

  // The row as the work ``w`` has it (the API's shape); ``waiting``: not sent yet.
  function show(button, w, waiting) {
    var row = button.closest("tr");
    var status = row.querySelector(".lead-status");
    status.textContent = labelOf(form.elements.status, w.status);
    status.setAttribute("data-status", w.status);
    if (row.querySelector(".lead-next")) {  // the follow-up list's lead-work cell
      if (w.assignee_id !== undefined) { put(row, ".lead-assignee", w.assignee_name || ""); }
      put(row, ".lead-next", day(w.next_call_on));
      put(row, ".lead-notes", w.notes || "");
    } else {  // "My calls": its own cells
      row.querySelector(".call-day").textContent = day(w.next_call_on) || "—";
      row.querySelector(".call-note").textContent = lastLine(w.notes) || "—";
    }
    var badge = row.querySelector(".call-waiting");
    if (waiting && !badge) {
      badge = document.createElement("small");
      badge.className = "call-waiting";
      badge.textContent = queueBox.getAttribute("data-row-waiting");
      status.parentNode.insertBefore(badge, status.nextSibling);
    } else if (!waiting && badge) {
      badge.remove();
    }
    if (w.person_id) { button.setAttribute("data-person", String(w.person_id)); }
    button.setAttribute("data-status", w.status);
    if (w.assignee_id !== undefined) { button.setAttribute("data-assignee", w.assignee_id ? String(w.assignee_id) : ""); }
    button.setAttribute("data-next", w.next_call_on || "");
    button.setAttribute("data-notes", w.notes || "");
  }
  // What an outcome still queued will set, as the API would answer it.
  function queued(item) {
    var w = {status: item.body.status, next_call_on: iso(item.body.next_call_on || ""), notes: item.body.notes};
    if (item.body.assignee_id !== undefined) {
      w.assignee_id = item.body.assignee_id;
      w.assignee_name = item.assignee_name || "";
    }
    return w;
  }
  // "My calls": a saved outcome moves its lead to another group (a call-back day set or moved,
  // the lead closed): the section's counts follow at once and the row says where it now belongs;
  // the rows stay where they are under the officer's finger until the page is read again.
  function todayIso() {
    var parts = vnDay(Date.now());
    return parts.year + "-" + parts.month + "-" + parts.day;
  }
  function groupOf(w) {  // app.followup.my_calls: its groups by the call-back day
    var chosen = form.elements.status.querySelector('option[value="' + w.status + '"]');
    if (chosen && chosen.hasAttribute("data-closed")) { return "done"; }
    if (!w.next_call_on) { return "unscheduled"; }
    var today = todayIso();
    return w.next_call_on < today ? "overdue" : (w.next_call_on === today ? "today" : "upcoming");
  }
  function count(section, group, step) {  // an exact count ("more than 1,000" stays as it is)
    var shown = section.querySelectorAll('li[data-group="' + group + '"], h3.call-group[data-group="' + group + '"]');
    Array.prototype.forEach.call(shown, function (node) {
      if (!node.hasAttribute("data-count")) { return; }
      var n = Math.max(0, Number(node.getAttribute("data-count")) + step);
      var text = new Intl.NumberFormat(document.documentElement.lang || "vi").format(n);
      var name = node.getAttribute("data-name");
      node.setAttribute("data-count", String(n));
      node.textContent = node.tagName === "LI" ? name + ": " + text : name + " (" + text + ")";
    });
  }
  function regroup(button, w) {
    var row = button.closest("tr");
    var section = row.closest("section");
    if (!row.hasAttribute("data-group") || !section) { return; }  // not "My calls"
    var was = row.getAttribute("data-group");
    var now = groupOf(w);
    if (now === was) { return; }
    count(section, was, -1);
    if (now !== "done") { count(section, now, +1); }
    row.setAttribute("data-group", now);
    var table = row.closest("table");
    var line = row.querySelector(".call-moved");
    if (!line) {
      line = document.createElement("small");
      line.className = "call-moved";
      row.querySelector(".person-name").parentNode.appendChild(line);
    }
    var group = section.querySelector('li[data-group="' + now + '"]');
    line.textContent = now === "done" ? table.getAttribute("data-done")
      : table.getAttribute("data-moved").replace("{group}", group ? group.getAttribute("data-name") : now);
    row.classList.toggle("call-done", now === "done");
  }

  // A status that closes the lead (or reopens it) moves a follow-up list's row between "To call"
  // and "No longer to call": the page is read again, its counts and sections as the server has them.
  function moved(button, w) {
    if (!document.getElementById("call-table")) { return false; }  // "My calls": the row stays
    var chosen = form.elements.status.querySelector('option[value="' + w.status + '"]');
    var closedNow = !!(chosen && chosen.hasAttribute("data-closed"));
    return closedNow !== !!button.closest("#closed-table");
  }

  calls.on(function (kind, item, answer) {
    var button = buttonOf(item);
    if (!button) { return; }
    if (kind === "sent") {
      show(button, answer, calls.waiting().some(function (it) { return buttonOf(it) === button; }));
      regroup(button, answer);
      if (moved(button, answer) && !dialog.open) { calls.keep(); window.location.reload(); }
    } else if (kind === "refused" || kind === "discarded") {
      var badge = button.closest("tr").querySelector(".call-waiting");
      if (badge) { badge.remove(); }
    }
  });
  // Outcomes saved earlier and still waiting (this page or another): their rows show them.
  calls.waiting().forEach(function (item) {
    var button = buttonOf(item);
    if (button) { show(button, queued(item), true); }
  });

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest ? ev.target.closest("button.lead-edit") : null;
    if (!button) { return; }
    current = button;
    var row = button.closest("tr");
    dialog.querySelector(".lead-editor-name").textContent = row.querySelector(".person-name").textContent;
    var none = button.hasAttribute("data-no-number");
    Array.prototype.forEach.call(form.elements.status.querySelectorAll("option[data-needs-number]"), function (o) {
      o.disabled = none;
      if (none) { o.title = noNumber.textContent; } else { o.removeAttribute("title"); }
    });
    noNumber.hidden = !none;
    form.elements.status.value = button.getAttribute("data-status") || "new";
    if (assignee) {
      // A commune's officers are offered only for that commune's people (the row's communes).
      var communes = (button.getAttribute("data-communes") || "").split(" ");
      Array.prototype.forEach.call(assignee.querySelectorAll("optgroup[data-commune]"), function (group) {
        var theirs = communes.indexOf(group.getAttribute("data-commune")) >= 0;
        group.hidden = !theirs;
        group.disabled = !theirs;
      });
      var holder = button.getAttribute("data-assignee") || "";
      var held = assignee.querySelector("option.held");
      if (held) { held.remove(); }
      if (holder && !assignee.querySelector('option[value="' + holder + '"]')) {
        // Held by someone this officer may not choose: kept as it is unless another is chosen.
        held = document.createElement("option");
        held.className = "held";
        held.value = holder;
        held.textContent = row.querySelector(".lead-assignee").textContent || holder;
        assignee.appendChild(held);
      }
      assignee.value = holder;
    }
    form.elements.next_call_on.value = day(button.getAttribute("data-next"));
    form.elements.notes.value = button.getAttribute("data-notes") || "";
    error.hidden = true;
    dialog.showModal();
  });

  // "Call back" is a promise to call on a day: the day box offers tomorrow when it is empty.
  form.elements.status.addEventListener("change", function () {
    if (form.elements.status.value === "call_back" && !form.elements.next_call_on.value.trim()) {
      form.elements.next_call_on.value = tomorrow();
    }
  });

  var saving = false;
  form.addEventListener("submit", function (ev) {
    if (!ev.submitter || ev.submitter.value !== "save" || !current) { return; }
    ev.preventDefault();
    if (saving) { return; }
    var typed = form.elements.next_call_on.value.trim();
    if (typed && !TYPED_DAY.test(typed)) { say("data-bad-day"); return; }
    // An overdue lead's own day, left in the box, is a promise this call has settled: with any
    // outcome but another call back it is cleared, not refused as a day in the past.
    var stale = typed && before_today(typed) && iso(typed) === (current.getAttribute("data-next") || "");
    if (stale && form.elements.status.value !== "call_back") { typed = ""; }
    if (typed && before_today(typed)) { say("data-past-day"); return; }
    if (!typed && form.elements.status.value === "call_back") {
      say("data-no-day");
      form.elements.next_call_on.focus();
      return;
    }
    var button = current;
    var person = button.getAttribute("data-person");
    var comment = button.getAttribute("data-comment");
    var eventId = eventOf(button);
    var body = {status: form.elements.status.value, next_call_on: typed || null,  // the API reads dd/mm/yyyy too
                notes: form.elements.notes.value};
    var item = {url: person ? "/api/v1/events/" + eventId + "/leads/" + person + "/calls"
                            : "/api/v1/events/" + eventId + "/comments/" + comment + "/calls",
                body: body, event: eventId, person: person || null, comment: comment || null,
                name: button.closest("tr").querySelector(".person-name").textContent};
    if (assignee) {
      body.assignee_id = assignee.value ? Number(assignee.value) : null;
      item.assignee_name = assignee.value ? labelOf(assignee, assignee.value) : "";
    }
    saving = true;
    error.hidden = true;
    var late = new Promise(function (resolve) { setTimeout(function () { resolve({state: "waiting"}); }, ANSWER_MS); });
    Promise.race([calls.add(item), late]).then(function (outcome) {
      saving = false;
      calls.release(item);
      if (outcome.state === "refused") { say(outcome.reason); return; }
      dialog.close();
      if (outcome.state === "sent") {
        show(button, outcome.answer, false);
        regroup(button, outcome.answer);
        if (moved(button, outcome.answer)) { calls.keep(); window.location.reload(); }
      } else {
        show(button, queued(item), true);
      }
    });
  });
})();
