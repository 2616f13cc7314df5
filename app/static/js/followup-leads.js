// Lan Tỏa — the follow-up list's lead editor: status, assignee, next call and notes of a row,
// saved through the JSON API (the session's CSRF token), the row updated in place; a status
// that closes or reopens the lead reloads the page, the row then in its section.
// Every piece of text is written with textContent.
(function () {
  "use strict";
  var dialog = document.getElementById("lead-editor");
  if (!dialog || typeof dialog.showModal !== "function") { return; }
  var form = dialog.querySelector("form");
  var error = dialog.querySelector(".lead-editor-error");
  var eventId = dialog.getAttribute("data-event");
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var current = null;  // the row's button being edited

  function labelOf(select, value) {
    var o = select.querySelector('option[value="' + value + '"]');
    return o ? o.textContent : "";
  }
  function day(iso) {  // 2026-12-24 -> 24/12/2026
    return iso ? iso.split("-").reverse().join("/") : "";
  }
  var TYPED_DAY = /^\s*\d{1,2}\/\d{1,2}\/\d{4}\s*$/;  // the box reads dd/mm/yyyy, as every page
  function before_today(typed) {  // dd/mm/yyyy earlier than today in Vietnam, whatever the phone's zone
    var p = typed.trim().split("/"), parts = {};
    new Intl.DateTimeFormat("en-GB", {timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit",
      year: "numeric"}).formatToParts(new Date()).forEach(function (x) { parts[x.type] = x.value; });
    var pad = function (n) { return ("0" + n).slice(-2); };
    return p[2] + pad(p[1]) + pad(p[0]) < parts.year + parts.month + parts.day;
  }
  function put(row, selector, text) {  // a line of the lead-work cell, hidden while it is empty
    var span = row.querySelector(selector);
    span.textContent = text;
    span.parentNode.hidden = !text;
  }
  function say(name) {
    error.textContent = error.getAttribute(name);
    error.hidden = false;
  }

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest ? ev.target.closest("button.lead-edit") : null;
    if (!button) { return; }
    current = button;
    var row = button.closest("tr");
    dialog.querySelector(".lead-editor-name").textContent = row.querySelector(".person-name").textContent;
    form.elements.status.value = button.getAttribute("data-status") || "new";
    // A commune's officers are offered only for that commune's people (the row's communes).
    var communes = (button.getAttribute("data-communes") || "").split(" ");
    Array.prototype.forEach.call(form.elements.assignee_id.querySelectorAll("optgroup[data-commune]"),
      function (group) {
        var theirs = communes.indexOf(group.getAttribute("data-commune")) >= 0;
        group.hidden = !theirs;
        group.disabled = !theirs;
      });
    var holder = button.getAttribute("data-assignee") || "";
    var held = form.elements.assignee_id.querySelector("option.held");
    if (held) { held.remove(); }
    if (holder && !form.elements.assignee_id.querySelector('option[value="' + holder + '"]')) {
      // Held by someone this officer may not choose: kept as it is unless another is chosen.
      held = document.createElement("option");
      held.className = "held";
      held.value = holder;
      held.textContent = row.querySelector(".lead-assignee").textContent || holder;
      form.elements.assignee_id.appendChild(held);
    }
    form.elements.assignee_id.value = holder;
    form.elements.next_call_on.value = day(button.getAttribute("data-next"));
    form.elements.notes.value = button.getAttribute("data-notes") || "";
    error.hidden = true;
    dialog.showModal();
  });

  form.addEventListener("submit", function (ev) {
    if (!ev.submitter || ev.submitter.value !== "save" || !current) { return; }
    ev.preventDefault();
    var typed = form.elements.next_call_on.value.trim();
    if (typed && !TYPED_DAY.test(typed)) { say("data-bad-day"); return; }
    if (typed && before_today(typed)) { say("data-past-day"); return; }
    var person = current.getAttribute("data-person");
    var url = person
      ? "/api/v1/events/" + eventId + "/leads/" + person
      : "/api/v1/events/" + eventId + "/comments/" + current.getAttribute("data-comment") + "/lead";
    var body_status = form.elements.status.value;
    var body = {
      status: body_status,
      assignee_id: form.elements.assignee_id.value ? Number(form.elements.assignee_id.value) : null,
      next_call_on: typed || null,  // the API reads dd/mm/yyyy too
      notes: form.elements.notes.value
    };
    fetch(url, {
      method: "PATCH", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf }
    }).then(function (r) {
      if (r.status === 422) {  // a value the server refuses (the API speaks English): the page's words
        return r.json().then(function (body) {
          var fields = (body && body.errors && body.errors.json) || {};
          var noNumber = body_status === "called" ? "data-not-called" : "data-no-number";
          throw new Error(fields.status ? noNumber : fields.next_call_on ? "data-bad-day"
            : fields.assignee_id ? "data-not-assignable" : "");
        });
      }
      if (r.status === 404) { throw new Error("data-not-in-part"); }  // not this officer's person
      if (r.status === 403) { throw new Error("data-not-officer"); }
      if (!r.ok) { throw new Error(""); }
      return r.json();
    }).then(function (w) {
      var row = current.closest("tr");
      // A status that closes the lead (or reopens it) moves the row between "To call" and "No
      // longer to call": the page is read again, its counts and sections as the server has them.
      var chosen = form.elements.status.querySelector('option[value="' + w.status + '"]');
      var closedNow = !!(chosen && chosen.hasAttribute("data-closed"));
      if (closedNow !== !!row.closest("#closed-table")) {
        dialog.close();
        window.location.reload();
        return;
      }
      var status = row.querySelector(".lead-status");
      status.textContent = labelOf(form.elements.status, w.status);
      status.setAttribute("data-status", w.status);
      put(row, ".lead-assignee", w.assignee_name || "");
      put(row, ".lead-next", day(w.next_call_on));
      put(row, ".lead-notes", w.notes || "");
      current.setAttribute("data-person", String(w.person_id || ""));
      current.setAttribute("data-status", w.status);
      current.setAttribute("data-assignee", w.assignee_id ? String(w.assignee_id) : "");
      current.setAttribute("data-next", w.next_call_on || "");
      current.setAttribute("data-notes", w.notes || "");
      dialog.close();
    }).catch(function (e) {
      error.textContent = error.getAttribute(e && /^data-/.test(e.message) ? e.message : "data-failed");
      error.hidden = false;
    });
  });
})();
