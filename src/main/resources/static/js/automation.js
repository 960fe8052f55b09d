// Canned responses in the inbox reply box: "/fre" lists the shortcuts that start so; Tab or Enter (or a click)
// puts the chosen text, with the contact's details filled in, in the box in place of the shortcut.
(function () {
  "use strict";

  var list = null;
  var pending = null;

  function box() {
    return document.getElementById("reply-text");
  }

  function conversationId() {
    var pane = document.getElementById("conversation-pane");
    return pane ? pane.getAttribute("data-conversation-id") : null;
  }

  function close() {
    if (list) {
      list.remove();
      list = null;
    }
  }

  function choose(item) {
    var field = box();
    if (!field) {
      return;
    }
    field.value = item.rendered;
    close();
    field.focus();
    field.setSelectionRange(field.value.length, field.value.length);
    field.dispatchEvent(new Event("input", {bubbles: true}));
  }

  function show(field, items) {
    close();
    if (!items.length) {
      return;
    }
    list = document.createElement("ul");
    list.id = "canned-suggestions";
    list.className = "canned-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", field.getAttribute("data-canned-label") || "Canned responses");
    items.forEach(function (item, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.setAttribute("data-shortcut", item.shortcut);
      if (i === 0) {
        li.setAttribute("aria-selected", "true");
      }
      var code = document.createElement("code");
      code.textContent = "/" + item.shortcut;
      var text = document.createElement("span");
      text.textContent = " " + item.rendered;
      li.appendChild(code);
      li.appendChild(text);
      li.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(item);
      });
      li._item = item;
      list.appendChild(li);
    });
    field.parentNode.insertBefore(list, field.nextSibling);
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field.id !== "reply-text") {
      return;
    }
    var match = /^\/([a-z0-9_-]*)$/i.exec(field.value);
    var id = conversationId();
    if (!match || !id) {
      close();
      return;
    }
    var query = match[1].toLowerCase();
    pending = query;
    fetch("/api/v1/canned_responses?q=" + encodeURIComponent(query) + "&conversation_id=" + encodeURIComponent(id),
        {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : {items: []}; })
      .then(function (page) {
        if (pending === query && box() === field && /^\//.test(field.value)) {
          show(field, page.items || []);
        }
      })
      .catch(function () { close(); });
  });

  // capture phase: ahead of the inbox's "Enter sends"
  window.addEventListener("keydown", function (event) {
    if (!list || !event.target || event.target.id !== "reply-text") {
      return;
    }
    var options = Array.prototype.slice.call(list.querySelectorAll("li"));
    var current = options.findIndex(function (li) { return li.getAttribute("aria-selected") === "true"; });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var next = (current + (event.key === "ArrowDown" ? 1 : options.length - 1)) % options.length;
      options.forEach(function (li, i) { li.setAttribute("aria-selected", i === next ? "true" : "false"); });
    } else if ((event.key === "Tab" || event.key === "Enter") && !event.shiftKey && current >= 0) {
      event.preventDefault();
      event.stopImmediatePropagation();
      choose(options[current]._item);
    } else if (event.key === "Escape") {
      close();
    }
  }, true);
})();
