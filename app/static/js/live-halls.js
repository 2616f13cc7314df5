// The conference part of the live page: the halls board and the two charts (halls connected,
// people present over time). live.js creates it with the page's config and its helpers, and
// hands it every summary and series it applies, so the sequence and resync rules stay in one
// place. Every piece of data is written with textContent; phones come only to officers. A
// unit that watches an upper unit's conference in part (cfg.own_halls) gets no hall's contact
// over the socket: its own halls' contacts come with the page, and its halls are marked.
(function () {
  "use strict";

  var MAX_POINTS = 720;

  window.LantoaHalls = function (cfg, h) {
    var W = cfg.words;
    var missing = document.getElementById("halls-missing");
    var connected = document.getElementById("halls-connected");
    var charts = { halls: document.getElementById("chart-halls"), people: document.getElementById("chart-people") };
    var series = { x: [], halls: [], people: [] };
    var expected = { halls: null, people: null };
    var plotted = false;

    // ---------- the board ----------
    function telHref(phone) { return "tel:" + String(phone).replace(/[^0-9+]/g, ""); }
    function contactNode(hall) {
      var box = h.el("span", "hall-contact");
      box.appendChild(h.el("span", "contact-name", hall.contact ? hall.contact : W.hall_no_contact));
      if (hall.phone) {
        var call = h.el("a", "hall-phone", hall.phone);
        call.setAttribute("href", telHref(hall.phone));
        call.setAttribute("aria-label", h.fill(W.hall_call, hall.name || hall.commune));
        box.appendChild(call);
      }
      return box;
    }
    // Connected means seen on the meeting; a hall that only sent its head count is still one
    // to call, so it waits with the others, its count shown (app.halls.state.STATUSES). In
    // person (no meeting) a hall is in once it sent its head count.
    function hasCount(hall) { return hall.head_count !== null && hall.head_count !== undefined; }
    function onMeeting(hall) {
      if (!cfg.meeting) { return hasCount(hall); }
      return hall.status === "connected" || hall.status === "connected_reported";
    }
    // The count against the expected one; a count far above it (app.halls.unusual: the row's
    // ``unusual``, moved by the deltas with the count) says so in words, on the wall too.
    function countNodes(li, hall) {
      var count = hasCount(hall) ? h.fmt(hall.head_count) : "—";
      li.appendChild(h.el("span", "hall-count", count + " / " + h.fmt(hall.expected)));
      li.classList.toggle("unusual", !!hall.unusual);
      if (hall.unusual) {
        li.appendChild(h.el("span", "hall-unusual", hall.expected > 0
          ? h.fill(W.hall_unusual, h.fmt(hall.expected)) : W.hall_unusual_no_expected));
      }
    }
    var own = cfg.own_halls || null;  // {hall id: {contact, phone}} when watching in part
    function hallNode(row) {
      var mine = own ? own[String(row.id)] : null;
      var hall = mine ? Object.assign({}, row, mine) : row;
      var li = h.el("li", "hall " + hall.status + (mine ? " own" : ""));
      li.setAttribute("data-reported-at", hall.reported_at || "");
      li.setAttribute("data-commune", hall.commune);
      li.appendChild(h.el("span", "hall-name", hall.name || hall.commune));
      if (mine) { li.appendChild(h.el("span", "hall-own", W.hall_own)); }
      if (!onMeeting(hall)) {
        li.appendChild(h.el("span", "hall-status", W["hall_" + hall.status] || ""));
        // The wall hides the long status: a hall that sent its count but is not on the meeting
        // says so in a word, as colour alone fails on a projector and for colour-blind eyes.
        if (cfg.wall && cfg.meeting && hall.status === "reported_only") {
          li.appendChild(h.el("span", "hall-badge", W.hall_reported_badge));
        }
        if (hasCount(hall)) {
          countNodes(li, hall);
        } else {
          li.appendChild(h.el("span", "hall-expected", h.fill(W.hall_expected, h.fmt(hall.expected))));
        }
        if (!own || mine) { li.appendChild(contactNode(hall)); }  // others' contacts: not theirs
        return li;
      }
      countNodes(li, hall);
      // Minutes on the platform, once there is one to say ("connected 0 min" says nothing).
      if (hall.minutes_connected > 0) {
        li.appendChild(h.el("span", "hall-minutes", h.fill(W.hall_minutes, h.fmt(hall.minutes_connected))));
      }
      li.appendChild(h.el("span", "hall-status", W["hall_" + hall.status] || ""));
      li.appendChild(h.el("span", "age"));
      return li;
    }
    function render(summary) {
      if (!missing || !connected) { return; }
      var halls = (summary && summary.halls) || [];
      var waiting = halls.filter(function (x) { return !onMeeting(x); });
      var joined = halls.filter(onMeeting);
      missing.textContent = "";
      connected.textContent = "";
      waiting.forEach(function (x) { missing.appendChild(hallNode(x)); });
      joined.forEach(function (x) { connected.appendChild(hallNode(x)); });
      if (!waiting.length) {  // none waiting: every hall is in, or the event has no hall yet
        var all = cfg.meeting ? W.hall_all_connected : W.hall_all_reported;
        var none = halls.length ? all : W.hall_none_yet;
        missing.appendChild(h.el("li", "hall-none muted", none));
      }
      h.setText(document.getElementById("halls-missing-count"), "(" + h.fmt(waiting.length) + ")");
      h.setText(document.getElementById("halls-connected-count"), "(" + h.fmt(joined.length) + ")");
      renderAges();
      setExpected(summary);
    }
    function renderAges() {
      document.querySelectorAll("#halls-connected li.hall").forEach(function (li) {
        var iso = li.getAttribute("data-reported-at") || null;
        var age = h.ageSeconds(iso);
        h.setText(li.querySelector(".age"), iso ? h.fill(W.hall_report_age, h.ageText(iso)) : "");
        li.classList.toggle("old", !h.over() && age !== null && age > cfg.hall_stale_after);
      });
    }

    // ---------- the charts ----------
    function plot() {
      if (!window.Plotly || !cfg.figures.halls) { return; }
      ["halls", "people"].forEach(function (name) {
        if (!charts[name]) { return; }
        var fig = cfg.figures[name];
        window.LantoaCharts.plot(charts[name], fig, { displayModeBar: false });
      });
      var first = cfg.figures.halls.data[0], second = cfg.figures.people.data[0];
      series = { x: first.x.slice(), halls: first.y.slice(), people: second.y.slice() };
      expected = { halls: cfg.figures.halls.layout.shapes[0].y0, people: cfg.figures.people.layout.shapes[0].y0 };
      plotted = true;
    }
    // Each chart drawn once with its series (charts.js redraw: the note and the fits with it);
    // within a run of messages (live.js), once at the run's end.
    function redraw() {
      if (!plotted || (h.later && h.later("halls"))) { return; }
      draw();
    }
    function draw() {
      if (!plotted) { return; }
      ["halls", "people"].forEach(function (name) {
        if (!charts[name]) { return; }
        window.LantoaCharts.redraw(charts[name], { x: [series.x.slice()], y: [series[name].slice()] },
                                   null, [0], series.x.length > 0);
      });
    }
    function setExpected(summary) {
      if (!plotted || !summary) { return; }
      [["halls", summary.halls_expected], ["people", summary.people_expected]].forEach(function (pair) {
        var name = pair[0], value = pair[1];
        if (charts[name] && typeof value === "number" && value !== expected[name]) {
          expected[name] = value;
          Plotly.relayout(charts[name], { "shapes[0].y0": value, "shapes[0].y1": value });
        }
      });
    }
    function setSeries(points) {
      series = { x: [], halls: [], people: [] };
      (points || []).forEach(function (p) {
        series.x.push(h.localPlotTime(p[0])); series.halls.push(p[1]); series.people.push(p[2]);
      });
      redraw();
    }
    // Points newer than the last drawn are added; an earlier moment (a report that arrived
    // late) is put where it belongs; then the charts are drawn again, once each.
    function grow(points) {
      if (!points || !points.length) { return; }
      var changed = false;
      points.forEach(function (p) {
        var t = h.localPlotTime(p[0]), last = series.x.length ? series.x[series.x.length - 1] : null;
        if (last === null || t > last) {
          series.x.push(t); series.halls.push(p[1]); series.people.push(p[2]);
          changed = true;
          return;
        }
        var i = series.x.indexOf(t);
        if (i >= 0) {
          if (series.halls[i] === p[1] && series.people[i] === p[2]) { return; }
          series.halls[i] = p[1]; series.people[i] = p[2];
        } else {
          var at = 0;
          while (at < series.x.length && series.x[at] < t) { at++; }
          series.x.splice(at, 0, t); series.halls.splice(at, 0, p[1]); series.people.splice(at, 0, p[2]);
        }
        changed = true;
      });
      if (series.x.length > MAX_POINTS) {
        var cut = series.x.length - MAX_POINTS;
        series.x.splice(0, cut); series.halls.splice(0, cut); series.people.splice(0, cut);
      }
      if (changed) { redraw(); }
    }

    return { render: render, renderAges: renderAges, plot: plot, setSeries: setSeries, grow: grow,
             redraw: draw, series: function () { return series; } };
  };
})();
