// Unit tests of the pure rendering helpers: `npm test` (node's built-in runner).
import test from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, safeUrl, textToHtml, normalizeBotMessage, entryToHtml } from '../src/render.js';

test('escapeHtml escapes markup and quotes', () => {
  assert.equal(escapeHtml('<img src=x onerror=alert(1)>'), '&lt;img src=x onerror=alert(1)&gt;');
  assert.equal(escapeHtml(`"'&\``), '&quot;&#39;&amp;&#96;');
  assert.equal(escapeHtml(null), '');
});

test('textToHtml never lets markup through and links only http(s)', () => {
  const html = textToHtml('<b>hi</b> [x](javascript:alert(1)) see https://example.com/a?b=1&c=2.');
  assert.ok(!html.includes('<b>'));
  assert.ok(!/href="javascript/i.test(html));
  assert.ok(html.includes('<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer nofollow">'));
  assert.ok(html.endsWith('</a>.'), 'trailing full stop stays outside the link');
});

test('a URL cannot break out of the href attribute', () => {
  const html = textToHtml('https://evil.example/"onmouseover="alert(1)');
  assert.ok(!html.includes('"onmouseover'));
});

test('safeUrl allows http(s), same-origin paths and inline raster images only', () => {
  assert.equal(safeUrl('https://a.example/x.png'), 'https://a.example/x.png');
  assert.equal(safeUrl('/static/x.png'), '/static/x.png');
  assert.equal(safeUrl('//evil.example/x.png'), null);
  assert.equal(safeUrl('javascript:alert(1)'), null);
  assert.equal(safeUrl('data:image/svg+xml;base64,AAAA', { allowDataImage: true }), null);
  assert.equal(safeUrl('data:image/png;base64,AAAA', { allowDataImage: true }), 'data:image/png;base64,AAAA');
});

test('normalizeBotMessage handles the Rasa socket.io shapes', () => {
  assert.deepEqual(normalizeBotMessage({ text: 'Hello' }), [{ role: 'bot', kind: 'text', text: 'Hello' }]);
  const qr = normalizeBotMessage({
    text: 'Sure?',
    quick_replies: [{ content_type: 'text', title: 'Yes', payload: '/affirm' }, { title: 42 }, null],
  });
  assert.deepEqual(qr[0].quickReplies, [{ title: 'Yes', payload: '/affirm' }, { title: '42', payload: '42' }]);
  assert.deepEqual(normalizeBotMessage({ attachment: { type: 'image', payload: { src: 'https://x.example/a.png' } } }), [
    { role: 'bot', kind: 'image', src: 'https://x.example/a.png' },
  ]);
  assert.deepEqual(normalizeBotMessage({ attachment: { type: 'image', payload: { src: 'javascript:x' } } }), []);
  const card = normalizeBotMessage({ order_card: { title: 'Order 1', status: 'Shipped', rows: [['Total', '$1'], ['bad']], items: ['1 × A', {}] } });
  assert.deepEqual(card, [{ role: 'bot', kind: 'order_card', card: { title: 'Order 1', status: 'Shipped', rows: [['Total', '$1']], items: ['1 × A'] } }]);
  for (const odd of [null, 'text', ['a'], { foo: 1 }, { text: '' }, { attachment: { type: 'video' } }]) {
    assert.deepEqual(normalizeBotMessage(odd), [], JSON.stringify(odd));
  }
});

test('entryToHtml escapes everything and carries the test hooks', () => {
  const user = entryToHtml({ id: 'u1', role: 'user', kind: 'text', text: '<script>x</script>' });
  assert.ok(user.includes('data-testid="msg-user"') && user.includes('&lt;script&gt;') && !user.includes('<script>'));
  const bot = entryToHtml({ id: 'b1', role: 'bot', kind: 'text', text: 'Q?', quickReplies: [{ title: '<i>Yes</i>', payload: '/affirm' }] });
  assert.ok(bot.includes('data-testid="msg-bot"') && bot.includes('data-testid="quick-reply"'));
  assert.ok(bot.includes('&lt;i&gt;Yes&lt;/i&gt;') && !bot.includes('/affirm'), 'payload is not rendered');
  const used = entryToHtml({ id: 'b1', role: 'bot', kind: 'text', text: 'Q?', used: true, chosen: 0, quickReplies: [{ title: 'Yes', payload: '/a' }] });
  assert.ok(used.includes(' disabled'));
  const card = entryToHtml({ id: 'c"1', role: 'bot', kind: 'order_card', card: { title: '<b>O</b>', status: null, rows: [['k', 'v']], items: [] } });
  assert.ok(card.includes('data-testid="order-card"') && card.includes('&lt;b&gt;O&lt;/b&gt;') && card.includes('data-entry-id="c&quot;1"'));
  assert.equal(entryToHtml({ id: 'x', role: 'bot', kind: 'nope' }), null);
});
