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

  // the visitor's browser language: Portuguese, Spanish or English
  var language = (navigator.language || 'en').toLowerCase();
  var lang = language.indexOf('pt') === 0 ? 'pt' : language.indexOf('es') === 0 ? 'es' : 'en';
  var T = {
    pt: {placeholder: 'Digite sua mensagem…', field: 'Mensagem', send: 'Enviar', open: 'Abrir o chat', title: 'Chat',
         you: 'Você', ai: 'Assistente virtual', team: 'Equipe', system: 'Aviso', failed: 'Não enviada. Tente de novo.'},
    es: {placeholder: 'Escribe tu mensaje…', field: 'Mensaje', send: 'Enviar', open: 'Abrir el chat', title: 'Chat',
         you: 'Tú', ai: 'Asistente virtual', team: 'Equipo', system: 'Aviso', failed: 'No enviado. Inténtalo de nuevo.'},
    en: {placeholder: 'Type your message…', field: 'Message', send: 'Send', open: 'Open the chat', title: 'Chat',
         you: 'You', ai: 'Virtual assistant', team: 'Team', system: 'Notice', failed: 'Not sent. Please try again.'}
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
    '.sbw-form{display:flex;border-top:1px solid #e5e7eb}.sbw-form input{flex:1;border:0;padding:12px;font:inherit}.sbw-form button{border:0;background:#2563eb;color:#fff;padding:0 16px;cursor:pointer}';
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
  panel.innerHTML = '<div class="sbw-head"></div><div class="sbw-log" aria-live="polite"></div>' +
    '<form class="sbw-form"><input name="text" autocomplete="off"><button type="submit"></button></form>';
  document.body.appendChild(button);
  document.body.appendChild(panel);
  var head = panel.querySelector('.sbw-head');
  var log = panel.querySelector('.sbw-log');
  var form = panel.querySelector('form');
  var input = form.querySelector('input');
  input.placeholder = T.placeholder;
  input.setAttribute('aria-label', T.field);
  form.querySelector('button').textContent = T.send;
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
        element.textContent = '\uD83D\uDCC4 ' + (file.filename || 'file');
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

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = '';
    var clientId = Date.now().toString(36) + Math.random().toString(36).slice(2);
    (started || (started = start())).then(function () {
      return api('/messages', {method: 'POST', body: JSON.stringify({text: text, client_id: clientId})});
    }).then(function (message) {
      var error = panel.querySelector('.sbw-error');
      if (error) { error.remove(); }
      render(message);
    }).catch(function () {
      input.value = text;
      if (!panel.querySelector('.sbw-error')) {
        var error = document.createElement('div');
        error.className = 'sbw-error';
        error.setAttribute('role', 'alert');
        error.textContent = T.failed;
        panel.insertBefore(error, form);
      }
    });
  });
})();
