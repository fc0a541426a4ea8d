/*
 * "Show only the differences" without a reload. The link works on its own
 * (it loads the page with or without &differences=1); this only saves the
 * round trip and keeps the address in step, so it can still be shared.
 */
(function () {
  "use strict";

  var link = document.querySelector(".js-differences");
  var table = document.querySelector("table.compare");
  var summary = document.getElementById("compare-summary");
  if (!link || !table || !summary || !window.history.replaceState) {
    return;
  }

  function plural(count, one, many) {
    return count + " " + (count === 1 ? one : many);
  }

  function show(differencesOnly) {
    table.querySelectorAll("tr.compare__row--same").forEach(function (row) {
      row.hidden = differencesOnly;
    });
    table.querySelectorAll("tbody").forEach(function (group) {
      var differing = group.querySelector("tr.compare__row--differs");
      group.hidden = differencesOnly && !differing;
    });
    var differing = Number(summary.dataset.differing);
    var same = Number(summary.dataset.same);
    summary.textContent = differencesOnly
      ? "Showing the " + plural(differing, "row", "rows") + " where they differ; " +
        plural(same, "row", "rows") + " where they agree " +
        (same === 1 ? "is" : "are") + " hidden."
      : differing + " of " + (differing + same) +
        " rows differ; they are marked \u201cDiffers\u201d.";
    link.textContent = differencesOnly ? "Show every row" : "Show only the differences";
  }

  link.addEventListener("click", function (event) {
    event.preventDefault();
    var target = link.getAttribute("href");
    link.setAttribute("href", link.dataset.otherHref);
    link.dataset.otherHref = target;
    window.history.replaceState(null, "", target);
    show(/(^|[?&])differences=1(&|$)/.test(target));
  });
})();
