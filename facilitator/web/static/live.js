// Enhancement only: the page works without it (it has a reload link). When the
// facilitator opens or closes an activity or moves a round on, reload — unless the
// participant is typing, then only say so in the page's live region (nothing lost).
// The server tells us over an event stream; where EventSource is missing, poll every 5 s.
// Countdowns tick down to their deadline.
(function () {
  var live = document.getElementById("live");
  if (!live) return;
  var code = live.getAttribute("data-code");
  var known = live.getAttribute("data-key");
  var polling = null;
  // Typing means a text changed from what the page came with: a pre-filled reason or
  // report alone must not keep the page from following the room.
  function typing() {
    var fields = document.querySelectorAll("textarea:not([readonly]), input[type=text]");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value.trim() && fields[i].value !== fields[i].defaultValue) return true;
    }
    return false;
  }
  function follow(state) {
    if (!state || state.key === known) return;
    if (!typing()) { window.location.href = "/e/" + code; return; }
    // The region is in the page from the start (role=status), so this is announced.
    live.textContent = live.getAttribute("data-message");
  }
  function poll() {
    fetch("/e/" + code + "/state", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(follow)
      .catch(function () { /* the Wi-Fi blinked; try again next time */ });
  }
  function tick() {
    var times = document.querySelectorAll("time.deadline");
    for (var i = 0; i < times.length; i++) {
      var left = Math.max(0, Math.round((Date.parse(times[i].getAttribute("datetime")) - Date.now()) / 1000));
      times[i].textContent = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2);
    }
  }
  if (window.EventSource) {
    // It reconnects by itself after a drop, sending Last-Event-ID.
    var source = new EventSource("/e/" + code + "/stream", { withCredentials: true });
    source.addEventListener("state", function (e) {
      try { follow(JSON.parse(e.data)); } catch (err) { /* a torn event; the next one */ }
    });
    // A refused stream (not a dropped one, which it retries itself) is closed for good:
    // the page then asks as it did before streams.
    source.addEventListener("error", function () {
      if (source.readyState === 2 && !polling && window.fetch) polling = setInterval(poll, 5000);
    });
  } else if (window.fetch) {
    polling = setInterval(poll, 5000);
  }
  tick();
  setInterval(tick, 1000);
})();
