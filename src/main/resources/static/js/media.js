// Files in the inbox: an image opens in a viewer; a person attaches a file to the open conversation by the picker,
// by dropping it on the reply box or by pasting it (a screenshot). The file goes with the reply box's text as its
// caption; a refusal (too large, a type not taken) is shown as the server words it. Listeners sit on the document,
// so conversations swapped in by htmx work without re-binding.
(function () {
  "use strict";

  // ---------- viewer ----------
  function viewer() {
    var dialog = document.getElementById("media-viewer");
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.id = "media-viewer";
      dialog.className = "media-viewer";
      dialog.innerHTML = "<img alt=''>";
      dialog.addEventListener("click", function () { dialog.close(); });
      document.body.appendChild(dialog);
    }
    return dialog;
  }

  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest("[data-viewer]");
    if (!opener) {
      return;
    }
    event.preventDefault();
    var dialog = viewer();
    var image = dialog.querySelector("img");
    image.src = opener.getAttribute("data-src");
    var thumbnail = opener.querySelector("img");
    image.alt = thumbnail ? thumbnail.alt : "";
    dialog.showModal();
  });

  // ---------- attach ----------
  function input() {
    return document.getElementById("attach-file");
  }

  function showError(message) {
    var error = document.getElementById("attach-error");
    if (error) {
      error.textContent = message || "";
      error.hidden = !message;
    }
  }

  function csrf() {
    var token = document.querySelector('input[name="_csrf"]');
    return token ? token.value : "";
  }

  function upload(file) {
    var picker = input();
    if (!picker || !file) {
      return;
    }
    var caption = document.getElementById("reply-text");
    var data = new FormData();
    data.append("file", file, file.name || "file");
    data.append("caption", caption ? caption.value : "");
    showError(picker.getAttribute("data-t-sending"));
    fetch(picker.getAttribute("data-attach-url"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRF-TOKEN": csrf(), "Accept": "application/json" }
    }).then(function (response) {
      if (response.ok) {
        showError("");
        if (caption) {
          caption.value = "";
        }
        picker.value = "";
        // the thread gets the new message live; a page without the live stream reloads the conversation
        if (!document.querySelector('meta[name="switchboard-stream"]')) {
          window.location.reload();
        }
        return;
      }
      return response.json().then(function (problem) {
        showError([problem.title, problem.detail].filter(Boolean).join(": "));
      }, function () {
        showError(picker.getAttribute("data-t-failed") + " (HTTP " + response.status + ")");
      });
    }).catch(function () {
      showError(picker.getAttribute("data-t-failed"));
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "attach-file" && event.target.files.length) {
      upload(event.target.files[0]);
    }
  });

  function inReplyForm(target) {
    return target && target.closest && target.closest("#reply-form");
  }

  document.addEventListener("dragover", function (event) {
    if (inReplyForm(event.target)) {
      event.preventDefault();
      inReplyForm(event.target).classList.add("dropping");
    }
  });
  document.addEventListener("dragleave", function (event) {
    if (inReplyForm(event.target)) {
      inReplyForm(event.target).classList.remove("dropping");
    }
  });
  document.addEventListener("drop", function (event) {
    var form = inReplyForm(event.target);
    if (form && event.dataTransfer && event.dataTransfer.files.length) {
      event.preventDefault();
      form.classList.remove("dropping");
      upload(event.dataTransfer.files[0]);
    }
  });
  document.addEventListener("paste", function (event) {
    if (inReplyForm(event.target) && event.clipboardData && event.clipboardData.files.length) {
      event.preventDefault();
      upload(event.clipboardData.files[0]);
    }
  });
})();
