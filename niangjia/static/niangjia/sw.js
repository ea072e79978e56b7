// Niangjia service worker (issue 15), served at /sw.js so its scope is the whole site.
// Static files: cache first (they change only with a release; the cache name carries the release).
// The pages a field worker records on (and the htmx pieces they load): network first, the last copy
// when there is no connection. Posts are never touched here: offline.js queues them in IndexedDB.
var RELEASE = "nj-2026-12-07";
// Pages hold the user's data: each user's copies live in their own cache, PAGES + her login name (the
// server names the owner of each page in X-Niangjia-User), and the phone remembers whose turn it is
// (WHO). When another user (or nobody) is seen, every other user's pages are deleted.
var STATIC = RELEASE + "-static", PAGES = RELEASE + "-pages-", WHO = RELEASE + "-who";
var SHELL = ["/static/niangjia/app.css", "/static/niangjia/app.js", "/static/niangjia/session.js",
             "/static/niangjia/offline.js", "/static/vendor/bootstrap/bootstrap.min.css",
             "/static/vendor/bootstrap/bootstrap.bundle.min.js", "/static/django_htmx/htmx-2.min.js",
             "/static/niangjia/favicon.svg", "/static/niangjia/icons/icon-192.png"];
// home, checklists and their record forms, field stays, diaries, contacts, the need form, the outbox
// (the person pickers post what was typed, so a searched phone or ID number is never cached under a URL)
var FIELD_PAGES = /^\/(|duties\/(a\/\d+\/(items\/\d+\/record\/)?)?|fieldwork\/(diaries\/new\/)?|contacts\/(targets\/\d+\/events\/)?|needs\/new\/|outbox\/)$/;

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

function currentUser() {
  return caches.open(WHO).then(function (c) { return c.match("/__who__"); })
    .then(function (r) { return r ? r.text() : null; });
}

// the phone changes hands (or nobody is logged in): keep only this user's pages
function becomes(user) {
  return currentUser().then(function (who) {
    if (who === user) { return; }
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf(PAGES) === 0 && n !== PAGES + user; })
                              .map(function (n) { return caches.delete(n); }));
    }).then(function () {
      return caches.open(WHO).then(function (c) { return c.put("/__who__", new Response(user)); });
    });
  });
}

self.addEventListener("message", function (e) {
  // logout: forget the pages (they hold the user's data); the outbox itself stays in IndexedDB
  if (e.data === "forget-pages") { e.waitUntil(becomes("")); }
  // every page says whose it is ("" on the login page)
  else if (e.data && typeof e.data.user === "string") { e.waitUntil(becomes(e.data.user)); }
});

// The page shown offline for a page not kept on the phone, in the language of the pages she last saw
// (the server's Content-Language), else the phone's.
var OFFLINE = {
  "zh-hans": {title: "没有网络", text: "这一页还没有存到本机。有信号时打开过的记录页面没有网络也能用；" +
              "没有网络时保存的记录在“待发送”里，有信号后自动发送。", outbox: "待发送"},
  "en": {title: "Offline", text: "This page is not on this phone yet. Record pages you opened while you had a " +
         "signal work without one; what you save offline waits in the Outbox and is sent when the signal returns.",
         outbox: "Outbox"}
};

function pageLanguage() {
  return caches.open(WHO).then(function (c) { return c.match("/__lang__"); })
    .then(function (r) { return r ? r.text() : ""; })
    .then(function (lang) {
      lang = (lang || (self.navigator && self.navigator.language) || "").toLowerCase();
      return lang.indexOf("en") === 0 ? "en" : "zh-hans";
    });
}

function offlinePage(lang) {
  var t = OFFLINE[lang];
  return new Response('<!doctype html><html lang="' + lang + '"><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width"><title>' + t.title + '</title><h1>' + t.title + '</h1>' +
    '<p>' + t.text + '</p><p><a href="/outbox/">' + t.outbox + '</a></p></html>',
    {headers: {"Content-Type": "text/html; charset=utf-8", "Content-Language": lang}});
}

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
    var owner = resp.headers.get("X-Niangjia-User") || "";
    // keep only real pages made for a logged-in user: not the login page, not an error
    var copy = resp.ok && !resp.redirected && owner ? resp.clone() : null;
    var lang = resp.ok && resp.headers.get("Content-Language");
    var keep = becomes(owner).then(function () {
      if (lang) { return caches.open(WHO).then(function (c) { return c.put("/__lang__", new Response(lang)); }); }
    }).then(function () {
      if (copy) { return caches.open(PAGES + owner).then(function (c) { return c.put(key, copy); }); }
    });
    e.waitUntil(keep.catch(function () {}));
    return resp;
  }).catch(function () {
    var mine = currentUser().then(function (who) { return who ? caches.open(PAGES + who) : null; });
    return mine.then(function (c) { return c ? c.match(key, {ignoreVary: true}) : null; }).then(function (hit) {
      if (hit) { return hit; }
      if (req.mode === "navigate") {
        return mine.then(function (c) { return c ? c.match("/outbox/", {ignoreVary: true}) : null; }).then(function (o) {
          return o || pageLanguage().then(offlinePage);
        });
      }
      return new Response("", {status: 503, statusText: "offline"});
    });
  }));
});
