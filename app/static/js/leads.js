// Lan Tỏa — lead work on the live page's comment cards.
// An officer marks a lead's status and assigns it (to themself or a colleague) right on the card,
// without a reload; a viewer sees the status and the assignee but no controls. Cards arrive from
// live.js (the snapshot, then Socket.IO deltas): a MutationObserver on the feed dresses each lead
// card as it is inserted, and the work of new cards is read in one request per burst. Several
// comments by one commenter are one lead: a change shows on every card of that person.
// Who a lead may go to is the server's rule (app/followup/lead_assign.py): the users any lead may
// go to (cfg.assignees), and on the card of a commune's person that commune's officers as well,
// each commune a group, as the leads API names them (lead_communes, commune_assignees).
// A status marked on a card (or its "Record the call" button) opens the call's outcome under it,
// the fields of the follow-up list's and "My calls"' editor: the next call's day (tomorrow offered
// for a call back, which needs one) and the call's notes. Saved, it is a call outcome: it goes
// through the queue kept on the phone (call-queue.js), as that editor's, so a phone whose 3G drops
// loses nothing: the card shows what was marked, "waiting to be sent" (as their rows), until the
// queue sends it, by itself, once the connection is back; a refusal is said on the card. An
// outcome still waiting (saved here or on another page) shows on its cards, whatever a read of
// the server's work says meanwhile. While the form is closed the card says the outcome as saved:
// status, next call's day and the notes' last line, one compact line. Assigning (the list, "Take it") is no call: saved at once.
// A lead who left no phone number (the leads API's ``left_a_number``: the server's one rule,
// app/followup/numbers_left.py) is offered no outcome that needs one (the statuses'
// ``needs_number``: "Called", "Wrong number"): they are disabled on its card, the card saying why.
// The next call's day is asked for "Call back" alone, the promise it dates.
// Every piece of text is written with textContent.
(function () {
  "use strict";
  var cfgNode = document.getElementById("leads-config");
  var feed = document.getElementById("feed");
  if (!cfgNode || !feed) { return; }
  var cfg = JSON.parse(cfgNode.textContent);
  var W = cfg.words;
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var REFRESH_MS = 30000;     // other officers' marks show within this
  var ANSWER_MS = 8000;       // how long a card waits for an answer before leaving it to the queue
  var calls = cfg.may_work ? window.LantoaCalls || null : null;
  var queueBox = document.getElementById("call-queue");
  var work = {};              // comment id -> the lead's work (API's shape)
  var asked = {};             // comment ids already asked for
  var queue = [];
  var timer = null;
  var labels = {};
  var communesOf = {};        // person id -> the communes whose people they are
  var groups = {};            // commune id -> { label, assignees }
  var numbers = {};           // comment id -> whether its author left a phone number (when known)
  cfg.statuses.forEach(function (s) { labels[s.value] = s.label; });

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function option(value, text) {
    var o = document.createElement("option");
    o.value = String(value);
    o.textContent = text;
    return o;
  }
  function request(method, url, body) {
    var headers = { "Accept": "application/json" };
    if (body !== undefined) { headers["Content-Type"] = "application/json"; headers["X-CSRFToken"] = csrf; }
    return fetch(url, {
      method: method, headers: headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) { var e = new Error(data.message || String(r.status)); e.status = r.status; throw e; }
        return data;
      });
    });
  }

  function iso(typed) {  // 24/12/2026 -> 2026-12-24 (null: none)
    var p = (typed || "").trim().split("/");
    var pad = function (n) { return ("0" + n).slice(-2); };
    return p.length === 3 ? p[2] + "-" + pad(p[1]) + "-" + pad(p[0]) : null;
  }
  function dmy(isoDay) { return isoDay ? isoDay.split("-").reverse().join("/") : ""; }  // -> 24/12/2026
  function vnDay(ms) {  // that time's day in Vietnam, whatever the phone's zone, as yyyymmdd
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit",
      year: "numeric"}).formatToParts(new Date(ms)).forEach(function (x) { parts[x.type] = x.value; });
    return parts.year + parts.month + parts.day;
  }
  var TYPED_DAY = /^\d{1,2}\/\d{1,2}\/\d{4}$/;

  function cards() { return feed.querySelectorAll("li.comment.lead[data-id]"); }
  function newWork() { return { person_id: null, status: "new", assignee_id: null, assignee_name: "" }; }

  function build(li) {
    var box = el("div", "lead-work");
    if (cfg.may_work) {
      var status = el("select", "lead-status");
      status.setAttribute("aria-label", W.status);
      cfg.statuses.forEach(function (s) {
        var o = option(s.value, s.label);
        if (s.needs_number) { o.setAttribute("data-needs-number", ""); }
        status.appendChild(o);
      });
      var who = el("select", "lead-assignee");
      who.setAttribute("aria-label", W.assignee);
      fill(who, []);
      var take = el("button", "lead-take", W.take);
      take.type = "button";
      status.addEventListener("change", function () {
        if (calls) { openOutcome(li); } else { save(li, { status: status.value }); }
      });
      who.addEventListener("change", function () { save(li, { assignee_id: who.value ? Number(who.value) : null }); });
      take.addEventListener("click", function () { save(li, { assignee_id: cfg.me }); });
      box.appendChild(status);
      box.appendChild(who);
      box.appendChild(take);
      if (calls) {
        var open = el("button", "lead-record", W.record);
        open.type = "button";
        open.addEventListener("click", function () { openOutcome(li); });
        box.appendChild(open);
      }
    } else {
      box.appendChild(el("span", "lead-state"));
      box.appendChild(el("span", "lead-holder"));
    }
    box.appendChild(el("span", "lead-note"));
    if (cfg.may_work) {
      var noNumber = el("p", "lead-no-number muted", W.no_number_hint);  // why some are disabled
      noNumber.hidden = true;
      box.appendChild(noNumber);
    }
    if (cfg.may_work && calls) {
      var saved = el("p", "lead-saved");  // the outcome as saved, while its form is closed
      saved.hidden = true;
      box.appendChild(saved);
      box.appendChild(outcomeForm(li));
    }
    li.appendChild(box);
    return box;
  }

  // The call's outcome, under the card's controls: the status chosen above, the next call's day
  // and the notes, as the follow-up list's editor has them.
  function outcomeForm(li) {
    var form = el("form", "lead-outcome");
    form.hidden = true;
    form.noValidate = true;
    var dayBox = el("input", "day-input");
    dayBox.type = "text";
    dayBox.name = "next_call_on";
    dayBox.placeholder = "dd/mm/yyyy";
    dayBox.autocomplete = "off";
    dayBox.inputMode = "numeric";
    var notes = el("textarea");
    notes.name = "notes";
    notes.rows = 2;
    notes.maxLength = 2000;
    var dayLabel = el("label", "lead-day", W.next_call);
    dayLabel.appendChild(dayBox);
    var notesLabel = el("label", "lead-notes-field", W.notes);
    notesLabel.appendChild(notes);
    var error = el("p", "lead-outcome-error error");
    error.setAttribute("role", "alert");
    error.hidden = true;
    var actions = el("div", "lead-outcome-actions");
    var saveButton = el("button", "button primary lead-save", W.save);
    saveButton.type = "submit";
    var cancel = el("button", "button lead-cancel", W.cancel);
    cancel.type = "button";
    actions.appendChild(saveButton);
    actions.appendChild(cancel);
    [dayLabel, notesLabel, error, actions].forEach(function (n) { form.appendChild(n); });
    form.addEventListener("input", function () { error.hidden = true; });  // being corrected
    cancel.addEventListener("click", function () {
      form.hidden = true;
      show(li, work[li.getAttribute("data-id")] || newWork());
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (saveButton.disabled) { return; }
      var status = li.querySelector(".lead-work .lead-status").value;
      var typed = status === "call_back" ? dayBox.value.trim() : "";  // the box is a call back's
      var wrong = typed && !TYPED_DAY.test(typed) ? W.bad_day
        : typed && iso(typed).replace(/-/g, "") < vnDay(Date.now()) ? W.past_day
        : !typed && status === "call_back" ? W.no_day : "";
      if (wrong) {
        error.textContent = wrong;
        error.hidden = false;
        if (!typed || wrong !== W.no_day) { dayBox.focus(); }
        return;
      }
      error.hidden = true;
      saveButton.disabled = true;
      record(li, {status: status, next_call_on: typed || null, notes: notes.value});  // the API reads dd/mm/yyyy
    });
    return form;
  }
  // Opened on the card with the lead as it stands (what waits to be sent over what the server
  // has); a call back's day is tomorrow unless one is written.
  function openOutcome(li) {
    var form = li.querySelector(".lead-outcome");
    if (!form) { return; }
    if (form.hidden) {
      var w = shownWork(li, work[li.getAttribute("data-id")] || newWork());
      form.elements.next_call_on.value = dmy(w.next_call_on);
      form.elements.notes.value = w.notes || "";
      form.querySelector(".lead-outcome-error").hidden = true;
      form.querySelector(".lead-save").disabled = false;
      form.hidden = false;
      li.querySelector(".lead-saved").hidden = true;
    }
    var status = li.querySelector(".lead-work .lead-status").value;
    form.querySelector(".lead-day").hidden = status !== "call_back";
    if (status === "call_back" && !form.elements.next_call_on.value.trim()) {
      var t = vnDay(Date.now() + 86400000);
      form.elements.next_call_on.value = t.slice(6) + "/" + t.slice(4, 6) + "/" + t.slice(0, 4);
    }
  }

  function named(parent, list) {
    list.forEach(function (a) {
      parent.appendChild(option(a.id, a.id === cfg.me ? W.me.replace("__NAME__", a.name) : a.name));
    });
  }
  // The choices of a lead whose person is of these communes (those with officers to offer).
  function fill(who, communes) {
    who.textContent = "";
    who.setAttribute("data-communes", communes.join(" "));
    who.appendChild(option("", W.nobody));
    if (!communes.length) { named(who, cfg.assignees); return; }
    if (cfg.assignees.length) {
      var own = document.createElement("optgroup");
      own.label = cfg.organisers;
      named(own, cfg.assignees);
      who.appendChild(own);
    }
    communes.forEach(function (c) {
      var group = document.createElement("optgroup");
      group.label = groups[c].label;
      group.setAttribute("data-commune", c);
      named(group, groups[c].assignees);
      who.appendChild(group);
    });
  }
  function communesOfLead(w) {
    var known = (w.person_id && communesOf[w.person_id]) || [];
    return known.filter(function (c) { return groups[c]; })
      .sort(function (a, b) { return groups[a].label.localeCompare(groups[b].label, "vi"); });
  }

  // The queued outcomes of this card (its comment, or its person), oldest first.
  function pending(li) {
    if (!calls) { return []; }
    var cid = li.getAttribute("data-id"), person = li.getAttribute("data-person");
    return calls.waiting().filter(function (it) {
      return String(it.event) === String(cfg.event) &&
        ((person && String(it.person) === person) || String(it.comment) === cid);
    });
  }
  function waitingBadge(box, on) {
    var badge = box.querySelector(".call-waiting");
    if (on && !badge) {
      box.insertBefore(el("small", "call-waiting", queueBox.getAttribute("data-row-waiting")),
        box.querySelector(".lead-note"));
    } else if (!on && badge) {
      badge.remove();
    }
  }

  // The work a card shows: what the officer saved, not sent yet, over what the server has.
  function shownWork(li, w) {
    var queued = pending(li);
    if (!queued.length) { return w; }
    var body = queued[queued.length - 1].body, shown = {};
    Object.keys(w).forEach(function (k) { shown[k] = w[k]; });
    shown.status = body.status;
    if (body.next_call_on !== undefined) { shown.next_call_on = iso(body.next_call_on); }
    if (body.notes !== undefined) { shown.notes = body.notes; }
    return shown;
  }

  function show(li, w) {
    var box = li.querySelector(".lead-work") || build(li);
    if (w.person_id) { li.setAttribute("data-person", String(w.person_id)); }
    var waitingNow = pending(li).length > 0;
    w = shownWork(li, w);
    if (calls) { waitingBadge(box, waitingNow); }
    li.setAttribute("data-lead-status", w.status);
    if (cfg.may_work) {
      var status = box.querySelector(".lead-status");
      var who = box.querySelector(".lead-assignee");
      var form = box.querySelector(".lead-outcome");
      var editing = form && !form.hidden;  // the status being chosen stays as chosen
      if (!editing && status.value !== w.status) { status.value = w.status; }
      numberLeft(box, numbers[li.getAttribute("data-id")]);
      var communes = communesOfLead(w);
      if (who.getAttribute("data-communes") !== communes.join(" ")) { fill(who, communes); }
      var wanted = w.assignee_id ? String(w.assignee_id) : "";
      if (wanted && !who.querySelector('option[value="' + wanted + '"]')) {
        // Held by someone this officer may not choose: kept while other fields change.
        var held = option(wanted, w.assignee_name || wanted);
        held.className = "held";
        who.appendChild(held);
      }
      if (who.value !== wanted) { who.value = wanted; }
      // Taken by this officer: nothing left to take ("Nobody yet" in the list gives it back).
      box.querySelector(".lead-take").hidden = w.assignee_id === cfg.me;
      if (form) { savedLine(box, w, editing); }
    } else {
      box.querySelector(".lead-state").textContent = labels[w.status] || w.status_label || w.status;
      box.querySelector(".lead-holder").textContent = w.assignee_name ? "· " + w.assignee_name : "";
    }
  }

  // No number left (``left`` false; undefined: not known yet): the outcomes needing one are
  // disabled, the card says why.
  function numberLeft(box, left) {
    var none = left === false;
    Array.prototype.forEach.call(box.querySelectorAll(".lead-status option[data-needs-number]"), function (o) {
      o.disabled = none;
      if (none) { o.title = W.no_number_hint; } else { o.removeAttribute("title"); }
    });
    box.querySelector(".lead-no-number").hidden = !none;
  }

  // The outcome as saved (or waiting to be sent), on the card while its form is closed: status,
  // the next call's day and the notes' last line (as "My calls"), one compact line.
  function savedLine(box, w, editing) {
    var line = box.querySelector(".lead-saved");
    var lines = (w.notes || "").split("\n").map(function (l) { return l.trim(); }).filter(Boolean);
    var parts = [["lead-saved-status", w.status !== "new" ? labels[w.status] || "" : ""],
                 ["lead-saved-day", w.next_call_on ? W.next_call + ": " + dmy(w.next_call_on) : ""],
                 ["lead-saved-notes", lines.length ? lines[lines.length - 1] : ""]]
      .filter(function (p) { return p[1]; });
    line.textContent = "";
    parts.forEach(function (p, i) {
      if (i) { line.appendChild(document.createTextNode(" · ")); }
      line.appendChild(el("span", p[0], p[1]));
    });
    line.title = w.notes || "";  // the notes whole, where a pointer rests on them
    line.hidden = editing || !parts.length;
  }

  function note(li, text, failed) {
    var n = li.querySelector(".lead-note");
    if (!n) { return; }
    n.textContent = text;
    n.classList.toggle("failed", !!failed);
  }

  function remember(cid, w) {
    work[cid] = w;
    var same = w.person_id ? feed.querySelectorAll('li.comment.lead[data-person="' + w.person_id + '"]') : [];
    Array.prototype.forEach.call(same, function (li) {
      var other = li.getAttribute("data-id");
      work[other] = w;
      show(li, w);
    });
    var own = feed.querySelector('li.comment.lead[data-id="' + cid + '"]');
    if (own) { show(own, w); }
  }

  function save(li, changes) {
    var cid = li.getAttribute("data-id");
    note(li, W.saving, false);
    request("PATCH", cfg.comment_url.replace("__C__", cid), changes).then(function (w) {
      // Cards of the same person not yet known as such learn it at the next read.
      remember(cid, w);
      Object.keys(work).forEach(function (other) {
        if (work[other].person_id === w.person_id) { work[other] = w; }
      });
      note(li, W.saved, false);
      unknownCards();
    }).catch(function (err) {
      // The API's reason is for scripts (English); the card says it in the page's words.
      var refused = err && err.status === 422 && changes.status;  // no number was left
      var unassignable = err && err.status === 422 && changes.assignee_id !== undefined;
      note(li, err && err.status === 403 ? W.forbidden
        : unassignable ? W.not_assignable
        : refused ? (changes.status === "called" ? W.not_called : W.no_number) : W.failed, true);
      if (work[cid]) { show(li, work[cid]); }
    });
  }

  // The cards of a queued outcome: its comment's, and every card of its person.
  function cardsOf(item) {
    if (String(item.event) !== String(cfg.event)) { return []; }
    return Array.prototype.filter.call(cards(), function (li) {
      return (item.person && li.getAttribute("data-person") === String(item.person)) ||
        (item.comment && li.getAttribute("data-id") === String(item.comment));
    });
  }
  function reshow(item) {
    cardsOf(item).forEach(function (li) { show(li, work[li.getAttribute("data-id")] || newWork()); });
  }
  function unknownCards() {  // cards of the same person not yet known as such learn it now
    var unknown = Array.prototype.filter.call(cards(), function (c) { return !c.hasAttribute("data-person"); });
    ask(unknown.map(function (c) { return c.getAttribute("data-id"); }).slice(0, 400));
  }

  // A call's outcome saved on a card ({status, next_call_on, notes}), through the queue
  // (call-queue.js). The form waits for the first answer as the editor does: a refusal is said
  // in it, to be corrected there; sent, or left to the queue, it closes.
  function record(li, body) {
    var cid = li.getAttribute("data-id");
    var person = li.getAttribute("data-person");
    var author = li.querySelector(".author");
    var form = li.querySelector(".lead-outcome");
    var item = {url: person ? cfg.person_calls_url.replace("__P__", person)
                            : cfg.comment_calls_url.replace("__C__", cid),
                body: body, event: String(cfg.event), person: person || null,
                comment: cid, name: author ? author.textContent : ""};
    note(li, W.saving, false);
    var late = new Promise(function (resolve) { setTimeout(function () { resolve({state: "waiting"}); }, ANSWER_MS); });
    Promise.race([calls.add(item), late]).then(function (outcome) {
      calls.release(item);  // a refusal from now on stays in the queue's box, until discarded
      form.querySelector(".lead-save").disabled = false;
      if (outcome.state === "refused") {  // dropped from the queue: said in the form, to correct
        var why = outcome.reason === "data-failed" ? W.failed : queueBox.getAttribute(outcome.reason);
        var error = form.querySelector(".lead-outcome-error");
        error.textContent = why || W.failed;
        error.hidden = false;
        note(li, "", false);
        return;
      }
      form.hidden = true;
      note(li, outcome.state === "sent" ? W.saved : "", false);
      reshow(item);  // the card says what was saved
    });
  }
  if (calls) {
    calls.on(function (kind, item, answer) {
      if (kind === "sent") {
        var mine = cardsOf(item);
        if (answer && answer.person_id) {
          mine.forEach(function (li) { remember(li.getAttribute("data-id"), answer); });
          unknownCards();
        }
      } else if (kind === "refused" || kind === "discarded") {
        reshow(item);
      }
    });
  }

  function ask(ids) {
    if (!ids.length) { return; }
    var url = cfg.leads_url + "?comment_ids=" + ids.join(",");
    request("GET", url).then(function (data) {
      (data.commune_assignees || []).forEach(function (g) {
        groups[g.commune_id] = { label: g.label, assignees: g.assignees };
      });
      Object.keys(data.lead_communes || {}).forEach(function (p) { communesOf[p] = data.lead_communes[p]; });
      Object.keys(data.comments || {}).forEach(function (cid) {
        if (data.comments[cid].left_a_number !== undefined) { numbers[cid] = data.comments[cid].left_a_number; }
        remember(cid, data.comments[cid]);
      });
    }).catch(function () {
      ids.forEach(function (cid) { delete asked[cid]; });
    });
  }
  function flush() {
    timer = null;
    var ids = queue.splice(0, queue.length);
    for (var i = 0; i < ids.length; i += 400) { ask(ids.slice(i, i + 400)); }
  }
  function dress(li) {
    var cid = li.getAttribute("data-id");
    if (!li.querySelector(".lead-work")) { build(li); }
    show(li, work[cid] || newWork());
    if (!asked[cid]) {
      asked[cid] = true;
      queue.push(cid);
      if (!timer) { timer = setTimeout(flush, 150); }
    }
  }

  new MutationObserver(function (records) {
    records.forEach(function (r) {
      Array.prototype.forEach.call(r.addedNodes, function (node) {
        if (node.nodeType === 1 && node.matches("li.comment.lead[data-id]")) { dress(node); }
      });
    });
  }).observe(feed, { childList: true });
  Array.prototype.forEach.call(cards(), dress);

  // What colleagues changed meanwhile: the visible cards' work again, now and then.
  setInterval(function () {
    if (document.hidden) { return; }
    var ids = Array.prototype.map.call(cards(), function (li) { return li.getAttribute("data-id"); });
    for (var i = 0; i < ids.length; i += 400) { ask(ids.slice(i, i + 400)); }
  }, REFRESH_MS);
})();
