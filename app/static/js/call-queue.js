// Lan Tỏa — the queue of call outcomes (app/followup/call_log.py), shared by the follow-up list
// and "My calls" (the lead editor, followup-leads.js). An officer calls from a phone whose 3G
// comes and goes; as the halls' check-ins (checkin.js), nothing saved is lost to it:
// - each outcome saved is kept in localStorage (one queue per user, whichever page saved it)
//   under a key of its own, with the time the officer pressed save (sent_at);
// - outcomes are sent one at a time, in the order they were saved, each attempt carrying the
//   phone's clock (clock) so the server dates the call right even when the clock is off;
// - no connection, a timeout or a busy server keeps them waiting: they go again when the
//   browser says the connection is back (`online`), when a page holding the queue opens, and on
//   a timer that waits longer after each failure (5 s doubling to 5 min, with jitter);
// - the server answers a retry of a key it stored as the same call (200, "duplicate"), so an
//   outcome whose answer was lost is sent again safely: one call record per submission;
// - a refusal (a person outside the officer's part, a value refused) stays on the page in its
//   words until the officer discards it; it is never sent again on its own.
// The page (#call-queue) says how many outcomes wait (a count that only falls as they go out)
// and, once the sending settles, what was sent: the one outcome by its person's name, or several
// sent together (a connection back) by their number and names; at the time they reached the
// server, with the time the officer saved them when that was a minute or more before ("sent at
// 10:05 (saved at 09:50)"), both on the phone's clock, hh:mm today. A page read again (a lead
// moved on the follow-up list, `keep`) says it once more, and its batch goes on there.
// Every piece of text is written with textContent.
(function () {
  "use strict";
  var box = document.getElementById("call-queue");
  if (!box || !window.fetch || !window.localStorage || !window.JSON) { return; }
  var store = "lantoa-calls:" + box.getAttribute("data-user");
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var FIRST_MS = 5000, MAX_MS = 300000, TIMEOUT_MS = 20000;
  var delay = FIRST_MS, timer = null, sending = false;
  var loggedOut = false;  // the last answer asked for a log-in: the outcomes wait for one
  var listeners = [];
  var waiters = {};  // key -> the editor's promise for its first attempt
  var batch = [];  // the outcomes sent since the queue last had none waiting: {name, at (pressed)}
  var batchAt = null;  // when the last of them was sent (the phone's clock, as their presses)
  var kept = "lantoa-calls-sent:" + box.getAttribute("data-user");  // sessionStorage: across a reload
  var KEPT_MS = 600000;  // what was sent is said again after a reload within this
  var leaving = false;  // the page is being read again: the next page sends the rest
  var waitingLine = box.querySelector(".call-queue-waiting");
  var offlineLine = box.querySelector(".call-queue-offline");
  var sentLine = box.querySelector(".call-queue-sent");
  var refusedList = box.querySelector(".call-queue-refused");

  function word(name) { return box.getAttribute(name) || ""; }
  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);  // crypto.randomUUID needs https
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  function vn(ms) {  // that time in Vietnam, whatever the phone's zone: {day, month, year, hour, minute}
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit",
      year: "numeric", hour: "2-digit", minute: "2-digit", hour12: false})
      .formatToParts(new Date(ms)).forEach(function (p) { parts[p.type] = p.value; });
    return parts;
  }
  function when(ms) {  // hh:mm today, dd/mm/yyyy hh:mm another day (Vietnam's time)
    var p = vn(ms), today = vn(Date.now());
    var hm = p.hour + ":" + p.minute;
    return p.day + p.month + p.year === today.day + today.month + today.year ? hm
      : p.day + "/" + p.month + "/" + p.year + " " + hm;
  }
  function load() {
    try { var list = JSON.parse(localStorage.getItem(store) || "[]"); return Array.isArray(list) ? list : []; }
    catch (e) { return []; }
  }
  function save(list) { localStorage.setItem(store, JSON.stringify(list)); render(); }
  function drop(key) { save(load().filter(function (it) { return it.key !== key; })); }
  function waiting(it) { return it.state !== "refused"; }
  var NAMED = 5;  // more people than this: the number alone
  // What the last sending said, all the outcomes of its batch: when they reached the server, and
  // when the officer saved them (the earliest of several) if that was a minute or more before.
  function sentWords() {
    var pressed = Math.min.apply(null, batch.map(function (b) { return Date.parse(b.at) || batchAt; }));
    var t = when(batchAt);
    if (batchAt - pressed >= 60000) {
      t += " " + word(batch.length === 1 ? "data-recorded" : "data-recorded-from").replace("__R__", when(pressed));
    }
    if (batch.length === 1) { return word("data-sent").replace("__NAME__", batch[0].name).replace("__T__", t); }
    var all = batch.map(function (b) { return b.name; });
    var names = all.filter(function (n, i) { return n && all.indexOf(n) === i; });
    var lang = document.documentElement.lang || "vi";
    var text = names.length && names.length <= NAMED ? word("data-sent-many").replace("__NAMES__", names.join(", "))
      : word("data-sent-count");
    return text.replace("__N__", new Intl.NumberFormat(lang).format(batch.length)).replace("__T__", t);
  }
  // Said once the sending settles (nothing left waiting, or it has to wait): while a batch goes
  // out only the count of those waiting moves, falling, and the batch is then said whole.
  function sayDone() {
    if (!batch.length) { return; }
    sentLine.textContent = sentWords();
    sentLine.hidden = false;
  }
  function tell(kind, item, answer) {
    listeners.forEach(function (fn) { try { fn(kind, item, answer); } catch (e) { /* a page's row */ } });
  }

  function render() {
    var list = load(), n = list.filter(waiting).length;
    waitingLine.hidden = !n;
    waitingLine.textContent = word("data-waiting").replace("__N__", String(n)) +
      (loggedOut ? " " + word("data-log-in") : "");
    offlineLine.hidden = navigator.onLine !== false;
    refusedList.textContent = "";
    list.filter(function (it) { return !waiting(it); }).forEach(function (it) {
      var li = document.createElement("li");
      li.setAttribute("data-key", it.key);
      var text = document.createElement("span");
      text.textContent = word("data-refused").replace("__NAME__", it.name)
        .replace("__REASON__", word(it.reason) || word("data-failed"));
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "button";
      discard.textContent = word("data-discard");
      discard.addEventListener("click", function () { drop(it.key); tell("discarded", it); });
      li.appendChild(text);
      li.appendChild(discard);
      refusedList.appendChild(li);
    });
    refusedList.hidden = !refusedList.children.length;
    var alarm = !(waitingLine.hidden && offlineLine.hidden && refusedList.hidden);
    box.hidden = !alarm && sentLine.hidden;
    box.classList.toggle("done", !alarm);  // only "sent": nothing to worry about
  }

  // The reason of a refusal, as the name of the words saying it (the page's language).
  function reason(status, body, item) {
    if (status === 404) { return "data-not-in-part"; }
    if (status === 403) { return "data-not-officer"; }
    var fields = (body && body.errors && body.errors.json) || {};
    if (fields.status) { return item.body.status === "called" ? "data-not-called" : "data-no-number"; }
    if (fields.next_call_on) {  // a call back without its day: queued by a page before the rule
      return item.body.status === "call_back" && !item.body.next_call_on ? "data-no-day" : "data-bad-day";
    }
    if (fields.assignee_id) { return "data-not-assignable"; }
    return "data-failed";
  }

  function post(it) {
    var body = {};
    Object.keys(it.body).forEach(function (k) { body[k] = it.body[k]; });
    body.idempotency_key = it.key;
    body.sent_at = it.sent_at;
    body.clock = new Date().toISOString();
    var abort = window.AbortController ? new AbortController() : null;
    var limit = abort && setTimeout(function () { abort.abort(); }, TIMEOUT_MS);
    return fetch(it.url, {
      method: "POST", credentials: "same-origin", cache: "no-store", body: JSON.stringify(body),
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf},
      signal: abort ? abort.signal : undefined
    }).then(function (r) {
      clearTimeout(limit);
      return r.json().catch(function () { return null; }).then(function (json) { return {status: r.status, json: json}; });
    }, function (e) { clearTimeout(limit); throw e; });
  }

  // After a log-in elsewhere this page's CSRF token is the ended session's: read the current one.
  function freshToken() {
    return fetch("/", {credentials: "same-origin", cache: "no-store"}).then(function (r) {
      return r.text();
    }).then(function (html) {
      var found = /<meta name="csrf-token" content="([^"]+)"/.exec(html);
      if (found) { csrf = found[1]; }
    }, function () {});
  }
  var stale = false;  // the last answer was 400 or 401: a new token first

  function later() {  // the next attempt, each failure waiting longer
    clearTimeout(timer);
    timer = setTimeout(flush, delay * (0.8 + Math.random() * 0.4));
    delay = Math.min(delay * 2, MAX_MS);
  }
  function settle(key, outcome) {
    var done = waiters[key];
    delete waiters[key];
    if (done) { done(outcome); }
  }
  function keep() {
    if (!batch.length) { return; }
    try { sessionStorage.setItem(kept, JSON.stringify({batch: batch, at: batchAt})); } catch (e) { /* private mode */ }
  }
  function stillWaiting() {  // the editors waiting on an attempt that will not come now
    Object.keys(waiters).forEach(function (key) { settle(key, {state: "waiting"}); });
    sayDone();  // what went out before it had to wait
  }

  function flush() {
    if (sending || leaving) { return; }
    var next = load().filter(waiting)[0];
    if (!next) { sayDone(); render(); return; }  // settled: the batch said whole
    if (navigator.onLine === false) { stillWaiting(); render(); later(); return; }  // `online` may never come
    sending = true;
    (stale ? freshToken() : Promise.resolve()).then(function () { return post(next); }).then(function (r) {
      sending = false;
      loggedOut = r.status === 401;
      stale = r.status === 400 || r.status === 401;
      // A busy server, an ended session or a stale page's token: the same outcome, later.
      if (r.status >= 500 || r.status === 408 || r.status === 429 || r.status === 401 || r.status === 400) {
        stillWaiting(); render(); later(); return;
      }
      delay = FIRST_MS;
      if (r.status < 300) {
        drop(next.key);
        batch.push({name: next.name, at: next.sent_at});
        batchAt = Date.now();
        if (leaving) { keep(); }  // an answer that came as the page went
        if (!load().filter(waiting).length) { sayDone(); }
        render();
        settle(next.key, {state: "sent", answer: r.json});
        tell("sent", next, r.json);
      } else if (waiters[next.key]) {  // the editor still open on it: corrected there
        drop(next.key);
        settle(next.key, {state: "refused", reason: reason(r.status, r.json, next)});
      } else {
        var why = reason(r.status, r.json, next);
        save(load().map(function (it) {
          if (it.key === next.key) { it.state = "refused"; it.reason = why; }
          return it;
        }));
        tell("refused", next);
      }
      flush();
    }, function () { sending = false; stillWaiting(); render(); later(); });  // no connection
  }

  window.LantoaCalls = {
    // Queue an outcome ({url, body, name, event, person, comment}) and try it at once; the
    // promise says how its first attempt went: "sent" (answer), "refused" (reason: the name of
    // the words saying why; dropped from the queue, to be corrected), or "waiting" (kept).
    add: function (item) {
      item.key = newKey();
      item.sent_at = new Date().toISOString();
      item.state = "waiting";
      if (!load().filter(waiting).length) { batch = []; }  // none waiting: a sending of its own
      save(load().concat([item]));
      var first = new Promise(function (resolve) { waiters[item.key] = resolve; });
      tell("queued", item);
      delay = FIRST_MS;
      flush();
      return first;
    },
    // The editor no longer waits on this outcome: a refusal now stays on the page, as later ones.
    release: function (item) { delete waiters[item.key]; },
    waiting: function () { return load().filter(waiting); },
    // The page is about to be read again (a lead moved between sections): what was sent is said
    // on the page that comes, once, and the batch goes on there.
    keep: function () { leaving = true; keep(); },
    on: function (fn) { listeners.push(fn); }
  };

  window.addEventListener("online", function () { delay = FIRST_MS; render(); flush(); });
  window.addEventListener("offline", render);
  window.addEventListener("storage", function (ev) { if (ev.key === store) { render(); } });
  (function () {  // what the page before a reload had sent: said once
    var was = null;
    try { was = JSON.parse(sessionStorage.getItem(kept) || "null"); sessionStorage.removeItem(kept); } catch (e) { return; }
    if (!was || !Array.isArray(was.batch) || !was.batch.length || !(Date.now() - was.at < KEPT_MS)) { return; }
    batch = was.batch;
    batchAt = was.at;
    if (!load().filter(waiting).length) { sayDone(); }
  })();
  render();
  // Once the page's own script has read the queue (it marks the rows still waiting): send.
  document.addEventListener("DOMContentLoaded", function () { flush(); });
})();
