// Niangjia page behaviour without inline scripts (the CSP allows only our own files).
(function () {
  // Confirm before destructive actions: <form data-confirm="确定停用？"> or <button data-confirm>.
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { e.preventDefault(); }
  }, true);
  document.addEventListener("htmx:confirm", function (e) {
    var msg = e.detail.elt.getAttribute("data-confirm");
    if (msg) { e.preventDefault(); if (window.confirm(msg)) { e.detail.issueRequest(true); } }
  });
  // Charts: <div class="nj-chart" data-chart='{"...echarts option..."}'></div>
  // ECharts (1 MB) is fetched only when a chart is on the page and scrolled near the screen; pages
  // that load it themselves keep doing so. The address comes from <meta name="nj-echarts">.
  var loading = null;
  function loadEcharts() {
    if (window.echarts) { return Promise.resolve(); }
    if (!loading) {
      var meta = document.querySelector('meta[name="nj-echarts"]');
      if (!meta) { return Promise.reject(new Error("no echarts")); }
      loading = new Promise(function (resolve, reject) {
        var s = document.createElement("script"); s.src = meta.content; s.onload = resolve; s.onerror = reject;
        document.head.appendChild(s);
      });
    }
    return loading;
  }
  function drawCharts(root) {
    if (!window.echarts) {
      var charts = (root || document).querySelectorAll(".nj-chart[data-chart]");
      if (!charts.length) { return; }
      var go = function () { loadEcharts().then(function () { drawCharts(root); }, function () {}); };
      if (!("IntersectionObserver" in window)) { go(); return; }
      var io = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) { io.disconnect(); go(); }
      }, {rootMargin: "200px"});
      charts.forEach(function (c) { io.observe(c); });
      return;
    }
    (root || document).querySelectorAll(".nj-chart[data-chart]").forEach(function (el) {
      var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el);
      var option = JSON.parse(el.getAttribute("data-chart"));
      // A map carries its drawing (GeoJSON, from the deployment's boundary file or the schematic tile map)
      if (option.njGeo) { window.echarts.registerMap(option.njGeo.name, option.njGeo.json); delete option.njGeo; }
      chart.setOption(option);
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSwap", function (e) { drawCharts(e.target); });
  window.nianjiaDrawCharts = drawCharts;
})();

// Tree nodes: the first click loads the children by htmx (hx-trigger="click once"); later
// clicks only show or hide what was loaded.
(function () {
  document.addEventListener("click", function (e) {
    var btn = e.target.closest ? e.target.closest("[data-nj-toggle]") : null;
    if (!btn) { return; }
    var box = document.getElementById(btn.getAttribute("data-nj-toggle"));
    if (!box) { return; }
    var open = btn.getAttribute("aria-expanded") === "true";
    if (btn.hasAttribute("data-nj-loaded")) { box.classList.toggle("d-none", open); }
    btn.setAttribute("aria-expanded", open ? "false" : "true");
    btn.setAttribute("data-nj-loaded", "");
  });
  // Open the tab named in the address (#sites, #reform...) so redirects land on the right pane.
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.location.hash || !window.bootstrap) { return; }
    var trigger = document.querySelector('[data-bs-toggle="tab"][data-bs-target="' + window.location.hash + '"]');
    if (trigger) { window.bootstrap.Tab.getOrCreateInstance(trigger).show(); }
  });
})();
