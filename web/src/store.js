// localStorage persistence: the Rasa session id, the rendered transcript
// (Rasa does not replay history over socket.io) and the demo sign-in.
// Every access is guarded: private mode / full storage must not break chat.

const PREFIX = 'shopassist.';
export const MAX_TRANSCRIPT = 100;

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
  write('transcript.' + sessionId, entries.slice(-MAX_TRANSCRIPT));
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
