// Offline capture (issue 15). Forms marked data-nj-offline="<what it records>" carry an idempotency
// key; without a connection session.js (plain forms) or the htmx hooks below put what was typed,
// photos included, into an IndexedDB outbox instead. The outbox is sent when the connection returns
// (and from /outbox/, which shows what is waiting, sent or refused with the reason, to fix and resend).
// The server runs each create once per key (core.web.once), so a resend never makes a second record.
(function () {
  var EN = (document.documentElement.lang || "").indexOf("en") === 0;
  var T = EN ? {
    queued: "No connection: saved on this phone, it will be sent when the signal returns.",
    waiting: "waiting", sending: "sending", sent: "sent", refused: "refused",
    badge: "to send", resend: "Send again", remove: "Delete", sendAll: "Send now", empty: "Nothing waiting.",
    tooBig: "This file is too large (at most %s MB).", files: "photos/files"
  } : {
    queued: "没有网络：已存在本机，有信号后自动发送。",
    waiting: "待发送", sending: "发送中", sent: "已发送", refused: "被退回",
    badge: "条待发送", resend: "修改后重发", remove: "删除", sendAll: "立即发送", empty: "没有待发送的记录。",
    tooBig: "文件太大（最多 %s MB），请换一个。", files: "照片/文件"
  };
  var MAX_MB = 10, PHOTO_EDGE = 1600, PHOTO_QUALITY = 0.8;

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  function user() { return (document.body && document.body.getAttribute("data-nj-user")) || localStorage.getItem("nj-user") || ""; }

  // ---- IndexedDB: one store, keyed by the idempotency key --------------------------------------
  var dbp = null;
  function db() {
    if (!dbp) {
      dbp = new Promise(function (resolve, reject) {
        var req = indexedDB.open("niangjia", 1);
        req.onupgradeneeded = function () { req.result.createObjectStore("outbox", {keyPath: "key"}); };
        req.onsuccess = function () { resolve(req.result); };
        req.onerror = function () { reject(req.error); };
      });
    }
    return dbp;
  }
  function tx(mode, fn) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction("outbox", mode), out = fn(t.objectStore("outbox"));
        t.oncomplete = function () { resolve(out && out.result !== undefined ? out.result : out); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  function all() { return tx("readonly", function (s) { return s.getAll(); }); }
  function put(item) { return tx("readwrite", function (s) { s.put(item); }); }
  function drop(key) { return tx("readwrite", function (s) { s["delete"](key); }); }

  // ---- keys on the forms ---------------------------------------------------------------------
  function stamp(root) {
    (root || document).querySelectorAll("form[data-nj-offline]").forEach(function (f) {
      var k = f.querySelector("input[name=idempotency_key]");
      if (!k) { k = document.createElement("input"); k.type = "hidden"; k.name = "idempotency_key"; f.appendChild(k); }
      if (!k.value) { k.value = uuid(); }
    });
  }

  // ---- queue what the form holds -------------------------------------------------------------
  function labelOf(form, el) {
    var l = el.id && form.querySelector("label[for='" + el.id + "']");
    return l ? l.textContent.trim() : "";
  }
  function queue(form, submitter) {
    stamp(form.parentNode || document);
    var fields = [], files = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken") { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      if (el.type === "file") {
        Array.prototype.forEach.call(el.files || [], function (f) { files.push({name: el.name, blob: f, filename: f.name}); });
        return;
      }
      if (el.tagName === "BUTTON" || el.type === "submit") { return; }
      fields.push({name: el.name, value: el.value, label: labelOf(form, el), hidden: el.type === "hidden"});
    });
    if (submitter && submitter.name) { fields.push({name: submitter.name, value: submitter.value, label: "", hidden: true}); }
    var action = new URL(form.getAttribute("hx-post") || form.action || location.href, location.href);
    var item = {
      key: form.querySelector("input[name=idempotency_key]").value, user: user(), url: action.pathname + action.search,
      what: form.getAttribute("data-nj-offline") || document.title, htmx: form.hasAttribute("hx-post"),
      page: location.pathname + location.search, fields: fields, files: files, status: "waiting", reason: "",
      created: new Date().toISOString()
    };
    return put(item).then(function () {
      // ready for the next record: empty the typed fields, a new key
      form.querySelectorAll("textarea, input:not([type=hidden]):not([type=date]):not([type=checkbox]):not([type=radio])")
        .forEach(function (el) { el.value = ""; });
      var k = form.querySelector("input[name=idempotency_key]"); k.value = uuid();
      note(form, T.queued);
      badge();
    });
  }
  function note(form, text) {
    var n = form.querySelector(".nj-queued");
    if (!n) { n = document.createElement("div"); n.className = "alert alert-warning py-1 small nj-queued"; n.setAttribute("role", "status"); form.prepend(n); }
    n.textContent = text;
  }

  // htmx forms: no connection before sending, or the send itself failed → queue instead
  document.addEventListener("htmx:beforeRequest", function (e) {
    var f = e.detail.elt;
    if (navigator.onLine === false && f && f.matches && f.matches("form[data-nj-offline]")) {
      e.preventDefault(); queue(f);
    }
  });
  document.addEventListener("htmx:sendError", function (e) {
    var f = e.detail.elt;
    if (f && f.matches && f.matches("form[data-nj-offline]")) { queue(f); }
  });

  // ---- sending ---------------------------------------------------------------------------------
  var running = null;
  function reasonOf(html) {
    var doc = new DOMParser().parseFromString(html, "text/html"), out = [];
    doc.querySelectorAll(".invalid-feedback, .alert-danger, .errorlist li").forEach(function (n) {
      var t = n.textContent.trim(); if (t && out.indexOf(t) < 0) { out.push(t); }
    });
    return out.join("；") || html.replace(/<[^>]*>/g, " ").trim().slice(0, 120);
  }
  function sendOne(item, token) {
    var body = new FormData();
    item.fields.forEach(function (f) { body.append(f.name, f.value); });
    item.files.forEach(function (f) { body.append(f.name, f.blob, f.filename); });
    body.set("csrfmiddlewaretoken", token);
    var headers = {"X-CSRFToken": token, "X-Niangjia-Login": "1"};
    if (item.htmx) { headers["HX-Request"] = "true"; }
    return fetch(item.url, {method: "POST", body: body, credentials: "same-origin", headers: headers})
      .then(function (r) {
        if (r.status === 401) { return "login"; }
        return r.text().then(function (html) {
          if (r.ok && !r.headers.get("HX-Retarget")) { item.status = "sent"; item.reason = ""; item.sent = new Date().toISOString(); }
          else if (r.status >= 500) { item.status = "waiting"; item.reason = "HTTP " + r.status; }
          else { item.status = "refused"; item.reason = reasonOf(html); }
          return put(item).then(function () { return item.status; });
        });
      }, function () { return "offline"; });
  }
  function sync() {
    if (running) { return running; }  // a second sync waits for the first: nothing is sent twice at once
    running = all().then(function (items) {
      var todo = items.filter(function (i) { return i.status === "waiting" && (!i.user || i.user === user()); });
      if (!todo.length) { return 0; }
      return window.njSession.check().then(function (state) {
        if (state === "offline") { return 0; }
        var ready = state === "login" ? window.njSession.askPassword() : Promise.resolve();
        return ready.then(function () {
          var sent = 0, chain = Promise.resolve();
          todo.forEach(function (item) {
            chain = chain.then(function () {
              return sendOne(item, window.njSession.csrf()).then(function (st) {
                if (st === "sent") { sent += 1; }
                if (st === "login") { return window.njSession.askPassword().then(function () { return sendOne(item, window.njSession.csrf()); }); }
              });
            });
          });
          return chain.then(function () { return sent; });
        });
      });
    }).catch(function () { return 0; }).then(function (n) { running = null; badge(); render(); return n; });
    return running;
  }

  // ---- what is waiting: a pill on every page, the full list on /outbox/ ---------------------------
  function badge() {
    if (!document.body) { return; }
    all().then(function (items) {
      var n = items.filter(function (i) { return i.status !== "sent" && (!i.user || i.user === user()); }).length;
      var pill = document.getElementById("nj-outbox-pill");
      if (!n) { if (pill) { pill.remove(); } return; }
      if (!pill) {
        pill = document.createElement("a"); pill.id = "nj-outbox-pill"; pill.href = "/outbox/";
        pill.className = "btn btn-warning btn-sm shadow nj-outbox-pill"; document.body.appendChild(pill);
      }
      pill.textContent = n + " " + T.badge;
    }).catch(function () {});
  }
  function render() {
    var box = document.getElementById("nj-outbox");
    if (!box) { return; }
    all().then(function (items) {
      items = items.filter(function (i) { return !i.user || i.user === user(); })
        .sort(function (a, b) { return a.created < b.created ? 1 : -1; });
      box.innerHTML = "";
      if (!items.length) { box.textContent = T.empty; return; }
      items.forEach(function (item) { box.appendChild(card(item)); });
    });
  }
  function card(item) {
    var c = document.createElement("div");
    c.className = "card mb-2 nj-outbox-item"; c.setAttribute("data-status", item.status);
    var cls = {waiting: "text-bg-warning", sent: "text-bg-success", refused: "text-bg-danger", sending: "text-bg-info"}[item.status];
    var head = document.createElement("div"); head.className = "card-body py-2";
    var title = document.createElement("div"); title.className = "d-flex justify-content-between gap-2";
    var strong = document.createElement("strong"); strong.textContent = item.what;
    var st = document.createElement("span"); st.className = "badge " + cls; st.textContent = T[item.status] || item.status;
    title.appendChild(strong); title.appendChild(st); head.appendChild(title);
    var when = document.createElement("div"); when.className = "small text-muted";
    when.textContent = new Date(item.created).toLocaleString() + (item.files.length ? " · " + item.files.length + " " + T.files : "");
    head.appendChild(when);
    if (item.reason) { var r = document.createElement("div"); r.className = "alert alert-danger py-1 small my-2"; r.setAttribute("role", "alert"); r.textContent = item.reason; head.appendChild(r); }
    var editable = item.status === "refused";
    item.fields.forEach(function (f, i) {
      if (f.hidden || !f.label) { return; }
      var row = document.createElement("div"); row.className = "small";
      if (editable) {
        var id = "nj-ob-" + item.key + "-" + i, lab = document.createElement("label"), inp = document.createElement("input");
        lab.className = "form-label small mb-0 mt-1"; lab.htmlFor = id; lab.textContent = f.label;
        inp.className = "form-control form-control-sm"; inp.id = id; inp.value = f.value;
        inp.addEventListener("input", function () { f.value = inp.value; });
        row.appendChild(lab); row.appendChild(inp);
      } else if (f.value) {
        row.textContent = f.label + "：" + f.value;
      }
      head.appendChild(row);
    });
    var actions = document.createElement("div"); actions.className = "d-flex gap-2 mt-2";
    if (item.status === "refused") {
      var again = document.createElement("button"); again.className = "btn btn-sm btn-primary"; again.textContent = T.resend;
      again.addEventListener("click", function () { item.status = "waiting"; item.reason = ""; put(item).then(sync); });
      actions.appendChild(again);
    }
    if (item.status !== "waiting") {
      var del = document.createElement("button"); del.className = "btn btn-sm btn-outline-secondary"; del.textContent = T.remove;
      del.addEventListener("click", function () { drop(item.key).then(function () { render(); badge(); }); });
      actions.appendChild(del);
    }
    head.appendChild(actions); c.appendChild(head);
    return c;
  }

  // ---- photos shrunk before they leave (or wait in) the phone; other files checked for size ------
  function shrink(file) {
    return new Promise(function (resolve) {
      if (!/^image\/(jpeg|png|webp)$/.test(file.type)) { resolve(file); return; }
      var img = new Image(), url = URL.createObjectURL(file);
      img.onload = function () {
        var scale = Math.min(1, PHOTO_EDGE / Math.max(img.naturalWidth, img.naturalHeight));
        if (scale === 1 && file.size < 1024 * 1024) { URL.revokeObjectURL(url); resolve(file); return; }
        var cv = document.createElement("canvas");
        cv.width = Math.round(img.naturalWidth * scale); cv.height = Math.round(img.naturalHeight * scale);
        cv.getContext("2d").drawImage(img, 0, 0, cv.width, cv.height);
        URL.revokeObjectURL(url);
        cv.toBlob(function (b) {
          resolve(b && b.size < file.size ? new File([b], file.name.replace(/\.\w+$/, "") + ".jpg", {type: "image/jpeg"}) : file);
        }, "image/jpeg", PHOTO_QUALITY);
      };
      img.onerror = function () { URL.revokeObjectURL(url); resolve(file); };
      img.src = url;
    });
  }
  document.addEventListener("change", function (e) {
    var input = e.target;
    if (!input.matches || !input.matches("input[type=file]") || !input.files || !input.files.length) { return; }
    var limit = parseFloat(input.getAttribute("data-max-mb") || MAX_MB) * 1024 * 1024;
    Promise.all(Array.prototype.map.call(input.files, shrink)).then(function (files) {
      var big = files.filter(function (f) { return f.size > limit; });
      var dt = new DataTransfer();
      if (big.length) {
        input.value = "";
        input.setCustomValidity(T.tooBig.replace("%s", Math.round(limit / 1048576)));
        input.reportValidity();
        window.alert(T.tooBig.replace("%s", Math.round(limit / 1048576)));
        return;
      }
      input.setCustomValidity("");
      files.forEach(function (f) { dt.items.add(f); });
      input.files = dt.files;
      input.setAttribute("data-nj-shrunk", files.map(function (f) { return f.size; }).join(","));
    });
  });

  // ---- wiring ----------------------------------------------------------------------------------
  document.addEventListener("DOMContentLoaded", function () {
    stamp(document); badge(); render();
    var btn = document.getElementById("nj-outbox-send");
    if (btn) { btn.addEventListener("click", function () { sync(); }); }
    if (navigator.onLine !== false && document.body.getAttribute("data-nj-user")) { sync(); }
    // the service worker keeps pages per user: tell it whose page this is ("" on the login page), so a
    // phone that changes hands never shows the last user's pages
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({user: encodeURIComponent(document.body.getAttribute("data-nj-user") || "")});
    }
    // logging out forgets the cached pages (they hold this user's data); the outbox stays
    document.querySelectorAll("form[action='/logout/']").forEach(function (f) {
      f.addEventListener("submit", function () {
        if (navigator.serviceWorker && navigator.serviceWorker.controller) { navigator.serviceWorker.controller.postMessage("forget-pages"); }
      });
    });
  });
  document.addEventListener("htmx:load", function (e) { stamp(e.detail.elt.parentNode || document); });
  window.addEventListener("online", function () { sync(); });
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () { navigator.serviceWorker.register("/sw.js").catch(function () {}); });
  }
  window.njOutbox = {queue: queue, sync: sync, all: all, render: render};
})();
