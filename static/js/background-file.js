// Progressive enhancement: follow the files built in the background (core.files) without
// reloading. Each box says where it is shown (data-refresh-url); the page is fetched again
// and the box's content replaced, inside its aria-live region, until the file is ready.
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser) { return; }
  var finished = { ready: true, failed: true };
  function follow(box) {
    var url = box.getAttribute("data-refresh-url");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) { return; }
          var page = new DOMParser().parseFromString(html, "text/html");
          var fresh = page.getElementById(box.id);
          if (!fresh) { return; }
          var state = fresh.getAttribute("data-state");
          if (state !== box.getAttribute("data-state") || !finished[state]) {
            box.innerHTML = fresh.innerHTML;
            box.setAttribute("data-state", state);
          }
          if (!finished[state]) { window.setTimeout(poll, 2000); }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1500);
  }
  var boxes = document.querySelectorAll(".background-file[data-refresh-url]");
  for (var i = 0; i < boxes.length; i++) {
    if (!finished[boxes[i].getAttribute("data-state")]) { follow(boxes[i]); }
  }
})();
