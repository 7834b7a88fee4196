// The header's menus (navigation groups and the member's menu) are <details> elements: they open
// and close without script. This adds what people expect of a menu on top: Escape closes it and
// gives the focus back to its button, a click or a focus elsewhere closes it, and opening one
// closes the others. Listeners sit on the document, so pages swapped in by htmx keep them.
(function () {
  "use strict";

  var MENUS = ".site-header details";

  function openMenus() {
    return Array.prototype.slice.call(document.querySelectorAll(MENUS + "[open]"));
  }

  function closeAllBut(kept) {
    openMenus().forEach(function (menu) {
      if (menu !== kept) {
        menu.removeAttribute("open");
      }
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var menu = event.target.closest && event.target.closest(MENUS + "[open]");
    if (!menu) {
      menu = openMenus()[0];
    }
    if (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    closeAllBut(event.target.closest && event.target.closest(MENUS));
  });

  document.addEventListener("focusin", function (event) {
    closeAllBut(event.target.closest && event.target.closest(MENUS));
  });

  // The "toggle" event does not bubble: listen while it goes down to the element instead.
  document.addEventListener(
    "toggle",
    function (event) {
      if (event.target.matches && event.target.matches(MENUS) && event.target.open) {
        closeAllBut(event.target);
      }
    },
    true
  );
})();
