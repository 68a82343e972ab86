// Progressive enhancement of the quiz page: the form works without this script (position
// selects); with it, items are dragged (SortableJS) or moved with buttons, and the selects follow.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function syncRanks(list) {
    var items = list.querySelectorAll(".ordering-item");
    items.forEach(function (li, i) {
      var select = li.querySelector(".rank-select");
      if (select) { select.value = String(i + 1); }
      var up = li.querySelector(".move-up");
      var down = li.querySelector(".move-down");
      if (up) { up.disabled = i === 0; }
      if (down) { down.disabled = i === items.length - 1; }
    });
  }

  function announce(list, li) {
    var status = document.getElementById("ordering-status");
    if (!status) { return; }
    var pos = Array.prototype.indexOf.call(list.children, li) + 1;
    // The item keeps its language (a quiz may be in another language than the page), so a
    // screen reader reads it with the right voice, and the rest in the page's.
    var item = li.querySelector(".item-text");
    var text = document.createElement("span");
    text.textContent = item.textContent;
    if (item.lang) { text.lang = item.lang; text.dir = item.dir; }
    status.replaceChildren(text, " — " + list.dataset.moved.replace("{n}", pos));
  }

  // Moving the item in the DOM drops the focus: put it back on the control that had it, or on the
  // item's other button when that one is now disabled (the item reached the top or the bottom).
  function move(list, li, delta, control) {
    var active = control || (li.contains(document.activeElement) ? document.activeElement : null);
    if (delta < 0 && li.previousElementSibling) {
      list.insertBefore(li, li.previousElementSibling);
    } else if (delta > 0 && li.nextElementSibling) {
      list.insertBefore(li.nextElementSibling, li);
    }
    syncRanks(list);
    if (active) {
      (active.disabled ? li.querySelector(".move-btn:not(:disabled)") || active : active).focus();
    }
    announce(list, li);
  }

  function button(cls, label, itemId, symbol) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-outline-secondary btn-sm move-btn " + cls;
    b.setAttribute("aria-label", label);
    b.setAttribute("aria-describedby", itemId);
    b.textContent = symbol;
    return b;
  }

  // A stored answer comes back in the position menus (the items keep the question's order, so the
  // page says nothing more): show the items in that order before the script takes over.
  function sortByRanks(list) {
    var items = Array.prototype.slice.call(list.querySelectorAll(".ordering-item"));
    items.sort(function (a, b) {
      return parseInt(a.querySelector(".rank-select").value, 10) - parseInt(b.querySelector(".rank-select").value, 10);
    });
    items.forEach(function (li) { list.appendChild(li); });
  }

  document.querySelectorAll("ol.ordering").forEach(function (list) {
    sortByRanks(list);
    list.querySelectorAll(".ordering-item").forEach(function (li) {
      var body = li.querySelector(".card-body");
      var itemId = li.querySelector(".item-text").id;
      var up = button("move-up", list.dataset.up, itemId, "▲");
      var down = button("move-down", list.dataset.down, itemId, "▼");
      up.addEventListener("click", function () { move(list, li, -1, up); });
      down.addEventListener("click", function () { move(list, li, 1, down); });
      body.appendChild(up);
      body.appendChild(down);
      // Keyboard alone: Alt+Arrow moves the focused item.
      li.addEventListener("keydown", function (ev) {
        if (!ev.altKey) { return; }
        if (ev.key === "ArrowUp") { ev.preventDefault(); move(list, li, -1); }
        if (ev.key === "ArrowDown") { ev.preventDefault(); move(list, li, 1); }
      });
    });
    if (window.Sortable) {
      window.Sortable.create(list, {
        animation: 150,
        handle: ".ordering-item",
        filter: "button, select",
        preventOnFilter: false,
        onEnd: function (ev) { syncRanks(list); announce(list, ev.item); }
      });
    }
    syncRanks(list);
  });

  // The countdown only shows the time; the server enforces the limit.
  document.querySelectorAll(".timer[data-seconds]").forEach(function (el) {
    var left = parseInt(el.dataset.seconds, 10);
    var out = el.querySelector(".timer-value");
    var end = Date.now() + left * 1000;
    function tick() {
      var s = Math.max(0, Math.round((end - Date.now()) / 1000));
      out.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
      if (s === 0) {
        clearInterval(timer);
        // The server closes the attempt a few seconds after the limit (grace for the network): a
        // reload then shows where it stands (every page of the attempt leads to the results).
        setTimeout(function () { window.location.reload(); }, 6000);
      }
    }
    var timer = setInterval(tick, 1000);
  });
})();
