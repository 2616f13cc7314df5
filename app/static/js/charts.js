// What every page that draws with Plotly shares (after plotly.js and plotly-locale-vi.js):
// - the config: Plotly's "vi" locale on a Vietnamese page ("03/12/2026", 1.700, 0,62),
//   English on an English one (1,700; dates still 03/12/2026, never "Dec 3, 2026"), no Plotly
//   logo, no button sending the chart to Plotly's cloud;
// - count axes (the figure builders give them tickformat ",d") show whole numbers only: on a
//   small range Plotly would step by 0,5 and ",d" would print "0 1 1 2 2", so up to SMALL the
//   step is 1, above it Plotly's own steps are whole already;
// - an empty figure comes with its axes hidden and a "chưa có số liệu" note (dashboards/theme.py):
//   clearEmpty takes the note away and shows the axes when the first data arrives.
(function () {
  "use strict";

  var SMALL = 10;

  var lang = (document.documentElement.getAttribute("lang") || "vi").slice(0, 2);
  var locale = lang === "en" ? "en-lantoa" : "vi";

  // Plotly's English words and numbers, with the dates every screen writes (day first).
  if (window.Plotly) {
    window.Plotly.register({
      moduleType: "locale", name: "en-lantoa", dictionary: {},
      format: { date: "%d/%m/%Y", dateTime: "%H:%M:%S %d/%m/%Y", year: "%Y", month: "%m/%Y",
                dayMonth: "%d/%m", dayMonthYear: "%d/%m/%Y" }
    });
  }

  // No "Share chart..." button: it would send the figure to Plotly's cloud.
  function config(extra) {
    return Object.assign({ locale: locale, displaylogo: false, responsive: true,
                           modeBarButtonsToRemove: ["sendChartToCloud"] }, extra || {});
  }

  function countAxes(div) {
    var names = [];
    Object.keys(div.layout || {}).forEach(function (key) {
      if (/^[xy]axis\d*$/.test(key) && div.layout[key] && div.layout[key].tickformat === ",d") {
        names.push(key);
      }
    });
    return names;
  }

  // The extent [lo, hi] of the traces' values on the axis ``name`` ("xaxis", "yaxis2"), in the
  // axis's own units (ms for a date); null when none. What its range will hold once drawn.
  function extent(traces, name, ax) {
    var letter = name.charAt(0), id = letter + name.slice(5), lo = Infinity, hi = -Infinity;
    traces.forEach(function (trace) {
      var values = trace[letter];
      if ((trace[letter + "axis"] || letter) !== id || !values) { return; }
      for (var i = 0; i < values.length; i++) {
        var v = ax.d2l(values[i]);
        if (isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      }
    });
    return lo <= hi ? [lo, hi] : null;
  }
  // The layout's shapes as traces for extent(): a line the range must hold too (a conference's
  // expected halls: 39 beside 3 connected, its axis no count of 1 to 10).
  function shapeTraces(div) {
    return ((div.layout && div.layout.shapes) || []).map(function (shape) {
      return { x: [shape.x0, shape.x1], y: [shape.y0, shape.y1],
               xaxis: shape.xref || "x", yaxis: shape.yref || "y" };
    });
  }

  // Each fit below returns the layout changes an axis needs (none once right). Given
  // ``traces`` (the data about to be drawn), it judges by them instead of the range drawn
  // last: new data is drawn with its axes fitted already. A fixed step kept from the old data
  // would have been drawn over the new range first: steps of 1 on a chart gone from 0 to 1.700
  // viewers, 440 tick labels, each checked against every other by Plotly (seconds frozen on the
  // first data, bench/live_first_data.py); the fits after the draw set any it misjudged.

  // Steps of 1 on a small count axis, Plotly's own steps on a larger one.
  function fitCounts(div, traces) {
    var full = div._fullLayout, update = {};
    if (!full) { return update; }
    countAxes(div).forEach(function (name) {
      var ax = full[name], own = div.layout[name];
      if (!ax || ax.type !== "linear") { return; }
      var range = ax.range;
      if (traces) {  // from zero (rangemode "tozero") to the values
        var span = extent(traces, name, ax);
        range = span && [Math.min(0, span[0]), Math.max(0, span[1])];
      }
      if (!range) { return; }
      var small = Math.max(Math.abs(range[0]), Math.abs(range[1])) <= SMALL;
      if (small && own.dtick !== 1) {
        update[name + ".tickmode"] = "linear";
        update[name + ".tick0"] = 0;
        update[name + ".dtick"] = 1;
      } else if (!small && own.dtick === 1) {
        update[name + ".tickmode"] = "auto";
        update[name + ".tick0"] = null;
        update[name + ".dtick"] = null;
      }
    });
    return update;
  }

  // A minute axis (tickformat "%H:%M", e.g. comments per minute) steps by whole minutes while
  // it spans less than MINUTES of them: Plotly would otherwise tick a one-bar chart by the
  // millisecond ("03:47:59.9995").
  var MINUTES = 10, MINUTE = 60000;
  function fitMinutes(div, traces) {
    var full = div._fullLayout, update = {};
    if (!full) { return update; }
    Object.keys(div.layout || {}).forEach(function (name) {
      var own = div.layout[name], ax = full[name], span;
      if (!/^xaxis\d*$/.test(name) || !own || own.tickformat !== "%H:%M" || !ax || !ax.range) { return; }
      if (traces) {  // the minutes' bars, and a bar's width beside them
        var minutes = extent(traces, name, ax);
        if (!minutes) { return; }
        span = minutes[1] - minutes[0] + MINUTE;
      } else {
        span = new Date(ax.range[1]).getTime() - new Date(ax.range[0]).getTime();
      }
      var small = span < MINUTES * MINUTE;
      if (small && own.dtick !== MINUTE) {
        update[name + ".tickmode"] = "linear";
        update[name + ".tick0"] = "2000-01-01";
        update[name + ".dtick"] = MINUTE;
      } else if (!small && own.dtick === MINUTE) {
        update[name + ".tickmode"] = "auto";
        update[name + ".tick0"] = null;
        update[name + ".dtick"] = null;
      }
    });
    return update;
  }

  // A time axis with no format of its own (viewers, halls over time) holding less than a minute
  // of data shows a few minutes around it: Plotly alone would tick a single point by the
  // millisecond ("08:40:29.9995"), ticked by the minute. Once the data spans a minute, Plotly's
  // own range and ticks are back.
  var AROUND = 2 * MINUTE;
  function fitMoments(div, traces) {
    var full = div._fullLayout, update = {};
    if (!full) { return update; }
    var narrowed = div._lantoaNarrowed = div._lantoaNarrowed || {};
    Object.keys(div.layout || {}).forEach(function (name) {
      var own = div.layout[name], ax = full[name];
      if (!/^xaxis\d*$/.test(name) || !own || own.type !== "date" || own.tickformat || !ax || !ax.d2l) { return; }
      var span = extent(traces || div.data || [], name, ax);
      if (span !== null && span[1] - span[0] < MINUTE) {
        var middle = (span[0] + span[1]) / 2;
        if (narrowed[name] !== middle) {
          narrowed[name] = middle;
          update[name + ".range"] = [ax.l2r(middle - AROUND), ax.l2r(middle + AROUND)];
          update[name + ".tickmode"] = "linear";
          update[name + ".tick0"] = "2000-01-01";
          update[name + ".dtick"] = MINUTE;
        }
      } else if (narrowed[name] !== undefined) {
        delete narrowed[name];
        update[name + ".autorange"] = true;
        update[name + ".tickmode"] = "auto";
        update[name + ".tick0"] = null;
        update[name + ".dtick"] = null;
      }
    });
    return update;
  }

  // A time axis with no format of its own on a narrow chart (a phone, a projector page at 390 px)
  // labels its ticks short and whole: Plotly's own labels ("20:05" over "06/12/2026", tilted
  // when they crowd) are cut at the chart's edge there. Each tick says its time and day
  // ("20:05" over "06/12"), as few ticks as fit their labels, the margin grown to hold them;
  // a wider chart (a turned phone) gets Plotly's own labels back.
  var NARROW = 560;  // px of the chart's width
  var SHORT_STOPS = [
    { dtickrange: [null, MINUTE - 1], value: "%H:%M:%S<br>%d/%m" },
    { dtickrange: [MINUTE, 24 * 60 * MINUTE - 1], value: "%H:%M<br>%d/%m" },
    { dtickrange: [24 * 60 * MINUTE, null], value: "%d/%m<br>%Y" }
  ];
  function fitNarrow(div) {
    var full = div._fullLayout, update = {};
    if (!full || !full._size) { return update; }
    var narrow = div.clientWidth > 0 && div.clientWidth < NARROW;
    var shortened = div._lantoaShort = div._lantoaShort || {};
    Object.keys(div.layout || {}).forEach(function (name) {
      var own = div.layout[name], ax = full[name];
      if (!/^xaxis\d*$/.test(name) || !own || own.type !== "date" || own.tickformat || !ax) { return; }
      if (narrow && !shortened[name]) {
        var size = (ax.tickfont && ax.tickfont.size) || 12;  // "20:05:30" is about 4.5 ems wide
        shortened[name] = { nticks: own.nticks === undefined ? null : own.nticks };
        update[name + ".tickformatstops"] = SHORT_STOPS;
        update[name + ".nticks"] = Math.max(2, Math.floor(full._size.w / (size * 6)));
        update[name + ".tickangle"] = 0;
        update[name + ".automargin"] = true;
      } else if (!narrow && shortened[name]) {
        update[name + ".tickformatstops"] = null;
        update[name + ".nticks"] = shortened[name].nticks;
        update[name + ".tickangle"] = null;
        delete shortened[name];
      }
    });
    return update;
  }

  // Every fit's changes together (``traces``: judged by the data about to be drawn).
  function fits(div, traces) {
    return Object.assign(fitCounts(div, traces), fitMinutes(div, traces), fitMoments(div, traces),
                         fitNarrow(div));
  }
  // One relayout for all of them: its promise, or null when every axis was right already.
  function fitAxes(div) {
    var update = fits(div);
    return Object.keys(update).length ? window.Plotly.relayout(div, update) : null;
  }

  // Fits until a round changes nothing (one fit may call for another: a narrowed axis's new
  // ticks), at most ROUNDS times: then the chart is as the user will see it.
  var ROUNDS = 4;
  function settle(gd, round) {
    var pending = fitAxes(gd);
    if (!pending || round >= ROUNDS) { return Promise.resolve(gd); }
    return pending.then(function () { return settle(gd, round + 1); });
  }

  // The signal that the charts are drawn and fitted (tests and bench/page_load.py wait for it,
  // there being no Plotly event for "the last relayout is done"): each chart gets
  // data-fitted once its first draw's fits are done; <body> has data-charts-settled while no
  // chart handed to plot() (or announced with expect()) is still drawing or fitting.
  var drawing = 0;
  function expect(n) {
    drawing += n;
    document.body.toggleAttribute("data-charts-settled", drawing <= 0);
  }
  function done() {
    drawing -= 1;
    if (drawing <= 0) { drawing = 0; document.body.setAttribute("data-charts-settled", ""); }
  }

  // ``expected``: the chart was counted already by expect() (reports.js announces its charts
  // before drawing them one by one).
  function plot(div, figure, extra, expected) {
    if (!expected) { expect(1); }
    div.removeAttribute("data-fitted");
    return window.Plotly.newPlot(div, figure.data, figure.layout, config(extra)).then(function (gd) {
      // Every later redraw (new points, a relayout) checks again, outside Plotly's own call.
      gd.on("plotly_afterplot", function () { setTimeout(function () { fitAxes(gd); }, 0); });
      return settle(gd, 1);
    }).then(function (gd) {
      gd.setAttribute("data-fitted", "");
      return gd;
    }).finally(done);
  }

  // The changes taking an empty chart's note away and showing its axes (none if it has none).
  function unnote(div) {
    if (div && div.layout && div.layout.annotations && div.layout.annotations.length) {
      return { annotations: [], "xaxis.visible": true, "yaxis.visible": true };
    }
    return {};
  }
  function clearEmpty(div) {
    var update = unnote(div);
    if (Object.keys(update).length) { window.Plotly.relayout(div, update); }
  }

  // New data drawn once: ``traces`` in Plotly.restyle's form (each attribute's new value per
  // trace of ``indices``; undefined leaves a trace's own), ``layout``'s changes, and the axes'
  // fits judged by the new data, in one Plotly.update. A snapshot drew each chart three to five
  // times before (a restyle per trace, the empty note's relayout, then each fit's), every draw
  // but the last over axes fitted to the old data. ``filled``: the data is there to show (the
  // empty note goes). Marked as plot() marks a chart: data-fitted off until it is settled.
  function redraw(div, traces, layout, indices, filled) {
    if (!div || !div.data) { return Promise.resolve(div); }
    var future = div.data.map(function (trace, i) {
      var at = indices ? indices.indexOf(i) : i, next = trace;
      if (at < 0) { return trace; }
      Object.keys(traces).forEach(function (key) {
        var value = Array.isArray(traces[key]) ? traces[key][at] : traces[key];
        if (value !== undefined) {
          if (next === trace) { next = Object.assign({}, trace); }
          next[key] = value;
        }
      });
      return next;
    });
    var update = Object.assign({}, filled ? unnote(div) : {}, layout || {},
                               fits(div, future.concat(shapeTraces(div))));
    expect(1);
    div.removeAttribute("data-fitted");
    return Promise.resolve(window.Plotly.update(div, traces, update, indices)).then(function () {
      return settle(div, 1);
    }).then(function (gd) {
      gd.setAttribute("data-fitted", "");
      return gd;
    }).finally(done);
  }

  // Printed, a report's charts (.report-charts) are drawn PRINT_HEIGHT pixels high, then given
  // back their own height: at the screen's height the second chart of a campaign no longer fit
  // under the figures and went to the next sheet, leaving the first half empty. Plotly draws at
  // a fixed size, so CSS alone cannot shrink it; Chromium fires "beforeprint" before it lays the
  // page out for paper (window.print(), Ctrl+P and a headless print to PDF alike).
  // ``beforePrint(fn)``: fn draws what is still to be drawn first (reports.js's later charts).
  var PRINT_HEIGHT = 270, screenHeights = [], printHooks = [];
  function beforePrint(fn) { printHooks.push(fn); }
  window.addEventListener("beforeprint", function () {
    if (!window.Plotly) { return; }
    printHooks.forEach(function (fn) { fn(); });
    document.querySelectorAll(".report-charts .js-plotly-plot").forEach(function (div) {
      if (!div.layout || (div.layout.height || Infinity) <= PRINT_HEIGHT) { return; }
      screenHeights.push([div, div.layout.height === undefined ? null : div.layout.height]);
      window.Plotly.relayout(div, { height: PRINT_HEIGHT });
    });
  });
  window.addEventListener("afterprint", function () {
    screenHeights.splice(0).forEach(function (saved) {
      window.Plotly.relayout(saved[0], { height: saved[1] });
    });
  });

  window.LantoaCharts = { locale: locale, config: config, plot: plot, redraw: redraw,
                          fitCounts: fitAxes, clearEmpty: clearEmpty, expect: expect,
                          beforePrint: beforePrint };
})();
