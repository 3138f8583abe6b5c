// "Add a photo of the damage": the offer's control and the upload: `npm test`.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { entryToHtml, normalizeBotMessage } from '../src/render.js';
import { normalizePhotoUpload, notSentEntry, photoUploadHtml, photoUrl, sendPhoto, sentText } from '../src/photo-upload.js';
import { storable } from '../src/store.js';

const TEXTS = {
  button: 'Add a photo of the damage',
  skip: 'No photo',
  uploading: 'Sending your photo…',
  too_big: 'Sorry, that file is larger than 5 MB. Please choose a smaller photo.',
  network: 'The photo couldn’t be sent. Please check your connection and try again.',
  sent: 'Photo: {name}',
};
const OFFER = {
  rma_number: 'RMA-100235-1',
  language: 'en',
  max_bytes: 5 * 1024 * 1024,
  max_photos: 3,
  accept: 'image/jpeg,image/png,image/webp',
  texts: TEXTS,
};

test('the offer becomes an upload control with two labelled buttons', () => {
  const [entry] = normalizeBotMessage({ photo_upload: OFFER });
  assert.equal(entry.kind, 'photo_upload');
  assert.equal(entry.photoState, 'ready');
  assert.deepEqual(entry.upload, {
    rma: 'RMA-100235-1', language: 'en', maxBytes: 5242880, maxPhotos: 3,
    accept: 'image/jpeg,image/png,image/webp', texts: TEXTS,
  });
  const html = entryToHtml({ id: 'p1', ...entry });
  assert.ok(html.includes('data-testid="photo-upload"') && html.includes('data-state="ready"'));
  assert.match(html, /<button type="button" class="sa-photo-add" data-testid="photo-add" data-entry-id="p1">Add a photo of the damage<\/button>/);
  assert.match(html, /<button type="button" class="sa-photo-skip" data-testid="photo-skip" data-entry-id="p1">No photo<\/button>/);
  assert.ok(!html.includes('sa-fb'), 'a control is not an answer to rate');
});

test('an odd offer is not drawn, and its words are escaped', () => {
  for (const odd of [null, 'x', { ...OFFER, rma_number: '<b>' }, { ...OFFER, max_bytes: -1 }, { ...OFFER, texts: { ...TEXTS, skip: 5 } }]) {
    assert.equal(normalizePhotoUpload(odd), null, JSON.stringify(odd));
  }
  const sly = normalizePhotoUpload({ ...OFFER, language: 'x"y', accept: 'text/html,image/png', texts: { ...TEXTS, button: '<img src=x onerror=alert(1)>' } });
  assert.equal(sly.upload.language, 'en');
  assert.equal(sly.upload.accept, 'image/png');
  const html = photoUploadHtml(sly, 'p');
  assert.ok(!html.includes('<img') && html.includes('&lt;img src=x onerror=alert(1)&gt;'));
});

test('while sending, the buttons are disabled; a refusal is shown as an alert; closed shows none', () => {
  const entry = normalizePhotoUpload(OFFER);
  const busy = photoUploadHtml({ ...entry, photoState: 'uploading' }, 'p');
  assert.ok(busy.includes('data-testid="photo-status"') && busy.includes('Sending your photo…'));
  assert.equal((busy.match(/disabled/g) || []).length, 2);
  const refused = photoUploadHtml({ ...entry, photoError: 'Sorry, <that> is no photo.' }, 'p');
  assert.ok(refused.includes('role="alert"') && refused.includes('Sorry, &lt;that&gt; is no photo.'));
  const closed = photoUploadHtml({ ...entry, photoState: 'closed' }, 'p');
  assert.ok(!closed.includes('<button') && closed.includes('data-state="closed"'));
});

test('a reload draws the control again, usable unless it was closed', () => {
  const entry = { id: 'p', ...normalizePhotoUpload(OFFER), photoError: 'x' };
  assert.deepEqual(storable({ ...entry, photoState: 'uploading' }), {
    id: 'p', role: 'bot', kind: 'photo_upload', upload: entry.upload, photoState: 'ready',
  });
  assert.equal(storable({ ...entry, photoState: 'closed' }).photoState, 'closed');
});

