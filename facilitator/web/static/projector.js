// The room's screen follows its stream: each event carries the whole view (an HTML
// fragment the server drew, participant text escaped), swapped in when its key differs.
// Where EventSource is missing, the page reloads every 5 s. Countdowns tick.
(function () {
  var view = document.getElementById("view");
  if (!view) return;
  var known = view.getAttribute("data-key");
  function tick() {
    var times = document.querySelectorAll("time.deadline");
    for (var i = 0; i < times.length; i++) {
      var left = Math.max(0, Math.round((Date.parse(times[i].getAttribute("datetime")) - Date.now()) / 1000));
      times[i].textContent = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2);
    }
  }
  function listen() {
    var source = new EventSource(view.getAttribute("data-stream"));
    source.addEventListener("state", function (e) {
      var state = JSON.parse(e.data);
      if (state.key === known) return;
      known = state.key;
      view.innerHTML = state.html;
      tick();
    });
    // A refused stream (the server is full: 503) is closed for good, not retried by the
    // browser: ask again in 5 s, as a page without EventSource reloads, so the wall
    // follows the room once there is room.
    source.addEventListener("error", function () {
      if (source.readyState === 2) setTimeout(listen, 5000);
    });
  }
  if (window.EventSource) {
    listen();
  } else {
    setInterval(function () { window.location.reload(); }, 5000);
  }
  tick();
  setInterval(tick, 1000);
})();
