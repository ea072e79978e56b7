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
  }
  form.addEventListener("change", function (e) { if (e.target.name === "what") { show(); } });
  show();
})();
