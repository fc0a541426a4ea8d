/*
 * The comparison, a little quicker with JavaScript. Everything here works
 * without it: the links and the form load the page with a new address.
 *
 * - "Show only the differences" switches without a reload, keeping the
 *   address (and the share link) in step, so it can still be shared.
 * - "What matters most" keeps the order in which boxes are ticked: a plain
 *   form sends them in the order they are listed.
 * - Printing opens every "Details", for browsers whose print stylesheet
 *   cannot (site.css opens them where it can).
 */
(function () {
  "use strict";

  var share = document.querySelector(".js-share");

  function differencesOnly() {
    return new URLSearchParams(window.location.search).get("differences") === "1";
  }

  function keepShareLinkInStep() {
    if (share) {
      var url = new URL(window.location.href);
      url.searchParams.delete("pair");
      share.value = url.href;
    }
  }

  var link = document.querySelector(".js-differences");
  var table = document.querySelector("table.compare");
  var summary = document.getElementById("compare-summary");
  if (link && table && summary && window.history.replaceState) {
    var plural = function (count, one, many) {
      return count + " " + (count === 1 ? one : many);
    };
    var show = function (only) {
      table.querySelectorAll("tr.compare__row--same").forEach(function (row) {
        row.hidden = only;
      });
      table.querySelectorAll("tbody").forEach(function (group) {
        group.hidden = only && !group.querySelector("tr.compare__row--differs");
      });
      var differing = Number(summary.dataset.differing);
      var same = Number(summary.dataset.same);
      summary.textContent = only
        ? "Showing the " + plural(differing, "row", "rows") +
          " where the short answers differ; " + plural(same, "row", "rows") +
          " where they agree " + (same === 1 ? "is" : "are") + " hidden."
        : "The short answers differ in " + differing + " of " + (differing + same) +
          " rows, marked \u201cDiffers\u201d. Open \u201cDetails\u201d for the fuller " +
          "wording and its source.";
      link.textContent = only ? "Show every row" : "Show only the differences";
    };
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var target = link.getAttribute("href");
      link.setAttribute("href", link.dataset.otherHref);
      link.dataset.otherHref = target;
      window.history.replaceState(null, "", target);
      show(differencesOnly());
      keepShareLinkInStep();
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
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        if (name !== "matters" && name !== "differences" && value !== "") {
          params.append(name, value);
        }
      });
      ticked.forEach(function (value) { params.append("matters", value); });
      if (differencesOnly()) {
        params.append("differences", "1");
      }
      window.location.assign(form.action + "?" + params.toString());
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
