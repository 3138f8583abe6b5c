// "Add a photo of the damage": the upload control the assistant offers once a
// return of damaged goods is authorized (a custom message `photo_upload`, sent
// by actions/damage_photos.py with its words in the conversation's language).
// The chosen file goes, as it is, in the body of a POST to the channel's
// damage-photo route with this chat's signed session id; the server checks
// everything (size while reading, type by content, whose return it is) and
// sends the assistant's thanks into the conversation over the socket. Here,
// a file over the size limit is refused before it is sent, and a refusal's
// message (from the server, in the customer's language) is shown under the
// buttons. Optional: "No photo" closes the control.

import { escapeHtml } from './render.js';

export const PHOTO_PATH = '/webhooks/socketio/damage-photo';
const RMA = /^RMA-\d{1,12}-\d{1,4}$/;
const LANGUAGE = /^[a-z]{2}$/;
const TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const TEXTS = ['button', 'skip', 'uploading', 'too_big', 'network', 'sent'];
// An offer drawn before the server sent this one keeps the widget's own words.
const OPTIONAL_TEXTS = { not_sent: 'Photo not sent: {name}' };
const MAX_TEXT = 400;

// The offer in a bot_uttered payload, as a transcript entry; null if odd.
export function normalizePhotoUpload(offer) {
  if (!offer || typeof offer !== 'object') return null;
  const { rma_number: rma, language, max_bytes: maxBytes, max_photos: maxPhotos } = offer;
  if (typeof rma !== 'string' || !RMA.test(rma)) return null;
  if (!Number.isInteger(maxBytes) || maxBytes <= 0 || !Number.isInteger(maxPhotos) || maxPhotos <= 0) return null;
  const given = offer.texts && typeof offer.texts === 'object' ? offer.texts : {};
  const texts = {};
  for (const key of TEXTS) {
    if (typeof given[key] !== 'string' || !given[key].trim() || given[key].length > MAX_TEXT) return null;
    texts[key] = given[key];
  }
  for (const key of Object.keys(OPTIONAL_TEXTS)) {
    const text = given[key];
    if (text === undefined) continue;
    if (typeof text !== 'string' || !text.trim() || text.length > MAX_TEXT) return null;
    texts[key] = text;
  }
  const accept = String(offer.accept || '').split(',').filter((t) => TYPES.includes(t));
  return {
    role: 'bot',
    kind: 'photo_upload',
    upload: {
      rma,
      language: typeof language === 'string' && LANGUAGE.test(language) ? language : 'en',
      maxBytes,
      maxPhotos,
      accept: (accept.length ? accept : TYPES).join(','),
      texts,
    },
    photoState: 'ready', // ready | uploading | closed
  };
}

// The control of an entry (`id`: its id, already escaped).
export function photoUploadHtml(entry, id) {
  const upload = entry.upload && typeof entry.upload === 'object' ? entry.upload : null;
  if (!upload || !upload.texts) return '';
  const state = ['ready', 'uploading', 'closed'].includes(entry.photoState) ? entry.photoState : 'closed';
  const busy = state === 'uploading';
  const off = state === 'closed' || busy ? ' disabled' : '';
  const buttons =
    state === 'closed'
      ? ''
      : `<div class="sa-photo-actions">` +
        `<button type="button" class="sa-photo-add" data-testid="photo-add" data-entry-id="${id}"${off}>` +
        `${escapeHtml(upload.texts.button)}</button>` +
        `<button type="button" class="sa-photo-skip" data-testid="photo-skip" data-entry-id="${id}"${off}>` +
        `${escapeHtml(upload.texts.skip)}</button></div>`;
  let note = '';
  if (busy) note = `<p class="sa-photo-note" data-testid="photo-status" role="status">${escapeHtml(upload.texts.uploading)}</p>`;
  else if (typeof entry.photoError === 'string' && entry.photoError) {
    note = `<p class="sa-photo-note sa-photo-error" data-testid="photo-error" role="alert">${escapeHtml(entry.photoError)}</p>`;
  }
  return `<div class="sa-photo" data-testid="photo-upload" data-state="${state}">${buttons}${note}</div>`;
}

function named(template, fileName) {
  const name = String(fileName || '').slice(0, 120);
  return template.includes('{name}') ? template.replace('{name}', () => name) : name;
}

// The customer's own bubble for a file they sent ("Photo: broken-mug.jpg").
export function sentText(upload, fileName) {
  return named(upload.texts.sent, fileName);
}

// The same bubble once the server refused the file: it says, in words (read out as
// they are), that the photo was not sent; the reason is shown under the buttons.
export function notSentEntry(userEntry, upload, fileName) {
  const template = typeof upload.texts.not_sent === 'string' ? upload.texts.not_sent : OPTIONAL_TEXTS.not_sent;
  return Object.assign(userEntry, { text: named(template, fileName), notSent: true });
}

export function photoUrl(socketUrl) {
  return String(socketUrl || '').replace(/\/+$/, '') + PHOTO_PATH;
}

// Sends one file; resolves to {ok, message, remaining}: never rejects, a
// failure's message is the server's, or the offer's own words.
export async function sendPhoto(url, sessionId, upload, file, fetchImpl = fetch) {
  if (!file || typeof file.size !== 'number') return { ok: false, message: upload.texts.network };
  if (file.size > upload.maxBytes) return { ok: false, message: upload.texts.too_big };
  let res;
  let body = {};
  try {
    res = await fetchImpl(url, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/octet-stream', // the server reads the content, not this
        'X-Chat-Session': sessionId,
        'X-Return': upload.rma,
        'X-Chat-Language': upload.language,
      },
      body: file,
    });
    body = await res.json();
  } catch {
    if (!res) return { ok: false, message: upload.texts.network };
  }
  const message = body && typeof body.message === 'string' && body.message.length <= 1000 ? body.message : '';
  if (!res.ok) return { ok: false, message: message || upload.texts.network, code: body && body.error };
  const remaining = Number.isInteger(body.remaining) ? body.remaining : 0;
  return { ok: true, message, remaining };
}

// Styles for deep-chat's shadow root (added to SHADOW_CSS by the widget).
export const PHOTO_CSS = `
.sa-photo { display: flex; flex-direction: column; gap: 6px; }
.sa-photo-actions { display: flex; flex-wrap: wrap; gap: 6px; }
.sa-photo-add, .sa-photo-skip {
  font: inherit; font-size: 14px; padding: 5px 12px; border-radius: 999px; cursor: pointer;
  border: 1px solid #1d5fd1; background: #ffffff; color: #1d5fd1;
}
.sa-photo-add { background: #1d5fd1; color: #ffffff; }
.sa-photo-add:hover:not(:disabled) { background: #174ea9; }
.sa-photo-skip:hover:not(:disabled) { background: #eaf1fd; }
.sa-photo-add:focus-visible, .sa-photo-skip:focus-visible { outline: 2px solid #1d5fd1; outline-offset: 2px; }
.sa-photo-add:disabled, .sa-photo-skip:disabled { cursor: default; border-color: #c9d1db; color: #5b6775; background: #f3f5f8; }
.sa-photo-note { margin: 0; font-size: 13px; color: #3e4c59; }
.sa-photo-error { color: #b42318; }
.sa-user.sa-not-sent .sa-bubble {
  background: #ffffff; color: #3e4c59; border: 1px dashed #5b6775;
}
`;
