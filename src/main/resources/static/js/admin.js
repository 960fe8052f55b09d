// Admin forms: add and remove rows of a repeated list (the FAQ), and copy a webhook URL to the clipboard.
// Listeners sit on the document, so pages swapped in by hx-boost work without re-binding.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) {
      var list = document.getElementById(add.getAttribute("data-add-row"));
      var template = document.getElementById(add.getAttribute("data-template"));
      if (list && template) {
        var row = template.content.firstElementChild.cloneNode(true);
        list.appendChild(row);
        var first = row.querySelector("input, textarea");
        if (first) { first.focus(); }
      }
      return;
    }
    var remove = event.target.closest("[data-remove-row]");
    if (remove) {
      var item = remove.closest("li");
      var next = item && (item.nextElementSibling || item.previousElementSibling);
      if (item) { item.remove(); }
      // keep keyboard users somewhere sensible instead of on a removed button
      var focusable = next ? next.querySelector("input, textarea") : document.querySelector("[data-add-row]");
      if (focusable) { focusable.focus(); }
      return;
    }
    var copy = event.target.closest("[data-copy]");
    if (copy) {
      var source = document.getElementById(copy.getAttribute("data-copy"));
      if (!source) { return; }
      var text = source.value !== undefined ? source.value : source.textContent;
      var done = function () {
        var label = copy.getAttribute("data-copied");
        var before = copy.textContent;
        copy.textContent = label;
        setTimeout(function () { copy.textContent = before; }, 2000);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { selectAndCopy(source); done(); });
      } else {
        // plain http outside localhost has no clipboard API; selecting still lets people copy by hand
        selectAndCopy(source);
        done();
      }
    }
  });

  function selectAndCopy(source) {
    if (source.select) {
      source.select();
      try { document.execCommand("copy"); } catch (ignored) { }
    }
  }
})();
