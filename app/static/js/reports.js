// Draws every figure embedded in the page as JSON (<script type="application/json" data-figure>)
// with the vendored plotly.js through charts.js (locale, whole-number count axes); the figures
// are built on the server by dashboards/channels.py.
//
// One chart per task, the first after the page's first paint: a chart takes Plotly 100–300 ms
// to draw on an office PC, and drawn all at once (five on the channels page) they held the page
// blank, then unresponsive, for a second (bench/page_load.py). The tables and figures show at
// once and each chart appears as it is drawn. A print asked for before the last one is drawn
// draws the rest at once, before charts.js sets their printed height ("beforeprint").
(function () {
  "use strict";
  if (!window.Plotly || !window.LantoaCharts) { return; }
  var queue = [];
  document.querySelectorAll("script[data-figure]").forEach(function (node) {
    var target = document.getElementById(node.getAttribute("data-figure"));
    if (target) { queue.push([target, node]); }
  });
  window.LantoaCharts.expect(queue.length);

  function drawOne() {
    var next = queue.shift();
    if (next) { window.LantoaCharts.plot(next[0], JSON.parse(next[1].textContent), null, true); }
    return next;
  }
  function drawLater() {
    if (drawOne() && queue.length) { setTimeout(drawLater, 0); }
  }
  window.LantoaCharts.beforePrint(function () { while (drawOne()) { /* all of them */ } });
  // After the next frame is painted: requestAnimationFrame runs before it, the timeout after.
  requestAnimationFrame(function () { setTimeout(drawLater, 0); });
})();
