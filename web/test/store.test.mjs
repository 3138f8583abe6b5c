// What the chat leaves in localStorage (src/store.js): a conversation idle for
// 30 minutes is forgotten, and the stored transcript keeps no e-mail address
// and no order details beyond what a reload needs to redraw it.
import test from 'node:test';
import assert from 'node:assert/strict';

// Node has no localStorage: this one keeps strings, as the browser's does.
class MemoryStorage {
  constructor() { this.items = new Map(); }
  get length() { return this.items.size; }
  key(i) { return [...this.items.keys()][i] ?? null; }
  getItem(k) { return this.items.has(k) ? this.items.get(k) : null; }
  setItem(k, v) { this.items.set(k, String(v)); }
  removeItem(k) { this.items.delete(k); }
  everything() { return [...this.items.entries()].map(([k, v]) => `${k}=${v}`).join('\n'); }
}

globalThis.window = { localStorage: new MemoryStorage(), crypto: globalThis.crypto };
const store = await import('../src/store.js');
const { entryToHtml, normalizeBotMessage } = await import('../src/render.js');

const ANNA = 'anna.becker@example.com';
const ORDER_CARD = {
  order_card: {
    title: 'Order #100234',
    status: 'Shipped',
    rows: [['Placed', '2 May 2026'], ['Total', '$89.99'], ['Carrier', 'DHL'], ['Tracking', 'JD014600006281']],
    items: ['Wireless headphones'],
  },
};

function fresh() {
  window.localStorage = new MemoryStorage();
  return window.localStorage;
}

function aConversation(now) {
  const id = store.newSessionId();
  store.saveSessionId(id);
  const card = { id: 'c1', ...normalizeBotMessage(ORDER_CARD)[0] };
  store.saveTranscript(id, [
    { id: 'u1', role: 'user', kind: 'text', text: `my e-mail is ${ANNA}` },
    { id: 'b1', role: 'bot', kind: 'text', text: `Thanks, I'll reply to ${ANNA} within 1 business day.` },
    card,
  ]);
  store.saveUiState({ open: true });
  store.touch(now);
  return id;
}

test('a conversation idle for more than 30 minutes is forgotten, nothing of it readable', () => {
  const storage = fresh();
  const start = Date.parse('2026-05-02T10:00:00Z');
  const id = aConversation(start);
  const other = store.newSessionId(); // a transcript left by an earlier conversation
  store.saveTranscript(other, [{ id: 'x', role: 'user', kind: 'text', text: 'older' }]);

  assert.equal(store.expireIdle(start + store.IDLE_LIMIT_MS), false, 'exactly 30 minutes is not yet idle');
  assert.equal(store.loadSessionId(), id);
  assert.equal(store.loadTranscript(id).length, 3);

  assert.equal(store.expireIdle(start + store.IDLE_LIMIT_MS + 1), true);
  assert.equal(store.loadSessionId(), null, 'a fresh conversation gets a new id');
  assert.deepEqual(store.loadTranscript(id), []);
  assert.deepEqual(store.loadTranscript(other), []);
  assert.deepEqual(store.loadUiState(), {}, 'the chat does not reopen for the next person');
  assert.equal(storage.length, 0, `left behind:\n${storage.everything()}`);
});

test('activity keeps a conversation: the idle time counts from the last message', () => {
  fresh();
  const start = Date.parse('2026-05-02T10:00:00Z');
  const id = aConversation(start);
  store.touch(start + 25 * 60 * 1000);
  assert.equal(store.expireIdle(start + 50 * 60 * 1000), false);
  assert.equal(store.loadTranscript(id).length, 3);
});

test('a stored conversation of unknown age is forgotten', () => {
  fresh();
  const id = store.newSessionId();
  store.saveSessionId(id);
  store.saveTranscript(id, [{ id: 'u1', role: 'user', kind: 'text', text: 'hello' }]);
  assert.equal(store.isIdle(), true);
  assert.equal(store.expireIdle(), true);
  assert.deepEqual(store.loadTranscript(id), []);
});

