// Unit tests of the pure rendering helpers: `npm test` (node's built-in runner).
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  escapeHtml, safeUrl, textToHtml, normalizeBotMessage, entryToHtml, entryToSpeech, normalizeSpeaker, currentAgent,
  avatarHtml,
} from '../src/render.js';

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

const SAM = { role: 'agent', name: 'Sam Lee', avatar: { kind: 'initials', initials: 'SL', colour: '#0f766e' } };

test('an agent\'s message carries their name and avatar and the takeover step', () => {
  const [joined] = normalizeBotMessage({ text: 'Sam Lee from our customer service team has joined the chat.', speaker: SAM, takeover: 'started' });
  assert.deepEqual(joined.agent, { name: 'Sam Lee', avatar: { kind: 'initials', initials: 'SL', colour: '#0f766e' } });
  assert.equal(joined.takeover, 'started');
  const [back] = normalizeBotMessage({ text: 'You are chatting with ShopAssist again.', takeover: 'ended' });
  assert.equal(back.agent, undefined);
  assert.equal(back.takeover, 'ended');
  const [plain] = normalizeBotMessage({ text: 'Hi', takeover: 'sideways', speaker: { role: 'bot', name: 'x' } });
  assert.deepEqual(plain, { role: 'bot', kind: 'text', text: 'Hi' });
});

test('an odd speaker is shown as Customer service with initials, never as the assistant', () => {
  assert.deepEqual(normalizeSpeaker({ role: 'agent', name: 'x'.repeat(41), avatar: { kind: 'image', image: '../../x' } }), {
    name: 'Customer service', avatar: { kind: 'initials', initials: 'CS', colour: '#475569' },
  });
  assert.deepEqual(normalizeSpeaker({ role: 'agent', name: 'Ana', avatar: { kind: 'initials', initials: 'A', colour: 'red;x' } }).avatar, {
    kind: 'initials', initials: 'A', colour: '#475569',
  });
  assert.deepEqual(normalizeSpeaker({ role: 'agent', name: 'Ana', avatar: { kind: 'image', image: 'leaf' } }).avatar, { kind: 'image', image: 'leaf' });
  for (const odd of [null, 'agent', { name: 'Sam' }, { role: 'admin', name: 'Sam' }]) assert.equal(normalizeSpeaker(odd), null);
});

test('an agent\'s message is drawn apart from the assistant\'s, with name and avatar, escaped', () => {
  const html = entryToHtml({ id: 'a1', role: 'bot', kind: 'text', text: 'Hello <b>you</b>', agent: { name: '<i>Sam</i>', avatar: SAM.avatar } });
  assert.ok(html.includes('data-testid="msg-agent"') && html.includes('class="sa-msg sa-agent"'));
  assert.ok(!html.includes('data-testid="msg-bot"'));
  assert.ok(html.includes('data-testid="agent-name">&lt;i&gt;Sam&lt;/i&gt;</div>'));
  assert.ok(html.includes('&lt;b&gt;you&lt;/b&gt;') && !html.includes('<b>') && !html.includes('<i>'));
  assert.ok(html.includes('style="background-color: #0f766e">SL</span>'));
  const picture = avatarHtml({ kind: 'image', image: 'headset' });
  assert.ok(picture.includes('src="/static/avatars/headset.svg"'));
  assert.ok(!avatarHtml({ kind: 'image', image: 'x" onerror="alert(1)' }).includes('onerror'));
  assert.ok(!avatarHtml({ kind: 'initials', initials: '<b>', colour: '#000000' }).includes('<b>'));
});

test('the agent in the conversation is the latest takeover\'s until it ends', () => {
  const sam = { name: 'Sam', avatar: SAM.avatar };
  const ana = { name: 'Ana', avatar: SAM.avatar };
  assert.equal(currentAgent([]), null);
  assert.equal(currentAgent([{ role: 'bot' }, { role: 'bot', agent: sam, takeover: 'started' }, { role: 'user' }]), sam);
  assert.equal(currentAgent([{ agent: sam, takeover: 'started' }, { role: 'bot', takeover: 'ended' }]), null);
  assert.equal(currentAgent([{ agent: sam }, { takeover: 'ended' }, { agent: ana, takeover: 'started' }]), ana);
});

test('entryToSpeech reads a message out as plain text, with who says it', () => {
  const [text] = normalizeBotMessage({ text: 'Cancel it?', quick_replies: [{ title: 'Yes' }, { title: 'No' }] });
  assert.equal(entryToSpeech(text), 'ShopAssist: Cancel it? Choices: Yes, No.');
  const [card] = normalizeBotMessage({ order_card: { title: 'Order #1', status: 'Shipped', rows: [['Total', '$5']] } });
  assert.equal(entryToSpeech(card), 'ShopAssist: Order #1. Shipped. Total: $5');
  const [agent] = normalizeBotMessage({ text: '<b>hi</b>', speaker: { role: 'agent', name: 'Sam' } });
  assert.equal(entryToSpeech(agent), 'Sam: <b>hi</b>'); // shown as text (textContent), never markup
});
