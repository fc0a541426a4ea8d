/*
 * A "Print or save" button on the summary. Without JavaScript it stays
 * hidden and the page says to use the browser's Print command.
 */
(function () {
  "use strict";
  var button = document.querySelector(".js-print");
  if (button && window.print) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  }
})();
