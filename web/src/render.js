// Pure helpers: turn Rasa socket.io payloads into transcript entries and
// transcript entries into HTML strings for deep-chat's `html` messages.
//
// SECURITY: every string that comes from the server or the customer goes
// through escapeHtml() (or safeUrl() for URLs) before it is put into an HTML
// string; the assistant's and agents' text goes through markdownToHtml()
// (src/markdown.js: Markdown without raw HTML, links checked). Nothing here ever passes raw server/user text into markup, and we
// never use deep-chat's `text` messages for such text, because deep-chat
// renders `text` as Markdown with link validation switched off (a
// `[x](javascript:...)` link would survive).

import { feedbackHtml, markAnswer } from './feedback.js';
import { markdownToHtml } from './markdown.js';
import { normalizePhotoUpload, photoUploadHtml } from './photo-upload.js';

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"'`]/g, (ch) => ESCAPES[ch]);
}

// Only absolute http(s) URLs, same-origin paths ("/...", not "//...") and
// inline raster images are allowed as link/image targets.
export function safeUrl(value, { allowDataImage = false } = {}) {
  if (typeof value !== 'string') return null;
  const url = value.trim();
  if (/^https?:\/\/[^\s"'<>`]+$/i.test(url)) return url;
  if (/^\/(?!\/)[^\s"'<>`]*$/.test(url)) return url;
  if (allowDataImage && /^data:image\/(png|jpe?g|gif|webp);base64,[a-z0-9+/=]+$/i.test(url)) return url;
  return null;
}

const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING_PUNCT = /[.,;:!?)\]}]+$/;

// Split text into [{type:'text'|'url', value}] so URLs can become links.
export function tokenize(text) {
  const out = [];
  const src = String(text ?? '');
  let last = 0;
  for (const match of src.matchAll(URL_RE)) {
    let url = match[0];
    const trail = url.match(TRAILING_PUNCT);
    if (trail) url = url.slice(0, -trail[0].length);
    if (!url || /^https?:\/\/$/i.test(url)) continue;
    if (match.index > last) out.push({ type: 'text', value: src.slice(last, match.index) });
    out.push({ type: 'url', value: url });
    last = match.index + url.length;
  }
  if (last < src.length) out.push({ type: 'text', value: src.slice(last) });
  return out;
}

// Plain text -> escaped HTML with http(s) URLs as links. Newlines are kept
// and shown by `white-space: pre-wrap` on .sa-text.
export function textToHtml(text) {
  return tokenize(text)
    .map((tok) => {
      if (tok.type === 'url') {
        const href = escapeHtml(tok.value);
        return `<a href="${href}" target="_blank" rel="noopener noreferrer nofollow">${href}</a>`;
      }
      return escapeHtml(tok.value);
    })
    .join('');
}

function asText(value) {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function normalizeQuickReplies(list) {
  if (!Array.isArray(list)) return [];
  return list
    .map((qr) => {
      if (!qr || typeof qr !== 'object') return null;
      const title = asText(qr.title);
      const payload = asText(qr.payload) ?? title;
      if (!title || !payload) return null;
      return { title, payload };
    })
    .filter(Boolean)
    .slice(0, 12);
}

// [label, value] rows; a third value is a link the server built (an order's
// tracking page), kept only if it is an https URL.
function normalizeRows(list) {
  if (!Array.isArray(list)) return [];
  return list
    .filter((r) => Array.isArray(r) && r.length >= 2 && asText(r[0]) !== null && asText(r[1]) !== null)
    .map((r) => {
      const link = typeof r[2] === 'string' && /^https:\/\//i.test(r[2]) ? safeUrl(r[2]) : null;
      return link ? [asText(r[0]), asText(r[1]), link] : [asText(r[0]), asText(r[1])];
    })
    .slice(0, 20);
}

function normalizeOrderCard(card) {
  if (!card || typeof card !== 'object') return null;
  const rows = normalizeRows(card.rows);
  const items = Array.isArray(card.items) ? card.items.map(asText).filter((s) => s !== null).slice(0, 30) : [];
  const title = asText(card.title) ?? 'Order';
  const status = asText(card.status);
  const out = { title, status, rows, items };
  const note = asText(card.note);
  if (note) out.note = note;
  return out;
}

// The customer's recent orders: one row per order, each the button of the same
// index among the message's quick replies (which carry the payloads).
function normalizeOrderList(list, quickReplies) {
  if (!list || typeof list !== 'object' || !Array.isArray(list.orders)) return null;
  const orders = list.orders
    .filter((o) => o && typeof o === 'object' && asText(o.number) !== null)
    .map((o) => ({
      number: asText(o.number),
      placedOn: asText(o.placed_on) ?? '',
      status: asText(o.status) ?? '',
      total: asText(o.total) ?? '',
    }))
    .slice(0, 12);
  if (!orders.length || orders.length !== quickReplies.length) return null;
  return { intro: asText(list.intro) ?? '', prompt: asText(list.prompt) ?? '', orders };
}

// One product: its facts as rows and its picture (a path on this site).
function normalizeProductCard(card) {
  if (!card || typeof card !== 'object' || asText(card.name) === null) return null;
  const picture = typeof card.picture === 'string' && card.picture.startsWith('/') ? safeUrl(card.picture) : null;
  const out = {
    name: asText(card.name),
    price: asText(card.price) ?? '',
    stock: asText(card.stock) ?? '',
    inStock: card.in_stock === true,
    rows: normalizeRows(card.rows),
  };
  if (picture) out.picture = picture;
  return out;
}

// An agent who took the conversation over, as the server describes them
// (`speaker`: the name and avatar they chose in the console). Anything odd
// falls back to "Customer service" with initials: an agent is never shown
// as the assistant, and nothing from here reaches markup unescaped.
export const DEFAULT_AGENT_NAME = 'Customer service';
export const AVATAR_PATH = '/static/avatars/';
const DEFAULT_COLOUR = '#475569';

export function initialsOf(name) {
  const letters = String(name ?? '')
    .replace(/-/g, ' ')
    .split(/\s+/)
    .filter((w) => w && /\p{L}/u.test(w[0]))
    .map((w) => w[0]);
  return letters.slice(0, 2).join('').toUpperCase() || '?';
}

export function normalizeSpeaker(speaker) {
  if (!speaker || typeof speaker !== 'object' || speaker.role !== 'agent') return null;
  const raw = typeof speaker.name === 'string' ? speaker.name.trim() : '';
  const name = raw && raw.length <= 40 ? raw : DEFAULT_AGENT_NAME;
  const a = speaker.avatar && typeof speaker.avatar === 'object' ? speaker.avatar : {};
  let avatar;
  if (a.kind === 'image' && typeof a.image === 'string' && /^[a-z]{1,20}$/.test(a.image)) {
    avatar = { kind: 'image', image: a.image };
  } else {
    const initials = typeof a.initials === 'string' && a.initials.length <= 3 && a.initials.trim() ? a.initials : initialsOf(name);
    const colour = typeof a.colour === 'string' && /^#[0-9a-f]{6}$/i.test(a.colour) ? a.colour : DEFAULT_COLOUR;
    avatar = { kind: 'initials', initials, colour };
  }
  return { name, avatar };
}

// Who is in the conversation besides the customer: the agent of the latest
// takeover that has not ended, or null (the assistant).
export function currentAgent(entries) {
  let agent = null;
  for (const e of entries || []) {
    if (e.takeover === 'ended') agent = null;
    else if (e.agent) agent = e.agent;
  }
  return agent;
}

// One bot_uttered payload -> a list of transcript entries (usually one).
// Unknown shapes give [] and are logged by the caller.
export function normalizeBotMessage(data) {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return [];
  const entries = normalizeContent(data);
  const agent = normalizeSpeaker(data.speaker);
  const takeover = data.takeover === 'started' || data.takeover === 'ended' ? data.takeover : null;
  for (const entry of entries) {
    if (agent) entry.agent = agent;
    if (takeover) entry.takeover = takeover;
    if (data.private === true) entry.private = true; // order details: not stored (src/store.js)
  }
  return markAnswer(entries, data);
}

// A card that comes with a text is drawn in the text's place: the text says the
// same for REST, the shell, the console's transcript and screen readers.
function cardEntry(data, quickReplies) {
  if (data.order_card) {
    const card = normalizeOrderCard(data.order_card);
    if (card) return { role: 'bot', kind: 'order_card', card };
  }
  if (data.order_list) {
    const list = normalizeOrderList(data.order_list, quickReplies);
    if (list) return { role: 'bot', kind: 'order_list', list };
  }
  if (data.product_card) {
    const product = normalizeProductCard(data.product_card);
    if (product) return { role: 'bot', kind: 'product_card', product };
  }
  return null;
}

function normalizeContent(data) {
  const entries = [];
  const text = asText(data.text);
  const quickReplies = normalizeQuickReplies(data.quick_replies || data.buttons);
  const card = cardEntry(data, quickReplies);
  if (card) {
    if (quickReplies.length) card.quickReplies = quickReplies;
    entries.push(card);
  } else if (text !== null && text.trim() !== '') {
    const entry = { role: 'bot', kind: 'text', text };
    if (quickReplies.length) entry.quickReplies = quickReplies;
    entries.push(entry);
  } else if (quickReplies.length) {
    entries.push({ role: 'bot', kind: 'text', text: '', quickReplies });
  }
  const photo = normalizePhotoUpload(data.photo_upload); // after the offer's text
  if (photo) entries.push(photo);
  const att = data.attachment;
  if (att && typeof att === 'object' && att.type === 'image') {
    const src = safeUrl(att.payload && att.payload.src, { allowDataImage: true });
    if (src) entries.push({ role: 'bot', kind: 'image', src });
  }
  return entries;
}

function quickRepliesHtml(entry) {
  if (!entry.quickReplies || !entry.quickReplies.length) return '';
  const disabled = entry.used ? ' disabled' : '';
  const buttons = entry.quickReplies
    .map(
      (qr, i) =>
        `<button type="button" class="sa-qr${entry.chosen === i ? ' sa-qr-chosen' : ''}" data-testid="quick-reply"` +
        ` data-entry-id="${escapeHtml(entry.id)}" data-index="${i}"${disabled}>${escapeHtml(qr.title)}</button>`,
    )
    .join('');
  return `<div class="sa-qr-row${entry.used ? ' sa-qr-used' : ''}" data-testid="quick-replies">${buttons}</div>`;
}

function statusTone(status) {
  if (/cancel|refund|fail|return|lost|declin/i.test(status)) return 'bad';
  if (/ship|deliver|out for/i.test(status)) return 'good';
  return 'neutral';
}

function rowsHtml(rows) {
  const html = rows
    .map(([k, v, link]) => {
      const href = link && safeUrl(link);
      const value = href
        ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer" data-testid="card-link">${escapeHtml(v)}</a>`
        : textToHtml(v);
      return `<tr><th scope="row">${escapeHtml(k)}</th><td>${value}</td></tr>`;
    })
    .join('');
  return html ? `<table class="sa-card-rows"><tbody>${html}</tbody></table>` : '';
}

function statusHtml(status, testid) {
  return status
    ? `<span class="sa-card-status" data-testid="${testid}" data-tone="${statusTone(status)}">${escapeHtml(status)}</span>`
    : '';
}

function orderCardHtml(card) {
  const items = card.items.length
    ? `<ul class="sa-card-items">${card.items.map((it) => `<li>${escapeHtml(it)}</li>`).join('')}</ul>`
    : '';
  const note = card.note ? `<p class="sa-card-note" data-testid="order-card-note">${escapeHtml(card.note)}</p>` : '';
  // Redrawn from storage, which keeps no order details (src/store.js).
  const summary = card.summary ? '<p class="sa-card-note">Ask again to see the details.</p>' : '';
  return (
    `<div class="sa-card" data-testid="order-card">` +
    `<div class="sa-card-head"><span class="sa-card-title">${escapeHtml(card.title)}</span>${statusHtml(card.status, 'order-card-status')}</div>` +
    rowsHtml(card.rows) +
    items +
    note +
    summary +
    `</div>`
  );
}

// Each order a button (its quick reply of the same index): number, date, status, total.
function orderListHtml(entry) {
  const { list } = entry;
  const disabled = entry.used ? ' disabled' : '';
  const rows = list.orders
    .map((o, i) => {
      const details = [o.placedOn, o.total].filter(Boolean).map(escapeHtml).join(' · ');
      return (
        `<li><button type="button" class="sa-qr sa-order-row${entry.chosen === i ? ' sa-qr-chosen' : ''}" data-testid="order-list-item"` +
        ` data-entry-id="${escapeHtml(entry.id)}" data-index="${i}"${disabled}>` +
        `<span class="sa-order-number">${escapeHtml(o.number)}</span>${statusHtml(o.status, 'order-list-status')}` +
        `<span class="sa-order-details">${details}</span></button></li>`
      );
    })
    .join('');
  const intro = list.intro ? `<div class="sa-card-title">${escapeHtml(list.intro)}</div>` : '';
  const prompt = list.prompt ? `<p class="sa-card-note">${escapeHtml(list.prompt)}</p>` : '';
  return `<div class="sa-card sa-order-list" data-testid="order-list">${intro}<ul>${rows}</ul>${prompt}</div>`;
}

function productCardHtml(product) {
  const picture = product.picture ? `<img class="sa-product-picture" src="${escapeHtml(product.picture)}" alt="" data-testid="product-picture">` : '';
  const stock = product.stock
    ? `<span class="sa-card-status" data-tone="${product.inStock ? 'good' : 'bad'}">${escapeHtml(product.stock)}</span>`
    : '';
  return (
    `<div class="sa-card sa-product" data-testid="product-card">${picture}<div class="sa-product-body">` +
    `<div class="sa-card-head"><span class="sa-card-title">${escapeHtml(product.name)}</span>${stock}</div>` +
    (product.price ? `<div class="sa-product-price" data-testid="product-price">${escapeHtml(product.price)}</div>` : '') +
    rowsHtml(product.rows) +
    `</div></div>`
  );
}

// An agent's avatar: a built-in picture (by name, from AVATAR_PATH) or
// initials on a colour; both checked again here, as stored entries are
// read back from localStorage.
export function avatarHtml(avatar) {
  const a = normalizeSpeaker({ role: 'agent', name: 'x', avatar }).avatar;
  if (a.kind === 'image') {
    return `<img class="sa-avatar" data-testid="agent-avatar" src="${AVATAR_PATH}${a.image}.svg" alt="">`;
  }
  return (
    `<span class="sa-avatar sa-avatar-initials" data-testid="agent-avatar" aria-hidden="true"` +
    ` style="background-color: ${a.colour}">${escapeHtml(a.initials)}</span>`
  );
}

function agentHtml(entry, id) {
  const agent = normalizeSpeaker({ role: 'agent', ...entry.agent });
  const text = entry.kind === 'text' && entry.text ? `<div class="sa-bubble sa-md">${markdownToHtml(entry.text)}</div>` : '';
  return (
    `<div class="sa-msg sa-agent" data-testid="msg-agent" data-entry-id="${id}">` +
    avatarHtml(agent.avatar) +
    `<div class="sa-agent-body"><div class="sa-agent-name" data-testid="agent-name">${escapeHtml(agent.name)}</div>` +
    `${text}</div></div>`
  );
}

export const HIDDEN_TEXT = 'Order details are not kept on this device. Ask again to see them.';

// Transcript entry -> HTML string for a deep-chat `html` message.
export function entryToHtml(entry) {
  const id = escapeHtml(entry.id);
  if (entry.role === 'user') {
    // A photo the server refused: its bubble says so (src/photo-upload.js).
    const notSent = entry.notSent ? ' sa-not-sent" data-sent="false' : '';
    return `<div class="sa-msg sa-user${notSent}" data-testid="msg-user" data-entry-id="${id}"><div class="sa-bubble sa-text">${textToHtml(entry.text)}</div></div>`;
  }
  if (entry.role === 'notice') {
    return `<div class="sa-notice" data-testid="chat-notice" data-entry-id="${id}">${escapeHtml(entry.text)}</div>`;
  }
  if (entry.agent && entry.kind === 'text') return agentHtml(entry, id);
  let body = '';
  if (entry.kind === 'text') {
    body = entry.text ? `<div class="sa-bubble sa-md">${markdownToHtml(entry.text)}</div>` : '';
    // Redrawn from storage, which keeps no order details (src/store.js).
    if (entry.hidden) body = `<div class="sa-bubble sa-text sa-hidden" data-testid="hidden-details">${HIDDEN_TEXT}</div>`;
    body += quickRepliesHtml(entry) + feedbackHtml(entry, id);
  } else if (entry.kind === 'image') {
    const src = safeUrl(entry.src, { allowDataImage: true });
    if (!src) return null;
    body = `<div class="sa-bubble sa-image"><img src="${escapeHtml(src)}" alt="Image from ShopAssist"></div>`;
  } else if (entry.kind === 'order_card' && entry.card) {
    body = orderCardHtml(entry.card) + quickRepliesHtml(entry) + feedbackHtml(entry, id);
  } else if (entry.kind === 'order_list' && entry.list) {
    body = orderListHtml(entry) + feedbackHtml(entry, id);
  } else if (entry.kind === 'product_card' && entry.product) {
    body = productCardHtml(entry.product) + quickRepliesHtml(entry) + feedbackHtml(entry, id);
  } else if (entry.kind === 'photo_upload') {
    body = photoUploadHtml(entry, id);
  } else {
    return null;
  }
  return `<div class="sa-msg sa-bot sa-${escapeHtml(entry.kind)}" data-testid="msg-bot" data-entry-id="${id}">${body}</div>`;
}

// What a screen reader hears when an entry arrives (the chat's live region).
export function entryToSpeech(entry) {
  const who = entry.agent ? normalizeSpeaker({ role: 'agent', ...entry.agent }).name : 'ShopAssist';
  if (entry.kind === 'text') {
    const choices = (entry.quickReplies || []).map((qr) => qr.title);
    const text = [entry.text, choices.length ? `Choices: ${choices.join(', ')}.` : ''].filter(Boolean).join(' ');
    return text ? `${who}: ${text}` : '';
  }
  if (entry.kind === 'order_card') {
    const rows = entry.card.rows.map(([k, v]) => `${k}: ${v}`);
    return [`${who}: ${entry.card.title}`, entry.card.status, ...rows, entry.card.note].filter(Boolean).join('. ');
  }
  if (entry.kind === 'order_list') {
    const orders = entry.list.orders.map((o) => [o.number, o.placedOn, o.status, o.total].filter(Boolean).join(', '));
    const said = [`${who}: ${entry.list.intro}`, ...orders, entry.list.prompt].filter(Boolean);
    return said.map((s) => (/[.:!?。：？]$/.test(s) ? s : `${s}.`)).join(' ');
  }
  if (entry.kind === 'product_card') {
    const p = entry.product;
    const rows = p.rows.map(([k, v]) => `${k}: ${v}`);
    return [`${who}: ${p.name}`, p.price, p.stock, ...rows].filter(Boolean).join('. ');
  }
  if (entry.kind === 'image') return `${who} sent an image.`;
  return '';
}

export const TYPING_HTML =
  '<div class="sa-typing" data-testid="typing-indicator" aria-label="ShopAssist is typing" role="status">' +
  '<span></span><span></span><span></span></div>';
