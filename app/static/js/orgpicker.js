// Org-unit picker: fills province and commune lists from /api/v1/org-units and writes the chosen
// code into the text field, which it then hides with its hint: an officer picks names, never
// codes. A form holding a commune opens on that commune's province. Without JavaScript (or
// without the list) the field still accepts a typed code.
(function () {
  "use strict";
  function option(value, text) {
    var o = document.createElement("option");
    o.value = value; o.textContent = text; return o;
  }
  function load(parent, code) {
    var url = "/api/v1/org-units" + (parent ? "?parent=" + encodeURIComponent(parent) : "") +
      (code ? "?code=" + encodeURIComponent(code) : "");
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; });
  }
  // The province a commune code belongs to, among the caller's provinces (one request).
  function provinceOf(code, tops) {
    if (tops.length === 1) { return Promise.resolve(tops[0].code); }
    return load(null, code).then(function (found) {
      var parent = found.length ? found[0].parent : null;
      return tops.some(function (u) { return u.code === parent; }) ? parent : tops[0].code;
    });
  }
  document.querySelectorAll("[data-org-picker]").forEach(function (box) {
    var input = box.querySelector("input");
    var picker = box.querySelector(".picker");
    var prov = box.querySelector('[data-level="province"]');
    var comm = box.querySelector('[data-level="commune"]');
    var hint = box.querySelector(".hint");
    var label = box.querySelector("label");
    var blank = comm.firstElementChild.cloneNode(true);
    function namesOnly() {
      input.hidden = true;
      if (hint) { hint.hidden = true; }
      prov.id = (input.id || input.name) + "-province";
      if (label) { label.htmlFor = prov.id; }
    }
    function fillCommunes(code) {
      comm.replaceChildren(blank.cloneNode(true));
      if (!code) return Promise.resolve();
      return load(code).then(function (units) {
        units.forEach(function (u) { comm.appendChild(option(u.code, u.name)); });
        comm.hidden = !units.length;  // a commune's own user has no commune to pick below it
      });
    }
    load(null).then(function (tops) {
      if (!tops.length) return;
      tops.forEach(function (u) { prov.appendChild(option(u.code, u.name)); });
      picker.hidden = false;
      var current = input.value.trim();
      var top = tops.find(function (u) { return u.code === current; });
      if (top || !current) {
        prov.value = top ? top.code : tops[0].code;
        input.value = prov.value;
        namesOnly();
        return fillCommunes(prov.value);
      }
      return provinceOf(current, tops).then(function (code) {
        prov.value = code;
        return fillCommunes(code);
      }).then(function () {
        comm.value = current;
        if (comm.value !== current) { return; }  // a code this user cannot pick: keep it typed
        namesOnly();
      });
    });
    prov.addEventListener("change", function () { input.value = prov.value; fillCommunes(prov.value); });
    comm.addEventListener("change", function () { input.value = comm.value || prov.value; });
  });
})();
