// Live class mode: keep the page in step with the session. The server draws each phase; this script
// reloads the page when the phase changes (its version), updates the answer count and the names in
// place, and shows the countdown. It listens to the session's stream (Server-Sent Events); where the
// server holds no stream (204) or the stream fails, it polls state.json. The countdown only shows
// the time: the server refuses an answer after it, whatever this clock says.
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root) { return; }
  var version = parseInt(root.dataset.version, 10);
  var phase = root.dataset.phase;
  var reloading = false;
  var polling = null;
  var source = null;

  function reload() {
    if (reloading) { return; }
    reloading = true;
    if (source) { source.close(); }
    window.location.reload();
  }

  // The page's digits: Arabic-Indic when the server wrote the numbers so.
  var indic = /[\u0660-\u0669]/.test((document.getElementById("live-players") || document.getElementById("live-count") || {}).textContent || "");
  function fmt(n) {
    var text = String(n);
    return indic ? text.replace(/[0-9]/g, function (d) { return String.fromCharCode(0x0660 + parseInt(d, 10)); }) : text;
  }

  function render(state) {
    if (state.v !== version || state.phase !== phase) { reload(); return; }
    var answered = document.getElementById("live-answered");
    if (answered && typeof state.answered === "number") { answered.textContent = fmt(state.answered); }
    var players = document.getElementById("live-players");
    if (players && typeof state.players === "number") { players.textContent = fmt(state.players); }
    if (state.names) {
      var list = document.getElementById("live-names");
      var count = document.getElementById("live-count");
      var nobody = document.getElementById("live-nobody");
      if (list && list.children.length !== state.names.length) {
        var items = state.names.map(function (name) {
          var li = document.createElement("li");
          var bdi = document.createElement("bdi");
          bdi.textContent = name;
          li.appendChild(bdi);
          return li;
        });
        list.replaceChildren.apply(list, items);
        if (count) { count.textContent = fmt(state.names.length); }
        if (nobody) { nobody.hidden = state.names.length > 0; }
      }
    }
    if (typeof state.ms_left === "number") { setClock(state.ms_left); }
  }

  function poll() {
    fetch(root.dataset.state, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) { if (state) { render(state); } })
      .catch(function () { /* the network is back soon: the next poll tries again */ });
  }

  function startPolling() {
    if (polling) { return; }
    polling = setInterval(poll, root.dataset.kind === "host" ? 1000 : 1500);
    poll();
  }

  if (phase === "ended") {
    // The game is over: nothing more will come.
  } else if (window.EventSource) {
    source = new EventSource(root.dataset.stream);
    source.onmessage = function (ev) { render(JSON.parse(ev.data)); };
    source.onerror = function () {
      // Closed for good (204: this server holds no streams): poll. Otherwise EventSource reconnects
      // by itself (a phone waking up, a worker restarting), and a poll meanwhile catches up.
      if (source.readyState === EventSource.CLOSED) { startPolling(); } else { poll(); }
    };
  } else {
    startPolling();
  }
  // A phone back from sleep asks at once where the game stands.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { poll(); }
  });

  // The countdown: the server's time left when the page was drawn, then this clock.
  var timer = root.querySelector(".live-timer");
  var out = timer ? timer.querySelector(".live-timer-value") : null;
  var end = null;
  var digits = out ? /[\u0660-\u0669]/.test(out.textContent) : false;
  function setClock(ms) {
    if (!out || phase !== "question") { return; }
    end = Date.now() + ms;
  }
  if (timer) {
    setClock(parseInt(timer.dataset.msLeft, 10));
    var asked = false;
    setInterval(function () {
      if (end === null) { return; }
      var s = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      var text = String(s);
      if (digits) { text = text.replace(/[0-9]/g, function (d) { return String.fromCharCode(0x0660 + parseInt(d, 10)); }); }
      out.textContent = text;
      timer.classList.toggle("is-low", s <= 5);
      // At zero the server decides: ask it (the stream brings the change too).
      if (s === 0 && !asked) { asked = true; setTimeout(poll, 300); }
    }, 250);
  }

  // A phone's answer: one tap, then the buttons are off (the server takes the first anyway).
  var form = root.querySelector("form.live-answer");
  if (form) {
    form.addEventListener("submit", function () {
      setTimeout(function () {
        form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  }
})();
