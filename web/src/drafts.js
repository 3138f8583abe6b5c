// The draft of a reply still being written (shopassist/generation/drafts.py): the server
// sends `bot_draft` {stream_id, text} (the text so far) or {stream_id, discard: true}, and
// the checked reply arrives as a usual bot message carrying the same `stream_id`, which
// takes the draft's place. Drafts are shown as plain text (escaped, no links, no markup),
// never stored in the transcript, and a draft for a reply that has arrived is ignored
// (a late post must not bring it back).
import { escapeHtml } from './render.js';

const STREAM_ID = /^[0-9a-f]{32}$/;
export const MAX_DRAFT_CHARS = 2000;

export function draftHtml(streamId, text) {
  return (
    `<div class="sa-msg sa-bot sa-text sa-draft" data-testid="msg-draft" data-stream-id="${escapeHtml(streamId)}" aria-busy="true">` +
    `<div class="sa-bubble sa-text">${escapeHtml(text)}</div></div>`
  );
}

export const REMOVED_HTML = '<div class="sa-draft-removed" hidden></div>';

export function streamIdOf(data) {
  const id = data && typeof data === 'object' ? data.stream_id : null;
  return typeof id === 'string' && STREAM_ID.test(id) ? id : null;
}

// Decides what the chat does with drafts; the widget applies the operations.
export class DraftBook {
  constructor() {
    this.shown = new Set(); // drafts in the chat
    this.finished = new Set(); // replies that arrived or drafts discarded
  }

  // bot_draft -> {op: 'add'|'update'|'remove', id, html} or null (ignore it)
  draft(data) {
    const id = streamIdOf(data);
    if (!id || this.finished.has(id)) return null;
    if (data.discard === true) {
      this.finished.add(id);
      if (!this.shown.delete(id)) return null;
      return { op: 'remove', id, html: REMOVED_HTML };
    }
    if (typeof data.text !== 'string' || !data.text.trim()) return null;
    const html = draftHtml(id, data.text.slice(0, MAX_DRAFT_CHARS));
    if (this.shown.has(id)) return { op: 'update', id, html };
    this.shown.add(id);
    return { op: 'add', id, html };
  }

  // A bot message arrived: the draft it replaces (its id), or null (append as usual).
  final(data) {
    const id = streamIdOf(data);
    if (!id) return null;
    this.finished.add(id);
    return this.shown.delete(id) ? id : null;
  }

  clear() {
    this.shown.clear();
  }
}

export function draftMarker(id) {
  return `data-stream-id="${id}"`;
}

// Index of the chat message holding the draft `id`, or -1 (chat: deep-chat's element).
export function draftIndex(chat, id) {
  const marker = draftMarker(id);
  const messages = chat.getMessages();
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    if (typeof messages[i].html === 'string' && messages[i].html.includes(marker)) return i;
  }
  return -1;
}

// Shows a bot_draft in the chat; true if it added a bubble.
export function showDraft(chat, book, data) {
  const step = book.draft(data);
  if (!step) return false;
  if (step.op === 'add') {
    chat.addMessage({ role: 'ai', html: step.html });
    return true;
  }
  const index = draftIndex(chat, step.id);
  if (index >= 0) chat.updateMessage({ html: step.html }, index);
  return false;
}

// Puts a bot message's bubbles (htmls) in the chat: the first in its draft's place, if it
// replaces one, the rest after it; a reply with nothing to show removes its draft.
export function placeReply(chat, book, data, htmls) {
  const replaces = book.final(data);
  let at = replaces ? draftIndex(chat, replaces) : -1;
  if (!htmls.length && at >= 0) chat.updateMessage({ html: REMOVED_HTML }, at);
  for (const html of htmls) {
    if (at >= 0) chat.updateMessage({ html }, at);
    else chat.addMessage({ role: 'ai', html });
    at = -1;
  }
}
