/* Before You Post: make the theme's phone menus work from a keyboard.
 *
 * Furo opens its side menus (site menu, page contents) with a <label> tied
 * to a hidden checkbox. A label cannot be reached with Tab, so keyboard and
 * switch users could not open the menu at all. Each such label becomes a
 * real <button> that says whether its menu is open; Escape closes an open
 * menu and puts focus back on its button. Without JavaScript the labels
 * stay as they are and still work by touch or mouse.
 */
(function () {
  "use strict";

  var NAMES = { __navigation: "Site menu", __toc: "Contents of this page" };
  var DRAWERS = { __navigation: ".sidebar-drawer", __toc: ".toc-drawer" };

  function buttonFor(label) {
    var box = document.getElementById(label.htmlFor);
    if (!box || !NAMES[box.id]) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = label.className + " menu-button";
    button.innerHTML = label.innerHTML;
    button.setAttribute("aria-label", NAMES[box.id]);
    button.setAttribute("aria-expanded", String(box.checked));
    button.addEventListener("click", function () {
      box.checked = !box.checked;
      box.dispatchEvent(new Event("change"));
      if (box.checked) focusFirstLink(box.id);
    });
    box.addEventListener("change", function () {
      button.setAttribute("aria-expanded", String(box.checked));
    });
    label.replaceWith(button);
  }

  function focusFirstLink(boxId) {
    var drawer = document.querySelector(DRAWERS[boxId]);
    var link = drawer && drawer.querySelector("a[href], input:not([type=hidden])");
    if (link) window.setTimeout(function () { link.focus(); }, 0);
  }

  function closeOpenMenu(event) {
    if (event.key !== "Escape") return;
    Object.keys(NAMES).forEach(function (id) {
      var box = document.getElementById(id);
      if (!box || !box.checked) return;
      box.checked = false;
      box.dispatchEvent(new Event("change"));
      var buttons = document.querySelectorAll("button.menu-button[aria-label='" + NAMES[id] + "']");
      for (var i = 0; i < buttons.length; i++) {
        if (buttons[i].offsetParent !== null) return buttons[i].focus();
      }
    });
  }

  function enhance() {
    document
      .querySelectorAll("label.nav-overlay-icon, label.toc-overlay-icon")
      .forEach(buttonFor);
    document.addEventListener("keydown", closeOpenMenu);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
