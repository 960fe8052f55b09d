// Live inbox: one EventSource per tab of the browser. When the server says a conversation changed, every
// element on the page marked data-live-url is re-fetched (only the one for that conversation, when it names
// one). A message list (data-live-merge-url) is not re-rendered: only the messages written or changed since
// it was last read are fetched, and each replaces its own element or is added in place. Pages swapped in by
// hx-boost are picked up too, since elements are looked up on each event.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="switchboard-stream"]');
  if (!meta || !window.EventSource) {
    return;
  }
  var pending = {};
  var merges = {};
  var timer = null;

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
      if (!document.getElementById(id)) {
        return;
      }
      fetch(regions[id], { headers: { "HX-Request": "true" }, credentials: "same-origin" })
        .then(function (response) {
          if (response.redirected || !response.ok) {
            return null; // signed out or gone: leave the page as it is
          }
          return response.text();
        })
        .then(function (html) {
          var current = document.getElementById(id);
          if (html && current) {
            var holder = document.createElement("template");
            holder.innerHTML = html.trim();
            var fresh = holder.content.firstElementChild;
            if (fresh) {
              current.replaceWith(fresh);
              if (window.htmx) {
                window.htmx.process(fresh);
              }
              localizeTimes(fresh);
            }
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
        var atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
        Array.prototype.slice.call(changes.children).forEach(function (item) {
          place(list, item);
        });
        list.setAttribute("data-since", changes.getAttribute("data-since"));
        if (list.querySelector(".message")) {
          var empty = document.getElementById("no-messages");
          if (empty) {
            empty.remove();
          }
        }
        if (atBottom) {
          list.scrollTop = list.scrollHeight;
        }
      })
      .catch(function () { /* the next change or reconnect refreshes again */ });
  }

  function place(list, item) {
    var existing = item.id && document.getElementById(item.id);
    localizeTimes(item); // as the shown ones are, so an unchanged message compares equal
    if (existing) {
      if (existing.isEqualNode(item)) {
        return; // unchanged (the changes window overlaps the last read): leave it, and the reader's place, alone
      }
      existing.replaceWith(item);
    } else {
      var at = Number(item.getAttribute("data-at"));
      var messages = list.querySelectorAll(".message");
      var oldestShown = messages.length ? Number(messages[0].getAttribute("data-at")) : -Infinity;
      if (list.querySelector("#older-messages") && at < oldestShown) {
        return; // belongs to a page not loaded yet: it will come with that page
      }
      var before = null;
      for (var i = messages.length - 1; i >= 0; i--) {
        if (Number(messages[i].getAttribute("data-at")) <= at) {
          break;
        }
        before = messages[i];
      }
      list.insertBefore(item, before);
    }
    if (window.htmx) {
      window.htmx.process(item);
    }
  }

  // The newest messages are the ones in view when a conversation opens.
  function showNewest(root) {
    var list = (root && root.querySelector ? root : document).querySelector("#messages");
    if (list) {
      list.scrollTop = list.scrollHeight;
    }
  }

  function localizeTimes(root) {
    var lang = document.documentElement.lang || undefined;
    root.querySelectorAll("time[datetime]").forEach(function (time) {
      var date = new Date(time.getAttribute("datetime"));
      if (!isNaN(date)) {
        time.textContent = date.toLocaleString(lang, { dateStyle: "short", timeStyle: "short" });
        time.title = date.toISOString();
      }
    });
  }

  var source = new EventSource(meta.getAttribute("content"));
  source.addEventListener("open", function () {
    document.documentElement.setAttribute("data-stream", "open");
    // anything that changed while we were (re)connecting
    refresh(null);
  });
  source.addEventListener("error", function () {
    document.documentElement.setAttribute("data-stream", "reconnecting");
  });
  source.addEventListener("changed", function (event) {
    var change = {};
    try { change = JSON.parse(event.data); } catch (ignored) { }
    refresh(change.conversation_id || null);
  });
  window.addEventListener("pagehide", function () { source.close(); });

  function ready() {
    localizeTimes(document);
    showNewest(document);
  }
  document.addEventListener("DOMContentLoaded", ready);
  // older messages go in above what the person is reading: keep it where it was
  var fromBottom = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var list = document.getElementById("messages");
    fromBottom = list && event.detail.target && event.detail.target.id === "older-messages"
      ? list.scrollHeight - list.scrollTop : null;
  });
  document.addEventListener("htmx:afterSwap", function () {
    var list = document.getElementById("messages");
    if (list && fromBottom !== null) {
      list.scrollTop = list.scrollHeight - fromBottom;
      localizeTimes(list);
    }
    fromBottom = null;
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    localizeTimes(event.target);
    if (event.target && event.target.querySelector && event.target.querySelector("#messages")) {
      showNewest(event.target); // a conversation page swapped in by hx-boost
    }
  });
  if (document.readyState !== "loading") {
    ready();
  }
})();
