/*
 * Switchboard web chat widget.
 * Embed: <script src="https://your-host/widget.js" data-account="CHANNEL_ACCOUNT_ID"></script>
 * The visitor's signed session token is kept in localStorage, so a reload finds the same conversation.
 */
(function () {
  var script = document.currentScript;
  if (!script) { return; }
  var account = script.getAttribute('data-account');
  var base = new URL(script.src, window.location.href).origin;
  var storageKey = 'switchboard:webchat:' + account;
  var token = null;
  var shown = {};
  // the file the visitor is about to send (picked, dropped or pasted), shown above the box until sent or removed
  var pending = null;
  var maxUpload = 16 * 1024 * 1024; // the server's limit, as the session tells it

  // the visitor's browser language: Portuguese, Spanish or English
  var language = (navigator.language || 'en').toLowerCase();
  var lang = language.indexOf('pt') === 0 ? 'pt' : language.indexOf('es') === 0 ? 'es' : 'en';
  var T = {
    pt: {placeholder: 'Digite sua mensagem…', field: 'Mensagem', send: 'Enviar', open: 'Abrir o chat', title: 'Chat',
         you: 'Você', ai: 'Assistente virtual', team: 'Equipe', system: 'Aviso', failed: 'Não enviada. Tente de novo.',
         attach: 'Anexar arquivo', remove: 'Remover o arquivo', caption: 'Legenda (opcional)…', drop: 'Solte o arquivo para enviar',
         tooLarge: 'O arquivo é grande demais: o limite é {max} MB.', refused: 'Este tipo de arquivo não é aceito. Envie uma foto, um PDF ou um documento.',
         empty: 'O arquivo está vazio.', tooMany: 'Muitos arquivos em pouco tempo. Aguarde um pouco e tente de novo.', sending: 'Enviando…'},
    es: {placeholder: 'Escribe tu mensaje…', field: 'Mensaje', send: 'Enviar', open: 'Abrir el chat', title: 'Chat',
         you: 'Tú', ai: 'Asistente virtual', team: 'Equipo', system: 'Aviso', failed: 'No enviado. Inténtalo de nuevo.',
         attach: 'Adjuntar archivo', remove: 'Quitar el archivo', caption: 'Descripción (opcional)…', drop: 'Suelta el archivo para enviarlo',
         tooLarge: 'El archivo es demasiado grande: el límite es {max} MB.', refused: 'Este tipo de archivo no se acepta. Envía una foto, un PDF o un documento.',
         empty: 'El archivo está vacío.', tooMany: 'Demasiados archivos en poco tiempo. Espera un poco e inténtalo de nuevo.', sending: 'Enviando…'},
    en: {placeholder: 'Type your message…', field: 'Message', send: 'Send', open: 'Open the chat', title: 'Chat',
         you: 'You', ai: 'Virtual assistant', team: 'Team', system: 'Notice', failed: 'Not sent. Please try again.',
         attach: 'Attach a file', remove: 'Remove the file', caption: 'Caption (optional)…', drop: 'Drop the file to send it',
         tooLarge: 'The file is too large: the limit is {max} MB.', refused: 'This type of file is not accepted. Send a photo, a PDF or a document.',
         empty: 'The file is empty.', tooMany: 'Too many files in a short time. Wait a little and try again.', sending: 'Sending…'}
  }[lang];

  var css = '' +
    '.sbw-button{display:flex;align-items:center;justify-content:center;position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;background:#2563eb;color:#fff;font-size:26px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483000}' +
    '.sbw-panel{position:fixed;right:20px;bottom:88px;width:min(360px,calc(100vw - 40px));height:min(520px,calc(100vh - 120px));background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);display:none;flex-direction:column;overflow:hidden;font:14px/1.4 system-ui,sans-serif;z-index:2147483000}' +
    '.sbw-panel.sbw-open{display:flex}.sbw-head{background:#2563eb;color:#fff;padding:12px 14px;font-weight:600}' +
    '.sbw-log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f7f8fa}' +
    '.sbw-msg{max-width:80%;padding:8px 10px;border-radius:10px;white-space:pre-wrap;word-wrap:break-word}' +
    '.sbw-contact{align-self:flex-end;background:#2563eb;color:#fff}.sbw-other{align-self:flex-start;background:#fff;border:1px solid #e5e7eb;color:#1d2330}' +
    '.sbw-media{display:block;max-width:100%;max-height:220px;border-radius:8px;margin-top:4px}.sbw-who{font-size:11px;font-weight:600;opacity:.8;margin-bottom:2px}.sbw-time{font-size:10px;opacity:.7;text-align:right;margin-top:2px}' +
    '.sbw-ai{background:#f5f3ff;border-color:#ddd6fe}.sbw-ai .sbw-who{color:#6d28d9}.sbw-agent .sbw-who{color:#1d4ed8}' +
    '.sbw-system{align-self:center;background:#f3f4f6;color:#374151;font-style:italic;max-width:90%}.sbw-error{color:#b91c1c;font-size:12px;padding:0 12px}' +
    '.sbw-form{display:flex;border-top:1px solid #e5e7eb}.sbw-form input{flex:1;min-width:0;border:0;padding:12px;font:inherit}.sbw-form button{border:0;background:#2563eb;color:#fff;padding:0 16px;cursor:pointer}' +
    '.sbw-form .sbw-attach{background:transparent;color:#4b5563;padding:0 6px 0 12px;display:flex;align-items:center}.sbw-form .sbw-attach:hover{color:#2563eb}' +
    '.sbw-form .sbw-file{position:absolute;width:1px;height:1px;padding:0;opacity:0;overflow:hidden;pointer-events:none}' +
    '.sbw-preview{display:none;align-items:center;gap:8px;padding:8px 12px;border-top:1px solid #e5e7eb;background:#fff;font-size:13px}.sbw-preview.sbw-has{display:flex}' +
    '.sbw-preview img{width:48px;height:48px;object-fit:cover;border-radius:6px}.sbw-preview .sbw-name{flex:1;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}' +
    '.sbw-preview button{border:0;background:transparent;font-size:18px;line-height:1;cursor:pointer;color:#6b7280;padding:4px}' +
    '.sbw-icon{vertical-align:-2px;margin-right:4px;flex:none}.sbw-size{opacity:.75;font-size:12px;margin-left:4px}.sbw-doc{display:block;margin-top:4px;color:inherit}' +
    '.sbw-panel.sbw-dragging .sbw-log{outline:2px dashed #2563eb;outline-offset:-6px}.sbw-drop{display:none;text-align:center;color:#1d4ed8;padding:6px;font-size:12px}.sbw-panel.sbw-dragging .sbw-drop{display:block}';
  var style = document.createElement('style');
  style.textContent = css;
  document.head.appendChild(style);

  var button = document.createElement('button');
  button.className = 'sbw-button';
  button.type = 'button';
  button.setAttribute('aria-label', T.open);
  button.id = 'switchboard-chat-button';
  // an inline icon: emoji fonts are not everywhere
  button.innerHTML = '<svg width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" ' +
    'stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg>';
  var panel = document.createElement('div');
  panel.className = 'sbw-panel';
  panel.id = 'switchboard-chat';
  panel.setAttribute('role', 'dialog');
  // a document icon drawn inline (emoji fonts are not everywhere)
  var docIcon = '<svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" ' +
    'stroke-linejoin="round" aria-hidden="true" class="sbw-icon"><path d="M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z"/>' +
    '<polyline points="14 2 14 8 20 8"/></svg>';
  var clip = '<svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" ' +
    'stroke-linejoin="round" aria-hidden="true"><path d="M21.44 11.05l-9.19 9.19a6 6 0 0 1-8.49-8.49l9.19-9.19a4 4 0 0 1 5.66 5.66l-9.2 9.19a2 2 0 0 1-2.83-2.83l8.49-8.48"/></svg>';
  panel.innerHTML = '<div class="sbw-head"></div><div class="sbw-log" aria-live="polite"></div><div class="sbw-drop"></div>' +
    '<div class="sbw-preview"><img alt="" hidden><span class="sbw-name"></span><button type="button" class="sbw-remove">\u00D7</button></div>' +
    '<form class="sbw-form"><button type="button" class="sbw-attach">' + clip + '</button>' +
    '<input type="file" class="sbw-file" name="file" tabindex="-1"><input name="text" autocomplete="off"><button type="submit"></button></form>';
  document.body.appendChild(button);
  document.body.appendChild(panel);
  var head = panel.querySelector('.sbw-head');
  var log = panel.querySelector('.sbw-log');
  var form = panel.querySelector('form');
  var input = form.querySelector('input[name=text]');
  input.placeholder = T.placeholder;
  input.setAttribute('aria-label', T.field);
  var submit = form.querySelector('button[type=submit]');
  submit.textContent = T.send;
  var attachButton = form.querySelector('.sbw-attach');
  attachButton.setAttribute('aria-label', T.attach);
  attachButton.title = T.attach;
  var fileInput = form.querySelector('.sbw-file');
  fileInput.setAttribute('aria-label', T.attach);
  var preview = panel.querySelector('.sbw-preview');
  var previewImage = preview.querySelector('img');
  var previewName = preview.querySelector('.sbw-name');
  var removeButton = preview.querySelector('.sbw-remove');
  removeButton.setAttribute('aria-label', T.remove);
  removeButton.title = T.remove;
  panel.querySelector('.sbw-drop').textContent = T.drop;
  panel.setAttribute('lang', lang);
  head.textContent = T.title;

  // who wrote it: the visitor, the AI (marked as such), a person of the team (by name) or a notice
  function render(message) {
    var files = (message && message.media) || [];
    if (!message || (!message.content && !files.length) || shown[message.id]) { return; }
    shown[message.id] = true;
    var kind = message.sender_type;
    var bubble = document.createElement('div');
    bubble.className = 'sbw-msg ' + (kind === 'contact' ? 'sbw-contact' : kind === 'ai_agent' ? 'sbw-other sbw-ai'
      : kind === 'agent' ? 'sbw-other sbw-agent' : 'sbw-other sbw-system');
    bubble.setAttribute('data-sender', kind);
    var who = document.createElement('div');
    who.className = 'sbw-who';
    who.textContent = kind === 'contact' ? T.you : kind === 'ai_agent' ? T.ai
      : kind === 'agent' ? (message.sender_name ? message.sender_name + ' · ' + T.team : T.team) : T.system;
    var text = document.createElement('div');
    text.textContent = message.content;
    bubble.appendChild(who);
    if (message.content) { bubble.appendChild(text); }
    // files the team sent: shown from this server through short-lived signed addresses
    files.forEach(function (file) {
      var src = base + file.url;
      var element;
      if (file.kind === 'image') {
        element = document.createElement('img');
        element.src = src;
        element.alt = file.filename || '';
        element.className = 'sbw-media';
      } else if (file.kind === 'audio' || file.kind === 'video') {
        element = document.createElement(file.kind);
        element.controls = true;
        element.src = src;
        element.className = 'sbw-media';
      } else {
        element = document.createElement('a');
        element.href = src;
        element.target = '_blank';
        element.rel = 'noopener';
        element.className = 'sbw-doc';
        element.innerHTML = docIcon;
        element.appendChild(document.createTextNode(file.filename || 'file'));
        if (file.size) {
          var size = document.createElement('span');
          size.className = 'sbw-size';
          size.textContent = file.size;
          element.appendChild(size);
        }
      }
      bubble.appendChild(element);
    });
    if (message.created_at) {
      var time = document.createElement('div');
      time.className = 'sbw-time';
      var at = new Date(message.created_at);
      time.textContent = at.toLocaleTimeString(language, {hour: '2-digit', minute: '2-digit'});
      time.title = at.toLocaleString(language);
      bubble.appendChild(time);
    }
    log.appendChild(bubble);
    log.scrollTop = log.scrollHeight;
  }

  function api(path, options) {
    options = options || {};
    options.headers = Object.assign({'Content-Type': 'application/json'}, options.headers || {});
    if (token) { options.headers['X-Webchat-Token'] = token; }
    return fetch(base + '/webchat/' + account + path, options).then(function (r) {
      if (!r.ok) { throw new Error('HTTP ' + r.status); }
      return r.json();
    });
  }

  // a file is posted as a form (the browser sets the multipart boundary), with the same token as the texts
  function upload(file, caption, clientId) {
    var body = new FormData();
    body.append('file', file, file.name || 'file');
    if (caption) { body.append('caption', caption); }
    body.append('client_id', clientId);
    return fetch(base + '/webchat/' + account + '/attachments', {method: 'POST', headers: {'X-Webchat-Token': token}, body: body})
      .then(function (r) {
        if (!r.ok) {
          var error = new Error('HTTP ' + r.status);
          error.status = r.status;
          throw error;
        }
        return r.json();
      });
  }

  var stream = null;
  function listen() {
    if (stream) { stream.close(); }
    stream = new EventSource(base + '/webchat/' + account + '/stream?token=' + encodeURIComponent(token));
    stream.addEventListener('message', function (e) { render(JSON.parse(e.data)); });
    // after a dropped connection, catch up on anything pushed while we were away
    stream.addEventListener('ready', function () {
      api('/messages').then(function (list) { list.forEach(render); }).catch(function () {});
    });
  }

  function start() {
    return api('/sessions', {method: 'POST', body: JSON.stringify({token: localStorage.getItem(storageKey), language: navigator.language || lang})})
      .then(function (session) {
        token = session.token;
        if (session.max_upload_bytes) { maxUpload = session.max_upload_bytes; }
        localStorage.setItem(storageKey, token);
        if (session.title) { head.textContent = session.title; }
        session.messages.forEach(render);
        listen();
      });
  }

  var started = null;
  button.addEventListener('click', function () {
    panel.classList.toggle('sbw-open');
    if (!started) { started = start(); }
    if (panel.classList.contains('sbw-open')) { input.focus(); }
  });
  if (localStorage.getItem(storageKey)) {
    // a returning visitor: reopen the conversation at once
    panel.classList.add('sbw-open');
    started = start();
  }

  function sizeText(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + ' MB' : bytes >= 1024 ? Math.floor(bytes / 1024) + ' KB' : bytes + ' B';
  }

  function showError(text) {
    var error = panel.querySelector('.sbw-error');
    if (!error) {
      error = document.createElement('div');
      error.className = 'sbw-error';
      error.setAttribute('role', 'alert');
      panel.insertBefore(error, preview);
    }
    error.textContent = text;
  }

  function clearError() {
    var error = panel.querySelector('.sbw-error');
    if (error) { error.remove(); }
  }

  function clearFile() {
    pending = null;
    fileInput.value = '';
    previewImage.hidden = true;
    previewImage.removeAttribute('src');
    previewName.textContent = '';
    preview.classList.remove('sbw-has');
    input.placeholder = T.placeholder;
  }

  function choose(file) {
    if (!file) { return; }
    clearFile();
    if (file.size > maxUpload) {
      showError(T.tooLarge.replace('{max}', Math.round(maxUpload / 1048576)));
      return;
    }
    if (file.size === 0) {
      showError(T.empty);
      return;
    }
    clearError();
    pending = file;
    if (/^image\//.test(file.type) && window.FileReader && file.size <= 8 * 1048576) {
      // a data: address, not blob: — pages with a Content-Security-Policy (this server's /demo too) allow data: images more often
      var reader = new FileReader();
      reader.onload = function () {
        if (pending !== file) { return; }
        previewImage.src = reader.result;
        previewImage.hidden = false;
      };
      reader.readAsDataURL(file);
    }
    previewName.innerHTML = /^image\//.test(file.type) ? '' : docIcon;
    previewName.appendChild(document.createTextNode((file.name || 'file') + ' \u00B7 ' + sizeText(file.size)));
    preview.classList.add('sbw-has');
    input.placeholder = T.caption;
    input.focus();
  }

  attachButton.addEventListener('click', function () { fileInput.click(); });
  fileInput.addEventListener('change', function () { choose(fileInput.files && fileInput.files[0]); });
  removeButton.addEventListener('click', function () { clearFile(); input.focus(); });
  // a screenshot pasted into the box, or a file dropped anywhere on the panel
  input.addEventListener('paste', function (e) {
    var files = e.clipboardData && e.clipboardData.files;
    if (files && files.length) {
      e.preventDefault();
      choose(files[0]);
    }
  });
  var dragDepth = 0;
  function carriesFiles(e) {
    return e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types || [], 'Files') >= 0;
  }
  panel.addEventListener('dragenter', function (e) {
    if (!carriesFiles(e)) { return; }
    e.preventDefault();
    dragDepth++;
    panel.classList.add('sbw-dragging');
  });
  panel.addEventListener('dragover', function (e) {
    if (carriesFiles(e)) { e.preventDefault(); }
  });
  panel.addEventListener('dragleave', function () {
    dragDepth = Math.max(0, dragDepth - 1);
    if (!dragDepth) { panel.classList.remove('sbw-dragging'); }
  });
  panel.addEventListener('drop', function (e) {
    if (!carriesFiles(e)) { return; }
    e.preventDefault();
    dragDepth = 0;
    panel.classList.remove('sbw-dragging');
    choose(e.dataTransfer.files[0]);
  });

  function failure(error, file) {
    var status = error && error.status;
    return status === 413 ? T.tooLarge.replace('{max}', Math.round(maxUpload / 1048576))
      : status === 415 ? T.refused : status === 400 && file ? T.empty : status === 429 ? T.tooMany : T.failed;
  }

  var sending = false;
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value.trim();
    var file = pending;
    if ((!text && !file) || sending) { return; }
    input.value = '';
    var clientId = Date.now().toString(36) + Math.random().toString(36).slice(2);
    sending = !!file;
    if (file) { submit.disabled = true; submit.textContent = T.sending; }
    (started || (started = start())).then(function () {
      return file ? upload(file, text, clientId)
        : api('/messages', {method: 'POST', body: JSON.stringify({text: text, client_id: clientId})});
    }).then(function (message) {
      clearError();
      if (file) { clearFile(); }
      render(message);
    }).catch(function (error) {
      input.value = text;
      showError(failure(error, file));
      if (file && error && (error.status === 413 || error.status === 415 || error.status === 400)) { clearFile(); }
    }).then(function () {
      sending = false;
      submit.disabled = false;
      submit.textContent = T.send;
    });
  });
})();
