// A reply shown while it is written (src/drafts.js), on a fake deep-chat.
import test from 'node:test';
import assert from 'node:assert/strict';
import { DraftBook, placeReply, showDraft, REMOVED_HTML } from '../src/drafts.js';

const ID = '0123456789abcdef0123456789abcdef';

function fakeChat() {
  const messages = [];
  return {
    messages,
    getMessages: () => messages.map((m) => ({ ...m })),
    addMessage: (m) => messages.push({ ...m }),
    updateMessage: (body, index) => Object.assign(messages[index], body),
  };
}

test('a draft grows in one bubble, then the checked reply takes its place', () => {
  const chat = fakeChat();
  const book = new DraftBook();
  chat.addMessage({ role: 'user', html: '<div>how long for returns?</div>' });
  assert.equal(showDraft(chat, book, { stream_id: ID, text: 'You have' }), true);
  assert.equal(showDraft(chat, book, { stream_id: ID, text: 'You have 30 days' }), false);
  assert.equal(chat.messages.length, 2);
  assert.match(chat.messages[1].html, /data-testid="msg-draft"/);
  assert.match(chat.messages[1].html, /You have 30 days</);
  placeReply(chat, book, { text: 'You have 30 days.', stream_id: ID }, ['<div>You have 30 days.</div>', '<div>buttons</div>']);
  assert.deepEqual(chat.messages.map((m) => m.html), [
    '<div>how long for returns?</div>',
    '<div>You have 30 days.</div>',
    '<div>buttons</div>',
  ]);
  // A draft posted late, after its reply, does not come back.
  assert.equal(showDraft(chat, book, { stream_id: ID, text: 'You have 30 days from' }), false);
  assert.equal(chat.messages.length, 3);
});

test('a refused draft is replaced by the template text, so its words disappear', () => {
  const chat = fakeChat();
  const book = new DraftBook();
  showDraft(chat, book, { stream_id: ID, text: 'You have 90 days' });
  placeReply(chat, book, { text: 'Items can be returned within 30 days.', stream_id: ID }, ['<div>Items can be returned within 30 days.</div>']);
  assert.equal(chat.messages.length, 1);
  assert.doesNotMatch(chat.messages[0].html, /90 days/);
});

test('a discarded draft, or one whose reply shows nothing, is removed', () => {
  const chat = fakeChat();
  const book = new DraftBook();
  showDraft(chat, book, { stream_id: ID, text: 'Draft' });
  showDraft(chat, book, { stream_id: ID, discard: true });
  assert.equal(chat.messages[0].html, REMOVED_HTML);
  assert.equal(showDraft(chat, book, { stream_id: ID, text: 'again' }), false);

  const other = 'f'.repeat(32);
  showDraft(chat, book, { stream_id: other, text: 'Draft' });
  placeReply(chat, book, { stream_id: other }, []);
  assert.equal(chat.messages[1].html, REMOVED_HTML);
});

test('a reply without a stream_id, or naming no draft, is appended as before', () => {
  const chat = fakeChat();
  const book = new DraftBook();
  showDraft(chat, book, { stream_id: ID, text: 'Draft' });
  placeReply(chat, book, { text: 'Hi' }, ['<div>Hi</div>']);
  placeReply(chat, book, { text: 'Hi', stream_id: 'a'.repeat(32) }, ['<div>Hi</div>']);
  assert.equal(chat.messages.length, 3);
  assert.match(chat.messages[0].html, /msg-draft/);
});

test('draft text is shown as text: no markup, no made-up ids', () => {
  const chat = fakeChat();
  const book = new DraftBook();
  showDraft(chat, book, { stream_id: ID, text: '<img src=x onerror=alert(1)> & <a href="javascript:x">y</a>' });
  const html = chat.messages[0].html;
  assert.doesNotMatch(html, /<img|<a /);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt; &amp; &lt;a href=/);
  for (const bad of [{ stream_id: '"><script>', text: 'x' }, { stream_id: ID }, { stream_id: ID, text: 5 }, null, 'x']) {
    assert.equal(showDraft(chat, new DraftBook(), bad), false);
  }
  assert.equal(chat.messages.length, 1);
});
