// Text boxes that grow with their text, where CSS field-sizing is not
// supported (css/admin.css does it elsewhere). A file, not an inline
// script: the site's Content-Security-Policy refuses inline scripts.
(function () {
  "use strict";
  if (window.CSS && CSS.supports("field-sizing", "content")) {
    return;
  }
  function fit(box) {
    box.style.height = "auto";
    box.style.height = box.scrollHeight + 2 + "px";
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches("textarea.grows")) {
      fit(event.target);
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea.grows").forEach(fit);
  });
})();
