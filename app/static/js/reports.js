// Draws every figure embedded in the page as JSON (<script type="application/json" data-figure>)
// with the vendored plotly.js; the figures are built on the server by dashboards/channels.py.
(function () {
  "use strict";
  document.querySelectorAll("script[data-figure]").forEach(function (node) {
    var figure = JSON.parse(node.textContent);
    var target = document.getElementById(node.getAttribute("data-figure"));
    if (target && window.Plotly) {
      window.Plotly.newPlot(target, figure.data, figure.layout, {
        responsive: true, displaylogo: false, locale: "vi"
      });
    }
  });
})();
