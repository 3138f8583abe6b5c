// localStorage persistence: the Rasa session id, the rendered transcript
// (Rasa does not replay history over socket.io) and the demo sign-in.
// Every access is guarded: private mode / full storage must not break chat.
//
// Shop computers are shared: a conversation left idle for IDLE_LIMIT_MS is
// forgotten (the next person starts afresh), and the stored transcript keeps
// only what a reload needs to redraw it: e-mail addresses masked, an order
// card reduced to its title and status, the recent orders to their numbers,
// and no text the server marked private (an order's details: status, items,
// totals, invoices, addresses). The server still has the rest.

import { served } from './language-menu.js';

const PREFIX = 'shopassist.';
export const MAX_TRANSCRIPT = 100;
export const IDLE_LIMIT_MS = 30 * 60 * 1000;

function read(key) {
  try {
    const raw = window.localStorage.getItem(PREFIX + key);
    return raw === null ? null : JSON.parse(raw);
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    if (value === null || value === undefined) window.localStorage.removeItem(PREFIX + key);
    else window.localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch (err) {
    console.warn('[shopassist] could not write localStorage', err);
  }
}

export function newSessionId() {
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function loadSessionId() {
  const id = read('session_id');
  return typeof id === 'string' && /^[A-Za-z0-9_-]{8,128}$/.test(id) ? id : null;
}

export function saveSessionId(id) {
  write('session_id', id);
}

export function loadTranscript(sessionId) {
  if (!sessionId) return [];
  const list = read('transcript.' + sessionId);
  return Array.isArray(list) ? list.filter((e) => e && typeof e === 'object' && e.id && e.role) : [];
}

export function saveTranscript(sessionId, entries) {
  if (!sessionId) return;
  write('transcript.' + sessionId, entries.slice(-MAX_TRANSCRIPT).map(storable));
}

const EMAIL_RE = /([^\s@<>"'`()[\]{},;:]+)@([^\s@<>"'`()[\]{},;:]+\.[^\s@<>"'`()[\]{},;:]+)/g;

// "anna.becker@example.com" -> "a…@example.com": the conversation still
// reads right after a reload, and the address is not left on the computer.
export function maskEmails(text) {
  return typeof text === 'string' ? text.replace(EMAIL_RE, (_, local, domain) => `${local[0]}…@${domain}`) : text;
}

// The part of a transcript entry that a reload needs to redraw it.
export function storable(entry) {
  const kept = { id: entry.id, role: entry.role, kind: entry.kind };
  if (entry.private && entry.role === 'bot' && entry.kind === 'text' && entry.text) {
    kept.text = '';
    kept.hidden = true; // redrawn as "Ask again to see them."
  } else if (typeof entry.text === 'string') kept.text = maskEmails(entry.text);
  if (entry.hidden) kept.hidden = true;
  if (entry.kind === 'image') kept.src = entry.src;
  if (entry.card) kept.card = { title: entry.card.title, status: entry.card.status, rows: [], items: [], summary: true };
  if (entry.list) {
    kept.list = { intro: maskEmails(entry.list.intro), prompt: '', orders: entry.list.orders.map((o) => ({ number: o.number })) };
  }
  if (entry.product) kept.product = entry.product; // the catalog's, nobody's own
  if (Array.isArray(entry.quickReplies)) {
    // A used row is only drawn (disabled): its payloads are not needed any more.
    kept.quickReplies = entry.quickReplies.map((qr) =>
      entry.used ? { title: maskEmails(qr.title) } : { title: maskEmails(qr.title), payload: qr.payload },
    );
  }
  // messageAt and feedback: an answer's thumbs are drawn, and can be changed, after a reload.
  for (const key of ['used', 'chosen', 'agent', 'takeover', 'messageAt', 'feedback']) if (entry[key] !== undefined) kept[key] = entry[key];
  // A photo upload offer: drawn again, and still usable, after a reload.
  if (entry.kind === 'photo_upload') Object.assign(kept, { upload: entry.upload, photoState: entry.photoState === 'closed' ? 'closed' : 'ready' });
  return kept;
}

// The conversation was used just now (a message sent or received).
export function touch(now = Date.now()) {
  write('last_active', now);
}

export function isIdle(now = Date.now()) {
  const last = read('last_active');
  return typeof last !== 'number' || now - last > IDLE_LIMIT_MS;
}

// Forgets the conversation when it has been idle too long (or its age is
// unknown): its id, every stored transcript and whether the chat was open.
// True when it did.
export function expireIdle(now = Date.now()) {
  if (!isIdle(now)) return false;
  forgetConversations();
  return true;
}

export function forgetConversations() {
  try {
    const keys = [];
    for (let i = 0; i < window.localStorage.length; i += 1) keys.push(window.localStorage.key(i));
    for (const key of keys) {
      if (key && key.startsWith(PREFIX + 'transcript.')) window.localStorage.removeItem(key);
    }
  } catch (err) {
    console.warn('[shopassist] could not clear localStorage', err);
  }
  // The language picked in the menu goes too: the next person at a shared computer.
  for (const key of ['session_id', 'last_active', 'ui', 'language']) write(key, null);
}

export function clearTranscript(sessionId) {
  if (sessionId) write('transcript.' + sessionId, null);
}

// Demo customer sign-in: {token, email, name}.
export function loadCustomer() {
  const c = read('customer');
  if (!c || typeof c.token !== 'string' || typeof c.email !== 'string') return null;
  if (isExpired(c.token)) {
    write('customer', null);
    return null;
  }
  return c;
}

export function saveCustomer(customer) {
  write('customer', customer);
}

// The language picked in the chat's menu (a served code), or null.
export function loadLanguage() {
  const code = read('language');
  return served(code) === code ? code : null;
}

export function saveLanguage(code) {
  write('language', code);
}

export function loadUiState() {
  return read('ui') || {};
}

export function saveUiState(state) {
  write('ui', state);
}

// Best-effort expiry check of a JWT (the server verifies it for real).
export function isExpired(token) {
  try {
    const part = token.split('.')[1];
    if (!part) return false;
    const json = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
    return typeof json.exp === 'number' && json.exp * 1000 < Date.now();
  } catch {
    return false;
  }
}
