// The event form's links box: its help and example follow the channel chosen above it, as the
// server refuses meetings on a livestream or post and live videos on an online conference
// (app/collection/fit.py). The words of every channel come from the server (data-hints).
(function () {
  "use strict";
  var box = document.querySelector("textarea[data-hints]");
  var channel = document.querySelector("select[name=channel]");
  if (!box || !channel) { return; }
  var hints = JSON.parse(box.getAttribute("data-hints"));
  var hint = box.closest(".field").querySelector(".hint");
  function follow() {
    var words = hints[channel.value];
    if (!words) { return; }
    box.setAttribute("placeholder", words.placeholder);
    if (hint) { hint.textContent = words.hint; }
  }
  channel.addEventListener("change", follow);
  follow();
})();
