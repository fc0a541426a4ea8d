/*
 * From the medium breakpoint (48rem, static/css/site.css) the filters sit beside the results: show them open.
 * On a phone they start folded (unless some are in use), so the results
 * come first. Without JavaScript the <details> still opens with a tap.
 */
(function () {
  "use strict";
  var filters = document.querySelector(".filters-disclosure");
  if (filters && window.matchMedia("(min-width: 48rem)").matches) {
    filters.open = true;
  }
})();
