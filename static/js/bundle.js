// Progressive enhancement: follow the jury bundle's preparation without reloading.
(function () {
  "use strict";
  var box = document.getElementById("etat-dossier");
  if (!box || !window.fetch) { return; }
  var state = box.getAttribute("data-state");
  if (state === "done" || state === "failed") { return; }
  var url = box.getAttribute("data-status-url");
  var text = document.getElementById("etat-dossier-texte");
  var bar = box.querySelector("progress");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (data.state === "done" || data.state === "failed") { window.location.reload(); return; }
        bar.max = data.total;
        bar.value = data.done;
        bar.textContent = data.percent + " %";
        text.innerHTML = "";
        text.appendChild(document.createTextNode("État : "));
        var strong = document.createElement("strong");
        strong.textContent = data.label;
        text.appendChild(strong);
        text.appendChild(document.createTextNode(" — " + data.done + " sur " + data.total + "."));
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1500);
})();
