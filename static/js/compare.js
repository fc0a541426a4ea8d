/*
 * The comparison, a little quicker with JavaScript. Everything here works
 * without it: the links and the form load the page with a new address.
 *
 * - "Show: every row, only the differences, what only one source says"
 *   switch without a reload, keeping the address (and the
 *   share link) in step, so it can still be shared. Each row says what it
 *   is in its class (compare__row--differs, --one-sided, …); the server
 *   hides the same rows for the same address.
 * - "What matters most" keeps the order in which boxes are ticked: a plain
 *   form sends them in the order they are listed.
 * - On a wide screen the key differences show whole; a phone shows the
 *   first two, the rest folded.
 * - Printing opens every "Details", for browsers whose print stylesheet
 *   cannot (site.css opens them where it can).
 */
(function () {
  "use strict";

  var share = document.querySelector(".js-share");
  // Which rows each choice shows, by the row's class.
  var ROWS = {
    all: null,
    differences: "compare__row--differs",
    gaps: "compare__row--one-sided"
  };

  function keepShareLinkInStep() {
    if (share) {
      var url = new URL(window.location.href);
      url.searchParams.delete("pair");
      share.value = url.href;
    }
  }

  var links = Array.prototype.slice.call(document.querySelectorAll(".js-show"));
  var table = document.querySelector("table.compare");
  var status = document.getElementById("compare-status");
  if (links.length && table && status && window.history.replaceState) {
    var show = function (choice) {
      var kept = ROWS[choice];
      table.querySelectorAll("tr.compare__row").forEach(function (row) {
        row.hidden = kept !== null && !row.classList.contains(kept);
      });
      table.querySelectorAll("tbody").forEach(function (group) {
        group.hidden = !group.querySelector("tr.compare__row:not([hidden])");
      });
      status.textContent = status.dataset[choice] || "";
      links.forEach(function (link) {
        if (link.dataset.show === choice) {
          link.setAttribute("aria-current", "true");
        } else {
          link.removeAttribute("aria-current");
        }
      });
    };
    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        window.history.replaceState(null, "", link.getAttribute("href"));
        show(link.dataset.show);
        keepShareLinkInStep();
      });
    });
  }

  var form = document.querySelector(".js-tailor");
  if (form) {
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=matters]"));
    var ticked = boxes.filter(function (box) { return box.checked; })
      .map(function (box) { return box.value; });
    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        ticked = ticked.filter(function (value) { return value !== box.value; });
        if (box.checked) {
          ticked.push(box.value);
        }
      });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var now = new URLSearchParams(window.location.search);
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        if (name !== "matters" && name !== "differences" && name !== "gaps" &&
            value !== "") {
          params.append(name, value);
        }
      });
      ticked.forEach(function (value) { params.append("matters", value); });
      ["differences", "gaps"].forEach(function (name) {
        if (now.get(name) === "1") {
          params.append(name, "1");
        }
      });
      window.location.assign(form.action + "?" + params.toString());
    });
  }

  if (window.matchMedia("(min-width: 48rem)").matches) {
    document.querySelectorAll(".js-open-when-wide").forEach(function (details) {
      details.open = true;
    });
  }

  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      opened.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.open = false; });
    opened = [];
  });
})();
