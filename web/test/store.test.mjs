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

// A shared computer keeps no delivery address a customer typed, and no order number
// beside an e-mail address (together they say whose order it is).
const ADDRESSES = [
  'ship it to 12 Baker Street, London, NW1 6XE, UK instead',
  '221 Maple Street apt 3B, Chicago IL 60601',
  'flat 4, 27 Queen\'s Road, Manchester M1 2AB',
  'my address is 5 Elm Road, Bristol, BS1 4DJ, UK',
  '300 King Street West, Toronto, ON M5V 1J5, Canada',
  'ship to 400 Pike Street, Seattle, WA 98101, USA please',
  'Neue Lieferadresse für #100199: Hauptstraße 5, 10115 Berlin, Deutschland',
  'Leopoldstrasse 8, 80802 München',
  'bitte an Hauptstr. 5 schicken',
  '8 rue de la Paix, 75002 Paris, France',
  'deliver it to Rue de Rivoli 10, 75001 Paris, France',
  'nouvelle adresse : 20 place Bellecour, 69002 Lyon',
  'envíen el 100092 a Calle de Alcalá 45, 28014 Madrid, España',
  'mándalo a mi trabajo, Carrer de Mallorca 200, Barcelona',
  'new address: Via Torino 8, Milan, Italy',
  '10115 Berlin',
  'the zip code on my order is wrong, it should be 02108',
  '请寄到上海市浦东新区世纪大道100号',
  '新地址：12 High Street, London, SW1A 1AA, GB',
];
const NOT_ADDRESSES = [
  'where is my order 100234?',
  'I want to return 2 pairs of jeans',
  'my 2 parcels are on the way',
  'I ordered 2 road bikes',
  'can I place 2 orders at once?',
  'it was sent via DHL 3 days ago',
  'I paid 1000 Euros for it',
  'the zip on my Down Jacket broke after 3 months',
  'The Zip Hoodie from #100150 fits oddly',
  'wrong delivery address on #100256',
  'the jacket in size M, colour black',
  '单号100412，麻烦给下物流信息',
];

test('a customer message that looks like a postal address is not kept', () => {
  for (const text of ADDRESSES) {
    assert.equal(store.looksLikeAddress(text), true, text);
    assert.equal(store.keptCustomerText(text), '(address not kept)', text);
  }
});

test('ordinary messages, order numbers and sizes included, are kept as typed', () => {
  for (const text of NOT_ADDRESSES) {
    assert.equal(store.looksLikeAddress(text), false, text);
    assert.equal(store.keptCustomerText(text), text, text);
  }
});

test('an order number beside an e-mail address is not kept, the rest of the message is', () => {
  assert.equal(
    store.keptCustomerText('checking on the return for #100055, email b.schneider@example.de'),
    'checking on the return for (order number not kept), email b…@example.de',
  );
  assert.equal(
    store.keptCustomerText('order ORD-100119 got lost, my email is g.romano@example.it'),
    'order (order number not kept) got lost, my email is g…@example.it',
  );
  assert.equal(store.keptCustomerText('100399 with email yvonne.b@example.org'), '(order number not kept) with email y…@example.org');
  // Either one alone says little: an e-mail is masked, an order number stays.
  assert.equal(store.keptCustomerText(`my e-mail is ${ANNA}`), 'my e-mail is a…@example.com');
  assert.equal(store.keptCustomerText('where is 100234'), 'where is 100234');
  // What is kept is kept again unchanged (the transcript is saved after every message).
  for (const text of [...ADDRESSES, ...NOT_ADDRESSES, `order 100234 for ${ANNA}`]) {
    const once = store.keptCustomerText(text);
    assert.equal(store.keptCustomerText(once), once, text);
  }
});

test('the stored transcript keeps no typed address or order-and-e-mail; the assistant\'s texts are not cut', () => {
  const storage = fresh();
  const id = store.newSessionId();
  const [reply] = normalizeBotMessage({ text: 'Which address should it go to? I can send it to 12 Baker Street.' });
  store.saveTranscript(id, [
    { id: 'u1', role: 'user', kind: 'text', text: 'ship it to 12 Baker Street, London, NW1 6XE, UK instead' },
    { id: 'u2', role: 'user', kind: 'text', text: `it's order 100234, ${ANNA}` },
    { id: 'b1', ...reply },
  ]);
  const stored = storage.everything();
  for (const detail of ['Baker Street', 'NW1 6XE', 'London', '100234', 'anna.becker']) {
    assert.ok(!stored.slice(0, stored.indexOf('Which address')).includes(detail), `${detail} is stored:\n${stored}`);
  }
  const [address, order, bot] = store.loadTranscript(id);
  assert.equal(address.text, '(address not kept)');
  assert.equal(order.text, "it's order (order number not kept), a…@example.com");
  assert.equal(bot.text, reply.text, 'the assistant\'s words are its own (private ones are marked so)');
  const html = entryToHtml(address);
  assert.ok(html.includes('data-testid="msg-user"') && html.includes('(address not kept)'), html);
});
