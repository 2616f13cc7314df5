// The live page: applies Socket.IO snapshots and deltas (namespace /live) to the counters, the
// Plotly charts, the comment feed, the halls board and the collection notices.
// Rules: every piece of data is written with textContent (comments carry hostile text); a
// delta is applied only if it is the next number of the snapshot's epoch: one that skips a
// number, steps back, or comes under another epoch (the server's counter started again, e.g.
// Redis restarted) asks for a resync; every number says how old it is, and the whole page says
// so when the connection is lost, the server cannot serve live figures, or they stop coming.
// The snapshot comes straight from the web process, deltas through the message queue: a delta
// may arrive before the snapshot it follows (on joining, or while a resync is answered). Such
// deltas are held and, once the snapshot is applied, those numbered after it are applied in
// order: dropped, a removal or a count they carried stayed missing until the next delta.
// The snapshot and its held deltas are one run: every message's data goes into the state as it
// comes, and the page is drawn at the run's end (each chart once), not once per delta.
(function () {
  "use strict";

  var cfg = JSON.parse(document.getElementById("live-config").textContent);
  var W = cfg.words;
  var MAX_FEED = 200;
  var MAX_POINTS = 720;
  var DAY_S = 24 * 3600;     // an age up to this says hours ago, beyond it the date and time
  var RETRY_MS = 5000;       // asking again after the server said it cannot serve live figures
  var ANSWER_MS = 10000;     // a join or resync unanswered this long counts as "cannot serve"
  var MAX_EARLY = 100;       // deltas held while a snapshot is awaited (more: the snapshot is far behind)
  var numberFormat = new Intl.NumberFormat(cfg.locale === "vi" ? "vi-VN" : "en-GB");
  var timeFormat = new Intl.DateTimeFormat(cfg.locale === "vi" ? "vi-VN" : "en-GB", {
    hour: "2-digit", minute: "2-digit", timeZone: "Asia/Ho_Chi_Minh"
  });
  var whenFormat = new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", year: "numeric",
    hourCycle: "h23", timeZone: "Asia/Ho_Chi_Minh"
  });

  var state = {
    seq: null,               // last applied seq; null until the first snapshot
    epoch: null,             // the epoch that seq counts in
    resyncing: false,        // a resync was asked and its answer has not come yet
    early: [],               // deltas that arrived before the snapshot they follow
    problem: "",             // the server's own words when it cannot serve live figures
    offsetMs: 0,             // server clock minus browser clock
    summary: cfg.summary,
    eventStatus: cfg.event_status,
    connection: "connecting", // connecting | live | reconnecting | resyncing | unavailable | refused
    lastMessageAt: Date.now(),
    viewers: { x: [], y: [] },
    minutes: {},             // local minute string -> count
    commentIds: {},
    paused: false,
    waiting: []              // comments held while scrolling is paused, newest first
  };
  setServerTime(cfg.server_time);

  // ---------- helpers ----------
  function $(id) { return document.getElementById(id); }
  function fill(text, n) { return String(text).replace("__N__", n).replace("__T__", n); }
  function fmt(n) { return n === null || n === undefined ? "—" : numberFormat.format(n); }
  function setText(el, text) { if (el && el.textContent !== text) { el.textContent = text; } }
  function serverNow() { return Date.now() + state.offsetMs; }
  function setServerTime(iso) {
    var t = Date.parse(iso);
    if (!isNaN(t)) { state.offsetMs = t - Date.now(); }
  }
  function localPlotTime(iso) {
    // Plotly has no time zones: give it the wall-clock time of the display zone.
    var t = Date.parse(iso) + cfg.tz_offset_minutes * 60000;
    return new Date(t).toISOString().slice(0, 19).replace("T", " ");
  }
  function when(iso) {  // {time: "20:05", date: "06/12/2026"} in Hà Nội, whatever the browser's zone
    var p = {};
    whenFormat.formatToParts(new Date(Date.parse(iso))).forEach(function (x) { p[x.type] = x.value; });
    return { time: p.hour + ":" + p.minute, date: p.day + "/" + p.month + "/" + p.year };
  }
  function clock(iso) { return iso ? timeFormat.format(new Date(Date.parse(iso))) : "—"; }
  function ageText(iso) {
    if (!iso) { return W.age_never; }
    var s = Math.max(0, Math.round((serverNow() - Date.parse(iso)) / 1000));
    if (over() && s <= DAY_S) { return fill(W.age_at_time, when(iso).time); }  // final: when
    if (s < 5) { return W.age_now; }
    if (s < 90) { return fill(W.age_seconds, s); }
    if (s < 90 * 60) { return fill(W.age_minutes, Math.round(s / 60)); }
    if (s <= DAY_S) { return fill(W.age_hours, Math.round(s / 3600)); }
    var at = when(iso);  // older than a day: "at 20:15 on 24/11/2026", not "284 h ago"
    return String(W.age_at).replace("__T__", at.time).replace("__D__", at.date);
  }
  // The event is over (its status, its meeting's finish, or the clock): its figures are final,
  // so the page says when they were read instead of ticking ages and warning they are old.
  function over() { return !!(state.summary && state.summary.ended) || phase() === "ended"; }
  // null until there is a figure: "no figure yet" is never "infinitely old" (nor shown as such).
  function ageSeconds(iso) { return iso ? (serverNow() - Date.parse(iso)) / 1000 : null; }
  function get(obj, path) {
    var parts = path.split(".");
    for (var i = 0; i < parts.length; i++) {
      if (obj === null || obj === undefined) { return undefined; }
      obj = obj[parts[i]];
    }
    return obj;
  }
  function latest(list, key) {
    var best = null;
    (list || []).forEach(function (item) {
      var v = item[key];
      if (v && (!best || Date.parse(v) > Date.parse(best))) { best = v; }
    });
    return best;
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  // ---------- counters and freshness ----------
  function freshSource(kind) {
    var s = state.summary || {};
    if (kind === "halls") {  // head counts, and the platform's roster read with each collection
      var reported = latest(s.halls, "reported_at"), read = latest(s.targets, "last_success_at");
      return !reported || (read && Date.parse(read) > Date.parse(reported)) ? read : reported;
    }
    if (kind === "collect") { return latest(s.targets, "last_success_at") || s.last_sample_at; }
    return s.last_sample_at;
  }
  function renderCounters() {
    var s = state.summary || {};
    document.querySelectorAll(".counter[data-key], .reaction-types li[data-key]").forEach(function (node) {
      var value = node.querySelector(".value");
      var v = get(s, node.getAttribute("data-key"));
      var total = node.getAttribute("data-total");
      // Views before the first read: "not yet read", or "—" before the start (its age says why).
      var text = v !== null && v !== undefined ? fmt(v) : phase() === "upcoming" ? "—" : W.not_yet_read;
      if (total) {
        value.textContent = text;
        value.appendChild(el("small", null, " / " + fmt(get(s, total))));
      } else {
        setText(value, text);
      }
    });
    renderViewsNote(s);
    renderAges();
  }
  // Views summed without a live whose views come only when it ends (Facebook): say whose views
  // the figure holds so far, and whose are added at the end.
  function renderViewsNote(s) {
    var note = document.querySelector('.counter[data-key="views"] .note');
    if (!note) { return; }
    var lives = (s.targets || []).filter(function (t) { return /_live$/.test(t.kind); });
    var read = function (t) { return t.views !== null && t.views !== undefined; };
    var names = function (list) { return list.map(function (t) { return platformName(t.kind); }).join(", "); };
    var pending = s.views === null || s.views === undefined ? [] : lives.filter(function (t) { return !read(t); });
    var counted = lives.filter(read);
    var text = pending.length ? fill(W.views_without, names(pending)) : "";
    if (text && counted.length) { text = fill(W.views_counted, names(counted)) + "; " + text; }
    setText(note, text);
    note.hidden = !pending.length;
  }
  function isLive() {
    var targets = (state.summary && state.summary.targets) || [];
    return state.eventStatus === "live" || targets.some(function (t) { return t.status === "live"; });
  }
  function renderAges() {
    var offline = state.connection !== "live";
    document.querySelectorAll(".counter[data-fresh]").forEach(function (node) {
      var iso = freshSource(node.getAttribute("data-fresh"));
      var limit = node.getAttribute("data-fresh") === "halls" ? cfg.hall_stale_after : cfg.stale_after;
      var age = ageSeconds(iso);
      var ended = over();
      var old = !ended && isLive() && age !== null && age > limit;
      // Nothing yet from an event not started: it has not started, it is not a silent stream.
      var notStarted = !iso && phase() === "upcoming";
      var text = iso ? W.updated + " " + ageText(iso) : notStarted ? W.age_not_started : W.age_never;
      if (iso && ended) { text = fill(W.figures_at, ageText(iso)); }  // "figures at 20:41"
      if (ended) { offline = false; }  // final figures: a lost connection leaves them right
      if (old || offline) { text += " — " + W.maybe_stale; }
      setText(node.querySelector(".age"), text);
      node.classList.toggle("stale", old || offline);
      node.classList.toggle("not-started", notStarted);
    });
    renderBanner();
    if (halls) { halls.renderAges(); }
  }

  // ---------- banner ----------
  function renderBanner() {
    var banner = $("live-banner");
    var cls = state.connection, text = "";
    if (state.connection === "connecting") { text = W.connecting; }
    else if (state.connection === "reconnecting") { text = W.reconnecting; }
    else if (state.connection === "refused") { text = state.signedOut ? W.signed_out : W.refused; }
    else if (state.connection === "resyncing") { text = W.resyncing; }
    else if (state.connection === "unavailable") { text = state.problem || W.unavailable; }
    else {
      // A conference without a livestream has no samples: its figures come with each collection.
      var quiet = ageSeconds(freshSource(cfg.livestream ? "sample" : "collect"));
      if (isLive() && !over() && quiet !== null && quiet > cfg.stale_after) {
        cls = "stale";
        text = fill(W.stale, Math.max(1, Math.round(quiet / 60)));
      }
    }
    banner.className = "live-banner " + cls;
    banner.hidden = !text;
    setText(banner, text);
    document.body.classList.toggle("offline", state.connection !== "live" && state.connection !== "resyncing");
    document.body.classList.toggle("not-live", !isLive());  // the red dot is for a live event
  }

  // ---------- the event's phase: upcoming, live, ended (app/live/targets.py decides) ----------
  // The tab's title starts with it; an event not started says when it is planned (the server
  // paints that notice, the script only shows or hides it).
  // When nothing collects the event (in person, a post), the clock alone turns it: the summary
  // says when (phase_at, app/live/targets.py phase_times) and the page turns then by itself, on
  // the server's clock, as the next delta or a reload would say; no delta comes at that moment.
  function phase() {
    var s = state.summary || {}, said = s.phase || "live", at = s.phase_at, now = serverNow();
    if (!at || said === "ended") { return said; }
    if (at.ended && now >= Date.parse(at.ended)) { return "ended"; }
    if (said === "upcoming" && at.live && now >= Date.parse(at.live)) { return "live"; }
    return said;
  }
  var shownPhase = null;  // the phase the page shows; the clock's tick redraws when it moves
  var titleTail = (function () {  // the server painted the title with the summary's phase
    var first = W["phase_" + ((cfg.summary && cfg.summary.phase) || "live")] || "";
    return document.title.indexOf(first) === 0 ? document.title.slice(first.length) : null;
  })();
  function renderPhase() {
    var now = phase(), banner = $("upcoming-banner");
    shownPhase = now;
    if (titleTail !== null && W["phase_" + now]) { setTitle(W["phase_" + now] + titleTail); }
    document.body.setAttribute("data-phase", now);
    renderUpcoming();
    if (banner) { banner.hidden = now !== "upcoming" || !banner.textContent; }
  }
  // While the platform has not started, the banner says what every other page says of the
  // event by its schedule (cfg.upcoming_steps, app/live/routes.py): not started yet, then
  // under way by its schedule, then past its end, each with "the platform is not broadcasting".
  function renderUpcoming() {
    var banner = $("upcoming-banner"), now = serverNow(), text = null;
    (cfg.upcoming_steps || []).forEach(function (step) { if (!step[0] || now >= Date.parse(step[0])) { text = step[1]; } });
    if (banner && text !== null) { setText(banner, text); }
  }
  function setTitle(text) { if (document.title !== text) { document.title = text; } }

  // ---------- the event's end ----------
  // Once the summary says the event is over (its status, or its meeting finished), the page
  // says so at the top and its connection figures speak in the past: the words come rendered
  // both ways (data-live-text / data-ended-text), the script only picks.
  function endedWhen(iso) {  // "06/12/2026 20:05", as the server paints it (app.formatting)
    var at = when(iso);
    return at.date + " " + at.time;
  }
  // How it ended follows: marked so by an officer (ended_by, their name), or, nothing collecting
  // it, by the clock at its planned end (phase_at.ended: the banner alone says so, as a reload).
  function endedText() {
    var s = state.summary || {}, at = s.ended ? s.ended_at : s.phase_at && s.phase_at.ended;
    var said = at ? fill(W.ended_at, endedWhen(at)) : W.ended_untimed;
    if (s.ended && s.ended_by) { return W.ended_by_officer.replace("__T__", said).replace("__U__", s.ended_by); }
    if (s.ended) { return said; }
    return at && phase() === "ended" ? W.ended_by_clock.replace("__T__", said) : "";
  }
  function renderEnded() {
    var s = state.summary || {}, ended = !!s.ended, banner = $("ended-banner");
    document.body.classList.toggle("event-ended", ended);
    document.querySelectorAll("[data-ended-text]").forEach(function (node) {
      setText(node, node.getAttribute(ended ? "data-ended-text" : "data-live-text"));
    });
    if (!banner) { return; }
    var text = endedText();
    banner.hidden = !text;
    setText(banner, text);
  }

  // ---------- collection notices ----------
  function targetWords(t) {
    if (t.paused_reason) {
      return { cls: "bad", text: W["paused_" + t.paused_reason] || fill(W.paused_other, t.paused_reason) };
    }
    if (t.finished) { return { cls: "", text: W.finished }; }
    if (t.last_error && !t.failures) { return { cls: "warn", text: fill(W.rate_limited, clock(t.next_run_at)) }; }
    if (t.failures) { return { cls: "warn", text: fill(W.retrying, t.failures) }; }
    // A meeting is held, a livestream broadcast: each has its words (app.labels).
    var meeting = (W.meeting_kinds || []).indexOf(t.kind) >= 0;
    if (t.status === "live") { return { cls: "ok", text: meeting ? W.live_meeting : W.live }; }
    if (t.status === "ended") { return { cls: "", text: endedWords(t.next_run_at) }; }
    return { cls: "", text: meeting ? W.waiting_meeting : W.waiting };
  }
  // Ended, not finished: when the counters are read next (app.status.words.ended_state).
  function endedWords(iso) {
    var at = iso ? Date.parse(iso) : NaN;
    if (isNaN(at) || at <= serverNow()) { return W.ended_now; }
    var w = when(iso);
    return fill(W.ended, w.date + " " + w.time);  // the day first, as everywhere
  }
  function platformName(kind) {
    var names = W.platforms || {};  // app.labels.PLATFORM, from the server
    var key = String(kind || "").split("_")[0];
    return names[key] || String(kind || "");
  }
  // What an officer knows the object by: its title (a link to it when known), then its kind in
  // words; the kind alone when no title is known. Never the platform's internal id.
  function targetHead(t) {
    var head = el("span", "target-head"), kind = kindName(t.kind);
    var link = /^https?:\/\//i.test(t.url || "");
    if (t.title || link) {
      var name = el(link ? "a" : "strong", "target-title", t.title || kind);
      if (link) {
        name.href = t.url;
        name.target = "_blank";
        name.rel = "noopener noreferrer";
      }
      head.appendChild(name);
      if (t.title) { head.appendChild(el("small", "target-kind muted", " · " + kind)); }
    } else {
      head.appendChild(el("strong", null, kind));
    }
    return head;
  }
  function kindName(kind) { return (W.target_kinds || {})[kind] || platformName(kind); }
  function renderTargets() {
    var targets = (state.summary && state.summary.targets) || [];
    var alerts = $("target-alerts"), list = $("targets");
    alerts.textContent = "";
    if (list) { list.textContent = ""; }
    targets.forEach(function (t) {
      var w = targetWords(t);
      if (w.cls === "bad" || w.cls === "warn") {
        var alert = el("p", "target-alert " + w.cls);
        alert.appendChild(el("strong", null, platformName(t.kind) + ": "));
        alert.appendChild(document.createTextNode(w.text));
        alerts.appendChild(alert);
      }
      if (!list) { return; }
      var li = el("li", "target " + w.cls);
      li.appendChild(targetHead(t));
      li.appendChild(el("span", "target-state", w.text));
      if (t.peak_viewers) { li.appendChild(el("span", "target-peak", fill(W.target_peak, fmt(t.peak_viewers)))); }
      li.appendChild(el("span", "age", fill(W.last_success, ageText(t.last_success_at))));
      li.setAttribute("data-last-success", t.last_success_at || "");
      list.appendChild(li);
    });
  }
  function renderTargetAges() {
    document.querySelectorAll("#targets li[data-last-success]").forEach(function (li) {
      setText(li.querySelector(".age"), fill(W.last_success, ageText(li.getAttribute("data-last-success") || null)));
    });
  }

  // ---------- halls board and charts (live-halls.js) ----------
  var halls = cfg.conference && window.LantoaHalls ? window.LantoaHalls(cfg, {
    W: W, el: el, fmt: fmt, fill: fill, setText: setText, ageText: ageText,
    ageSeconds: ageSeconds, localPlotTime: localPlotTime, over: over, later: later
  }) : null;
  function renderHalls() { if (halls) { halls.render(state.summary); } }

  // ---------- charts ----------
  var charts = { viewers: $("chart-viewers"), reactions: $("chart-reactions"), comments: $("chart-comments") };
  var plotConfig = { displayModeBar: false, staticPlot: false };
  var plotted = false;
  function plotInitial() {
    if (!window.Plotly || !window.LantoaCharts) { return; }
    // The wall's type follows the projector's size (its root font: 16 px at 1920×1080).
    var rem = cfg.wall ? parseFloat(getComputedStyle(document.documentElement).fontSize) / 16 : 1;
    function px(n) { return Math.round(n * rem); }
    var wallFont = cfg.wall ? { color: "#f4f7fb", size: px(20) } : null;
    ["viewers", "reactions", "comments"].forEach(function (name) {
      if (!charts[name]) { return; }
      var fig = cfg.figures[name];
      if (wallFont) {
        fig.layout.font = Object.assign({}, fig.layout.font, wallFont);
        fig.layout.title.font = { size: px(26) };
        // Fewer, larger ticks: "20:05 / 03/12/2026" at 20 px must not overlap.
        fig.layout.xaxis = Object.assign({}, fig.layout.xaxis, { gridcolor: "#22304d", nticks: 5 });
        fig.layout.yaxis = Object.assign({}, fig.layout.yaxis, { gridcolor: "#22304d", nticks: 6 });
        fig.layout.margin = Object.assign({}, fig.layout.margin,
          { l: px(100), r: px(40), b: px(80), t: px(56) });
      }
      LantoaCharts.plot(charts[name], fig, plotConfig);
    });
    if (halls) { halls.plot(); }
    var line = cfg.figures.viewers.data[0];
    state.viewers = { x: line.x.slice(), y: line.y.slice() };
    var bars = cfg.figures.comments.data[0];
    state.minutes = {};
    bars.x.forEach(function (x, i) { state.minutes[x] = bars.y[i]; });
    plotted = true;
  }
  // The viewers line (trace 0) and its peak star (trace 1) in one draw; copies: Plotly keeps
  // the arrays it is given, and growViewers adds to the page's own.
  function drawViewers() {
    var y = state.viewers.y, best = -1;
    for (var i = 0; i < y.length; i++) { if (best < 0 || y[i] > y[best]) { best = i; } }
    var word = cfg.figures.viewers.data[1].name;  // "Đỉnh" / "Peak", in the page's language
    var star = best < 0 ? { x: [], y: [], text: [] }
      : { x: [state.viewers.x[best]], y: [y[best]], text: [word + ": " + fmt(y[best])] };
    LantoaCharts.redraw(charts.viewers, {
      x: [state.viewers.x.slice(), star.x], y: [y.slice(), star.y], text: [undefined, star.text]
    }, null, [0, 1], y.length > 0);
  }
  function setViewers(points) {
    state.viewers = { x: points.map(function (p) { return localPlotTime(p[0]); }), y: points.map(function (p) { return p[1]; }) };
    if (!plotted || !charts.viewers || later("viewers")) { return; }
    drawViewers();
  }
  function growViewers(points) {
    if (!points || !points.length) { return; }
    var x = state.viewers.x, y = state.viewers.y;
    points.forEach(function (p) {
      var t = localPlotTime(p[0]);
      var last = x.length ? x[x.length - 1] : null;
      if (last === null || t > last) { x.push(t); y.push(p[1]); }
      else {
        var i = x.indexOf(t);
        if (i >= 0) { y[i] = p[1]; } else {
          var at = 0;
          while (at < x.length && x[at] < t) { at++; }
          x.splice(at, 0, t); y.splice(at, 0, p[1]);
        }
      }
    });
    if (x.length > MAX_POINTS) { x.splice(0, x.length - MAX_POINTS); y.splice(0, y.length - MAX_POINTS); }
    if (!plotted || !charts.viewers || later("viewers")) { return; }
    drawViewers();
  }
  function setMinutes(points, replace) {
    if (replace) { state.minutes = {}; }
    (points || []).forEach(function (p) { state.minutes[localPlotTime(p[0])] = p[1]; });
    if (!plotted || !charts.comments || later("minutes")) { return; }
    drawMinutes();
  }
  function drawMinutes() {
    var xs = Object.keys(state.minutes).sort();
    var ys = xs.map(function (k) { return state.minutes[k]; });
    var shown = charts.comments.data[0];
    if (String(shown.x) === String(xs) && String(shown.y) === String(ys)) { return; }  // as drawn
    LantoaCharts.redraw(charts.comments, { x: [xs], y: [ys] }, null, [0], xs.length > 0);
  }
  function setReactions() {
    if (!plotted || !charts.reactions) { return; }
    var r = (state.summary && state.summary.reactions) || {};
    var kinds = cfg.figures.reactions.data[0].customdata;
    var y = kinds.map(function (k) { return r[k] || 0; });
    if (String(charts.reactions.data[0].y) === String(y)) { return; }  // as drawn: no draw
    var text = y.map(function (v) { return v ? fmt(v) : ""; });  // as dashboards/live.py
    LantoaCharts.redraw(charts.reactions, { y: [y], text: [text] }, null, [0],
                        y.some(function (v) { return v > 0; }));
  }

  // ---------- comment feed ----------
  var feed = $("feed");
  // The page's (a channel's) own reply is shown muted, marked, and never as a lead: no lead
  // class, so the lead work (leads.js) never dresses it and "Leads only" hides it.
  function commentNode(c) {
    var owner = !!c.by_owner;
    var li = el("li", "comment" + (owner ? " by-owner" : c.is_lead ? " lead" : ""));
    li.setAttribute("data-id", String(c.id));
    var head = el("div", "comment-head");
    head.appendChild(el("strong", "author", c.author || "—"));
    head.appendChild(el("span", "platform", platformName(c.platform)));
    head.appendChild(el("time", "when", clock(c.created_at)));
    if (owner) {
      var badge = el("span", "owner-badge", c.platform === "youtube" ? W.owner_reply_youtube : W.owner_reply);
      badge.title = W.owner_reply_hint;
      head.appendChild(badge);
    } else if (c.is_lead) {
      head.appendChild(el("span", "lead-badge", W.lead));
      head.appendChild(el("span", "phone", c.phone ? c.phone : W.no_phone));
    }
    li.appendChild(head);
    li.appendChild(el("p", "text", c.text));
    // An intent code the words do not know (stored by an earlier version) is left out, not shown.
    var intents = (c.intents || (c.intent ? [c.intent] : [])).filter(function (i) { return W.intents[i]; });
    if (intents.length) {
      var tags = el("div", "intents");
      intents.forEach(function (i) { tags.appendChild(el("span", "intent", W.intents[i])); });
      li.appendChild(tags);
    }
    return li;
  }
  // Comments known but not on the feed yet (newest first), and ids to take off it: a run's
  // messages put theirs here, and the feed is rendered once at its end (renderFeed).
  var toShow = [], toRemove = {};
  function addComments(comments, replace) {
    if (!feed) { return; }
    if (replace) { feed.textContent = ""; state.commentIds = {}; state.waiting = []; toShow = []; toRemove = {}; }
    var fresh = (comments || []).filter(function (c) {
      if (state.commentIds[c.id]) { return false; }
      state.commentIds[c.id] = true;
      return true;
    });
    if (state.paused && !replace) { state.waiting = fresh.concat(state.waiting); }
    else { toShow = fresh.concat(toShow); }  // a later message's comments are newer
    if (!later("feed")) { renderFeed(); }
  }
  // Comments the platform removed (a moderator deleted them): off the feed and the waiting
  // list; their ids stay known, so a late copy of them is not shown again.
  function removeComments(ids) {
    if (!feed || !ids || !ids.length) { return; }
    var gone = toRemove;
    ids.forEach(function (id) { gone[String(id)] = true; state.commentIds[id] = true; });
    var kept = function (c) { return !gone[String(c.id)]; };
    toShow = toShow.filter(kept);
    state.waiting = state.waiting.filter(kept);
    if (!later("feed")) { renderFeed(); }
  }
  function renderFeed() {
    var gone = toRemove, fresh = toShow;
    toRemove = {};
    toShow = [];
    if (Object.keys(gone).length) {
      feed.querySelectorAll("li.comment").forEach(function (li) {
        if (gone[li.getAttribute("data-id")]) { li.remove(); }
      });
    }
    if (fresh.length) { insertNewestFirst(fresh, false); }
    renderWaiting();
    renderEmptyFeed();
  }
  function insertNewestFirst(comments, append) {
    var frag = document.createDocumentFragment();
    comments.forEach(function (c) { frag.appendChild(commentNode(c)); });
    var empty = feed.querySelector(".empty");
    if (empty) { empty.remove(); }
    if (append) { feed.appendChild(frag); } else { feed.insertBefore(frag, feed.firstChild); }
    while (feed.children.length > MAX_FEED) { feed.removeChild(feed.lastChild); }
  }
  function renderEmptyFeed() {
    if (feed && !feed.children.length) { feed.appendChild(el("li", "empty muted", W.no_comments)); }
  }
  function renderWaiting() {
    var b = $("feed-waiting");
    b.hidden = !state.waiting.length;
    setText(b, fill(W.new_comments, state.waiting.length));
  }
  function setPaused(paused) {
    state.paused = paused;
    var button = $("pause-feed");
    button.setAttribute("aria-pressed", paused ? "true" : "false");
    setText(button, button.getAttribute(paused ? "data-resume" : "data-pause"));
    if (!paused && state.waiting.length) {
      insertNewestFirst(state.waiting, false);
      state.waiting = [];
    }
    renderWaiting();
  }
  if (feed) {
    $("leads-only").addEventListener("change", function (ev) { feed.classList.toggle("leads-only", ev.target.checked); });
    $("pause-feed").addEventListener("click", function () { setPaused(!state.paused); });
    $("feed-waiting").addEventListener("click", function () { setPaused(false); });
  }

  // ---------- patches (app/live/diff.py says the rules) ----------
  // A delta's "patch" holds only what moved since the summary of the number before it: changed
  // keys with their new values, nested dicts patched in turn, keys gone under "$del", lists of
  // rows with ids as {"$rows": {id: row patch or new row}, "$gone": [ids], "$moves": [[id, index]]}.
  function isDict(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function merge(old, patch) {
    var out = {}, key;
    for (key in old) { if (Object.prototype.hasOwnProperty.call(old, key)) { out[key] = old[key]; } }
    (patch.$del || []).forEach(function (k) { delete out[k]; });
    for (key in patch) {
      if (!Object.prototype.hasOwnProperty.call(patch, key) || key === "$del") { continue; }
      var value = patch[key], before = out[key];
      if (isDict(value) && isDict(before)) { out[key] = merge(before, value); }
      else if (isDict(value) && value.$rows && Array.isArray(before)) { out[key] = mergeRows(before, value); }
      else { out[key] = value; }
    }
    return out;
  }
  function mergeRows(old, patch) {
    var rows = {}, has = Object.prototype.hasOwnProperty, moved = {};
    old.forEach(function (row) { rows[String(row.id)] = row; });
    (patch.$gone || []).forEach(function (k) { delete rows[k]; });
    Object.keys(patch.$rows).forEach(function (k) {
      rows[k] = has.call(rows, k) ? merge(rows[k], patch.$rows[k]) : patch.$rows[k];
    });
    var moves = (patch.$moves || []).slice().sort(function (a, b) { return a[1] - b[1]; });
    moves.forEach(function (m) { moved[m[0]] = true; });
    var order = old.map(function (row) { return String(row.id); }).filter(function (k) {
      return has.call(rows, k) && !has.call(moved, k);
    });
    moves.forEach(function (m) { order.splice(m[1], 0, m[0]); });
    return order.map(function (k) { return rows[k]; });
  }

  // ---------- a run of messages, drawn once ----------
  // A phone back on 3G finds up to MAX_EARLY deltas held for its snapshot: drawn one by one,
  // each redrew every chart it touched, the counters, targets, halls and feed: 100 draws in one
  // go froze a slow phone for seconds just as its connection came back (bench/live_held.py).
  // In a run each message's data goes into the state at once (window.lantoaLive and every
  // series read as one by one), and what changed is drawn once at the run's end.
  var run = null;  // while a run is applied: what it changed, {summary: true, viewers: true, ...}
  function later(what) {  // true when ``what`` is drawn at the run's end instead of now
    if (run) { run[what] = true; }
    return !!run;
  }
  function inOneRun(apply) {
    if (run) { apply(); return; }  // within a run already (its snapshot's, or a hidden tab's)
    run = {};
    try { apply(); } finally {
      var changed = run;
      run = null;
      drawChanged(changed);
    }
  }
  // A tab out of sight draws nothing: what comes meanwhile is one run, drawn when it is seen
  // again (a backgrounded phone's queued burst drew every chart once per message as it came
  // back). No run is ever open here otherwise: inOneRun's close within the task.
  function holdWhileHidden() {
    if (document.hidden && !run) { run = {}; return; }
    if (!document.hidden && run) {
      var changed = run;
      run = null;
      drawChanged(changed);
    }
  }
  function drawChanged(changed) {  // in the order a snapshot draws them
    if (changed.summary) { renderSummary(); }
    if (changed.viewers) { drawViewers(); }
    if (changed.minutes) { drawMinutes(); }
    if (changed.halls && halls) { halls.redraw(); }
    if (changed.feed) { renderFeed(); }
  }

  // ---------- applying server messages ----------
  // ---------- a meeting collector added or removed (the summary's "meeting") ----------
  // The board's columns, legend, titles and hall words, the halls-connected tile and chart
  // follow it: the server renders both ways ([data-meeting]), the script shows one.
  function renderMeeting() {
    var s = state.summary || {};
    if (!cfg.conference || s.meeting === undefined || s.meeting === cfg.meeting) { return; }
    cfg.meeting = !!s.meeting;
    var words = (W.hall_words || {})[cfg.meeting ? "meeting" : "in_person"] || {};
    Object.keys(words).forEach(function (code) { W["hall_" + code] = words[code]; });
    document.querySelectorAll("[data-meeting]").forEach(function (node) {
      node.hidden = node.getAttribute("data-meeting") !== (cfg.meeting ? "yes" : "no");
    });
    var chart = $("chart-halls");  // drawn while hidden: fit it to its box now it shows
    if (chart && !chart.hidden && window.Plotly && chart.data) { Plotly.Plots.resize(chart); }
  }
  function applySummary(summary) {
    state.summary = summary;
    // The event ended (or went live) since the page opened: no more "figures not moving" then.
    if (summary && summary.event_status) { state.eventStatus = summary.event_status; }
    if (!later("summary")) { renderSummary(); }
  }
  function renderSummary() {
    renderMeeting();
    renderCounters();
    renderPhase();
    renderEnded();
    renderTargets();
    renderHalls();
    setReactions();
  }
  function applySnapshot(msg) {
    if (msg.event_id !== cfg.event_id) { return; }
    state.lastMessageAt = Date.now();
    setServerTime(msg.server_time);
    state.seq = msg.seq;
    state.epoch = msg.epoch;
    if (msg.event && msg.event.status) { state.eventStatus = msg.event.status; }
    state.connection = "live";
    inOneRun(function () {
      applySummary(msg.summary);
      setViewers((msg.series && msg.series.viewers) || []);
      setMinutes((msg.series && msg.series.comments_per_minute) || [], true);
      if (halls) { halls.setSeries((msg.series && msg.series.halls) || []); }
      addComments(msg.comments || [], true);
      document.body.setAttribute("data-seq", String(state.seq));
      state.resyncing = false;  // the snapshot asked for is here (its answer follows it)
      var early = state.early;
      state.early = [];
      early.filter(function (d) { return d.epoch === state.epoch && d.seq > state.seq; })
        .sort(function (a, b) { return a.seq - b.seq; })
        .forEach(applyDelta);
    });
    renderBanner();
  }
  function applyDelta(msg) {
    if (msg.event_id !== cfg.event_id) { return; }
    if (state.seq === null || state.resyncing) {  // its snapshot is on its way: held for it
      if (state.early.length < MAX_EARLY) { state.early.push(msg); }
      return;
    }
    if (msg.epoch === state.epoch && msg.seq === state.seq) { return; }  // the snapshot has it
    if (msg.epoch !== state.epoch || msg.seq !== state.seq + 1) {  // a gap: the whole state again
      state.early.push(msg);  // applied after the snapshot if numbered after it
      resync();
      return;
    }
    inOneRun(function () { applyData(msg); });
  }
  function applyData(msg) {
    state.lastMessageAt = Date.now();
    setServerTime(msg.server_time);
    state.seq = msg.seq;
    if (msg.reason === "status" && msg.event && msg.event.status) { state.eventStatus = msg.event.status; }
    if (msg.summary) { applySummary(msg.summary); }
    else if (msg.patch) { applySummary(merge(state.summary || {}, msg.patch)); }
    if (msg.series) {
      growViewers(msg.series.viewers);
      if (msg.series.comments_per_minute && msg.series.comments_per_minute.length) { setMinutes(msg.series.comments_per_minute, false); }
      if (halls) { halls.grow(msg.series.halls); }
    }
    addComments(msg.comments || [], false);
    removeComments(msg.removed);
    document.body.setAttribute("data-seq", String(state.seq));
  }

  // ---------- the wall fits its screen ----------
  // live.css sizes the wall's type by the projector; when the board still runs past the bottom
  // (39 halls, an open alert, names on two lines), where no one scrolls, the type steps down until
  // it all fits (as far as 8 px: smaller type beats halls off the screen), and again whenever the
  // board or the screen changes.
  var MIN_WALL_PX = 8;
  var fitFrame = 0;
  function fitWall() {
    fitFrame = 0;
    var root = document.documentElement;
    root.style.fontSize = "";  // the screen's own size first
    var size = parseFloat(getComputedStyle(root).fontSize);
    while (root.scrollHeight > window.innerHeight && size > MIN_WALL_PX) {
      size = Math.max(MIN_WALL_PX, size - 0.25);
      root.style.fontSize = size + "px";
    }
  }
  function fitSoon() { if (!fitFrame) { fitFrame = requestAnimationFrame(fitWall); } }
  if (cfg.wall && window.ResizeObserver) {
    new ResizeObserver(fitSoon).observe(document.querySelector("main") || document.body);
    window.addEventListener("resize", fitSoon);
  }

  // ---------- start ----------
  renderCounters();
  renderPhase();
  renderEnded();
  renderTargets();
  renderHalls();
  renderEmptyFeed();
  plotInitial();
  holdWhileHidden();
  document.addEventListener("visibilitychange", holdWhileHidden);
  setInterval(function () {
    if (phase() !== shownPhase) { renderCounters(); renderPhase(); renderEnded(); } else { renderAges(); renderUpcoming(); }
    renderTargetAges();
  }, 1000);

  var socket = io(cfg.namespace || "/live", { reconnectionDelayMax: 5000 });
  window.lantoaLive = { state: state, socket: socket, halls: halls, merge: merge };  // tests, the curious
  var retryTimer = null;
  function answered(ack) {
    // The snapshot, sent before the answer, has been applied when an "ok" answer arrives.
    state.resyncing = false;
    if (!socket.connected || (ack && ack.ok)) { return; }
    if (ack && ack.status === 503) {  // the server is there but cannot serve live figures yet
      state.connection = "unavailable";
      state.problem = ack.error || "";
      renderAges();
      clearTimeout(retryTimer);
      retryTimer = setTimeout(join, RETRY_MS);
      return;
    }
    state.connection = "refused";
    state.signedOut = !!(ack && ack.status === 401);  // a session ended (or a token revoked)
    renderAges();
    socket.disconnect();
  }
  function ask(name) {
    socket.timeout(ANSWER_MS).emit(name, { event_id: cfg.event_id }, function (err, ack) {
      answered(err ? { ok: false, status: 503 } : ack);
    });
  }
  function join() {
    if (socket.connected) { ask("join"); }
  }
  function resync() {
    state.resyncing = true;
    state.connection = "resyncing";
    renderBanner();
    ask("resync");
  }
  socket.on("connect", function () {
    state.resyncing = false;
    state.connection = state.seq === null ? "connecting" : "resyncing";
    renderBanner();
    join();
  });
  socket.on("snapshot", applySnapshot);
  socket.on("delta", applyDelta);
  socket.on("disconnect", function (reason) {
    clearTimeout(retryTimer);
    state.early = [];  // the next connection's snapshot is newer than any of them
    if (state.connection !== "refused") { state.connection = "reconnecting"; }
    renderAges();
    // The server closed the socket when the account changed (role, unit, password, locked):
    // Socket.IO does not reconnect by itself then, so connect again and join as the account is
    // now; a locked account or an ended session is refused there.
    if (reason === "io server disconnect" && state.connection !== "refused") {
      retryTimer = setTimeout(function () { socket.connect(); }, 1000);
    }
  });
  socket.on("connect_error", function () {
    if (state.connection !== "refused") { state.connection = state.seq === null ? "connecting" : "reconnecting"; }
    renderAges();
  });
})();
