// Lan Tỏa — lead work on the live page's comment cards.
// An officer marks a lead's status and assigns it (to themself or a colleague) right on the card,
// without a reload; a viewer sees the status and the assignee but no controls. Cards arrive from
// live.js (the snapshot, then Socket.IO deltas): a MutationObserver on the feed dresses each lead
// card as it is inserted, and the work of new cards is read in one request per burst. Several
// comments by one commenter are one lead: a change shows on every card of that person.
// Who a lead may go to is the server's rule (app/followup/lead_assign.py): the users any lead may
// go to (cfg.assignees), and on the card of a commune's person that commune's officers as well,
// each commune a group, as the leads API names them (lead_communes, commune_assignees).
// A status marked on a card is a call outcome: it goes through the queue kept on the phone
// (call-queue.js), as the follow-up list's and "My calls"' editor, so a phone whose 3G drops
// loses nothing: the card shows what was marked, "waiting to be sent" (as their rows), until the
// queue sends it, by itself, once the connection is back; a refusal is said on the card. An
// outcome still waiting (saved here or on another page) shows on its cards, whatever a read of
// the server's work says meanwhile. Assigning (the list, "Take it") is no call: saved at once.
// Every piece of text is written with textContent.
(function () {
  "use strict";
  var cfgNode = document.getElementById("leads-config");
  var feed = document.getElementById("feed");
  if (!cfgNode || !feed) { return; }
  var cfg = JSON.parse(cfgNode.textContent);
  var W = cfg.words;
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var REFRESH_MS = 30000;     // other officers' marks show within this
  var ANSWER_MS = 8000;       // how long a card waits for an answer before leaving it to the queue
  var calls = cfg.may_work ? window.LantoaCalls || null : null;
  var queueBox = document.getElementById("call-queue");
  var work = {};              // comment id -> the lead's work (API's shape)
  var asked = {};             // comment ids already asked for
  var queue = [];
  var timer = null;
  var labels = {};
  var communesOf = {};        // person id -> the communes whose people they are
  var groups = {};            // commune id -> { label, assignees }
  cfg.statuses.forEach(function (s) { labels[s.value] = s.label; });

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function option(value, text) {
    var o = document.createElement("option");
    o.value = String(value);
    o.textContent = text;
    return o;
  }
  function request(method, url, body) {
    var headers = { "Accept": "application/json" };
    if (body !== undefined) { headers["Content-Type"] = "application/json"; headers["X-CSRFToken"] = csrf; }
    return fetch(url, {
      method: method, headers: headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) { var e = new Error(data.message || String(r.status)); e.status = r.status; throw e; }
        return data;
      });
    });
  }

  function cards() { return feed.querySelectorAll("li.comment.lead[data-id]"); }
  function newWork() { return { person_id: null, status: "new", assignee_id: null, assignee_name: "" }; }

  function build(li) {
    var box = el("div", "lead-work");
    if (cfg.may_work) {
      var status = el("select", "lead-status");
      status.setAttribute("aria-label", W.status);
      cfg.statuses.forEach(function (s) { status.appendChild(option(s.value, s.label)); });
      var who = el("select", "lead-assignee");
      who.setAttribute("aria-label", W.assignee);
      fill(who, []);
      var take = el("button", "lead-take", W.take);
      take.type = "button";
      status.addEventListener("change", function () {
        if (calls) { record(li, status.value); } else { save(li, { status: status.value }); }
      });
      who.addEventListener("change", function () { save(li, { assignee_id: who.value ? Number(who.value) : null }); });
      take.addEventListener("click", function () { save(li, { assignee_id: cfg.me }); });
      box.appendChild(status);
      box.appendChild(who);
      box.appendChild(take);
    } else {
      box.appendChild(el("span", "lead-state"));
      box.appendChild(el("span", "lead-holder"));
    }
    box.appendChild(el("span", "lead-note"));
    li.appendChild(box);
    return box;
  }

  function named(parent, list) {
    list.forEach(function (a) {
      parent.appendChild(option(a.id, a.id === cfg.me ? W.me.replace("__NAME__", a.name) : a.name));
    });
  }
  // The choices of a lead whose person is of these communes (those with officers to offer).
  function fill(who, communes) {
    who.textContent = "";
    who.setAttribute("data-communes", communes.join(" "));
    who.appendChild(option("", W.nobody));
    if (!communes.length) { named(who, cfg.assignees); return; }
    if (cfg.assignees.length) {
      var own = document.createElement("optgroup");
      own.label = cfg.organisers;
      named(own, cfg.assignees);
      who.appendChild(own);
    }
    communes.forEach(function (c) {
      var group = document.createElement("optgroup");
      group.label = groups[c].label;
      group.setAttribute("data-commune", c);
      named(group, groups[c].assignees);
      who.appendChild(group);
    });
  }
  function communesOfLead(w) {
    var known = (w.person_id && communesOf[w.person_id]) || [];
    return known.filter(function (c) { return groups[c]; })
      .sort(function (a, b) { return groups[a].label.localeCompare(groups[b].label, "vi"); });
  }

  // The queued outcomes of this card (its comment, or its person), oldest first.
  function pending(li) {
    if (!calls) { return []; }
    var cid = li.getAttribute("data-id"), person = li.getAttribute("data-person");
    return calls.waiting().filter(function (it) {
      return String(it.event) === String(cfg.event) &&
        ((person && String(it.person) === person) || String(it.comment) === cid);
    });
  }
  function waitingBadge(box, on) {
    var badge = box.querySelector(".call-waiting");
    if (on && !badge) {
      box.insertBefore(el("small", "call-waiting", queueBox.getAttribute("data-row-waiting")),
        box.querySelector(".lead-note"));
    } else if (!on && badge) {
      badge.remove();
    }
  }

  function show(li, w) {
    var box = li.querySelector(".lead-work") || build(li);
    if (w.person_id) { li.setAttribute("data-person", String(w.person_id)); }
    var queued = pending(li);
    if (queued.length) {  // what the officer marked, not yet sent, over what the server has
      var shown = {};
      Object.keys(w).forEach(function (k) { shown[k] = w[k]; });
      shown.status = queued[queued.length - 1].body.status;
      w = shown;
    }
    if (calls) { waitingBadge(box, queued.length > 0); }
    li.setAttribute("data-lead-status", w.status);
    if (cfg.may_work) {
      var status = box.querySelector(".lead-status");
      var who = box.querySelector(".lead-assignee");
      if (status.value !== w.status) { status.value = w.status; }
      var communes = communesOfLead(w);
      if (who.getAttribute("data-communes") !== communes.join(" ")) { fill(who, communes); }
      var wanted = w.assignee_id ? String(w.assignee_id) : "";
      if (wanted && !who.querySelector('option[value="' + wanted + '"]')) {
        // Held by someone this officer may not choose: kept while other fields change.
        var held = option(wanted, w.assignee_name || wanted);
        held.className = "held";
        who.appendChild(held);
      }
      if (who.value !== wanted) { who.value = wanted; }
      // Taken by this officer: nothing left to take ("Nobody yet" in the list gives it back).
      box.querySelector(".lead-take").hidden = w.assignee_id === cfg.me;
    } else {
      box.querySelector(".lead-state").textContent = labels[w.status] || w.status_label || w.status;
      box.querySelector(".lead-holder").textContent = w.assignee_name ? "· " + w.assignee_name : "";
    }
  }

  function note(li, text, failed) {
    var n = li.querySelector(".lead-note");
    if (!n) { return; }
    n.textContent = text;
    n.classList.toggle("failed", !!failed);
  }

  function remember(cid, w) {
    work[cid] = w;
    var same = w.person_id ? feed.querySelectorAll('li.comment.lead[data-person="' + w.person_id + '"]') : [];
    Array.prototype.forEach.call(same, function (li) {
      var other = li.getAttribute("data-id");
      work[other] = w;
      show(li, w);
    });
    var own = feed.querySelector('li.comment.lead[data-id="' + cid + '"]');
    if (own) { show(own, w); }
  }

  function save(li, changes) {
    var cid = li.getAttribute("data-id");
    note(li, W.saving, false);
    request("PATCH", cfg.comment_url.replace("__C__", cid), changes).then(function (w) {
      // Cards of the same person not yet known as such learn it at the next read.
      remember(cid, w);
      Object.keys(work).forEach(function (other) {
        if (work[other].person_id === w.person_id) { work[other] = w; }
      });
      note(li, W.saved, false);
      unknownCards();
    }).catch(function (err) {
      // The API's reason is for scripts (English); the card says it in the page's words.
      var refused = err && err.status === 422 && changes.status;  // no number was left
      var unassignable = err && err.status === 422 && changes.assignee_id !== undefined;
      note(li, err && err.status === 403 ? W.forbidden
        : unassignable ? W.not_assignable
        : refused ? (changes.status === "called" ? W.not_called : W.no_number) : W.failed, true);
      if (work[cid]) { show(li, work[cid]); }
    });
  }

  // The cards of a queued outcome: its comment's, and every card of its person.
  function cardsOf(item) {
    if (String(item.event) !== String(cfg.event)) { return []; }
    return Array.prototype.filter.call(cards(), function (li) {
      return (item.person && li.getAttribute("data-person") === String(item.person)) ||
        (item.comment && li.getAttribute("data-id") === String(item.comment));
    });
  }
  function reshow(item) {
    cardsOf(item).forEach(function (li) { show(li, work[li.getAttribute("data-id")] || newWork()); });
  }
  function unknownCards() {  // cards of the same person not yet known as such learn it now
    var unknown = Array.prototype.filter.call(cards(), function (c) { return !c.hasAttribute("data-person"); });
    ask(unknown.map(function (c) { return c.getAttribute("data-id"); }).slice(0, 400));
  }

  // A status marked on a card, as a call outcome through the queue (call-queue.js).
  function record(li, status) {
    var cid = li.getAttribute("data-id");
    var person = li.getAttribute("data-person");
    var author = li.querySelector(".author");
    var item = {url: person ? cfg.person_calls_url.replace("__P__", person)
                            : cfg.comment_calls_url.replace("__C__", cid),
                body: {status: status}, event: String(cfg.event), person: person || null,
                comment: cid, name: author ? author.textContent : ""};
    note(li, W.saving, false);
    var late = new Promise(function (resolve) { setTimeout(function () { resolve({state: "waiting"}); }, ANSWER_MS); });
    Promise.race([calls.add(item), late]).then(function (outcome) {
      calls.release(item);  // a refusal from now on stays in the queue's box, until discarded
      if (outcome.state === "sent") {
        note(li, W.saved, false);
      } else if (outcome.state === "refused") {  // dropped from the queue: said here, to mark again
        var why = outcome.reason === "data-failed" ? W.failed : queueBox.getAttribute(outcome.reason);
        note(li, why || W.failed, true);
        show(li, work[cid] || newWork());
      } else {
        note(li, "", false);
        reshow(item);
      }
    });
  }
  if (calls) {
    calls.on(function (kind, item, answer) {
      if (kind === "sent") {
        var mine = cardsOf(item);
        if (answer && answer.person_id) {
          mine.forEach(function (li) { remember(li.getAttribute("data-id"), answer); });
          unknownCards();
        }
      } else if (kind === "refused" || kind === "discarded") {
        reshow(item);
      }
    });
  }

  function ask(ids) {
    if (!ids.length) { return; }
    var url = cfg.leads_url + "?comment_ids=" + ids.join(",");
    request("GET", url).then(function (data) {
      (data.commune_assignees || []).forEach(function (g) {
        groups[g.commune_id] = { label: g.label, assignees: g.assignees };
      });
      Object.keys(data.lead_communes || {}).forEach(function (p) { communesOf[p] = data.lead_communes[p]; });
      Object.keys(data.comments || {}).forEach(function (cid) { remember(cid, data.comments[cid]); });
    }).catch(function () {
      ids.forEach(function (cid) { delete asked[cid]; });
    });
  }
  function flush() {
    timer = null;
    var ids = queue.splice(0, queue.length);
    for (var i = 0; i < ids.length; i += 400) { ask(ids.slice(i, i + 400)); }
  }
  function dress(li) {
    var cid = li.getAttribute("data-id");
    if (!li.querySelector(".lead-work")) { build(li); }
    show(li, work[cid] || newWork());
    if (!asked[cid]) {
      asked[cid] = true;
      queue.push(cid);
      if (!timer) { timer = setTimeout(flush, 150); }
    }
  }

  new MutationObserver(function (records) {
    records.forEach(function (r) {
      Array.prototype.forEach.call(r.addedNodes, function (node) {
        if (node.nodeType === 1 && node.matches("li.comment.lead[data-id]")) { dress(node); }
      });
    });
  }).observe(feed, { childList: true });
  Array.prototype.forEach.call(cards(), dress);

  // What colleagues changed meanwhile: the visible cards' work again, now and then.
  setInterval(function () {
    if (document.hidden) { return; }
    var ids = Array.prototype.map.call(cards(), function (li) { return li.getAttribute("data-id"); });
    for (var i = 0; i < ids.length; i += 400) { ask(ids.slice(i, i + 400)); }
  }, REFRESH_MS);
})();
