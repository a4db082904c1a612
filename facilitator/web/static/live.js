// Enhancement only: the page works without it. When the facilitator opens or closes an
// activity or moves a round on, reload — unless the participant is typing, then only say
// so (nothing lost). Countdowns tick down to their deadline.
(function () {
  var live = document.getElementById("live");
  if (!live || !window.fetch) return;
  var code = live.getAttribute("data-code");
  var known = live.getAttribute("data-key");
  // Typing means a text changed from what the page came with: a pre-filled reason or
  // report alone must not keep the page from following the room.
  function typing() {
    var fields = document.querySelectorAll("textarea:not([readonly]), input[type=text]");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value.trim() && fields[i].value !== fields[i].defaultValue) return true;
    }
    return false;
  }
  function check() {
    fetch("/e/" + code + "/state", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) {
        if (!state || state.key === known) return;
        if (!typing()) { window.location.href = "/e/" + code; return; }
        live.textContent = live.getAttribute("data-message");
        live.setAttribute("role", "status");
        live.hidden = false;
      })
      .catch(function () { /* the Wi-Fi blinked; try again next time */ });
  }
  function tick() {
    var times = document.querySelectorAll("time.deadline");
    for (var i = 0; i < times.length; i++) {
      var left = Math.max(0, Math.round((Date.parse(times[i].getAttribute("datetime")) - Date.now()) / 1000));
      times[i].textContent = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2);
    }
  }
  setInterval(check, 5000);
  tick();
  setInterval(tick, 1000);
})();
