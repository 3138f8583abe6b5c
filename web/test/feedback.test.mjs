// The "Helpful" / "Not helpful" buttons under the assistant's answers: `npm test`.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { entryToHtml, normalizeBotMessage } from '../src/render.js';
import { canRate, feedbackUrl, sendFeedback } from '../src/feedback.js';

const AT = '1765000000.123456';
const SAM = { role: 'agent', name: 'Sam Lee', avatar: { kind: 'initials', initials: 'SL', colour: '#0f766e' } };

function rendered(data, extra = {}) {
  return normalizeBotMessage(data).map((entry, i) => entryToHtml({ id: `e${i}`, ...entry, ...extra }));
}

test('an answer of the assistant gets two labelled buttons, none pressed', () => {
  const [html] = rendered({ text: 'Returns are free within 30 days.', message_at: AT });
  assert.ok(html.includes('data-testid="answer-feedback"'));
  assert.ok(html.includes('role="group"') && html.includes('aria-label="Was this answer helpful?"'));
  const buttons = html.match(/<button [^>]*class="sa-fb"[^>]*>/g);
  assert.equal(buttons.length, 2);
  assert.ok(buttons[0].includes('aria-label="Helpful"') && buttons[0].includes('data-value="up"'));
  assert.ok(buttons[1].includes('aria-label="Not helpful"') && buttons[1].includes('data-value="down"'));
  for (const b of buttons) assert.ok(b.includes('type="button"') && b.includes('aria-pressed="false"'));
});

test('the chosen value is pressed, and a changed choice moves the press', () => {
  const [entry] = normalizeBotMessage({ text: 'Yes.', message_at: AT });
  const up = entryToHtml({ id: 'a', ...entry, feedback: 'up' });
  assert.match(up, /data-value="up" aria-label="Helpful" title="Helpful" aria-pressed="true"/);
  assert.match(up, /data-value="down" aria-label="Not helpful" title="Not helpful" aria-pressed="false"/);
  const down = entryToHtml({ id: 'a', ...entry, feedback: 'down' });
  assert.match(down, /aria-label="Helpful" title="Helpful" aria-pressed="false"/);
  assert.match(down, /aria-label="Not helpful" title="Not helpful" aria-pressed="true"/);
  // A stored value that is neither is shown as no choice.
  const odd = entryToHtml({ id: 'a', ...entry, feedback: '"><script>' });
  assert.ok(!odd.includes('aria-pressed="true"') && !odd.includes('<script>'));
});

test('a text split in bubbles is rated once, on its last; an order card is rated', () => {
  const [first] = rendered({ text: 'Part one.' });
  assert.ok(!first.includes('answer-feedback'), 'no key, no buttons');
  const [card] = rendered({ order_card: { title: 'Order 100234', status: 'Shipped', rows: [], items: [] }, message_at: AT });
  assert.ok(card.includes('data-testid="order-card"') && card.includes('answer-feedback'));
});

test('no buttons for the customer, an agent, a takeover notice or buttons without text', () => {
  assert.ok(!entryToHtml({ id: 'u', role: 'user', kind: 'text', text: 'hi', messageAt: AT }).includes('sa-fb'));
  const [agent] = rendered({ text: 'Hello, Sam here.', speaker: SAM, takeover: 'started', message_at: AT });
  assert.ok(agent.includes('data-testid="msg-agent"') && !agent.includes('sa-fb'));
  const [back] = rendered({ text: 'You are chatting with ShopAssist again.', takeover: 'ended', message_at: AT });
  assert.ok(!back.includes('sa-fb'));
  const [prompt] = rendered({ text: '', quick_replies: [{ title: '5', payload: '/rate{"score": 5}' }], message_at: AT });
  assert.ok(prompt.includes('data-testid="quick-reply"') && !prompt.includes('sa-fb'));
  const [withText] = rendered({ text: 'Anything else?', quick_replies: [{ title: 'No', payload: '/deny' }], message_at: AT });
  assert.ok(withText.includes('quick-reply') && withText.includes('sa-fb'));
});

test('an odd answer key is not taken, and the entry id is escaped', () => {
  for (const odd of ['', '1765000000', 'x.1', '1.2.3', '9'.repeat(30) + '.1', 42]) {
    const [entry] = normalizeBotMessage({ text: 'Hi', message_at: odd });
    assert.equal(canRate(entry), false, String(odd));
  }
  const [entry] = normalizeBotMessage({ text: 'Hi', message_at: AT });
  const html = entryToHtml({ ...entry, id: 'x"><img src=x onerror=alert(1)>' });
  assert.ok(!html.includes('<img') && html.includes('data-entry-id="x&quot;&gt;&lt;img'));
});

test('sendFeedback posts the session, the answer key and the value as JSON', async () => {
  const received = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, type: req.headers['content-type'], body: JSON.parse(body) });
      const ok = received.length === 1;
      res.writeHead(ok ? 200 : 404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(ok ? { ok: true, value: 'down' } : { error: 'unknown conversation' }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = feedbackUrl(`http://127.0.0.1:${server.address().port}/`);
    assert.deepEqual(await sendFeedback(url, 'abc-def', AT, 'down'), { ok: true, value: 'down' });
    assert.deepEqual(received[0], {
      method: 'POST',
      url: '/webhooks/socketio/feedback',
      type: 'application/json',
      body: { session_id: 'abc-def', message_at: AT, value: 'down' },
    });
    await assert.rejects(sendFeedback(url, 'abc-def', AT, 'up'), /HTTP 404/);
  } finally {
    server.close();
  }
});
