// The hall's check-in page (app/templates/halls/checkin.html). Every report goes through a queue
// kept in localStorage, so nothing typed is lost to a weak connection, a reload or a closed tab:
// - a report carries the time the officer pressed send (sent_at) and, on each attempt, the phone's
//   clock (clock), so the server sorts presses right even when the phone's clock is off;
// - reports are sent one at a time in the order they were pressed; no connection or a busy
//   server keeps them waiting, retried when the connection returns and every 15 s;
// - a report the server refuses stays on the page, marked, each reason beside its field at fault,
//   editable and sent again from there; only the officer can discard it; while one is shown the
//   blank form waits behind a "new report" button, so a phone shows one count box at a time;
// - an answer the server gave is the truth, whatever navigator.onLine says: the report leaves the
//   queue at once (201, or 200 for a key already stored: a report whose answer was lost is sent
//   again under its key), "Lần báo gần nhất" takes the answer's count and "received" shows;
//   "received" goes only when a newer report waits (no connection alone does not make it untrue);
// - the service worker (/checkin/sw.js) keeps the page and this script for opening offline;
// - each attendee's answer to the purpose text (consent: "yes", "no" or "" not asked) travels with
//   the version of the text this page showed (consent_version), kept with the queued report;
// - a report with a head count refused only because of its attendee rows (the server's count_alone)
//   offers to send the count first: the count becomes a report of its own, queued before the rest
//   (its key: the refused one's + "-n", so two presses or two tabs make one), and the card keeps
//   the rows under the refused key without the count (``count``), so no resend counts it twice.
// - a head count far above the hall's expected one (the rule of app.halls.unusual, in T.rule) is
//   asked about once more before it is queued ("Đúng, gửi" / "Sửa lại"): a typo caught on the
//   phone, online or not; the server stores it anyway and marks it for the province to check.
// - a report pressed before the hall may report (409, app.halls.window) is shown refused, saying
//   when the hall opens; it is never retried on its own.
// - a report kept for a link the organiser renewed since (404 there, or never sent) is offered on
//   the hall's new link opened on the same phone ("Gửi bằng đường dẫn này" / "Bỏ"), under its own
//   key; never on another hall's link (each page notes beside its queue the hall it opens). A
//   correction kept there goes with them, under its own key as well.
// - "Vừa ghi" lists the hall's latest entries (this phone's whole, other phones' with the phone
//   masked); "Sửa" and "Xóa" change a row still queued in place, or queue a correction of an
//   accepted one under its own key (app.halls.entries), sent in its turn like a report; a row with
//   the name and birth year of a recent entry but another phone is asked about before it is queued.
// - once a report is pressed its rows fold away (they live in the queue, and on a refused card) and
//   its answer at the top of the page is brought into sight: accepted, refused, or kept waiting.
// Without fetch or localStorage the form posts as a plain HTML form and the server answers a page.
(function () {
  "use strict";
  var form = document.getElementById("checkin");
  if (!form || !window.fetch || !window.localStorage || !window.JSON) return;
  var T = JSON.parse(document.getElementById("checkin-text").textContent);
  var FIELDS = ["name", "birth", "phone", "cccd", "hamlet", "consent"];
  var ANSWERS = ["", "yes", "no"];
  var ATTENDEE = /^attendees\[(\d+)\]\.(\w+)$/;
  var RETRY_MS = 15000, TIMEOUT_MS = 30000;
  var store = "lantoa-checkin:" + location.pathname;
  var lang = document.documentElement.lang || "vi";
  var sending = false;
  var wantNew = false;  // the officer asked for the blank form beside a refused report
  var pressed = null;  // the key of the report pressed on this page: its answer is brought into sight

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  // A box to correct opens its blank-form twin's keyboard (a phone number or a CCCD the digits),
  // read off the form so the two never differ.
  function twinBox(field, id, name) {
    var entry = el("input", {id: id, name: name, autocomplete: "off"});
    var twin = $(field === "head_count" ? "head_count" : field + "-0");
    if (twin && twin.hasAttribute("inputmode")) entry.setAttribute("inputmode", twin.getAttribute("inputmode"));
    return entry;
  }
  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);  // crypto.randomUUID needs https; the hall's link may not have it
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  function when(iso) {  // dd/mm/yyyy hh:mm in Vietnam's time, whatever the phone's zone
    var parts = {};
    if (!iso || isNaN(new Date(iso).getTime())) return "";
    new Intl.DateTimeFormat("en-GB", {timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit",
      year: "numeric", hour: "2-digit", minute: "2-digit", hour12: false})
      .formatToParts(new Date(iso)).forEach(function (p) { parts[p.type] = p.value; });
    return parts.day + "/" + parts.month + "/" + parts.year + " " + parts.hour + ":" + parts.minute;
  }

  // --- the queue -------------------------------------------------------------------------------
  function load() {
    try { var list = JSON.parse(localStorage.getItem(store) || "[]"); return Array.isArray(list) ? list : []; }
    catch (e) { return []; }
  }
  function save(list) { localStorage.setItem(store, JSON.stringify(list)); render(); }
  function change(key, edit) {  // edit(item) returns the new item, or null to drop it
    save(load().map(function (it) { return it.idempotency_key === key ? edit(it) : it; })
      .filter(function (it) { return it; }));
  }
  function waiting(it) { return it.state !== "rejected"; }  // reports queued by older pages have no state

  function number(text) {  // the officer's count as the page's language writes it (1.700)
    var n = whole(text);
    return n === null ? String(text) : new Intl.NumberFormat(lang).format(n);
  }
  // A typed count as the server reads it (app.halls.checkin_form.COUNT_RULE, in T.count): "4.500",
  // "4500", "75 người", "75 ng" → the number; anything else (a minus too) is the server's to refuse.
  var COUNT = new RegExp(T.count, "i");
  function whole(text) {
    var typed = COUNT.exec(String(text).normalize ? String(text).normalize("NFC") : String(text));
    var digits = typed ? typed[1].replace(/[.\s\u00a0\u202f]/g, "") : "";
    return /^\d{1,9}$/.test(digits) ? Number(digits) : null;
  }
  // The report typed in ``scope`` (the form, or a refused card showing ``numbers``: the form's row
  // of each of its attendees, from 1); ``form_rows`` keeps each row's number on the form, as the
  // officer saw it, for the card and the server's refusal to name (empty rows are skipped).
  function read(scope, count, numbers) {
    var box = scope.querySelector("[name=head_count]");  // a card whose count went first has none
    var data = {head_count: box ? box.value.trim() : "", attendees: [], form_rows: []};
    for (var i = 0; i < count; i++) {
      var row = {}, any = false;
      FIELDS.forEach(function (f) {
        var input = scope.querySelector("[name=" + f + "-" + i + "]");
        row[f] = input ? input.value.trim() : "";
        if (f !== "consent") any = any || !!row[f];  // an answer alone is no row
      });
      if (any) { data.attendees.push(row); data.form_rows.push(numbers && numbers[i] ? numbers[i] : i + 1); }
    }
    return data;
  }

  // --- what the page shows ---------------------------------------------------------------------
  function hideReceived() {
    $("done").hidden = true;
    if ($("received")) $("received").hidden = true;
  }
  function typing() {
    return !!(document.activeElement && /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName));
  }
  // The answer to the report just pressed, at the top of the page ("Lần báo gần nhất", "Đã nhận",
  // waiting for the connection, or the refused card), brought into sight: on a phone the form's
  // rows were below it. Not while the officer types the next report.
  function answered(key) {
    if (key !== pressed) return;
    pressed = null;
    var top = ["latest", "received", "offline", "queue", "done"].map($).filter(function (n) { return n && !n.hidden; })[0];
    var card = $("rejected").querySelector("[data-key='" + key + "']");
    if (card && !top) top = card;
    if (!top || typing()) return;
    top.scrollIntoView({block: "start"});
    held = top;
  }
  // Held there while "Vừa ghi" below it is redrawn (the browser's scroll anchoring may pick a node
  // under the list and follow it down), until the officer scrolls, touches or types.
  var held = null;
  ["touchstart", "wheel", "keydown", "mousedown"].forEach(function (name) {
    window.addEventListener(name, function () { held = null; }, {passive: true});
  });
  function render() {
    var list = load(), n = list.filter(waiting).length;
    $("queue").hidden = !n;
    $("queue").textContent = T.waiting.replace("__N__", n);
    $("offline").hidden = navigator.onLine !== false;
    $("offline").textContent = T.offline;
    if (n) hideReceived();
    var box = $("rejected"), shown = {};
    list.filter(function (it) { return !waiting(it); }).forEach(function (it) {
      shown[it.idempotency_key] = true;
      var version = JSON.stringify(it.error || {}) + (it.attendees || []).length + (it.count ? "c" : "");
      var card = box.querySelector("[data-key='" + it.idempotency_key + "']");
      if (card && card.getAttribute("data-version") === version) return;  // keep what is being typed
      var fresh = it.kind === "entry" ? refusedFix(it, version) : rejectedCard(it, version);
      if (card) box.replaceChild(fresh, card); else box.appendChild(fresh);
      // A correction is pressed down in "Vừa ghi", its refusal shows up here at the top: brought
      // into sight when it answers the press just made, not when an old one comes back later.
      if (!card && it.kind === "entry" && Date.now() - new Date(it.sent_at).getTime() < 60000 && !typing()) {
        fresh.scrollIntoView({block: "center"});
      }
    });
    Array.prototype.slice.call(box.children).forEach(function (card) {
      if (!shown[card.getAttribute("data-key")]) box.removeChild(card);
    });
    showRecent();
    var refused = box.querySelectorAll("form.rejected").length > 0;
    if (!refused) wantNew = false;
    form.hidden = refused && !wantNew;
    $("new-report").hidden = !refused || wantNew;
  }

  function marked(it) {  // the card's inputs at fault ("head_count", "phone-0") → the reason
    var error = it.error || {}, errors = error.errors || {}, out = {};
    if (error.field && !errors[error.field]) errors[error.field] = [error.reason || error.message];
    Object.keys(errors).forEach(function (field) {
      var match = ATTENDEE.exec(field), reason = errors[field][0] || error.message || T.refused;
      if (field === "head_count") out.head_count = reason;
      else if (match && +match[1] <= it.attendees.length && FIELDS.indexOf(match[2]) >= 0) {
        out[match[2] + "-" + (+match[1] - 1)] = reason;
      }
    });
    return out;
  }

  // The form's row an attendee of a report was typed in (reports queued by older pages: as sent).
  function shownRow(it, i) { return (it.form_rows && it.form_rows[i]) || i + 1; }
  function rejectedCard(it, version) {
    var error = it.error || {}, marks = marked(it);
    var card = el("form", {"class": "rejected", "data-key": it.idempotency_key, "data-version": version, novalidate: ""});
    // 404: the link was renewed, revoked or has expired since the report was kept; sending it again
    // from here can never work, so the card asks for the new link and keeps the rows to enter there
    var gone = error.status === 404 && !it.count;
    var text = it.count ? T.rows_rejected.replace("__N__", number(it.count.head_count))
      : gone ? T.link_gone : error.status === 409 ? T.too_early : T.rejected;  // 409: pressed before the hall opened
    var head = el("p", {"class": "err", role: "alert"}, text.replace("__T__", when(it.sent_at)));
    var unmarked = !Object.keys(marks).length || (it.count && marks.head_count);  // no box to mark
    if (unmarked && !gone) head.appendChild(el("span", {"class": "reason"}, " " + (marks.head_count || error.message || T.refused)));
    card.appendChild(head);
    var split = null;
    if (error.count_alone && !it.count && String(it.head_count || "").trim()) {
      split = el("button", {type: "button", "class": "count-first"}, T.count_first.replace("__N__", number(it.head_count)));
      card.appendChild(split);
      split.addEventListener("click", function () { countFirst(it.idempotency_key, card); });
    }
    function input(name, label, value) {
      var bad = marks[name];
      var id = "r" + it.idempotency_key.slice(0, 8) + "-" + name;
      card.appendChild(el("label", {"for": id}, label));
      var entry;
      if (name.indexOf("consent-") === 0) {
        entry = el("select", {id: id, name: name});
        ANSWERS.forEach(function (a) { entry.appendChild(el("option", {value: a}, T["consent_" + a])); });
      } else {
        entry = twinBox(name.split("-")[0], id, name);
      }
      entry.value = value || "";
      if (bad) entry.setAttribute("aria-invalid", "true");
      card.appendChild(entry);
      if (bad) card.appendChild(el("p", {"class": "err field-error"}, bad));
    }
    if (!it.count) input("head_count", T.head_count, it.head_count);
    var purpose = $("purpose");  // the text each row's answer is to, read aloud: once, as on the form
    if (purpose && it.attendees.length) {
      purpose = purpose.cloneNode(true);
      purpose.removeAttribute("id");
      card.appendChild(purpose);
    }
    it.attendees.forEach(function (row, i) {
      card.appendChild(el("p", {"class": "muted"}, T.person.replace("__N__", shownRow(it, i))));
      FIELDS.forEach(function (f) { input(f + "-" + i, T[f], row[f]); });
    });
    if (!gone) card.appendChild(el("button", {type: "submit"}, T.resend));
    var discard = el("button", {type: "button", "class": "secondary discard"}, T.discard);
    card.appendChild(discard);
    card.addEventListener("input", function () {  // a reload keeps what was corrected
      var box = card.querySelector("[name=head_count]");
      if (split && box) split.textContent = T.count_first.replace("__N__", number(box.value.trim()));
      change(it.idempotency_key, function (old) {
        old.head_count = box && !old.count ? box.value : "";
        old.attendees = it.attendees.map(function (row, i) {
          var out = {};
          FIELDS.forEach(function (f) { out[f] = card.querySelector("[name=" + f + "-" + i + "]").value; });
          return out;
        });
        return old;
      });
    });
    card.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var edited = read(card, it.attendees.length, it.attendees.map(function (row, i) { return shownRow(it, i); }));
      change(it.idempotency_key, function (old) {  // same key, same press time: it was never counted
        old.head_count = old.count ? "" : edited.head_count;  // a count sent first is not sent again
        old.attendees = edited.attendees;
        old.form_rows = edited.form_rows;
        old.state = "waiting";
        old.error = null;
        return old;
      });
      flush();
    });
    discard.addEventListener("click", function () {
      change(it.idempotency_key, function () { return null; });
    });
    return card;
  }

  // The refused report's head count goes first, as a report of its own queued where the refused
  // one was pressed (same press time: a count pressed later still wins); the rows stay on the card,
  // as they were typed, to be corrected and sent under the refused key, without the count. One
  // write to the queue does both, so no reload, tab or retry ever sees the count in two reports.
  function countFirst(key, card) {
    var list = load(), at = -1;
    list.forEach(function (it, i) { if (it.idempotency_key === key) at = i; });
    if (at < 0 || list[at].count) return;  // gone, or split already (another tab)
    var old = list[at], typed = read(card, 0).head_count;
    var first = {idempotency_key: key.slice(0, 78) + "-n", head_count: typed, attendees: [],
                 consent_version: old.consent_version, sent_at: old.sent_at, state: "waiting"};
    old.count = {idempotency_key: first.idempotency_key, head_count: typed};
    old.head_count = "";
    old.error = Object.assign({}, old.error, {count_alone: false});  // older pages redraw the card too
    list.splice(at, 0, first);
    save(list);
    flush();
  }

  function received(answer) {  // the server's answer, online or not by the time it is read
    var latest = answer && answer.latest;
    if (latest && latest.head_count !== null) {
      $("latest").textContent = T.latest
        .replace("__N__", new Intl.NumberFormat(lang).format(latest.head_count))
        .replace("__T__", when(latest.reported_at));
      $("latest").hidden = false;
    }
    if (load().some(waiting)) return;  // a newer press waits: its answer will say
    $("done").textContent = (answer && answer.message) || T.received;
    $("done").hidden = false;
  }

  // --- sending ---------------------------------------------------------------------------------
  function post(it) {
    var body = {idempotency_key: it.idempotency_key, head_count: it.count ? "" : it.head_count, attendees: it.attendees, form_rows: it.form_rows,
                consent_version: it.consent_version, sent_at: it.sent_at, clock: new Date().toISOString()};
    if (it.kind === "entry") {  // a correction of an entry the server has (app.halls.entries)
      body = {idempotency_key: it.idempotency_key, action: it.action, ref: it.ref, attendee: it.attendee,
              consent_version: it.consent_version, sent_at: it.sent_at, clock: body.clock};
    }
    var abort = window.AbortController ? new AbortController() : null;
    var timer = abort && setTimeout(function () { abort.abort(); }, TIMEOUT_MS);
    return fetch(location.pathname + (it.kind === "entry" ? "/entries" : ""), {method: "POST", body: JSON.stringify(body), cache: "no-store",
                                     headers: {"Content-Type": "application/json", "Accept": "application/json"},
                                     signal: abort ? abort.signal : undefined})
      .then(function (r) {
        clearTimeout(timer);
        return r.json().catch(function () { return null; }).then(function (json) { return {status: r.status, json: json}; });
      }, function (e) { clearTimeout(timer); throw e; });
  }

  function refusal(status, json) {
    json = json || {};
    var field = json.field || "", errors = json.errors || {}, reasons = errors[field];
    var message = json.message || (status === 404 ? T.gone : T.refused);
    return {field: field, message: message, reason: (reasons && reasons[0]) || message, status: status,
            errors: errors, count_alone: json.count_alone === true};
  }

  function flush() {
    if (sending || navigator.onLine === false) return;
    var next = load().filter(waiting)[0];
    if (!next) return;
    sending = true;
    post(next).then(function (r) {
      sending = false;
      if (r.status >= 500 || r.status === 408 || r.status === 429) { render(); answered(next.idempotency_key); return; }  // try later
      if (r.status < 300) {
        if (next.kind === "entry") said = {ref: next.ref, text: (r.json && r.json.message) || T.received};
        change(next.idempotency_key, function () { return null; });
        if (next.kind === "entry") corrected(next, r.json); else remember(next);
        received(r.json);
      } else {
        change(next.idempotency_key, function (it) { it.state = "rejected"; it.error = refusal(r.status, r.json); return it; });
      }
      answered(next.idempotency_key);
      flush();
    }, function () { sending = false; render(); answered(next.idempotency_key); });  // no connection: kept for later
  }

  // --- "Vừa ghi": the hall's latest entries, corrected or withdrawn ------------------------------
  // An entry is a row of a report, named "<report key>:<row>" (app.halls.entries). Three sources,
  // merged by that name: the rows of reports still queued here (corrected in the queue itself:
  // nothing was sent), this phone's rows the server accepted (kept whole in "mine", the server's
  // values winning once it lists them: ``settled``), and the hall's list from the server (every
  // phone's, phones masked; kept for opening offline). A correction of
  // an accepted entry is queued as reports are, under a key of its own, sent in its turn.
  var mineStore = store + ":mine", hallStore = store + ":hall";
  var WINDOW_MS = 12 * 3600 * 1000;  // app.halls.entries.EDIT_WINDOW
  var twinChecked = false;
  // The answer to a correction pressed down here ("Đã sửa."), said at its entry as well as at the
  // top, where the officer is not looking; until another correction is pressed.
  var said = null;
  function kept(name, fallback) {
    try { return JSON.parse(localStorage.getItem(name) || "null") || fallback; } catch (e) { return fallback; }
  }
  function mine() {
    var all = kept(mineStore, {}), out = {}, now = Date.now();
    Object.keys(all).forEach(function (ref) { if (now - new Date(all[ref].at).getTime() < WINDOW_MS) out[ref] = all[ref]; });
    return out;
  }
  function keepMine(all) { localStorage.setItem(mineStore, JSON.stringify(all)); }
  function remember(it) {  // a report the server accepted: its rows, as typed, for "Vừa ghi"
    if (!it.attendees || !it.attendees.length) return;
    var all = mine();
    it.attendees.forEach(function (row, i) {
      all[it.idempotency_key + ":" + (i + 1)] = Object.assign({}, row, {at: it.sent_at || new Date().toISOString(), kept: Date.now()});
    });
    keepMine(all);
    fetchHall();
  }
  function corrected(it, answer) {
    var all = mine(), hall = kept(hallStore, []);
    if (it.action === "withdraw") delete all[it.ref];
    // This phone's own entry takes the whole form. Another phone's sent only what changed (a blank
    // phone keeps its own): the server's answer, the hall's list, shows it with its birth year,
    // masked phone and time of entry, never a line of the changed fields alone.
    else if (all[it.ref]) all[it.ref] = Object.assign({}, all[it.ref], it.attendee);
    if (all[it.ref] && answer && answer.entry) all[it.ref] = settled(all[it.ref], answer.entry);
    keepMine(all);
    hall = hall.filter(function (e) { return e.ref !== it.ref; });
    if (answer && answer.entry) hall.unshift(answer.entry);
    localStorage.setItem(hallStore, JSON.stringify(hall));
    showRecent();
    fetchHall();
  }
  // This phone's copy of an entry, as the server has it now (corrected elsewhere perhaps: the page
  // without script, the organiser's "Người đã ghi", another phone): the server's name, birth year
  // and hamlet; the full phone only while the server's masked one is still its mask. Once the
  // server differs from the copy, the copy's CCCD and answer may be old too: they go, and the row
  // is corrected as another phone's is (a blank phone or CCCD keeps the server's).
  function settled(row, server) {
    var out = Object.assign({}, row), phone = row.phone && maskOf(row.phone) === String(server.phone || "").replace(/\s/g, "") ? row.phone : "";
    var same = tight(row.name) === tight(server.name) && year(row.birth) === String(server.birth_year || "") &&
      tight(row.hamlet) === tight(server.hamlet) && (phone || !row.phone) && !!phone === !!server.phone;
    out.name = server.name || "";
    out.birth = server.birth_year ? String(server.birth_year) : "";
    out.hamlet = server.hamlet || "";
    out.phone = phone;
    out.masked = phone ? "" : server.phone || "";
    if (!same || row.elsewhere) { out.elsewhere = true; delete out.cccd; delete out.consent; }
    return out;
  }
  // Compared as written (a name typed "Hoà" the server keeps as "Hòa" counts as changed: the
  // row is then corrected as another phone's, never sending an old CCCD over a newer one).
  function tight(text) { return String(text || "").normalize("NFC").replace(/\s+/g, " ").trim(); }
  function maskOf(phone) {  // app.identity.phones.mask_phone, without its spaces
    var n = digits(grouped(phone));
    return n.length < 6 ? "" : n.slice(0, 2) + new Array(n.length - 4).join("x") + n.slice(-3);
  }
  function fetchHall() {
    if (navigator.onLine === false) return;
    var asked = Date.now();
    fetch(location.pathname + "/entries", {cache: "no-store", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (json) {
        if (!json || !Array.isArray(json.entries)) return;
        localStorage.setItem(hallStore, JSON.stringify(json.entries));
        // This phone's entries the hall no longer has (another phone removed them) go too; only
        // those known before the list was asked for, and newer than its oldest when it is full.
        var listed = {}, oldest = json.entries.length >= 30 ? json.entries[json.entries.length - 1].at : "";
        json.entries.forEach(function (e) { listed[e.ref] = e; });
        var all = mine();
        Object.keys(all).forEach(function (ref) {
          if (listed[ref]) all[ref] = settled(all[ref], listed[ref]);
          else if ((all[ref].kept || 0) < asked && all[ref].at >= oldest) delete all[ref];
        });
        keepMine(all);
        showRecent();
      }, function () {});
  }
  function fixesOf(list) {  // corrections waiting, by entry: the last one wins
    var out = {};
    list.forEach(function (it) { if (it.kind === "entry" && waiting(it)) out[it.ref] = it; });
    return out;
  }
  function recent() {  // newest first
    var list = load(), own = mine(), fixes = fixesOf(list), byRef = {}, out = [];
    function add(entry) { if (!byRef[entry.ref]) { byRef[entry.ref] = entry; out.push(entry); } }
    list.slice().reverse().forEach(function (it) {
      if (it.kind === "entry" || !waiting(it)) return;
      (it.attendees || []).forEach(function (row, i) {
        add(Object.assign({}, row, {ref: it.idempotency_key + ":" + (i + 1), at: it.sent_at, queued: true,
                                    shownBirth: year(row.birth) || row.birth}));
      });
    });
    var hall = kept(hallStore, []), server = {};
    hall.forEach(function (e) { server[e.ref] = e; });
    Object.keys(own).sort(function (a, b) { return own[a].at < own[b].at ? 1 : -1; }).forEach(function (ref) {
      var row = server[ref] ? settled(own[ref], server[ref]) : own[ref];  // the server's values win
      add(Object.assign({}, row, {ref: ref, birth: year(row.birth) || row.birth, other: !!row.elsewhere}));
    });
    hall.forEach(function (e) {
      if (byRef[e.ref]) return;
      add({ref: e.ref, name: e.name, birth: e.birth_year ? String(e.birth_year) : "", phone: "",
           masked: e.phone || "", hamlet: e.hamlet || "", at: e.at, other: true});
    });
    out = out.filter(function (e) {
      var fix = fixes[e.ref];
      if (fix) Object.assign(e, fix.action === "edit" ? fix.attendee : {}, {pending: fix.action});
      return !(fix && fix.action === "withdraw");
    });
    out.sort(function (a, b) { return (a.at || "") < (b.at || "") ? 1 : -1; });
    return out.slice(0, 30);
  }
  function time(iso) { return when(iso).slice(-5); }  // hh:mm, Vietnam time
  // A typed phone as every other page writes it (0987 654 321, 024 3822 1234): the server's rules
  // (app.identity.phones.grouping_rules, in T.phones), applied as its shown_phone applies them, so
  // a row still queued reads as it will once sent; what is no Vietnamese phone stays as typed.
  function fullMatch(pattern) { return new RegExp("^(?:" + pattern + ")$"); }
  function grouped(raw) {
    var text = String(raw || "").trim(), rules = T.phones, nsn = null;
    if (!rules || !/^[0-9\s.\-()+]+$/.test(text) || /\+.*\+|[0-9].*\+/.test(text)) return text;
    var d = text.replace(/\D/g, ""), international = text.indexOf("+") >= 0;
    if (d.length < 9 || d.length > 15) return text;
    if (d.indexOf("00") === 0) {
      if (d.indexOf("0084") !== 0) return text;
      d = d.slice(2); international = true;
    }
    if (international) nsn = d.indexOf("84") === 0 ? d.slice(2).replace(/^0/, "") : null;
    else if (d.charAt(0) === "0") nsn = d.slice(1);
    else if (d.indexOf("84") === 0 && (d.length === 11 || d.length === 12)) nsn = d.slice(2);
    else if (d.length === 9) nsn = d;
    if (!nsn || nsn.charAt(0) === "0") return text;
    if (nsn.length === 10 && rules.old[nsn.slice(0, 3)]) nsn = rules.old[nsn.slice(0, 3)] + nsn.slice(3);
    if (!rules.valid.some(function (p) { return fullMatch(p).test(nsn); })) return text;
    for (var i = 0; i < rules.formats.length; i++) {
      var f = rules.formats[i];
      if (new RegExp("^(?:" + f[0] + ")").test(nsn) && fullMatch(f[1]).test(nsn)) return nsn.replace(fullMatch(f[1]), f[2]);
    }
    return text;
  }
  function entryLine(e) {  // the birth year only, as the server keeps it
    var phone = grouped(e.phone) || e.masked || "";
    return [e.name, e.shownBirth || e.birth, phone, e.hamlet].filter(function (x) { return x; }).join(" · ");
  }
  function showRecent() {
    var box = $("recent");
    if (!box) return;
    var list = box.querySelector("ul"), open = list.querySelector("li.editing");
    if (open) return;  // keep what is being typed; redrawn once it is saved or cancelled
    var entries = recent(), pin = held && !held.hidden ? held.getBoundingClientRect().top : null;
    box.hidden = !entries.length;
    list.textContent = "";
    entries.forEach(function (e) {
      var item = el("li", {"data-ref": e.ref});
      item.appendChild(el("span", {"class": "entry"}, entryLine(e)));
      item.appendChild(el("span", {"class": "muted"}, " " + T.entered_at.replace("__T__", time(e.at)) +
        (e.queued || e.pending ? " · " + T.entry_waiting : "")));
      var edit = el("button", {type: "button", "class": "secondary small edit"}, T.edit);
      var drop = el("button", {type: "button", "class": "secondary small withdraw"}, T.withdraw);
      item.appendChild(edit);
      item.appendChild(drop);
      if (said && said.ref === e.ref) item.appendChild(el("p", {"class": "ok said", role: "status"}, said.text));
      edit.addEventListener("click", function () { editEntry(item, e, null); });
      drop.addEventListener("click", function () { askWithdraw(item, e); });
      list.appendChild(item);
    });
    if (pin !== null) window.scrollBy(0, held.getBoundingClientRect().top - pin);
  }
  function queuedAt(ref) {  // the queued report holding this entry, if it is not on its way already
    var key = ref.slice(0, ref.lastIndexOf(":")), list = load(), first = list.filter(waiting)[0];
    var it = list.filter(function (x) { return x.idempotency_key === key && x.kind !== "entry" && waiting(x); })[0];
    return it && !(sending && first && first.idempotency_key === key) ? it : null;
  }
  function fix(e, action, attendee) {
    said = null;
    var at = +e.ref.slice(e.ref.lastIndexOf(":") + 1) - 1, report = queuedAt(e.ref);
    if (report) {  // never sent: the queued report itself changes (its rows' names are local yet)
      change(report.idempotency_key, function (old) {
        if (action === "edit") old.attendees[at] = attendee;
        else { old.attendees.splice(at, 1); if (old.form_rows) old.form_rows.splice(at, 1); }
        return old.attendees.length || String(old.head_count || "").trim() || old.count ? old : null;
      });
    } else {
      save(load().concat([{kind: "entry", idempotency_key: newKey(), action: action, ref: e.ref,
                           who: e.name, entered: e.at, attendee: attendee, consent_version: form.consent_version ? form.consent_version.value : "",
                           sent_at: new Date().toISOString(), state: "waiting", attendees: []}]));
    }
    showRecent();
    flush();
  }
  function editEntry(item, e, typed) {
    var values = typed || e;
    item.className = "editing";
    item.textContent = "";
    var card = el("form", {"class": "fix", novalidate: ""});
    card.appendChild(el("p", {"class": "entry"}, T.editing.replace("__X__", entryLine(e))));
    FIELDS.forEach(function (f) {
      if (f === "consent" && e.other) return;  // another phone's entry: its answer stays as it is
      var id = "fix-" + f, entry;
      card.appendChild(el("label", {"for": id}, T[f]));
      if (f === "consent") {
        entry = el("select", {id: id, name: f});
        ANSWERS.forEach(function (a) { entry.appendChild(el("option", {value: a}, T["consent_" + a])); });
      } else {
        entry = twinBox(f, id, f);
      }
      entry.value = values[f] || "";
      card.appendChild(entry);
      if (e.other && (f === "phone" || f === "cccd") && !values[f]) {  // under the box: a hint in it is cut at 390 px
        card.appendChild(el("p", {"class": "muted hint", id: id + "-hint"},
          f === "phone" && e.masked ? T.keep.replace("__V__", e.masked) : T.keep_blank));
        entry.setAttribute("aria-describedby", id + "-hint");
      }
    });
    card.appendChild(el("button", {type: "submit"}, T.save));
    var cancel = el("button", {type: "button", "class": "secondary"}, T.cancel);
    card.appendChild(cancel);
    item.appendChild(card);
    cancel.addEventListener("click", function () { item.className = ""; showRecent(); });
    card.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var attendee = {};
      FIELDS.forEach(function (f) {
        var input = card.querySelector("[name=" + f + "]");
        if (!input) return;
        var value = input.value.trim();
        if (e.other && (f === "phone" || f === "cccd") && !value) return;  // left blank: kept
        if (e.other && f !== "name" && value === String(e[f] || "")) return;  // as shown: kept (a full date stays)
        attendee[f] = value;
      });
      item.className = "";
      fix(e, "edit", attendee);
    });
    card.querySelector("input").focus();
  }
  function askWithdraw(item, e) {
    item.className = "editing";
    item.textContent = "";
    item.appendChild(el("p", {"class": "err"}, T.withdraw_ask.replace("__X__", e.name)));
    var yes = el("button", {type: "button", "class": "withdraw-yes"}, T.withdraw);
    var no = el("button", {type: "button", "class": "secondary"}, T.cancel);
    item.appendChild(yes);
    item.appendChild(no);
    no.addEventListener("click", function () { item.className = ""; showRecent(); });
    yes.addEventListener("click", function () { item.className = ""; fix(e, "withdraw", null); });
  }
  function refusedFix(it, version) {  // a correction the server refused: said, kept until discarded
    var card = el("div", {"class": "rejected", "data-key": it.idempotency_key, "data-version": version});
    // Named as "Vừa ghi" lists it (name, time entered): corrections queued by older pages are not.
    var what = it.action === "withdraw" ? (it.who ? T.withdraw_refused_of : T.withdraw_refused)
      : (it.who ? T.edit_refused_of : T.edit_refused);
    what = what.replace("__T__", when(it.sent_at)).replace("__E__", time(it.entered))
      .replace("__X__", function () { return it.who; });
    card.appendChild(el("p", {"class": "err", role: "alert"}, what + " " + ((it.error && it.error.message) || T.refused)));
    var discard = el("button", {type: "button", "class": "secondary discard"}, T.discard_fix);
    card.appendChild(discard);
    discard.addEventListener("click", function () { change(it.idempotency_key, function () { return null; }); });
    return card;
  }

  // The same name and birth year as an entry of the last hours, with another phone: maybe the same
  // person typed again to change the phone. Asked once, before the report is queued.
  function folded(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d")
      .toLowerCase().split(/\s+/).filter(function (w) { return w; }).join(" ");
  }
  function year(text) { var m = /(\d{4})\s*$/.exec(String(text || "")); return m ? m[1] : ""; }
  function digits(phone) { var d = String(phone || "").replace(/\D/g, ""); return d.indexOf("84") === 0 ? "0" + d.slice(2) : d; }
  function otherPhone(row, e) {
    var typed = digits(row.phone), known = digits(e.phone);
    if (!known && e.masked) return typed.slice(-3) !== digits(e.masked).slice(-3);
    return typed !== known;
  }
  function lookalike(data) {
    var entries = recent();
    for (var i = 0; i < data.attendees.length; i++) {
      var row = data.attendees[i], y = year(row.birth);
      if (!row.name || !y) continue;
      var twin = entries.filter(function (e) {
        return folded(e.name) === folded(row.name) && year(e.birth) === y && otherPhone(row, e);
      })[0];
      if (twin) { askTwin(data.form_rows[i] || i + 1, row, twin); return true; }
    }
    return false;
  }
  // ``at``: the form's row the person was typed in, from 1 (``form_rows``, as a refusal names it:
  // rows left empty above it count), named in the question and emptied by "Sửa mục cũ".
  function askTwin(at, row, twin) {
    var box = $("twin");
    if (!box) {
      box = el("div", {id: "twin", "class": "unusual", role: "alert"});
      box.appendChild(el("p", {id: "twin-text"}));
      box.appendChild(el("button", {type: "button", id: "twin-fix"}, T.twin_fix));
      box.appendChild(el("button", {type: "button", id: "twin-new", "class": "secondary"}, T.twin_new));
      form.insertBefore(box, form.querySelector("button[type=submit]"));
      $("twin-new").addEventListener("click", function () { twinChecked = true; box.hidden = true; submitted(true); });
    }
    $("twin-text").textContent = T.twin.replace("__N__", at).replace("__X__", [twin.name, twin.birth, grouped(twin.phone) || twin.masked]
      .filter(function (x) { return x; }).join(", ")).replace("__T__", time(twin.at));
    $("twin-fix").onclick = function () {  // the row typed goes into the earlier entry, checked there
      box.hidden = true;
      FIELDS.forEach(function (f) { var x = form.querySelector("[name=" + f + "-" + (at - 1) + "]"); if (x) x.value = ""; });
      showRecent();
      var item = $("recent").querySelector("li[data-ref='" + twin.ref + "']");
      if (item) { editEntry(item, twin, Object.assign({}, twin, row)); item.scrollIntoView(); }
    };
    box.hidden = false;
    $("twin-fix").focus();
  }

  // --- a count far from the expected one (app.halls.unusual): asked once more before it is queued
  var asked = null;
  function unusual(n) {
    var rule = T.rule, expected = T.expected;
    if (n === null || n <= rule.small) return false;
    return expected > 0 ? n > rule.times * expected : n > rule.bound;
  }
  function ask(n) {
    var fmt = new Intl.NumberFormat(lang), expected = T.expected;
    if (!asked) {
      asked = el("div", {id: "unusual", "class": "unusual", role: "alert"});
      asked.appendChild(el("p", {id: "unusual-text"}));
      var yes = el("button", {type: "button", id: "unusual-send"}, T.unusual_send);
      var fix = el("button", {type: "button", id: "unusual-fix", "class": "secondary"}, T.unusual_fix);
      asked.appendChild(yes);
      asked.appendChild(fix);
      form.insertBefore(asked, form.querySelector("button[type=submit]"));
      yes.addEventListener("click", function () { submitted(true); });
      fix.addEventListener("click", function () {
        asked.hidden = true;
        var box = form.querySelector("[name=head_count]");
        box.focus();
        box.select();
      });
      form.querySelector("[name=head_count]").addEventListener("input", function () { asked.hidden = true; });
    }
    var times = n / expected;
    $("unusual-text").textContent = expected > 0
      ? T.unusual.replace("__N__", fmt.format(n)).replace("__E__", fmt.format(expected))
        .replace("__X__", new Intl.NumberFormat(lang, {maximumFractionDigits: times >= 10 ? 0 : 1}).format(times))
      : T.unusual_no_expected.replace("__N__", fmt.format(n));
    asked.hidden = false;
    $("unusual-send").focus();
  }

  function submitted(confirmed) {
    var data = read(form, +form.rows.value);
    var hint = $("head_count-error");
    hint.hidden = !!(data.head_count || data.attendees.length);
    hint.textContent = T.empty;
    if (!hint.hidden) return;
    if (!confirmed && unusual(whole(data.head_count))) { ask(whole(data.head_count)); return; }
    if (asked) asked.hidden = true;
    if (!twinChecked && lookalike(data)) return;  // "Có thể trùng với …": asked before it is queued
    twinChecked = false;
    if ($("twin")) $("twin").hidden = true;
    hideReceived();
    data.idempotency_key = form.idempotency_key.value;
    data.consent_version = form.consent_version ? form.consent_version.value : "";
    data.sent_at = new Date().toISOString();  // the press; a report queued offline keeps it
    data.state = "waiting";
    save(load().concat([data]));  // the rows live in the queue now: a refused report keeps them
    form.reset();
    form.idempotency_key.value = newKey();  // reset() would bring back the key just used
    if (document.activeElement && form.contains(document.activeElement)) document.activeElement.blur();  // sent by the keyboard's "Go"
    var sheet = form.querySelector("details");
    if (sheet) sheet.open = false;  // the sent rows folded away: the answer above is what to read
    pressed = data.idempotency_key;
    if (navigator.onLine === false) answered(pressed);  // queued for the connection: said at once
    flush();
  }
  form.addEventListener("submit", function (ev) { ev.preventDefault(); twinChecked = false; submitted(false); });

  // "Thêm người": one more attendee row like the last (its boxes' keyboards, labels and answers),
  // empty, numbered on; the form's ``rows`` follows, and the button goes at the most a report may
  // carry (data-max: the server's own limit, app.halls.services.MAX_ATTENDEES).
  var addRow = $("add-row");
  if (addRow) {
    addRow.hidden = false;
    addRow.addEventListener("click", function () {
      var n = +form.rows.value, sets = form.querySelectorAll("details fieldset");
      if (!sets.length || n >= +addRow.getAttribute("data-max")) return;
      var row = sets[sets.length - 1].cloneNode(true), from = n - 1;
      Array.prototype.forEach.call(row.querySelectorAll(".field-error"), function (p) { p.parentNode.removeChild(p); });
      Array.prototype.forEach.call(row.querySelectorAll("[id]"), function (box) {
        box.id = box.id.replace(new RegExp("-" + from + "$"), "-" + n);
        if (box.name) box.name = box.id;
        box.removeAttribute("aria-invalid");
        if (box.tagName === "SELECT") {
          Array.prototype.forEach.call(box.options, function (o) { o.defaultSelected = false; });
          box.selectedIndex = 0;
        } else { box.defaultValue = ""; box.value = ""; }
      });
      Array.prototype.forEach.call(row.querySelectorAll("label[for]"), function (label) {
        label.htmlFor = label.htmlFor.replace(new RegExp("-" + from + "$"), "-" + n);
      });
      row.querySelector("legend").textContent = T.person.replace("__N__", n + 1);
      addRow.parentNode.insertBefore(row, addRow);
      form.rows.value = n + 1;
      addRow.hidden = n + 1 >= +addRow.getAttribute("data-max");
      $("name-" + n).focus();
    });
  }

  // --- reports kept for an older link of this hall ---------------------------------------------
  // Each page's queue is kept under its own link (``store``: the path, the link's secret in it), so
  // a renewed link opens an empty queue while the reports kept for the old one can never be sent
  // from there (404). Each page writes beside its queue which hall its link opens and when the link
  // was issued (T.hall); a newer link of the same hall, on the same phone, finds the older links'
  // queues by it and offers their reports, never another hall's. Sent from here, a report keeps its
  // key and press time: one the server had already received (its answer lost) is not counted twice.
  // Discarded, it is gone; until one or the other, it stays where it was.
  var LINK = ":link", PREFIX = "lantoa-checkin:";
  function olderLinks() {  // the queues of this hall's older links on this phone, by storage key
    var out = [];
    if (!T.hall || !T.hall.issued) return out;
    for (var i = 0; i < localStorage.length; i++) {
      var name = localStorage.key(i);
      if (!name || name.indexOf(PREFIX) !== 0 || name.slice(-LINK.length) !== LINK) continue;
      var queue = name.slice(0, -LINK.length), link = kept(name, {});
      var issued = Date.parse(link.issued || "");  // a link noted with no date is older
      if (queue !== store && link.id === T.hall.id && !(issued >= Date.parse(T.hall.issued))) out.push(queue);
    }
    return out;
  }
  // A correction goes too: it names its entry by report key and row, the hall's own (another
  // hall's link finds no such entry: 404), and the server answers a key it applied before from its
  // audit row (app.halls.entries.replayed, by hall and key), so one applied already changes nothing.
  function carried() {  // [{queue, items}]: their reports and corrections
    var here = {};
    load().forEach(function (it) { here[it.idempotency_key] = true; });
    return olderLinks().map(function (queue) {
      return {queue: queue, items: kept(queue, []).filter(function (it) { return !here[it.idempotency_key]; })};
    }).filter(function (old) { return old.items.length; });
  }
  function dropCarried(olds) {  // the older queues without the reports offered (moved, or discarded)
    olds.forEach(function (old) {
      var gone = {};
      old.items.forEach(function (it) { gone[it.idempotency_key] = true; });
      localStorage.setItem(old.queue, JSON.stringify(kept(old.queue, []).filter(function (it) { return !gone[it.idempotency_key]; })));
    });
  }
  function carryLine(it) {
    var parts = [];
    if (it.kind === "entry") {  // named as "Vừa ghi" listed it (corrections by older pages: not)
      var what = it.action === "withdraw" ? T.carry_withdraw : T.carry_edit;
      parts.push(it.who ? what.replace("__E__", time(it.entered)).replace("__X__", function () { return it.who; })
        : (it.action === "withdraw" ? T.carry_withdraw_any : T.carry_edit_any));
    }
    if (String(it.head_count || "").trim()) parts.push(T.carry_count.replace("__N__", number(String(it.head_count).trim())));
    var names = (it.attendees || []).map(function (row) { return row.name; }).filter(function (x) { return x; });
    if (names.length) parts.push(T.carry_names.replace("__X__", names.join(", ")));
    return T.carry_at.replace("__T__", when(it.sent_at)) + (parts.length ? ": " + parts.join("; ") : "");
  }
  function offerCarried() {
    var olds = carried(), box = $("carried");
    if (!olds.length) { if (box) box.parentNode.removeChild(box); return; }
    var version = JSON.stringify(olds);
    if (box && box.getAttribute("data-version") === version) return;
    var fresh = el("section", {id: "carried", "class": "rejected", role: "alert", "data-version": version});
    fresh.appendChild(el("p", {"class": "err"}, T.carry));
    var list = el("ul");
    olds.forEach(function (old) { old.items.forEach(function (it) { list.appendChild(el("li", {}, carryLine(it))); }); });
    fresh.appendChild(list);
    var send = el("button", {type: "button", id: "carry-send"}, T.carry_send);
    var drop = el("button", {type: "button", id: "carry-drop", "class": "secondary"}, T.carry_drop);
    fresh.appendChild(send);
    fresh.appendChild(drop);
    send.addEventListener("click", function () {  // into this link's queue first: never in neither
      var olds = carried(), moved = [];
      olds.forEach(function (old) {
        old.items.forEach(function (it) { moved.push(Object.assign({}, it, {state: "waiting", error: null})); });
      });
      moved.sort(function (a, b) { return (a.sent_at || "") < (b.sent_at || "") ? -1 : 1; });  // pressed first, sent first
      save(load().concat(moved));
      dropCarried(olds);
      offerCarried();
      flush();
    });
    drop.addEventListener("click", function () { dropCarried(carried()); offerCarried(); });
    if (box) box.parentNode.replaceChild(fresh, box); else $("rejected").parentNode.insertBefore(fresh, $("rejected"));
  }

  // A page opened from the service worker's copy carries the key it was rendered with: never reuse it.
  form.idempotency_key.value = newKey();
  $("new-report").addEventListener("click", function () {
    wantNew = true;
    render();
    form.querySelector("[name=head_count]").focus();
  });
  window.addEventListener("online", function () { render(); flush(); fetchHall(); });
  window.addEventListener("offline", render);
  window.addEventListener("storage", function (ev) {
    if (ev.key === store) render();
    else if (ev.key && ev.key.indexOf(PREFIX) === 0) offerCarried();  // an older link's tab sent or discarded
  });
  setInterval(flush, RETRY_MS);
  if (T.hall) localStorage.setItem(store + LINK, JSON.stringify(T.hall));  // for this hall's next link
  offerCarried();
  render();
  flush();
  fetchHall();

  if ("serviceWorker" in navigator && form.getAttribute("data-sw")) {
    navigator.serviceWorker.addEventListener("message", function (ev) {
      if (!ev.data || !ev.data.cached) return;
      $("ready").textContent = T.ready;
      $("ready").hidden = false;
    });
    navigator.serviceWorker.register(form.getAttribute("data-sw")).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      var urls = [location.pathname];
      Array.prototype.forEach.call(document.querySelectorAll("script[src]"), function (s) { urls.push(s.src); });
      reg.active.postMessage({cache: urls});
    }).catch(function () {});
  }
})();

// The sheet's file box in the page's words (as app/static/js/file-pick.js on the other pages,
// here so the hall's page keeps loading one script): the chosen file's name beside "Chọn tệp".
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll(".file-pick"), function (pick) {
    var input = pick.querySelector("input[type=file]");
    var name = pick.querySelector(".file-pick-name");
    if (!input || !name) return;
    var none = name.textContent;
    function show() { name.textContent = input.files && input.files.length ? input.files[0].name : none; }
    input.addEventListener("change", show);
    show();
  });
})();
