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

  var css = '' +
    '.sbw-button{display:flex;align-items:center;justify-content:center;position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;background:#2563eb;color:#fff;font-size:26px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483000}' +
    '.sbw-panel{position:fixed;right:20px;bottom:88px;width:min(360px,calc(100vw - 40px));height:min(520px,calc(100vh - 120px));background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);display:none;flex-direction:column;overflow:hidden;font:14px/1.4 system-ui,sans-serif;z-index:2147483000}' +
    '.sbw-panel.sbw-open{display:flex}.sbw-head{background:#2563eb;color:#fff;padding:12px 14px;font-weight:600}' +
    '.sbw-log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f7f8fa}' +
    '.sbw-msg{max-width:80%;padding:8px 10px;border-radius:10px;white-space:pre-wrap;word-wrap:break-word}' +
    '.sbw-contact{align-self:flex-end;background:#2563eb;color:#fff}.sbw-other{align-self:flex-start;background:#fff;border:1px solid #e5e7eb;color:#1d2330}' +
    '.sbw-form{display:flex;border-top:1px solid #e5e7eb}.sbw-form input{flex:1;border:0;padding:12px;font:inherit}.sbw-form button{border:0;background:#2563eb;color:#fff;padding:0 16px;cursor:pointer}';
  var style = document.createElement('style');
  style.textContent = css;
  document.head.appendChild(style);

  var button = document.createElement('button');
  button.className = 'sbw-button';
  button.type = 'button';
  button.setAttribute('aria-label', 'Chat');
  button.id = 'switchboard-chat-button';
  // an inline icon: emoji fonts are not everywhere
  button.innerHTML = '<svg width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" ' +
    'stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg>';
  var panel = document.createElement('div');
  panel.className = 'sbw-panel';
  panel.id = 'switchboard-chat';
  panel.setAttribute('role', 'dialog');
  panel.innerHTML = '<div class="sbw-head"></div><div class="sbw-log" aria-live="polite"></div>' +
    '<form class="sbw-form"><input name="text" autocomplete="off" placeholder="Digite sua mensagem…" aria-label="Mensagem"><button type="submit">Enviar</button></form>';
  document.body.appendChild(button);
  document.body.appendChild(panel);
  var head = panel.querySelector('.sbw-head');
  var log = panel.querySelector('.sbw-log');
  var form = panel.querySelector('form');
  var input = form.querySelector('input');
  head.textContent = 'Chat';

  function render(message) {
    if (!message || !message.content || shown[message.id]) { return; }
    shown[message.id] = true;
    var bubble = document.createElement('div');
    bubble.className = 'sbw-msg ' + (message.sender_type === 'contact' ? 'sbw-contact' : 'sbw-other');
    bubble.setAttribute('data-sender', message.sender_type);
    bubble.textContent = message.content;
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
    return api('/sessions', {method: 'POST', body: JSON.stringify({token: localStorage.getItem(storageKey)})})
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
    }).then(render).catch(function () {
      input.value = text;
    });
  });
})();