test('sendPhoto posts the file itself with the session, the return and the language', async () => {
  const received = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
      const answers = [
        [200, { ok: true, photo: 7, count: 1, remaining: 2, message: 'Thank you.' }],
        [415, { error: 'not_image', message: 'Sorry, not a photo.' }],
        [500, 'oops'],
      ];
      const [status, body] = answers[received.length - 1];
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = photoUrl(`http://127.0.0.1:${server.address().port}/`);
    const upload = normalizePhotoUpload({ ...OFFER, language: 'de' }).upload;
    const file = new Blob(['fake image bytes']);
    assert.deepEqual(await sendPhoto(url, 'abc-def', upload, file), { ok: true, message: 'Thank you.', remaining: 2 });
    const [first] = received;
    assert.equal(first.url, '/webhooks/socketio/damage-photo');
    assert.equal(first.body, 'fake image bytes');
    assert.equal(first.headers['x-chat-session'], 'abc-def');
    assert.equal(first.headers['x-return'], 'RMA-100235-1');
    assert.equal(first.headers['x-chat-language'], 'de');
    assert.deepEqual(await sendPhoto(url, 'abc-def', upload, file), { ok: false, message: 'Sorry, not a photo.', code: 'not_image' });
    const broken = await sendPhoto(url, 'abc-def', upload, file);
    assert.equal(broken.ok, false);
    assert.equal(broken.message, TEXTS.network);
  } finally {
    server.close();
  }
  const upload = normalizePhotoUpload(OFFER).upload;
  const huge = { size: upload.maxBytes + 1 };
  let called = false;
  const result = await sendPhoto('http://x', 's', upload, huge, () => { called = true; });
  assert.deepEqual(result, { ok: false, message: TEXTS.too_big });
  assert.equal(called, false, 'too big: not sent');
  const offline = await sendPhoto('http://x', 's', upload, new Blob(['x']), async () => { throw new TypeError('Failed to fetch'); });
  assert.deepEqual(offline, { ok: false, message: TEXTS.network });
});

test('the customer\'s bubble names the file they sent, in their language', () => {
  const upload = normalizePhotoUpload({ ...OFFER, texts: { ...TEXTS, sent: '照片：{name}' } }).upload;
  assert.equal(sentText(upload, 'broken-mug.jpg'), '照片：broken-mug.jpg');
  assert.equal(sentText(upload, '$&.png'), '照片：$&.png'); // no replacement patterns
});

test('a refused file\'s bubble says, in the customer\'s language, that the photo was not sent', () => {
  const upload = normalizePhotoUpload({ ...OFFER, texts: { ...TEXTS, not_sent: 'Foto nicht gesendet: {name}' } }).upload;
  const bubble = { id: 'u7', role: 'user', kind: 'text', text: sentText(upload, 'mug.gif') };
  assert.equal(entryToHtml(bubble).includes('sa-not-sent'), false, 'sent until refused');
  notSentEntry(bubble, upload, 'mug.gif');
  assert.equal(bubble.text, 'Foto nicht gesendet: mug.gif');
  assert.equal(bubble.notSent, true);
  const html = entryToHtml(bubble);
  // In words, not only in style: the text is what a screen reader reads.
  assert.match(html, /^<div class="sa-msg sa-user sa-not-sent" data-sent="false" data-testid="msg-user" data-entry-id="u7">/);
  assert.ok(html.includes('>Foto nicht gesendet: mug.gif</div>') && !html.includes('Photo: '), html);
  // A reload draws it the same way.
  const kept = storable(bubble);
  assert.equal(kept.notSent, true);
  assert.equal(entryToHtml(kept), html);
  // File names are text.
  assert.ok(entryToHtml(notSentEntry({ id: 'u8', role: 'user', kind: 'text' }, upload, '<img src=x>.png')).includes('&lt;img src=x&gt;.png'));
});

test('an offer without the not-sent words (sent before they existed) still marks a refused photo', () => {
  const upload = normalizePhotoUpload(OFFER).upload;
  assert.equal(upload.texts.not_sent, undefined);
  assert.equal(notSentEntry({ id: 'u', role: 'user', kind: 'text' }, upload, 'a.gif').text, 'Photo not sent: a.gif');
  for (const odd of ['', '   ', 7, 'x'.repeat(401)]) {
    assert.equal(normalizePhotoUpload({ ...OFFER, texts: { ...TEXTS, not_sent: odd } }), null, String(odd));
  }
});
