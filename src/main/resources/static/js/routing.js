// Distribution in the browser: live "assigned to you" / "SLA breached" notices (also as a system notification
// when allowed) and SLA badges on inbox rows and on the open conversation. Loaded before inbox.js so it can
// listen on the page's one live stream instead of opening a second connection: EventSource is wrapped to hand
// every stream the page opens to attach().
(function () {
  "use strict";
  var Native = window.EventSource;
  if (!Native) {
    return;
  }
  var timers = {};
  var fetchTimer = null;

  function Wrapped(url, config) {
    var source = new Native(url, config);
    attach(source);
    return source;
  }
  Wrapped.prototype = Native.prototype;
  Wrapped.CONNECTING = Native.CONNECTING;
  Wrapped.OPEN = Native.OPEN;
  Wrapped.CLOSED = Native.CLOSED;
  window.EventSource = Wrapped;

  function texts() {
    return document.getElementById("routing-texts");
  }

  function attach(source) {
    source.addEventListener("routing", function (event) {
      var notice = {};
      try { notice = JSON.parse(event.data); } catch (ignored) { }
      announce(notice);
      scheduleFetch();
    });
    source.addEventListener("changed", scheduleFetch);
    source.addEventListener("open", function () {
      scheduleFetch();
      refreshPresence();
    });
  }

  // opening the live inbox brings an offline person online: show the toggle as the server now has it
  function refreshPresence() {
    var form = document.getElementById("availability");
    if (!form) {
      return;
    }
    fetch(form.getAttribute("action"), { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (response) { return response.ok && !response.redirected ? response.text() : null; })
      .then(function (html) {
        var current = document.getElementById("availability");
        if (!html || !current) {
          return;
        }
        var holder = document.createElement("template");
        holder.innerHTML = html.trim();
        var fresh = holder.content.firstElementChild;
        if (fresh) {
          current.replaceWith(fresh);
          if (window.htmx) {
            window.htmx.process(fresh);
          }
        }
      })
      .catch(function () { /* the toggle still works; it shows the old state until the next page */ });
  }

  function announce(notice) {
    var t = texts();
    var box = document.getElementById("routing-notice");
    if (!t || !box || !notice.conversation_id) {
      return;
    }
    var feedback = notice.kind === "feedback"; // a complaint or unhelpful answer, told to administrators (issue 11)
    var text = feedback ? t.getAttribute("data-feedback")
      : notice.kind === "sla_breached" ? t.getAttribute("data-breached") : t.getAttribute("data-assigned");
    var link = document.createElement("a");
    link.href = feedback ? t.getAttribute("data-feedback-url")
      : t.getAttribute("data-conversation-url") + notice.conversation_id;
    link.textContent = text;
    box.replaceChildren(link);
    box.setAttribute("data-kind", notice.kind);
    box.setAttribute("data-conversation-id", notice.conversation_id);
    box.hidden = false;
    if (window.Notification && Notification.permission === "granted") {
      try { new Notification("Switchboard", { body: text, tag: notice.conversation_id }); } catch (ignored) { }
    }
  }

  // asking for notification permission needs a gesture: the moment a person chooses "online" is one
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "presence-status" && event.target.value === "online"
        && window.Notification && Notification.permission === "default") {
      Notification.requestPermission();
    }
  });

  function shownConversations() {
    var ids = [];
    document.querySelectorAll("[data-conversation-id]").forEach(function (row) {
      if (row.id !== "routing-notice") {
        ids.push(row.getAttribute("data-conversation-id"));
      }
    });
    var open = document.querySelector("[data-live-conversation]");
    if (open) {
      ids.push(open.getAttribute("data-live-conversation"));
    }
    return ids.filter(function (id, i) { return id && ids.indexOf(id) === i; }).slice(0, 200);
  }

  function scheduleFetch() {
    clearTimeout(fetchTimer);
    fetchTimer = setTimeout(fetchTimers, 400);
  }

  function fetchTimers() {
    var t = texts();
    var ids = shownConversations();
    if (!t || !ids.length) {
      return;
    }
    fetch(t.getAttribute("data-sla-url") + "?conversation_ids=" + ids.join(","), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (page) {
        if (!page) {
          return;
        }
        timers = {};
        var now = Date.now();
        page.items.forEach(function (timer) {
          timer.due_at = now + timer.seconds_left * 1000;
          timers[timer.conversation_id] = timer;
        });
        render();
      })
      .catch(function () { /* the next change fetches again */ });
  }

  function label(timer, t) {
    if (timer.state === "breached") {
      return t.getAttribute("data-sla-breached");
    }
    if (timer.state === "met") {
      return t.getAttribute("data-sla-met");
    }
    var seconds = Math.max(0, Math.round((timer.due_at - Date.now()) / 1000));
    var left = seconds >= 5400 ? t.getAttribute("data-hours").replace("{0}", Math.round(seconds / 3600))
      : t.getAttribute("data-minutes").replace("{0}", Math.max(1, Math.ceil(seconds / 60)));
    var what = timer.state === "first_response_due" ? t.getAttribute("data-sla-first") : t.getAttribute("data-sla-resolution");
    return what.replace("{0}", left);
  }

  function badgeFor(timer, t) {
    var badge = document.createElement("span");
    var seconds = (timer.due_at - Date.now()) / 1000;
    var state = timer.state === "breached" || (timer.state !== "met" && seconds <= 0) ? "breached" : timer.state;
    badge.className = "sla-badge" + (state === "breached" ? " sla-breached" : state === "met" ? " sla-met" : seconds < 120 ? " sla-soon" : "");
    badge.setAttribute("data-sla-state", state);
    badge.textContent = label(state === "breached" ? { state: "breached" } : timer, t);
    return badge;
  }

  function render() {
    var t = texts();
    if (!t) {
      return;
    }
    document.querySelectorAll("li[data-conversation-id]").forEach(function (row) {
      var timer = timers[row.getAttribute("data-conversation-id")];
      var old = row.querySelector(".sla-badge");
      if (old) {
        old.remove();
      }
      if (timer) {
        // beside the channel on the row's bottom line (the row's own layout is a grid: never a child of its own)
        var place = row.querySelector(".row-bottom") || row.querySelector(".row-main") || row;
        place.insertBefore(badgeFor(timer, t), place.children[1] || null);
      }
    });
    var open = document.querySelector("[data-live-conversation]");
    var holder = document.getElementById("sla-conversation");
    var timer = open && timers[open.getAttribute("data-live-conversation")];
    if (timer) {
      if (!holder) {
        holder = document.createElement("span");
        holder.id = "sla-conversation";
        // in the conversation's header line, beside its status and channel
        var main = open.querySelector(".state-line") || open;
        if (!main) {
          return;
        }
        main.appendChild(holder);
      }
      holder.replaceChildren(badgeFor(timer, t));
    } else if (holder) {
      holder.remove();
    }
  }

  // rows re-rendered by the live inbox lose their badges: put them back; time left counts down meanwhile
  document.addEventListener("htmx:afterSettle", scheduleFetch);
  var observer = new MutationObserver(function (mutations) {
    var replaced = mutations.some(function (m) {
      return Array.prototype.some.call(m.addedNodes, function (node) { return node.id !== "sla-conversation"; });
    });
    if (replaced) {
      render();
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var list = document.getElementById("content");
    if (list) {
      observer.observe(list, { childList: true });
    }
    scheduleFetch();
  });
  setInterval(render, 30000);
})();
