// A form marked data-submit-once sends once: its submit button is disabled as it is pressed, so
// a double click on "Lưu" on a slow connection does not create the event twice. Coming back to
// the page (Back keeps it in the browser's cache) enables the button again.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-submit-once]");
  function buttons(form) { return form.querySelectorAll("button[type=submit]"); }
  forms.forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (form.getAttribute("data-sent")) { e.preventDefault(); return; }
      form.setAttribute("data-sent", "1");
      // After the browser has taken the submission: a disabled button sends nothing.
      setTimeout(function () { buttons(form).forEach(function (b) { b.disabled = true; }); }, 0);
    });
  });
  window.addEventListener("pageshow", function () {
    forms.forEach(function (form) {
      form.removeAttribute("data-sent");
      buttons(form).forEach(function (b) { b.disabled = false; });
    });
  });
})();
