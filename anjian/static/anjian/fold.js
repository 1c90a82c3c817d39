// Folds on a phone what wider screens show open: a <details data-fold-narrow> is rendered
// open (so it is open without script) and closed here when the page loads on a screen
// 600 px wide or less (site.css's phone width). A link to such a <details> opens it.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 600px)");
  document.addEventListener("DOMContentLoaded", function () {
    if (!narrow.matches) return;
    document.querySelectorAll("details[data-fold-narrow]").forEach(function (d) {
      d.open = false;
    });
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    var target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (target && target.tagName === "DETAILS") target.open = true;
  });
})();
