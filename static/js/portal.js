/*
 * Label Actions Innovantes — progressive enhancement only.
 *
 * Every page works without this file. Loaded with "defer" (no inline script:
 * the Content-Security-Policy forbids it).
 *
 * Feature: messages marked with data-portal-dismissible get a « Fermer »
 * button. Once a message is closed, focus moves to the main content so that
 * keyboard and screen-reader users are not left on a removed element.
 */
(function () {
  "use strict";

  function closeAlert(alert) {
    var region = alert.parentElement;
    alert.remove();
    if (region && region.classList.contains("portal-messages") && !region.querySelector(".alert")) {
      region.remove();
    }
    var main = document.getElementById("contenu");
    if (main) {
      main.focus();
    }
  }

  function enhanceDismissibleAlerts() {
    var alerts = document.querySelectorAll(".alert[data-portal-dismissible]");
    Array.prototype.forEach.call(alerts, function (alert) {
      if (alert.querySelector(".btn-close")) {
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn-close";
      button.setAttribute("aria-label", "Fermer ce message");
      button.addEventListener("click", function () {
        closeAlert(alert);
      });
      alert.classList.add("alert-dismissible");
      alert.appendChild(button);
    });
  }

  function init() {
    enhanceDismissibleAlerts();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
