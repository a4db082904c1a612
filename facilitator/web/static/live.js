// Enhancement only: the page works without it. When the facilitator opens or closes an
// activity, reload — unless the participant is typing, then only say so (nothing lost).
(function () {
  var live = document.getElementById("live");
  if (!live || !window.fetch) return;
  var code = live.getAttribute("data-code");
  var known = live.getAttribute("data-open");
  function typing() {
    var areas = document.querySelectorAll("textarea:not([readonly])");
    for (var i = 0; i < areas.length; i++) if (areas[i].value.trim()) return true;
    return false;
  }
  function check() {
    fetch("/e/" + code + "/state", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) {
        if (!state) return;
        var now = state.open.join(",");
        if (now === known) return;
        if (!typing()) { window.location.href = "/e/" + code; return; }
        live.textContent = live.getAttribute("data-message");
        live.setAttribute("role", "status");
        live.hidden = false;
      })
      .catch(function () { /* the Wi-Fi blinked; try again next time */ });
  }
  setInterval(check, 5000);
})();
