// The chat's language menu (src/language-menu.js): what it shows, what the widget sends
// with each message before and after a pick, and that a pick is kept (src/store.js) but
// forgotten with an idle conversation on a shared computer.
import test from 'node:test';
import assert from 'node:assert/strict';

class MemoryStorage {
  constructor() { this.items = new Map(); }
  get length() { return this.items.size; }
  key(i) { return [...this.items.keys()][i] ?? null; }
  getItem(k) { return this.items.has(k) ? this.items.get(k) : null; }
  setItem(k, v) { this.items.set(k, String(v)); }
  removeItem(k) { this.items.delete(k); }
}

globalThis.window = { localStorage: new MemoryStorage(), crypto: globalThis.crypto };
const store = await import('../src/store.js');
const { LANGUAGES, buildLanguageMenu, languageMetadata, served, shownLanguage } = await import('../src/language-menu.js');

test('the menu offers the five served languages, each named in itself', () => {
  assert.deepEqual(LANGUAGES.map((l) => l.code), ['en', 'de', 'fr', 'es', 'zh']);
  assert.deepEqual(LANGUAGES.map((l) => l.name), ['English', 'Deutsch', 'Français', 'Español', '中文']);
});

test('codes are read as the server reads them', () => {
  assert.equal(served('de-AT'), 'de');
  assert.equal(served('zh_CN'), 'zh');
  assert.equal(served('ZH-Hans'), 'zh');
  assert.equal(served('ja'), null);
  assert.equal(served(''), null);
  assert.equal(served({ x: 1 }), null);
});

test('it shows the pick, else the page language, else English', () => {
  assert.equal(shownLanguage(null, 'fr-CA'), 'fr');
  assert.equal(shownLanguage('de', 'fr'), 'de');
  assert.equal(shownLanguage(null, 'ja'), 'en');
  assert.equal(shownLanguage(null, ''), 'en');
});

test('before a pick the page language goes as it is; after, the pick, marked as chosen', () => {
  assert.deepEqual(languageMetadata(null, ' en-GB '), { language: 'en-GB' });
  assert.deepEqual(languageMetadata(null, ''), {});
  assert.deepEqual(languageMetadata('de', 'en'), { language: 'de', language_chosen: true });
  assert.deepEqual(languageMetadata('ja', 'en'), { language: 'en' }); // never a code not served
});

test('a pick is kept across reloads and forgotten with an idle conversation', () => {
  assert.equal(store.loadLanguage(), null);
  store.saveLanguage('es');
  assert.equal(store.loadLanguage(), 'es');
  window.localStorage.setItem('shopassist.language', JSON.stringify('<b>'));
  assert.equal(store.loadLanguage(), null); // only a served code is read back
  store.saveLanguage('zh');
  store.touch(0);
  assert.equal(store.expireIdle(store.IDLE_LIMIT_MS + 1), true);
  assert.equal(store.loadLanguage(), null);
});

test('the menu is a labelled select whose options carry their language', () => {
  // The few DOM calls the menu makes, enough to check what it builds.
  class Node {
    constructor(tag) { this.tag = tag; this.children = []; this.attributes = {}; this.listeners = {}; }
    setAttribute(k, v) { this.attributes[k] = v; }
    appendChild(c) { this.children.push(c); }
    addEventListener(name, fn) { this.listeners[name] = fn; }
  }
  const doc = { createElement: (tag) => new Node(tag) };
  const picked = [];
  const menu = buildLanguageMenu(doc, 'fr', (code) => picked.push(code));
  assert.equal(menu.tag, 'select');
  assert.equal(menu.attributes['aria-label'], 'Chat language');
  assert.deepEqual(menu.children.map((o) => [o.value, o.lang, o.textContent]), LANGUAGES.map((l) => [l.code, l.code, l.name]));
  assert.deepEqual(menu.children.filter((o) => o.selected).map((o) => o.value), ['fr']);
  menu.value = 'zh';
  menu.listeners.change();
  assert.deepEqual(picked, ['zh']);
});
