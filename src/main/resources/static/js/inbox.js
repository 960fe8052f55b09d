// The inbox in the browser. Live: one EventSource per browser tab; when the server says a conversation changed,
// the regions marked data-live-url are re-fetched (only those of that conversation when they name one), and a
// message list (data-live-merge-url) gets only the messages written or changed since it was last read, each
// replacing its own element or added in place. Around that: the newest message in view, Enter to send, unread
// and notifications, the count in the tab's title, who else is in the conversation, keyboard shortcuts, bulk
// selection and the phone's one-pane-at-a-time layout. Listeners sit on the document, so panes swapped in by
// htmx work without re-binding.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="switchboard-stream"]');
  if (!meta) {
    return;
  }
  var me = (document.querySelector('meta[name="switchboard-me"]') || {}).content;
  var pending = {};
  var merges = {};
  var timer = null;
  var knownUnread = null; // conversation id -> unread count, as last seen in the list
  var baseTitle = document.title.replace(/^\(\d+\) /, "");

  function text(name, arg) {
    var holder = document.getElementById("shortcuts");
    var value = holder ? holder.getAttribute("data-t-" + name) || "" : "";
    return value.replace("{0}", arg == null ? "" : arg);
  }

  function csrf() {
    var input = document.querySelector('input[name="_csrf"]');
    return input ? input.value : "";
  }

  function post(url, body) {
    var data = new URLSearchParams(body || {});
    data.set("_csrf", csrf());
    return fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { "HX-Request": "true" } })
      .catch(function () { /* best effort */ });
  }

  function openConversationId() {
    var pane = document.querySelector("#conversation-pane[data-conversation-id]");
    return pane ? pane.getAttribute("data-conversation-id") : null;
  }

  // ---------- live regions ----------

  function concerns(element, conversationId) {
    var only = element.getAttribute("data-live-conversation");
    return !conversationId || !only || only === conversationId;
  }

  function refresh(conversationId) {
    document.querySelectorAll("[data-live-url]").forEach(function (element) {
      if (concerns(element, conversationId)) {
        pending[element.id] = element.getAttribute("data-live-url");
      }
    });
    document.querySelectorAll("[data-live-merge-url]").forEach(function (element) {
      if (concerns(element, conversationId)) {
        merges[element.id] = true;
      }
    });
    // a burst of changes (message + status + counts) becomes one fetch per region
    clearTimeout(timer);
    timer = setTimeout(flush, 150);
  }

  function flush() {
    var regions = pending;
    pending = {};
    var lists = merges;
    merges = {};
    Object.keys(lists).forEach(merge);
    Object.keys(regions).forEach(function (id) {
      var shown = document.getElementById(id);
      if (!shown) {
        return;
      }
      if (shown.querySelector(".htmx-request, details.menu[open]")) {
        // a form in it is being sent, or a menu is open: replacing it now would drop the answer or close the menu
        pending[id] = regions[id];
        clearTimeout(timer);
        timer = setTimeout(flush, 700);
        return;
      }
      fetch(regions[id], { headers: { "HX-Request": "true" }, credentials: "same-origin" })
        .then(function (response) {
          return response.redirected || !response.ok ? null : response.text(); // signed out or gone: leave it
        })
        .then(function (html) {
          var current = document.getElementById(id);
          // the person moved on meanwhile (another view, filter or page): this answer is for what they left
          if (!html || !current || current.getAttribute("data-live-url") !== regions[id]) {
            return;
          }
          var holder = document.createElement("template");
          holder.innerHTML = html.trim();
          var fresh = holder.content.firstElementChild;
          if (!fresh) {
            return;
          }
          localizeTimes(fresh); // as the shown ones are, so an unchanged region compares equal
          if (current.isEqualNode(fresh)) {
            return; // nothing changed here: keep the element, its focus and its open menus
          }
          var keep = rememberList(current);
          var typed = rememberTyping(current);
          // a panel with its own requests (the contact's memories) stays as it is, with what is being typed in it
          fresh.querySelectorAll("[data-live-keep][id]").forEach(function (kept) {
            var old = current.querySelector("#" + CSS.escape(kept.id));
            if (old) { kept.replaceWith(old); }
          });
          current.replaceWith(fresh);
          restoreTyping(fresh, typed);
          if (window.htmx) {
            window.htmx.process(fresh);
          }
          localizeTimes(fresh);
          restoreList(fresh, keep);
          if (fresh.id === "inbox-list") {
            listChanged(fresh);
          }
        })
        .catch(function () { /* the next change or reconnect refreshes again */ });
    });
  }

  // Adds or replaces the messages changed since the list was last read, one element each.
  function merge(id) {
    var list = document.getElementById(id);
    if (!list) {
      return;
    }
    var url = list.getAttribute("data-live-merge-url");
    url += (url.indexOf("?") < 0 ? "?" : "&") + "since=" + encodeURIComponent(list.getAttribute("data-since"));
    fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (response) {
        return response.redirected || !response.ok ? null : response.text();
      })
      .then(function (html) {
        var current = document.getElementById(id);
        if (!html || current !== list) {
          return;
        }
        var holder = document.createElement("template");
        holder.innerHTML = html.trim();
        var changes = holder.content.firstElementChild;
        if (!changes) {
          return;
        }
        var atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
        var added = [];
        Array.prototype.slice.call(changes.children).forEach(function (item) {
          if (place(list, item)) {
            added.push(item);
          }
        });
        list.setAttribute("data-since", changes.getAttribute("data-since"));
        if (list.querySelector(".message")) {
          var empty = document.getElementById("no-messages");
          if (empty) {
            empty.remove();
          }
        }
        group(list);
        if (atBottom) {
          list.scrollTop = list.scrollHeight;
        }
        var fromCustomer = added.filter(function (item) { return item.getAttribute("data-sender") === "contact"; });
        if (fromCustomer.length) {
          announce(text("new-messages") + ": " + fromCustomer[fromCustomer.length - 1].querySelector(".text").textContent.trim());
          if (!document.hidden) {
            post(list.getAttribute("data-live-merge-url").replace(/\/messages\/changes.*$/, "/read"));
          }
        }
      })
      .catch(function () { /* the next change or reconnect refreshes again */ });
  }

  /** @return whether the item was new (not a replacement) */
  function place(list, item) {
    var existing = item.id && document.getElementById(item.id);
    localizeTimes(item); // as the shown ones are, so an unchanged message compares equal
    if (existing) {
      item.className = existing.className.indexOf("continued") >= 0 ? item.className + " continued" : item.className;
      if (existing.isEqualNode(item)) {
        return false; // unchanged (the changes window overlaps the last read): leave it, and the reader's place, alone
      }
      existing.replaceWith(item);
      processed(item);
      return false;
    }
    var at = Number(item.getAttribute("data-at"));
    var messages = list.querySelectorAll(".message");
    var oldestShown = messages.length ? Number(messages[0].getAttribute("data-at")) : -Infinity;
    if (list.querySelector("#older-messages") && at < oldestShown) {
      return false; // belongs to a page not loaded yet: it will come with that page
    }
    var before = null;
    for (var i = messages.length - 1; i >= 0; i--) {
      if (Number(messages[i].getAttribute("data-at")) <= at) {
        break;
      }
      before = messages[i];
    }
    list.insertBefore(item, before);
    processed(item);
    return true;
  }

  function processed(item) {
    if (window.htmx) {
      window.htmx.process(item);
    }
  }

  // Consecutive messages of one sender within five minutes read as one block: only the first says who.
  function group(list) {
    var previous = null;
    list.querySelectorAll(".message").forEach(function (item) {
      var same = previous && previous.getAttribute("data-sender-key") === item.getAttribute("data-sender-key")
        && Number(item.getAttribute("data-at")) - Number(previous.getAttribute("data-at")) < 5 * 60 * 1000;
      item.classList.toggle("continued", !!same);
      previous = item;
    });
  }

  // ---------- the list: selection kept across refreshes, unread → title and notifications ----------

  function rememberList(element) {
    if (element.id !== "inbox-list") {
      return null;
    }
    var checked = [];
    element.querySelectorAll("input.select:checked").forEach(function (box) { checked.push(box.value); });
    var focused = element.querySelector(".row.focused");
    var active = document.activeElement && element.contains(document.activeElement)
      ? document.activeElement.closest(".row") : null;
    return {
      checked: checked,
      focused: focused ? focused.getAttribute("data-conversation-id") : null,
      active: active ? active.getAttribute("data-conversation-id") : null
    };
  }

  // what the person is typing in a region being refreshed (a tag name, say) stays, with the focus
  function rememberTyping(element) {
    var typed = [];
    element.querySelectorAll("input[id]:not([type=hidden]):not([type=checkbox]), textarea[id]").forEach(function (field) {
      if (field.value) { typed.push({ id: field.id, value: field.value }); }
    });
    var active = document.activeElement;
    return { fields: typed, focus: active && element.contains(active) && active.id ? active.id : null };
  }

  function restoreTyping(element, typed) {
    typed.fields.forEach(function (field) {
      var same = element.querySelector("#" + CSS.escape(field.id));
      if (same && !same.value) { same.value = field.value; }
    });
    var focus = typed.focus && element.querySelector("#" + CSS.escape(typed.focus));
    if (focus) { focus.focus({ preventScroll: true }); }
  }

  function restoreList(element, keep) {
    if (!keep) {
      return;
    }
    keep.checked.forEach(function (id) {
      var box = element.querySelector('.row[data-conversation-id="' + id + '"] input.select');
      if (box) { box.checked = true; }
    });
    var focused = keep.focused && element.querySelector('.row[data-conversation-id="' + keep.focused + '"]');
    if (focused) { focused.classList.add("focused"); }
    var active = keep.active && element.querySelector('.row[data-conversation-id="' + keep.active + '"] .row-link');
    if (active) { active.focus({ preventScroll: true }); }
    updateBulk();
  }

  function listChanged(list) {
    markCurrent();
    var attention = Number(list.getAttribute("data-attention") || 0);
    document.title = (attention > 0 ? "(" + attention + ") " : "") + baseTitle;
    var seen = {};
    list.querySelectorAll(".row").forEach(function (row) {
      var id = row.getAttribute("data-conversation-id");
      var unread = Number(row.getAttribute("data-unread") || 0);
      seen[id] = unread;
      if (knownUnread === null || unread <= (knownUnread[id] || 0)) {
        return;
      }
      if (id === openConversationId() && !document.hidden) {
        return; // the person is reading it
      }
      var isNew = !(id in knownUnread);
      notify(isNew ? text("new-conversation", row.getAttribute("data-contact")) : text("new-message", row.getAttribute("data-contact")),
        row.getAttribute("data-preview") || "", id);
    });
    knownUnread = seen;
  }

  function notify(title, body, conversationId) {
    announce(title + ": " + body);
    window.switchboardNotifications = (window.switchboardNotifications || 0) + 1;
    if (localStorage.getItem("switchboard.sound") === "on") {
      beep();
    }
    if (!("Notification" in window) || Notification.permission !== "granted") {
      return;
    }
    try {
      var n = new Notification(title, { body: body, tag: "switchboard-" + conversationId });
      n.onclick = function () {
        window.focus();
        location.href = "/inbox/conversations/" + conversationId;
      };
    } catch (ignored) { /* some browsers allow notifications only from a service worker */ }
  }

  function beep() {
    try {
      var context = new (window.AudioContext || window.webkitAudioContext)();
      var tone = context.createOscillator();
      var gain = context.createGain();
      tone.frequency.value = 880;
      gain.gain.value = 0.05;
      tone.connect(gain).connect(context.destination);
      tone.start();
      tone.stop(context.currentTime + 0.15);
    } catch (ignored) { /* no audio */ }
  }

  function announce(message) {
    var region = document.getElementById("announcer");
    if (!region) {
      region = document.createElement("div");
      region.id = "announcer";
      region.className = "visually-hidden";
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    region.textContent = message;
  }

  function markCurrent() {
    var open = openConversationId();
    document.querySelectorAll("#inbox-list .row").forEach(function (row) {
      var current = row.getAttribute("data-conversation-id") === open;
      row.classList.toggle("current", current);
      var link = row.querySelector(".row-link");
      if (link) {
        if (current) { link.setAttribute("aria-current", "true"); } else { link.removeAttribute("aria-current"); }
      }
      if (current) {
        row.classList.remove("unread");
        var count = row.querySelector(".unread-count");
        if (count) { count.remove(); }
      }
    });
  }

  function updateBulk() {
    var form = document.getElementById("bulk-form");
    if (!form) {
      return;
    }
    var count = document.querySelectorAll("#inbox-list input.select:checked").length;
    form.hidden = count === 0;
    var label = document.getElementById("bulk-count");
    if (label) { label.textContent = count ? text("selected", count) : ""; }
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("#inbox-list input.select")) {
      updateBulk();
    }
    if (event.target.matches(".enter-sends-toggle")) {
      localStorage.setItem("switchboard.enterSends", event.target.checked ? "on" : "off");
    }
  });

  // ---------- presence: who else is in this conversation ----------

  var presenceTimer = null;
  var lastTyping = 0;
  var others = {};

  function beHere(typing) {
    var id = openConversationId();
    if (id) {
      post("/inbox/conversations/" + id + "/presence", { typing: typing ? "true" : "false" });
    }
  }

  function showPresence() {
    var line = document.getElementById("presence");
    if (!line) {
      return;
    }
    var now = Date.now();
    var parts = [];
    Object.keys(others).forEach(function (key) {
      var o = others[key];
      if (o.conversation !== openConversationId() || now - o.at > 25000) {
        return;
      }
      parts.push(o.typing && now - o.at < 6000 ? text("typing", o.name) : text("viewing", o.name));
    });
    line.textContent = parts.join(" · ");
  }

  setInterval(function () {
    if (!document.hidden) {
      beHere(false);
    }
    showPresence();
  }, 10000);

  // ---------- the stream ----------

  var source = window.EventSource ? new EventSource(meta.getAttribute("content")) : null;
  if (source) {
    source.addEventListener("open", function () {
      document.documentElement.setAttribute("data-stream", "open");
      refresh(null); // anything that changed while we were (re)connecting
      beHere(false);
    });
    source.addEventListener("error", function () {
      document.documentElement.setAttribute("data-stream", "reconnecting");
    });
    source.addEventListener("changed", function (event) {
      var change = {};
      try { change = JSON.parse(event.data); } catch (ignored) { }
      refresh(change.conversation_id || null);
    });
    source.addEventListener("presence", function (event) {
      var p = {};
      try { p = JSON.parse(event.data); } catch (ignored) { return; }
      if (p.user_id === me) {
        return;
      }
      others[p.user_id + ":" + p.conversation_id] = { name: p.name, typing: p.typing, conversation: p.conversation_id, at: Date.now() };
      showPresence();
      clearTimeout(presenceTimer);
      presenceTimer = setTimeout(showPresence, 7000);
    });
    window.addEventListener("pagehide", function () { source.close(); });
  }

  // ---------- the thread ----------

  // The newest messages are the ones in view when a conversation opens.
  function showNewest() {
    var list = document.getElementById("messages");
    if (list) {
      group(list);
      list.scrollTop = list.scrollHeight;
    }
  }

  function localizeTimes(root) {
    var lang = document.documentElement.lang || undefined;
    root.querySelectorAll("time[datetime]").forEach(function (time) {
      var date = new Date(time.getAttribute("datetime"));
      if (!isNaN(date)) {
        var today = new Date().toDateString() === date.toDateString();
        time.textContent = today && time.closest(".message")
          ? date.toLocaleTimeString(lang, { timeStyle: "short" })
          : date.toLocaleString(lang, { dateStyle: "short", timeStyle: "short" });
        time.title = date.toLocaleString(lang, { dateStyle: "full", timeStyle: "long" });
      }
    });
  }

  function setMode(mode) {
    document.querySelectorAll(".compose-modes .mode").forEach(function (tab) {
      tab.setAttribute("aria-selected", String(tab.getAttribute("data-mode") === mode));
    });
    var reply = document.getElementById("reply-form");
    var note = document.getElementById("note-form");
    if (reply) { reply.hidden = mode !== "reply"; }
    if (note) { note.hidden = mode !== "note"; }
    var field = document.getElementById(mode === "note" ? "note-text" : "reply-text");
    if (field) { field.focus(); }
  }

  function enterSends() {
    return localStorage.getItem("switchboard.enterSends") !== "off";
  }

  function prepare(root) {
    localizeTimes(root);
    showNewest();
    markCurrent();
    document.querySelectorAll(".enter-sends-toggle").forEach(function (box) { box.checked = enterSends(); });
    document.querySelectorAll("input.tz-offset").forEach(function (input) {
      input.value = String(-new Date().getTimezoneOffset());
    });
    var pane = document.querySelector("main.panes");
    if (pane && openConversationId() && pane.getAttribute("data-pane") === "list") {
      pane.setAttribute("data-pane", "thread");
    }
    var list = document.getElementById("inbox-list");
    if (list) {
      listChanged(list);
    }
    updateBulk();
  }

  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (field.matches && field.matches("textarea[data-sends]") && event.key === "Enter" && !event.isComposing) {
      var send = (event.ctrlKey || event.metaKey) || (!event.shiftKey && enterSends());
      if (send) {
        event.preventDefault();
        field.form.requestSubmit();
      }
      return;
    }
    if (field.matches && field.matches("textarea[data-sends]") && event.key !== "Escape") {
      if (Date.now() - lastTyping > 3000) {
        lastTyping = Date.now();
        beHere(true);
      }
    }
    shortcut(event);
  });

  document.addEventListener("click", function (event) {
    var mode = event.target.closest(".compose-modes .mode");
    if (mode) {
      setMode(mode.getAttribute("data-mode"));
      return;
    }
    var show = event.target.closest("[data-show-pane]");
    if (show) {
      var panes = document.querySelector("main.panes");
      if (panes) { panes.setAttribute("data-pane", show.getAttribute("data-show-pane")); }
      return;
    }
    // a menu closes when something outside it is clicked
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
    });
  });

  // ---------- keyboard shortcuts ----------

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable=true]");
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#inbox-list .row"));
  }

  function move(step) {
    var all = rows();
    if (!all.length) {
      return;
    }
    var index = all.findIndex(function (row) { return row.classList.contains("focused"); });
    if (index < 0) {
      index = all.findIndex(function (row) { return row.classList.contains("current"); });
    }
    var next = all[Math.max(0, Math.min(all.length - 1, index < 0 ? 0 : index + step))];
    all.forEach(function (row) { row.classList.remove("focused"); });
    next.classList.add("focused");
    var link = next.querySelector(".row-link");
    link.focus();
  }

  function shortcut(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var help = document.getElementById("shortcuts");
    if (event.key === "Escape") {
      if (typing(event.target)) {
        event.target.blur();
        var focused = document.querySelector("#inbox-list .row.current .row-link, #inbox-list .row .row-link");
        if (focused) { focused.focus(); }
      }
      var panes = document.querySelector("main.panes");
      if (panes && panes.getAttribute("data-pane") === "details") { panes.setAttribute("data-pane", "thread"); }
      return;
    }
    if (typing(event.target) || (help && help.open)) {
      return;
    }
    var key = event.key;
    var action = {
      "j": function () { move(1); },
      "k": function () { move(-1); },
      "o": function () {
        var row = document.querySelector("#inbox-list .row.focused .row-link");
        if (row) { row.click(); }
      },
      "r": function () { setMode("reply"); },
      "n": function () { setMode("note"); },
      "e": function () {
        var close = document.getElementById("close");
        if (close) { close.click(); }
      },
      "x": function () {
        var row = document.querySelector("#inbox-list .row.focused input.select");
        if (row) { row.click(); }
      },
      "/": function () {
        var search = document.getElementById("inbox-search");
        if (search) { search.focus(); }
      },
      "?": function () {
        if (help && help.showModal) { help.showModal(); }
      }
    }[key.toLowerCase()];
    if (action) {
      event.preventDefault();
      action();
    }
  }

  // ---------- htmx swaps ----------

  var fromBottom = null;
  var submitted = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    submitted = elt && elt.id ? elt.id : null;
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    // older messages go in above what the person is reading: keep it where it was
    var list = document.getElementById("messages");
    fromBottom = list && event.detail.target && event.detail.target.id === "older-messages"
      ? list.scrollHeight - list.scrollTop : null;
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var list = document.getElementById("messages");
    if (list && fromBottom !== null) {
      list.scrollTop = list.scrollHeight - fromBottom;
      localizeTimes(list);
      group(list);
      fromBottom = null;
      return;
    }
    fromBottom = null;
    var target = event.detail.target;
    if (target && (target.id === "conversation-pane" || target.tagName === "BODY" || target.id === "list-pane"
        || (target.querySelector && target.querySelector("#conversation-pane")))) {
      prepare(document);
      if (target.id === "conversation-pane") {
        beHere(false);
        var panes = document.querySelector("main.panes");
        if (panes) { panes.setAttribute("data-pane", "thread"); }
      }
      // after sending, the box is ready for the next message
      if (submitted === "reply-form" || submitted === "note-form") {
        var field = document.getElementById(submitted === "note-form" ? "note-text" : "reply-text");
        if (field) { field.focus(); }
      }
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    localizeTimes(event.target);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { prepare(document); });
  } else {
    prepare(document);
  }
})();
