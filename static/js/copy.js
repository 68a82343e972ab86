// Copy buttons (data-copy: the text; data-copied: what the button says once done). No inline
// script: the Content-Security-Policy forbids it. Without the clipboard API the text is selected.
document.querySelectorAll(".js-copy").forEach(function (b) {
  "use strict";
  b.addEventListener("click", function () {
    var text = b.getAttribute("data-copy");
    var label = b.textContent;
    function done() {
      b.textContent = b.getAttribute("data-copied");
      window.setTimeout(function () { b.textContent = label; }, 2000);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
    } else {
      var target = document.getElementById(b.getAttribute("data-target") || "class-code");
      if (target) { window.getSelection().selectAllChildren(target); }
    }
  });
});
