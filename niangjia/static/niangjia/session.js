// Sessions that keep what was typed (issue 15). Before a plain post leaves the page we ask
// /session/ whether the session is alive; when it has lapsed we ask for the password in place
// (a dialog that logs in by fetch) and then send the form as it stands. An htmx request that
// meets a lapsed session gets a 401 (core.web) that is never swapped into its target: the same
// dialog asks, then the request is issued again. Without a connection, forms marked
// data-nj-offline go to the outbox (offline.js); others keep their text and say so.
(function () {
  var EN = (document.documentElement.lang || "").indexOf("en") === 0;
  var T = EN ? {
    title: "Your session has expired", keep: "What you typed is kept. Enter your password to continue.",
    user: "User name", pw: "Password", go: "Log in and continue", cancel: "Cancel",
    bad: "Could not log in", offline: "No connection: what you typed is still here. Tap save again when the signal returns."
  } : {
    title: "登录已过期", keep: "您填写的内容还在。输入密码后继续保存。",
    user: "用户名", pw: "密码", go: "登录并继续", cancel: "取消",
    bad: "登录失败", offline: "没有网络：填写的内容还在，有信号后再点保存。"
  };

  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }
  function csrf() { return cookie("csrftoken"); }
  function knownUser() {
    var u = document.body && document.body.getAttribute("data-nj-user");
    try { if (u) { localStorage.setItem("nj-user", u); } else { u = localStorage.getItem("nj-user"); } } catch (e) { /* private mode */ }
    return u || cookie("nj_user") || "";
  }

  // "ok" (alive), "login" (lapsed) or "offline" (no answer).
  function check() {
    if (navigator.onLine === false) { return Promise.resolve("offline"); }
    return fetch("/session/", {credentials: "same-origin", cache: "no-store", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.status === 401 ? "login" : (r.ok ? "ok" : "ok"); })
      .catch(function () { return "offline"; });
  }

  var pending = null;  // one dialog for every request that met the lapsed session
  function askPassword() {
    if (pending) { return pending; }
    pending = new Promise(function (resolve, reject) {
      var d = document.createElement("dialog");
      d.className = "nj-relogin";
      d.setAttribute("aria-labelledby", "nj-relogin-title");
      d.innerHTML = '<form method="dialog" class="p-3" novalidate>' +
        '<h2 class="h5" id="nj-relogin-title"></h2><p class="small text-muted nj-keep"></p>' +
        '<div class="alert alert-danger py-2 d-none" role="alert"></div>' +
        '<label class="form-label" for="nj-relogin-user"></label>' +
        '<input class="form-control mb-2" id="nj-relogin-user" name="username" autocomplete="username">' +
        '<label class="form-label" for="nj-relogin-pw"></label>' +
        '<input class="form-control mb-3" id="nj-relogin-pw" name="password" type="password" autocomplete="current-password">' +
        '<div class="d-flex gap-2"><button class="btn btn-primary flex-fill" value="go"></button>' +
        '<button class="btn btn-outline-secondary" value="cancel" formnovalidate></button></div></form>';
      d.querySelector("h2").textContent = T.title;
      d.querySelector(".nj-keep").textContent = T.keep;
      d.querySelector("label[for=nj-relogin-user]").textContent = T.user;
      d.querySelector("label[for=nj-relogin-pw]").textContent = T.pw;
      d.querySelector("button[value=go]").textContent = T.go;
      d.querySelector("button[value=cancel]").textContent = T.cancel;
      var user = d.querySelector("#nj-relogin-user"), pw = d.querySelector("#nj-relogin-pw");
      var alert = d.querySelector(".alert");
      user.value = knownUser();
      document.body.appendChild(d);
      function done(ok) {
        d.close(); d.remove(); pending = null;
        if (ok) {  // the login rotated the CSRF token: every form on the page carries the new one
          document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (i) { i.value = csrf(); });
          resolve();
        } else { reject(new Error("cancelled")); }
      }
      d.querySelector("form").addEventListener("submit", function (e) {
        e.preventDefault();
        if (e.submitter && e.submitter.value === "cancel") { done(false); return; }
        var body = new FormData();
        body.append("username", user.value);
        body.append("password", pw.value);
        fetch("/session/login/", {method: "POST", body: body, credentials: "same-origin",
                                   headers: {"X-CSRFToken": csrf(), "Accept": "application/json"}})
          .then(function (r) { return r.json().then(function (j) { return {ok: r.ok, j: j}; }); })
          .then(function (res) {
            if (res.ok) { done(true); return; }
            alert.textContent = res.j.message || T.bad; alert.classList.remove("d-none"); pw.value = ""; pw.focus();
          })
          .catch(function () { alert.textContent = T.offline; alert.classList.remove("d-none"); });
      });
      d.addEventListener("cancel", function (e) { e.preventDefault(); done(false); });
      d.showModal();
      (user.value ? pw : user).focus();
    });
    return pending;
  }

  // Send a plain form as it stands, with the current CSRF token and the button that was pressed.
  function send(form, submitter) {
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (token && csrf()) { token.value = csrf(); }
    if (submitter && submitter.name) {
      var carry = document.createElement("input");
      carry.type = "hidden"; carry.name = submitter.name; carry.value = submitter.value;
      form.appendChild(carry);
    }
    HTMLFormElement.prototype.submit.call(form);
  }

  function guarded(form) {
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") { return false; }
    if (form.hasAttribute("data-nj-plain") || form.hasAttribute("data-nj-relogin")) { return false; }
    if (form.hasAttribute("hx-post") || form.hasAttribute("hx-put")) { return false; }  // htmx handles those
    var action = new URL(form.action || location.href, location.href).pathname;
    if (/^\/(login|logout|i18n|p)\//.test(action) || /^\/(login|logout)\//.test(location.pathname)) { return false; }
    return !!document.body.getAttribute("data-nj-user");
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (e.defaultPrevented || !guarded(form)) { return; }
    e.preventDefault();
    if (form.njBusy) { return; }  // a second tap while we ask
    form.njBusy = true;
    var submitter = e.submitter;
    check().then(function (state) {
      if (state === "ok") { send(form, submitter); return; }
      if (state === "login") {
        return askPassword().then(function () { send(form, submitter); });
      }
      if (form.hasAttribute("data-nj-offline") && window.njOutbox) {
        return window.njOutbox.queue(form, submitter);
      }
      window.alert(T.offline);
    }).catch(function () { /* cancelled: the text stays in the form */ })
      .then(function () { form.njBusy = false; });
  });

  // htmx: the current CSRF token on every request (a login in place rotates it).
  document.addEventListener("htmx:configRequest", function (e) {
    if (csrf()) { e.detail.headers["X-CSRFToken"] = csrf(); }
  });
  // htmx: a lapsed session is never swapped in; ask, then issue the same request again.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var xhr = e.detail.xhr, url = "";
    try { url = new URL(xhr.responseURL, location.href).pathname; } catch (err) { url = ""; }
    if (!(xhr.status === 401 || xhr.getResponseHeader("X-Niangjia-Login") || url === "/login/")) { return; }
    e.detail.shouldSwap = false;
    e.detail.isError = false;
    // beforeSwap fires on the target; the element that asked (the form, with its values) is in the config
    var cfg = e.detail.requestConfig || {}, elt = cfg.elt || e.detail.elt || e.target;
    askPassword().then(function () {
      window.htmx.ajax(cfg.verb || "post", cfg.path, {source: elt, target: e.detail.target});
    }).catch(function () { /* cancelled: nothing was swapped, the text stays */ });
  });

  window.njSession = {check: check, askPassword: askPassword, csrf: csrf};
})();
