// Org-unit picker: fills province and commune lists from /api/v1/org-units and writes the chosen
// code into the text field. Without JavaScript the field still accepts a typed code.
(function () {
  "use strict";
  function option(value, text) {
    var o = document.createElement("option");
    o.value = value; o.textContent = text; return o;
  }
  function load(parent) {
    var url = "/api/v1/org-units" + (parent ? "?parent=" + encodeURIComponent(parent) : "");
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; });
  }
  document.querySelectorAll("[data-org-picker]").forEach(function (box) {
    var input = box.querySelector("input");
    var picker = box.querySelector(".picker");
    var prov = box.querySelector('[data-level="province"]');
    var comm = box.querySelector('[data-level="commune"]');
    var blank = comm.firstElementChild.cloneNode(true);
    function fillCommunes(code) {
      comm.replaceChildren(blank.cloneNode(true));
      if (!code) return Promise.resolve();
      return load(code).then(function (units) {
        units.forEach(function (u) { comm.appendChild(option(u.code, u.name)); });
      });
    }
    load(null).then(function (tops) {
      if (!tops.length) return;
      tops.forEach(function (u) { prov.appendChild(option(u.code, u.name)); });
      picker.hidden = false;
      var current = input.value.trim();
      var top = tops.find(function (u) { return u.code === current; });
      if (top || current.length <= 2) {
        prov.value = top ? top.code : tops[0].code;
        fillCommunes(prov.value);
      } else {
        prov.value = tops.length === 1 ? tops[0].code : prov.value;
        fillCommunes(prov.value).then(function () { comm.value = current; });
      }
    });
    prov.addEventListener("change", function () { input.value = prov.value; fillCommunes(prov.value); });
    comm.addEventListener("change", function () { input.value = comm.value || prov.value; });
  });
})();
