// localStorage persistence: the Rasa session id, the rendered transcript
// (Rasa does not replay history over socket.io) and the demo sign-in.
// Every access is guarded: private mode / full storage must not break chat.
//
// Shop computers are shared: a conversation left idle for IDLE_LIMIT_MS is
// forgotten (the next person starts afresh), and the stored transcript keeps
// only what a reload needs to redraw it: e-mail addresses masked, an order
// card reduced to its title and status, the recent orders to their numbers,
// no text the server marked private (an order's details: status, items,
// totals, invoices, addresses), and no postal address or order number the
// customer typed with an e-mail (keptCustomerText). The server still has the rest.

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

// What a customer typed that ties a person to a place or an order, for keptCustomerText.
// Rough on purpose: a false alarm only costs the redraw a message's words.
const ADDRESS_RES = [
  // "12 High Street", "221 Maple Street apt 3B", "400 Pike St": a house number, a name, the street's kind.
  /(?:^|[^\p{L}\p{N}])\d{1,5}[a-z]?,?\s+(?:[\p{L}'.-]+\s+){1,3}(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|terrace|crescent|parkway|highway)\b/iu,
  // "8 rue de la Paix", "20 place Bellecour", "Rue de Rivoli 10", "Calle Mayor 3",
  // "Via Torino 8, Milan" (via, plaza and the like only before a comma: "sent via DHL 3 days ago").
  /(?:^|[^\p{L}\p{N}])\d{1,4}(?:\s*(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|chemin|all[ée]e|impasse|quai|place)\s/iu,
  /(?:^|[^\p{L}])(?:rue|avenue|boulevard|chemin|all[ée]e|impasse|quai|calle|c\/|avenida|avda\.?|paseo|camino|carrer)\s+(?:[\p{L}'.-]+\s+){0,4}\d{1,4}(?![\p{N}])/iu,
  /(?:^|[^\p{L}])(?:via|viale|piazza|plaza|pla[cç]a|rua|place)\s+(?:[\p{L}'.-]+\s+){0,4}\d{1,4}[a-z]?,/iu,
  // "Hauptstraße 5", "Hauptstr. 5", "Am Lindenweg 12a".
  /\p{L}*(?:straße|strasse|str\.|weg|gasse|allee|platz|damm|ufer)\s*\d{1,4}[a-z]?(?![\p{L}\p{N}])/iu,
  // "世纪大道100号", "南京东路1號".
  /(?:路|街|道|巷|弄)\s*\d+\s*(?:号|號)/u,
  // Postcodes: "WA 98101" and "IL 60601-1234"; "NW1 6XE", "SW1A 1AA"; "M5V 1J5";
  // "10115 Berlin" or ", 1000 Brussels" (four or five digits, a capitalised town).
  /\b[A-Z]{2}\s\d{5}(?:-\d{4})?\b/,
  /\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b/,
  /\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b/,
  /(?:^\s*\d{5}|,\s*\d{4,5})\s+\p{Lu}\p{Ll}+/mu,
  // "the zip code should be 02108", "PLZ 80331", "邮编100000".
  /(?:zip\s*code|post\s*code|postal\s*code|plz|postleitzahl|code\s*postal|c[oó]digo\s*postal|邮编|郵編|郵遞區號)\D{0,40}\d{4,6}(?!\d)/iu,
];
const ORDER_NUMBER_RE = /(?<![\p{L}\p{N}])(?:ord-?|#)?\d{6}(?![\p{L}\p{N}])/giu;
export const ADDRESS_NOT_KEPT = '(address not kept)';
export const ORDER_NOT_KEPT = '(order number not kept)';

export function looksLikeAddress(text) {
  return typeof text === 'string' && ADDRESS_RES.some((re) => re.test(text));
}

// What a customer's message leaves in storage: a postal address is not kept at all, an
// order number is not kept beside an e-mail address (together they say whose order it
// is), and e-mail addresses are masked. Enough remains to redraw the conversation.
export function keptCustomerText(text) {
  if (typeof text !== 'string') return text;
  if (looksLikeAddress(text)) return ADDRESS_NOT_KEPT;
  const withEmail = new RegExp(EMAIL_RE.source).test(text);
  return withEmail ? maskEmails(text).replace(ORDER_NUMBER_RE, ORDER_NOT_KEPT) : text;
}

// The part of a transcript entry that a reload needs to redraw it.
export function storable(entry) {
  const kept = { id: entry.id, role: entry.role, kind: entry.kind };
  if (entry.private && entry.role === 'bot' && entry.kind === 'text' && entry.text) {
    kept.text = '';
    kept.hidden = true; // redrawn as "Ask again to see them."
  } else if (typeof entry.text === 'string') {
    kept.text = entry.role === 'user' ? keptCustomerText(entry.text) : maskEmails(entry.text);
  }
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
  for (const key of ['used', 'chosen', 'agent', 'takeover', 'messageAt', 'feedback', 'notSent']) if (entry[key] !== undefined) kept[key] = entry[key];
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
