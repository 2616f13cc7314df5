// Draws every figure embedded in the page as JSON (<script type="application/json" data-figure>)
// with the vendored plotly.js through charts.js (locale, whole-number count axes); the figures
// are built on the server by dashboards/channels.py.
(function () {
  "use strict";
  document.querySelectorAll("script[data-figure]").forEach(function (node) {
    var figure = JSON.parse(node.textContent);
    var target = document.getElementById(node.getAttribute("data-figure"));
    if (target && window.Plotly && window.LantoaCharts) {
      window.LantoaCharts.plot(target, figure);
    }
  });
})();
