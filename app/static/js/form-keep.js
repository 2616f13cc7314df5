// What was typed in a form survives a session that ended while the form was open: on sending,
// the visible fields (never passwords, files or the CSRF token) are kept in this tab's
// sessionStorage under the page's address; the server sends an ended session to the log-in
// with next=<page>#restore, and back on the page they are filled in again (a fresh CSRF token
// comes with the page). Any other page load forgets them, so nothing typed stays behind.
(function () {
  "use strict";
  var PREFIX = "lantoa-form:";
  var here = location.pathname + location.search;
  var SKIP = { hidden: 1, password: 1, file: 1, submit: 1, button: 1, reset: 1, image: 1 };

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !SKIP[el.type] && !el.disabled;
    });
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form || (form.getAttribute("method") || "").toLowerCase() !== "post") return;
    var index = Array.prototype.indexOf.call(document.forms, form);
    var values = fields(form).map(function (el) {
      var box = el.type === "checkbox" || el.type === "radio";
      return [el.name, box ? el.value : null, box ? el.checked : el.value];
    });
    try {
      sessionStorage.setItem(PREFIX + here, JSON.stringify({ form: index, values: values }));
    } catch (err) { /* storage full or refused: the form is sent as ever */ }
  });

  function restore(saved) {
    var form = document.forms[saved.form];
    if (!form) return;
    var els = fields(form);
    saved.values.forEach(function (v) {
      els.forEach(function (el) {
        if (el.name !== v[0]) return;
        if (v[1] !== null) {
          if (el.value === v[1]) el.checked = v[2];
        } else {
          el.value = v[2];
        }
        el.dispatchEvent(new Event("input", { bubbles: true }));
        el.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
  }

  // (Loaded on logged-in pages only: the log-in page in between leaves the values alone.)
  var saved = null;
  try { saved = JSON.parse(sessionStorage.getItem(PREFIX + here) || "null"); } catch (err) {}
  try {
    for (var i = sessionStorage.length - 1; i >= 0; i--) {
      var key = sessionStorage.key(i);
      if (key && key.indexOf(PREFIX) === 0) sessionStorage.removeItem(key);
    }
  } catch (err) {}
  if (location.hash === "#restore") {
    history.replaceState(null, "", here);
    if (saved) {
      if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", function () { restore(saved); });
      } else { restore(saved); }
    }
  }
})();
