/**
 * The web chat page served at GET /: one self-contained HTML document (inline CSS and script, no
 * external asset). It talks to POST /api/chat and renders the engine's messages: text, choice
 * buttons, programme/desk cards (a tel: link per number, notes, 「詳しく」 buttons), links.
 */

/** The page's HTML. `title` is shown in the header. */
export function webChatPage(title = 'やまぐち支援ナビ'): string {
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  :root { --main: #0b5fa5; --bg: #f4f6f8; }
  * { box-sizing: border-box; }
  body { margin: 0; font-family: system-ui, "Hiragino Sans", "Noto Sans CJK JP", "Noto Sans JP", sans-serif; background: var(--bg); color: #1d2329; }
  header { background: var(--main); color: #fff; padding: 12px 16px; font-weight: bold; }
  #log { max-width: 760px; margin: 0 auto; padding: 12px 12px 96px; }
  .msg { margin: 8px 0; display: flex; }
  .msg .bubble { padding: 10px 12px; border-radius: 12px; max-width: 90%; white-space: pre-wrap; line-height: 1.5; }
  .bot .bubble { background: #fff; border: 1px solid #dde3e8; }
  .user { justify-content: flex-end; }
  .user .bubble { background: var(--main); color: #fff; }
  .choices { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0 10px; }
  button.choice, button.action { border: 1px solid var(--main); background: #fff; color: var(--main); border-radius: 16px; padding: 6px 12px; font-size: 14px; cursor: pointer; }
  button.choice:hover, button.action:hover { background: #e8f1fa; }
  .cards { display: grid; gap: 8px; margin: 6px 0 10px; }
  .card { background: #fff; border: 1px solid #dde3e8; border-left: 4px solid var(--main); border-radius: 8px; padding: 10px 12px; }
  .card.desk { border-left-color: #2e8b57; }
  .card h3 { margin: 0 0 4px; font-size: 16px; }
  .card .sub { color: #5a6570; font-size: 12px; margin-bottom: 4px; }
  .card .text { font-size: 14px; white-space: pre-wrap; }
  .card dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 6px 0; font-size: 14px; }
  .card dt { color: #5a6570; }
  .card dd { margin: 0; }
  .card .contact, .card .source { font-size: 13px; color: #33404c; margin-top: 4px; }
  .card .note { font-size: 12px; color: #5a6570; margin-top: 2px; }
  .cards .heading { font-size: 13px; font-weight: bold; color: var(--main); }
  form { position: fixed; bottom: 0; left: 0; right: 0; background: #fff; border-top: 1px solid #dde3e8; padding: 10px; display: flex; gap: 8px; justify-content: center; }
  form input { flex: 1; max-width: 640px; font-size: 16px; padding: 8px 10px; border: 1px solid #b8c2cc; border-radius: 8px; }
  form button { font-size: 16px; padding: 8px 16px; border: 0; border-radius: 8px; background: var(--main); color: #fff; }
</style>
</head>
<body>
<header>${escapeHtml(title)}</header>
<main id="log" aria-live="polite"></main>
<form id="form" autocomplete="off">
  <input id="input" name="text" placeholder="ご質問を入力（例: 設備投資に使える補助金は？）" maxlength="10000" aria-label="メッセージ">
  <button type="submit" id="send">送信</button>
</form>
<script>
(function () {
  var log = document.getElementById('log');
  var form = document.getElementById('form');
  var input = document.getElementById('input');
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
  function bubble(who, text) { var m = el('div', 'msg ' + who); m.appendChild(el('div', 'bubble', text)); log.appendChild(m); }
  function button(cls, c) {
    var b = el('button', cls, c.label); b.type = 'button';
    b.addEventListener('click', function () { send({ choice: c.value }, c.display || c.label); });
    return b;
  }
  function card(c) {
    var d = el('div', 'card ' + c.kind); d.setAttribute('data-id', c.id); d.setAttribute('data-kind', c.kind);
    d.appendChild(el('h3', null, c.title));
    if (c.subtitle) d.appendChild(el('div', 'sub', c.subtitle));
    if (c.text) d.appendChild(el('div', 'text', c.text));
    if (c.fields && c.fields.length) {
      var dl = el('dl');
      c.fields.forEach(function (f) { dl.appendChild(el('dt', null, f.label)); dl.appendChild(el('dd', null, f.value)); });
      d.appendChild(dl);
    }
    var dial = c.dial || [];
    if (c.deskName || c.phone) {
      var p = el('div', 'contact');
      if (c.deskName) p.appendChild(document.createTextNode('相談先: ' + c.deskName + ' '));
      // one link per number the phone field holds (「(083) ①222-6225 ②223-2251」 is two numbers)
      if (dial.length) dial.forEach(function (n, i) {
        if (i > 0) p.appendChild(document.createTextNode(' / '));
        var a = el('a', null, '☎ ' + n.number + (n.ext ? '（内線' + n.ext + '）' : '')); a.href = n.tel; p.appendChild(a);
      });
      else if (c.phone) p.appendChild(document.createTextNode('電話: ' + c.phone));
      d.appendChild(p);
    }
    (c.notes || []).forEach(function (n) { d.appendChild(el('div', 'note', n)); });
    if (c.sourceLabel) d.appendChild(el('div', 'source', c.sourceLabel));
    if (c.actions && c.actions.length) {
      var row = el('div', 'choices');
      c.actions.forEach(function (a) { row.appendChild(button('action', a)); });
      d.appendChild(row);
    }
    return d;
  }
  function render(turn) {
    (turn.replies || []).forEach(function (m) {
      if (m.type === 'text') bubble('bot', m.text);
      else if (m.type === 'link') { var w = el('div', 'msg bot'); var a = el('a', 'bubble', m.text); a.href = m.url; a.rel = 'noopener'; w.appendChild(a); log.appendChild(w); }
      else if (m.type === 'choices') {
        bubble('bot', m.text);
        var row = el('div', 'choices'); row.setAttribute('data-awaiting', turn.awaiting || '');
        m.choices.forEach(function (c) { row.appendChild(button('choice', c)); });
        log.appendChild(row);
      } else if (m.type === 'cards') {
        var box = el('div', 'cards');
        if (m.heading) box.appendChild(el('div', 'heading', m.heading));
        m.cards.forEach(function (c) { box.appendChild(card(c)); }); log.appendChild(box);
      }
    });
    window.scrollTo(0, document.body.scrollHeight);
  }
  function send(payload, shown) {
    if (shown) bubble('user', shown);
    // the conversation is the server-issued HttpOnly session cookie, sent with every same-origin request
    return fetch('api/chat', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) })
      .then(function (r) { return r.json(); })
      .then(render)
      .catch(function () { bubble('bot', '通信できませんでした。時間をおいてもう一度お試しください。'); });
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var t = input.value; input.value = '';
    if (t.trim()) send({ text: t }, t);
  });
  send({ text: '' });
})();
</script>
</body>
</html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
