// The reading age under each text of public prose (editorial/admin.py),
// measured again a moment after the editor stops typing. The server
// measures it (POST to the address the hint names): one formula, the one
// the page's "About this information" uses. Saving measures it too, so a
// failed request changes nothing. A file, not an inline script: the
// site's Content-Security-Policy refuses inline scripts.
(function () {
  "use strict";
  var WAIT_MS = 700;
  var timers = new WeakMap();
  var asked = new WeakMap();

  function hintOf(box) {
    return box.id ? document.getElementById(box.id + "_reading") : null;
  }

  function token(box) {
    var input = box.form && box.form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function measure(box) {
    var hint = hintOf(box);
    if (!hint || !hint.dataset.readingUrl) {
      return;
    }
    var ask = (asked.get(box) || 0) + 1;
    asked.set(box, ask);
    var body = new FormData();
    body.append("text", box.value);
    fetch(hint.dataset.readingUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token(box) },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (found) {
        // Only the answer to the latest text counts.
        if (found && asked.get(box) === ask) {
          hint.textContent = found.advice;
        }
      })
      .catch(function () {});
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-reading]")) {
      return;
    }
    clearTimeout(timers.get(box));
    timers.set(
      box,
      setTimeout(function () {
        measure(box);
      }, WAIT_MS),
    );
  });

  // "Add another": Django numbers the new form's ids and names, but not
  // the ids its boxes are described by.
  document.addEventListener("formset:added", function (event) {
    event.target.querySelectorAll("[aria-describedby*='__prefix__']").forEach(function (box) {
      var number = (box.name || "").match(/-(\d+)-/);
      if (number) {
        box.setAttribute(
          "aria-describedby",
          box.getAttribute("aria-describedby").replace(/__prefix__/g, number[1]),
        );
      }
    });
  });
})();
