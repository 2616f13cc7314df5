/* The live page's alerts: read from the event's alerts JSON every few seconds (a light poll
   beside the Socket.IO counters), drawn with textContent only; "Acknowledge" posts with the
   page's CSRF token and shows who acknowledged and when. Every text comes from the server,
   already in the user's language. */
(function () {
  "use strict";
  var box = document.getElementById("event-alerts");
  if (!box) { return; }
  var POLL_MS = 10000;
  var list = box.querySelector(".alert-list"), count = box.querySelector(".count");
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var canAck = false, timer = null;

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (_, key) { return values[key] || ""; });
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function ackUrl(id) { return box.dataset.ackUrl.replace(/\/0\/acknowledge$/, "/" + id + "/acknowledge"); }

  function item(a) {
    var li = el("li", "alert-item" + (a.open ? "" : " cleared") + (a.acknowledged_at ? " acknowledged" : ""));
    li.setAttribute("data-alert", a.id);
    li.setAttribute("data-rule", a.rule);
    li.appendChild(el("strong", "alert-label", a.label));
    li.appendChild(el("span", "alert-text", " " + a.text));
    var when = fill(box.dataset.since, { time: a.opened_at });
    if (a.cleared_at) { when += " · " + fill(box.dataset.resolved, { time: a.cleared_at }); }
    li.appendChild(el("small", "muted alert-when", when));
    if (a.acknowledged_at) {
      li.appendChild(el("small", "alert-ack", fill(box.dataset.acked, { name: a.acknowledged_by, time: a.acknowledged_at })));
    } else if (a.open && canAck) {
      var button = el("button", "alert-ack-button", box.dataset.ack);
      button.type = "button";
      button.addEventListener("click", function () { acknowledge(a.id, button); });
      li.appendChild(button);
    }
    return li;
  }

  function render(data) {
    canAck = !!data.can_acknowledge;
    list.textContent = "";
    (data.alerts || []).forEach(function (a) { list.appendChild(item(a)); });
    count.textContent = data.open ? String(data.open) : "";
    box.hidden = !(data.alerts && data.alerts.length);
    box.classList.toggle("has-open", !!data.open);
  }

  function load() {
    return fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(render)
      .catch(function () { /* the next poll tries again */ });
  }

  function acknowledge(id, button) {
    button.disabled = true;
    fetch(ackUrl(id), {
      method: "POST", credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrf }
    }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return load();
    }).catch(function () {
      button.disabled = false;
      button.title = box.dataset.failed;
      button.textContent = box.dataset.failed;
    });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () { load().then(schedule); }, POLL_MS);
  }
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { load().then(schedule); }
  });
  load().then(schedule);
})();
