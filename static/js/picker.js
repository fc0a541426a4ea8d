/*
 * The picker searches as you type. Without this the form works as it is:
 * "Search" (or Enter) loads the page with the results. Here each pause in
 * typing fetches that same page in the background, with what is ticked,
 * and swaps in its results; the address follows, so it can be shared or
 * reloaded. The focus stays in the search box.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-picker]");
  var input = form && form.querySelector("input[name=q]");
  var count = document.getElementById("pick-count");
  if (!input || !count || !window.fetch || !window.DOMParser ||
      !window.URLSearchParams || !window.FormData || !window.history.replaceState) {
    return;
  }

  var PAUSE = 250; // milliseconds without a key before searching
  var timer = null;
  var latest = 0;

  function address() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== "") {
        params.append(name, value);
      }
    });
    params.set("page", "1");
    return form.getAttribute("action") + "?" + params.toString();
  }

  function search() {
    var url = address();
    var ticket = ++latest;
    fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("the search answered " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        if (ticket !== latest) {
          return; // a later search is on its way
        }
        var page = new DOMParser().parseFromString(html, "text/html");
        var results = page.getElementById("pick-results");
        var found = page.getElementById("pick-count");
        if (!results || !found) {
          return;
        }
        document.getElementById("pick-results").replaceWith(document.adoptNode(results));
        count.textContent = found.textContent;
        window.history.replaceState(null, "", url);
      })
      .catch(function () {
        // Nothing to do: the Search button still loads the results.
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, PAUSE);
  });
})();
