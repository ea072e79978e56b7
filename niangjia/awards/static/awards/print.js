// The printable results' print button (no inline scripts under the CSP).
document.addEventListener("click", function (e) {
  if (e.target.closest && e.target.closest("[data-nj-print]")) { window.print(); }
});
