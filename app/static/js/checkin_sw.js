// Service worker of the halls' check-in pages, served at /checkin/sw.js so its scope is /checkin/.
// Hall connections are poor: once a hall's page has been opened, it opens again without one.
// - the page asks, once it is shown, to keep itself and its scripts (message {cache: [urls]});
// - a page is fetched from the network first (its last head count may have changed) and falls
//   back to the kept copy when there is no answer within NAVIGATION_TIMEOUT_MS;
// - a fingerprinted static file (/static/…?v=hash) never changes: the kept copy is served first;
// - nothing else is touched: reports are POSTs, queued by the page itself (checkin.js).
"use strict";
var CACHE = "lantoa-checkin-v1";
var NAVIGATION_TIMEOUT_MS = 6000;

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("lantoa-checkin-") === 0 && n !== CACHE; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  var urls = event.data && event.data.cache;
  if (!Array.isArray(urls)) return;
  var wanted = urls.map(function (u) { return new URL(u, self.location.href).href; });
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(wanted).then(function () {
      return cache.keys();
    }).then(function (kept) {  // older versions of the scripts are no longer needed
      return Promise.all(kept.filter(function (req) {
        return new URL(req.url).pathname.indexOf("/static/") === 0 && wanted.indexOf(req.url) < 0;
      }).map(function (req) { return cache.delete(req); }));
    });
  }).then(function () {
    if (event.source) event.source.postMessage({cached: true});
  }).catch(function () {}));  // offline now: the next visit with a connection keeps them
});

function fromNetwork(request) {
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    } else if (response.status === 404) {  // a revoked or expired link: forget its page
      caches.open(CACHE).then(function (cache) { cache.delete(request); });
    }
    return response;
  });
}

function page(request) {
  var network = fromNetwork(request);
  var usable = network.then(function (r) { return r.status >= 500 ? null : r; }, function () { return null; });
  var late = new Promise(function (resolve) { setTimeout(resolve, NAVIGATION_TIMEOUT_MS); });
  return Promise.race([usable, late]).then(function (response) {
    if (response) return response;
    return caches.match(request).then(function (kept) { return kept || network; });
  });
}

function asset(request) {
  return caches.match(request).then(function (kept) { return kept || fromNetwork(request); });
}

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname.indexOf("/checkin/") === 0) {
    event.respondWith(page(request));
  } else if (url.pathname.indexOf("/static/") === 0 && url.searchParams.has("v")) {
    event.respondWith(asset(request));
  }
});
