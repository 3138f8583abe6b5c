// "Helpful" / "Not helpful" under each of the assistant's answers. The server sends an
// answer's key with it (`message_at`: its bot event's timestamp in the tracker); a click
// posts the key back with this chat's signed session id to the channel's feedback route
// (shopassist/channels/answer_feedback.py), which stores it with the turn. One choice per
// answer, which can be changed; nothing goes over the socket, so the conversation itself
// is untouched. A customer's messages, an agent's and a row of buttons without text are
// not rated.

export const MESSAGE_AT = /^\d{1,12}\.\d{1,20}$/;
export const FEEDBACK_PATH = '/webhooks/socketio/feedback';

// Feather's thumbs-up and thumbs-down outlines (MIT), drawn in the button's text colour.
const icon = (d) =>
  '<svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" stroke-width="2"' +
  ` stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false"><path d="${d}"></path></svg>`;

export const CHOICES = [
  { value: 'up', label: 'Helpful', icon: icon('M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.28a2 2 0 0 0 2-1.7l1.38-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3') },
  { value: 'down', label: 'Not helpful', icon: icon('M10 15v4a3 3 0 0 0 3 3l4-9V2H5.72a2 2 0 0 0-2 1.7l-1.38 9a2 2 0 0 0 2 2.3zm7-13h2.67A2.31 2.31 0 0 1 22 4v7a2.31 2.31 0 0 1-2.33 2H17') },
];
const VALUES = CHOICES.map((c) => c.value);

export function isChoice(value) {
  return VALUES.includes(value);
}

function isAnswer(entry) {
  const card = ['order_card', 'order_list', 'product_card'].includes(entry.kind);
  return (entry.kind === 'text' && (!!entry.text || !!entry.hidden)) || card;
}

// The bot_uttered payload's answer key goes on the last of its entries that is an answer.
export function markAnswer(entries, data) {
  const at = data && typeof data.message_at === 'string' ? data.message_at : null;
  if (!at || !MESSAGE_AT.test(at)) return entries;
  const answers = entries.filter(isAnswer);
  if (answers.length) answers[answers.length - 1].messageAt = at;
  return entries;
}

// The assistant's own answer, with the key the server gave it.
export function canRate(entry) {
  return (
    !!entry && entry.role === 'bot' && !entry.agent && !entry.takeover && isAnswer(entry) &&
    typeof entry.messageAt === 'string' && MESSAGE_AT.test(entry.messageAt)
  );
}

// The two buttons of an entry (`id`: its id, already escaped), or '' if it is not rated.
export function feedbackHtml(entry, id) {
  if (!canRate(entry)) return '';
  const chosen = isChoice(entry.feedback) ? entry.feedback : null;
  const buttons = CHOICES.map(
    (c) =>
      `<button type="button" class="sa-fb" data-testid="feedback-${c.value}" data-entry-id="${id}"` +
      ` data-value="${c.value}" aria-label="${c.label}" title="${c.label}" aria-pressed="${chosen === c.value}">` +
      `${c.icon}</button>`,
  ).join('');
  return (
    `<div class="sa-fb-row" role="group" aria-label="Was this answer helpful?" data-testid="answer-feedback"` +
    ` data-entry-id="${id}"${chosen ? ` data-value="${chosen}"` : ''}>${buttons}</div>`
  );
}

// Shows `value` (or none) as chosen in a rendered row, in place: re-rendering the message
// would take the keyboard focus away from the button just pressed.
export function showChoice(row, value) {
  if (!row) return;
  if (value) row.dataset.value = value;
  else delete row.dataset.value;
  row.querySelectorAll('button.sa-fb').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.value === value)));
}

export function feedbackUrl(socketUrl) {
  return String(socketUrl || '').replace(/\/+$/, '') + FEEDBACK_PATH;
}

// Posts one choice; rejects when the server did not store it.
export async function sendFeedback(url, sessionId, messageAt, value, fetchImpl = fetch) {
  const res = await fetchImpl(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ session_id: sessionId, message_at: messageAt, value }),
  });
  if (!res.ok) throw new Error(`feedback not stored: HTTP ${res.status}`);
  return res.json();
}