test('the stored transcript holds no e-mail address and no order details', () => {
  const storage = fresh();
  const id = aConversation(Date.now());
  const stored = storage.everything();
  assert.ok(!stored.includes(ANNA), stored);
  assert.ok(!stored.includes('anna.becker'), stored);
  for (const detail of ['$89.99', 'DHL', 'JD014600006281', 'Wireless headphones', '2 May 2026']) {
    assert.ok(!stored.includes(detail), `${detail} is stored:\n${stored}`);
  }
  // What is kept redraws the conversation: the texts (address masked) and the card's title and status.
  const [user, bot, card] = store.loadTranscript(id);
  assert.equal(user.text, 'my e-mail is a…@example.com');
  assert.equal(bot.text, 'Thanks, I\'ll reply to a…@example.com within 1 business day.');
  const html = entryToHtml(card);
  assert.ok(html.includes('Order #100234') && html.includes('Shipped'), html);
  assert.ok(html.includes('Ask again to see the details.'), html);
});

test('stored quick replies keep their payloads only while they can still be chosen', () => {
  fresh();
  const id = store.newSessionId();
  const replies = [{ title: 'Yes', payload: '/affirm' }, { title: 'No', payload: '/deny' }];
  store.saveTranscript(id, [
    { id: 'q1', role: 'bot', kind: 'text', text: 'Cancel it?', quickReplies: replies },
    { id: 'q2', role: 'bot', kind: 'text', text: 'Sure?', quickReplies: replies, used: true, chosen: 0 },
  ]);
  const [open, used] = store.loadTranscript(id);
  assert.deepEqual(open.quickReplies, replies);
  assert.deepEqual(used.quickReplies, [{ title: 'Yes' }, { title: 'No' }]);
  assert.equal(used.chosen, 0);
  assert.ok(entryToHtml(used).includes('disabled'));
});

test('maskEmails leaves text without an address alone', () => {
  assert.equal(store.maskEmails('order 100234, 5 @ $3'), 'order 100234, 5 @ $3');
  assert.equal(store.maskEmails('<b>x@y.example</b>'), '<b>x…@y.example</b>');
});

test('a rated answer keeps its key and its thumb through a reload', () => {
  fresh();
  const id = store.newSessionId();
  const at = '1765092000.123456';
  store.saveTranscript(id, [{ id: 'a1', role: 'bot', kind: 'text', text: 'Hi!', messageAt: at, feedback: 'up' }]);
  const [answer] = store.loadTranscript(id);
  assert.equal(answer.messageAt, at);
  assert.equal(answer.feedback, 'up');
});

test('order details the server marks private stay out of storage: status texts, lists, invoices', () => {
  const storage = fresh();
  const id = store.newSessionId();
  const [status] = normalizeBotMessage({
    text: 'Order #100236, placed on 2 May 2026, is paid. Items: 1 × Linen Shirt (total $49.99).',
    private: true,
    quick_replies: [{ title: 'Talk to a person', payload: '/human_handoff' }],
  });
  const [invoice] = normalizeBotMessage({ text: 'Invoice INV-2026-000123 for $49.99 to Anna Becker, Hauptstr. 5, Berlin.', private: true });
  const [list] = normalizeBotMessage({
    text: 'Your most recent orders: ...',
    private: true,
    order_list: {
      intro: 'Your most recent orders:',
      prompt: 'Which one would you like to look at?',
      orders: [{ number: '#100234', placed_on: '20 Nov 2026', status: 'Shipped', total: '$89.99' }],
    },
    quick_replies: [{ title: '#100234', payload: '/order_status{"order_id": "100234"}' }],
  });
  const [hello] = normalizeBotMessage({ text: 'Hello! What can I do for you?' });
  store.saveTranscript(id, [status, invoice, list, hello].map((e, i) => ({ id: `e${i}`, ...e })));
  const stored = storage.everything();
  for (const detail of ['Linen Shirt', '$49.99', '$89.99', 'INV-2026', 'Hauptstr', 'Berlin', '20 Nov 2026', 'Shipped', '2 May 2026']) {
    assert.ok(!stored.includes(detail), `${detail} is stored:\n${stored}`);
  }
  const [s, inv, l, h] = store.loadTranscript(id);
  assert.equal(h.text, 'Hello! What can I do for you?', 'texts without order details are kept');
  for (const e of [s, inv]) {
    const html = entryToHtml(e);
    assert.ok(html.includes('data-testid="hidden-details"') && html.includes('Ask again'), html);
  }
  assert.ok(entryToHtml(s).includes('Talk to a person'), 'its open buttons can still be chosen');
  const listHtml = entryToHtml(l);
  assert.ok(listHtml.includes('#100234') && listHtml.includes('data-testid="order-list-item"'), listHtml);
});
