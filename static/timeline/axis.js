// The time axis (templates/timeline/_axis.html). Everything works without this file: the marks are plain links.
(function () {
  "use strict";
  // SVG links are not HTMLAnchorElements, so htmx makes their request but does not stop the browser from
  // following them as well: stop it here (capture phase, before htmx's own listener). A click with a modifier
  // (a new tab or window) is left to the browser and kept from htmx.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("#axis svg a[hx-get]") : null;
    if (!link) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button !== 0) {
      event.stopPropagation();
      return;
    }
    event.preventDefault();
  }, true);

  // After a zoom, the focused mark may be gone from the new drawing: keyboard users land on the axis's caption
  // (which names the window now shown), not at the top of the page.
  var fromAxis = false;
  document.addEventListener("htmx:beforeRequest", function (event) {
    fromAxis = !!(event.target.closest && event.target.closest("#axis"));
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!fromAxis) return;
    fromAxis = false;
    var active = document.activeElement;
    if (!active || active === document.body || !document.contains(active)) {
      var title = document.getElementById("axis-title");
      if (title) title.focus();
    }
  });
})();
