// taphuan's service worker, served at /sw.js (a stable address; its scope is the whole site).
// It keeps the static files and the marking pages of the running classes the signed-in
// trainer teaches, so a marking page reloaded without a signal still opens; it sends the
// queue of attendance operations (js/queue.js) on Background Sync; it clears the kept pages,
// which carry names, on sign-out or when another account signs in. Hand-written, no library
// but the vendored idb-keyval: every answer of the server is read, nothing is dropped.
"use strict";
importScripts({{ static[5]|tojson }}, {{ static[4]|tojson }});

var STATIC = {{ static|tojson }};
var STATIC_CACHE = "taphuan-static-{{ version }}";
var PAGES = "taphuan-pages";
var MARK_PAGE = /^\/classes\/\d+\/sessions\/\d+\/attendance$/;
var WAIT = 4000;  // a weak signal: after this long the kept page is shown
var refreshed = 0;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC_CACHE).then(function (cache) {
    return cache.addAll(STATIC);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf("taphuan-static-") === 0 && key !== STATIC_CACHE;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

function fromNetwork(request) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("slow")); }, WAIT);
    fetch(request).then(function (response) { clearTimeout(timer); resolve(response); },
                        function (error) { clearTimeout(timer); reject(error); });
  });
}

function keep(url, response) {
  if (!response.ok || response.redirected || response.type !== "basic") { return Promise.resolve(); }
  return caches.open(PAGES).then(function (cache) { return cache.put(url, response); });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {  // hashed names: kept as they are
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(STATIC_CACHE).then(function (cache) { cache.put(request, copy); });
        }
        return response;
      });
    }));
    return;
  }
  if (MARK_PAGE.test(url.pathname) && !url.search) {  // the network first, else the kept page
    event.respondWith(fromNetwork(request).then(function (response) {
      keep(url.pathname, response.clone());
      return response;
    }).catch(function () {
      return caches.open(PAGES).then(function (cache) { return cache.match(url.pathname); })
        .then(function (hit) { return hit || Response.error(); });
    }));
  }
});

function cachePage(url) {
  return fetch(url, {credentials: "same-origin"}).then(function (response) {
    return keep(url, response);
  });
}

// The pages to keep: those the server lists for the signed-in trainer; those of another
// account (signed in before without signing out here) are cleared first.
function refreshPages() {
  if (Date.now() - refreshed < 5 * 60 * 1000) { return Promise.resolve(); }
  refreshed = Date.now();
  return fetch("/api/attendance/sync", {credentials: "same-origin", redirect: "manual"})
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (body) {
      if (!body) { return null; }
      return AttendanceQueue.getMeta("pages-user").then(function (owner) {
        var fresh = String(owner) === String(body.user_id) ? Promise.resolve()
          : caches.delete(PAGES);
        return fresh.then(function () {
          return AttendanceQueue.setMeta("pages-user", String(body.user_id));
        }).then(function () {
          return AttendanceQueue.setMeta("token:" + body.user_id, body.csrf_token);
        }).then(function () {
          return body.pages.reduce(function (done, url) {
            return done.then(function () { return cachePage(url); });
          }, Promise.resolve());
        });
      });
    }).catch(function () { refreshed = 0; });
}

function tell(url) {
  return self.clients.matchAll({type: "window", includeUncontrolled: true}).then(function (clients) {
    clients.forEach(function (client) { client.postMessage({type: "page-cached", url: url}); });
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "signed-out") {
    event.waitUntil(caches.delete(PAGES).then(function () {
      refreshed = 0;
      if (event.ports[0]) { event.ports[0].postMessage("cleared"); }
    }));
  } else if (data.type === "refresh-pages") {
    event.waitUntil(refreshPages());
  } else if (data.type === "cache-page" && MARK_PAGE.test(data.url)) {
    event.waitUntil(cachePage(data.url).then(function () { return tell(data.url); })
      .catch(function () {}));
  }
});

// Background Sync: the queue goes even when no page of the site is open. The account is the
// one signed in now; another account's operations wait for it.
self.addEventListener("sync", function (event) {
  if (event.tag !== "attendance-ops") { return; }
  event.waitUntil(fetch("/api/attendance/sync", {credentials: "same-origin", redirect: "manual"})
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (body) {
      if (!body) { return null; }
      return AttendanceQueue.send(body.user_id, body.csrf_token).then(function (out) {
        if (out.status !== "ok") { throw new Error(out.status); }  // the browser tries again
      });
    }));
});
