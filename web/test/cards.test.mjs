// Cards that take a text's place in the web chat (src/render.js): an order, the recent
// orders, a product. The server sends the text with its card; the chat draws the card.
import test from 'node:test';
import assert from 'node:assert/strict';
import { entryToHtml, entryToSpeech, normalizeBotMessage } from '../src/render.js';

const STATUS_TEXT = 'Order #100234, placed on 20 Nov 2026, is shipped. Carrier: UPS, tracking number 1Z123.';

test('an order that comes as text and card is shown once, as the card, with its tracking link', () => {
  const entries = normalizeBotMessage({
    text: STATUS_TEXT,
    order_card: {
      title: 'Order #100234',
      status: 'Shipped',
      rows: [['Carrier', 'UPS'], ['Tracking', '1Z123', 'https://www.ups.com/track?tracknum=1Z123']],
      items: ['1 × Headphones'],
      note: 'It is late: it was due on 25 Nov 2026.',
    },
    quick_replies: [{ title: 'Talk to a person', payload: '/human_handoff' }],
    message_at: '1764000000.123',
  });
  assert.equal(entries.length, 1);
  const [card] = entries;
  assert.equal(card.kind, 'order_card');
  assert.equal(card.messageAt, '1764000000.123', 'the card is the answer that gets the thumbs');
  const html = entryToHtml({ id: 'c', ...card });
  assert.ok(!html.includes('placed on'), 'the paragraph is not drawn');
  assert.ok(
    html.includes('<a href="https://www.ups.com/track?tracknum=1Z123" target="_blank" rel="noopener noreferrer" data-testid="card-link">1Z123</a>'),
    html,
  );
  assert.ok(html.includes('It is late') && html.includes('Talk to a person') && html.includes('feedback-up'), html);
  assert.ok(entryToSpeech(card).includes('Tracking: 1Z123'));
});

test('a card row link must be https: anything else is shown as plain text', () => {
  for (const link of ['javascript:alert(1)', 'http://carrier.example/1Z', '/track/1Z', 'data:text/html,x', 'https://x.example/"onmouseover="alert(1)']) {
    const [card] = normalizeBotMessage({ order_card: { title: 'Order', rows: [['Tracking', '1Z', link]] } });
    const html = entryToHtml({ id: 'c', ...card });
    assert.ok(!html.includes('card-link') && !html.includes('onmouseover="'), `${link}: ${html}`);
  }
});

test('the recent orders are a compact list, each order a button with number, date, status and total', () => {
  const [entry] = normalizeBotMessage({
    text: 'Your most recent orders:\n#100234 from 20 Nov 2026: shipped, $89.99 (1 × Headphones)',
    order_list: {
      intro: 'Your most recent orders:',
      prompt: 'Which one would you like to look at?',
      orders: [
        { number: '#100234', placed_on: '20 Nov 2026', status: 'Shipped', total: '$89.99' },
        { number: '#<b>1</b>', placed_on: '21 Nov 2026', status: 'Paid', total: '$9.99' },
      ],
    },
    quick_replies: [
      { title: '#100234', payload: '/order_status{"order_id": "100234"}' },
      { title: '#1', payload: '/order_status{"order_id": "1"}' },
    ],
  });
  assert.equal(entry.kind, 'order_list');
  const html = entryToHtml({ id: 'l', ...entry });
  assert.equal((html.match(/data-testid="order-list-item"/g) || []).length, 2);
  for (const part of ['#100234', '20 Nov 2026', 'Shipped', '$89.99', 'data-index="1"']) assert.ok(html.includes(part), part);
  assert.ok(html.includes('&lt;b&gt;') && !html.includes('<b>'), 'escaped');
  assert.ok(!html.includes('/order_status'), 'payloads are not drawn');
  const used = entryToHtml({ id: 'l', ...entry, used: true, chosen: 0 });
  assert.ok(used.includes('sa-qr-chosen') && used.includes('disabled'));
});

test('a list whose orders and buttons do not match is shown as its text', () => {
  const [entry] = normalizeBotMessage({
    text: 'Your most recent orders: #100234',
    order_list: { orders: [{ number: '#100234' }] },
    quick_replies: [],
  });
  assert.equal(entry.kind, 'text');
});

test('a product answer is a card with its picture, price, stock and what to decide on', () => {
  const [entry] = normalizeBotMessage({
    text: 'Sonora Wireless Over-Ear Headphones costs $99.00 and is in stock. Connection: wireless.',
    product_card: {
      name: 'Sonora Wireless Over-Ear Headphones',
      price: '$99.00',
      in_stock: true,
      stock: 'In stock',
      rows: [['Connection', 'wireless'], ['Colours', 'black, navy']],
      picture: '/static/shop/img/headphones.svg',
    },
  });
  assert.equal(entry.kind, 'product_card');
  const html = entryToHtml({ id: 'p', ...entry });
  for (const part of ['src="/static/shop/img/headphones.svg"', '$99.00', 'In stock', 'Connection', 'wireless', 'black, navy']) {
    assert.ok(html.includes(part), `${part}: ${html}`);
  }
  for (const picture of ['https://evil.example/x.svg', 'javascript:alert(1)', '//evil.example/x.svg']) {
    const [odd] = normalizeBotMessage({ product_card: { name: 'X', picture } });
    assert.ok(!entryToHtml({ id: 'p', ...odd }).includes('<img'), picture);
  }
});
