// The one-screen call form: show only the part (case, need, or no action) the operator chose.
(function () {
  var form = document.getElementById("call-form");
  if (!form) { return; }
  function show() {
    var picked = form.querySelector('input[name="what"]:checked');
    var what = picked ? picked.value : "case";
    form.querySelectorAll("[data-call-part]").forEach(function (el) {
      el.hidden = el.getAttribute("data-call-part") !== what;
    });
    // 无需处理 closes the call for good: app.js asks before a form with data-confirm is sent
    if (what === "none") {
      form.setAttribute("data-confirm", form.getAttribute("data-confirm-none"));
    } else {
      form.removeAttribute("data-confirm");
    }
  }
  form.addEventListener("change", function (e) { if (e.target.name === "what") { show(); } });
  show();
})();
