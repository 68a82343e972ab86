// The print button of the print pages (no inline script: the Content-Security-Policy forbids it).
document.querySelectorAll(".js-print").forEach(function (b) {
  "use strict";
  b.addEventListener("click", function () { window.print(); });
});
