/*
 * Label Actions Innovantes — the quartiers follow the commune (progressive enhancement).
 *
 * Without this file the project form lists the quartiers of every commune,
 * each commune in its own fieldset, and the server refuses a quartier outside
 * the chosen commune. With it, only the chosen commune's fieldset is shown;
 * the others are hidden and disabled, so their boxes are not sent.
 */
(function () {
  "use strict";

  function narrow(select, groups) {
    var commune = select.value;
    var shown = 0;
    Array.prototype.forEach.call(groups.querySelectorAll("fieldset[data-commune]"), function (fieldset) {
      var match = fieldset.getAttribute("data-commune") === commune;
      fieldset.hidden = !match;
      fieldset.disabled = !match;
      if (match) {
        shown += 1;
      }
    });
    groups.querySelector("[data-qpv-no-commune]").hidden = commune !== "";
    groups.querySelector("[data-qpv-none]").hidden = commune === "" || shown > 0;
  }

  function init() {
    var groups = document.querySelector("[data-qpv-communes]");
    var form = groups && groups.closest("form");
    var select = form && form.elements.namedItem("commune");
    if (!select) {
      return;
    }
    select.addEventListener("change", function () {
      narrow(select, groups);
    });
    narrow(select, groups);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
