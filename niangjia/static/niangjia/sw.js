// Niangjia service worker (issue 15), served at /sw.js so its scope is the whole site.
// Static files: cache first (they change only with a release; the cache name carries the release).
// The pages a field worker records on (and the htmx pieces they load): network first, the last copy
// when there is no connection. Posts are never touched here: offline.js queues them in IndexedDB.
var RELEASE = "nj-2026-12-06";
var STATIC = RELEASE + "-static", PAGES = RELEASE + "-pages";
var SHELL = ["/static/niangjia/app.css", "/static/niangjia/app.js", "/static/niangjia/session.js",
             "/static/niangjia/offline.js", "/static/vendor/bootstrap/bootstrap.min.css",
             "/static/vendor/bootstrap/bootstrap.bundle.min.js", "/static/django_htmx/htmx-2.min.js",
             "/static/niangjia/favicon.svg", "/static/niangjia/icons/icon-192.png"];
// home, checklists and their record forms, field stays, diaries, contacts, the need form, the outbox
var FIELD_PAGES = /^\/(|duties\/(a\/\d+\/(items\/\d+\/record\/)?)?|fieldwork\/(diaries\/new\/)?|contacts\/(targets\/\d+\/events\/)?|needs\/new\/|needs\/persons\/|duties\/link-search\/|fieldwork\/person-search\/|outbox\/)$/;

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(STATIC).then(function (c) {
    // one by one: a missing file must not stop the others (the outbox page needs a login)
    return Promise.all(SHELL.map(function (u) { return c.add(new Request(u, {credentials: "same-origin"})).catch(function () {}); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf(RELEASE) !== 0; })
                            .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (e) {
  // logout: forget the pages (they hold the user's data); the outbox itself stays in IndexedDB
  if (e.data === "forget-pages") { caches.delete(PAGES); }
});

function keyOf(req) {
  // an htmx piece and the full page share an address: keep them apart
  if (!req.headers.get("HX-Request")) { return req.url; }
  return req.url + (req.url.indexOf("?") < 0 ? "?" : "&") + "__hx=1";
}

self.addEventListener("fetch", function (e) {
  var req = e.request;
  if (req.method !== "GET") { return; }
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    e.respondWith(caches.match(req, {ignoreSearch: false}).then(function (hit) {
      return hit || fetch(req).then(function (resp) {
        if (resp.ok) { var copy = resp.clone(); caches.open(STATIC).then(function (c) { c.put(req, copy); }); }
        return resp;
      });
    }));
    return;
  }
  if (!FIELD_PAGES.test(url.pathname)) { return; }
  var key = keyOf(req);
  e.respondWith(fetch(req).then(function (resp) {
    // keep only real pages: not a redirect to the login page, not an error
    if (resp.ok && !resp.redirected) {
      var copy = resp.clone();
      caches.open(PAGES).then(function (c) { c.put(key, copy); });
    }
    return resp;
  }).catch(function () {
    return caches.open(PAGES).then(function (c) { return c.match(key, {ignoreVary: true}); }).then(function (hit) {
      if (hit) { return hit; }
      if (req.mode === "navigate") {
        return caches.match("/outbox/", {ignoreVary: true}).then(function (o) {
          return o || new Response('<meta name="viewport" content="width=device-width"><h1>没有网络 · Offline</h1>' +
            '<p>这一页还没有存到本机。 This page is not on this phone yet.</p><p><a href="/outbox/">待发送 · Outbox</a></p>',
            {headers: {"Content-Type": "text/html; charset=utf-8"}});
        });
      }
      return new Response("", {status: 503, statusText: "offline"});
    });
  }));
});
