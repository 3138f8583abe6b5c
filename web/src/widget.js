// The ShopAssist chat panel: a launcher button, a panel with a header, a
// connection banner, a <deep-chat> web component that renders the
// conversation, and our own composer (text box + send button).
//
// Why our own composer instead of deep-chat's input: deep-chat renders typed
// text as a Markdown `text` message (links unvalidated) and its
// updateMessage() cannot turn the last message into an `html` one (the new
// element is never inserted when it has no next sibling). Owning the input
// lets every bubble be our escaped `html`, and gives light-DOM test hooks.

import 'deep-chat';
import { RasaSocket } from './rasa-socket.js';
import {
  AVATAR_PATH, currentAgent, entryToHtml, entryToSpeech, normalizeBotMessage, normalizeSpeaker, TYPING_HTML,
} from './render.js';
import * as store from './store.js';
import { SHADOW_CSS } from './shadow-css.js';
import { Typing } from './typing.js';
import { DraftBook, placeReply, showDraft } from './drafts.js';
import { canRate, feedbackUrl, isChoice, sendFeedback, showChoice } from './feedback.js';
import { notSentEntry, PHOTO_CSS, photoUrl, sendPhoto, sentText } from './photo-upload.js';
import { buildLanguageMenu, languageMetadata, shownLanguage } from './language-menu.js';

const STATUS_TEXT = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnected: 'Reconnected',
  disconnected: 'Connection lost, reconnecting…',
  unreachable: 'Can’t reach the assistant, retrying…',
};

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') node.textContent = v;
    else if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.appendChild(c);
  return node;
}

let entrySeq = 0;
function nextEntryId() {
  entrySeq += 1;
  return `${Date.now().toString(36)}-${entrySeq}`;
}

export class ShopAssistChat {
  constructor(root, options = {}) {
    this.root = root;
    this.configUrl = options.configUrl || '/api/chat-config';
    this.getCustomer = options.getCustomer || (() => null);
    // The chat opens when the customer asks, or on load only if the page says so.
    this.openOnLoad = options.openOnLoad === true;
    store.expireIdle(); // a shared computer: the last person's idle conversation goes
    this.sessionId = store.loadSessionId() || this.freshSession();
    this.entries = store.loadTranscript(this.sessionId);
    this.online = false;
    this.socket = null;
    this.agent = currentAgent(this.entries); // a person who took the conversation over
    this.drafts = new DraftBook();
    this.typing = new Typing((who) => (who ? this.showTyping() : this.hideTyping()));
    this.statusTimer = null;
    this.status = 'connecting';
    this.buildDom();
  }

  // ---------------------------------------------------------------- DOM ---
  buildDom() {
    const ui = store.loadUiState();
    this.launcher = el('button', {
      type: 'button',
      class: 'sa-launcher',
      'data-testid': 'chat-launcher',
      'aria-controls': 'shopassist-chat-panel',
    });
    // Its name is its visible text (WCAG 2.5.3); aria-expanded says open or closed.
    this.launcher.appendChild(el('span', { class: 'sa-launcher-icon', 'aria-hidden': 'true' }));
    this.launcher.appendChild(el('span', { class: 'sa-launcher-label', text: 'Chat with us' }));
    this.launcher.appendChild(el('span', { class: 'sa-launcher-arrow', 'aria-hidden': 'true', text: '▾' }));
    // New messages are read out from here: deep-chat's list is not a live region.
    this.announcer = el('div', {
      class: 'sa-visually-hidden',
      'data-testid': 'chat-announcer',
      role: 'log',
      'aria-live': 'polite',
      'aria-label': 'New chat messages',
    });

    this.statusEl = el('div', {
      class: 'sa-status',
      'data-testid': 'connection-status',
      'data-state': 'connecting',
      role: 'status',
      'aria-live': 'polite',
      text: STATUS_TEXT.connecting,
    });
    this.newConvButton = el('button', {
      type: 'button',
      class: 'sa-header-btn',
      'data-testid': 'new-conversation',
      title: 'Start a new conversation',
      text: 'New conversation',
    });
    this.closeButton = el('button', {
      type: 'button',
      class: 'sa-header-btn sa-close',
      'data-testid': 'chat-close',
      'aria-label': 'Close chat',
      text: '×',
    });
    // The language the assistant answers in: the page's until the customer picks one.
    this.languageMenu = buildLanguageMenu(
      document,
      shownLanguage(store.loadLanguage(), document.documentElement.lang),
      (code) => this.chooseLanguage(code),
    );
    this.identityEl = el('div', { class: 'sa-identity', 'data-testid': 'chat-identity' });
    this.titleEl = el('strong', { 'data-testid': 'chat-title', text: 'ShopAssist' });
    this.headerAvatar = el('span', { class: 'sa-header-avatar', 'data-testid': 'header-avatar', 'aria-hidden': 'true' });
    this.header = el('div', { class: 'sa-header', 'data-testid': 'chat-header', 'data-speaker': 'assistant' }, [
      el('div', { class: 'sa-title' }, [
        el('span', { class: 'sa-dot', 'aria-hidden': 'true' }),
        this.headerAvatar,
        el('div', {}, [this.titleEl, this.identityEl]),
      ]),
      el('div', { class: 'sa-header-actions' }, [this.languageMenu, this.newConvButton, this.closeButton]),
    ]);
    const header = this.header;

    this.chatHost = el('div', { class: 'sa-chat-host', 'data-testid': 'chat-messages' });
    this.input = el('textarea', {
      class: 'sa-input',
      'data-testid': 'chat-input',
      rows: '1',
      maxlength: '1000',
      placeholder: 'Type your message…',
      'aria-label': 'Message to ShopAssist',
    });
    this.sendButton = el('button', {
      type: 'submit',
      class: 'sa-send',
      'data-testid': 'chat-send',
      'aria-label': 'Send',
      title: 'Send',
    }, [el('span', { class: 'sa-send-icon', 'aria-hidden': 'true' })]);
    this.composer = el('form', { class: 'sa-composer', 'data-testid': 'chat-composer' }, [this.input, this.sendButton]);
    this.panel = el('section', {
      id: 'shopassist-chat-panel',
      class: 'sa-panel',
      'data-testid': 'chat-panel',
      'aria-label': 'ShopAssist chat',
    }, [header, this.statusEl, this.chatHost, this.composer]);

    this.confirm = this.buildConfirm();
    this.panel.appendChild(this.confirm);

    this.root.classList.add('sa-root');
    this.root.append(this.panel, this.launcher, this.announcer);
    // Reopened after a reload only if the customer had it open; never focused on load.
    this.setOpen(ui.open ?? this.openOnLoad, { focus: false });

    this.launcher.addEventListener('click', () => this.setOpen(!this.open));
    this.closeButton.addEventListener('click', () => this.close());
    this.newConvButton.addEventListener('click', () => this.askNewConversation());
    this.root.addEventListener('keydown', (event) => {
      // The question's own Escape (a <dialog>) only closes the question.
      if (event.key === 'Escape' && this.open && !this.confirm.open) this.close();
    });
    this.idleTimer = setInterval(() => this.expireIfIdle(), 60 * 1000);
    this.composer.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submitInput();
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submitInput();
      }
    });
    this.input.addEventListener('input', () => this.autosize());
    this.refreshSpeaker();
    this.mountDeepChat(this.entries);
  }

  setOpen(open, { focus = true } = {}) {
    this.open = open;
    this.panel.hidden = !open;
    this.root.classList.toggle('sa-open', open);
    this.launcher.setAttribute('aria-expanded', String(open));
    store.saveUiState({ ...store.loadUiState(), open });
    if (open && focus) setTimeout(() => this.input.focus({ preventScroll: true }), 50);
  }

  // Closed by the customer: focus goes back where they opened it.
  close() {
    this.setOpen(false);
    this.launcher.focus();
  }

  // "Start a new conversation?", asked in a modal <dialog> (focus kept inside,
  // Escape answers no), only when there is a conversation to lose.
  buildConfirm() {
    const dialog = el('dialog', {
      class: 'sa-confirm',
      'data-testid': 'new-conversation-confirm',
      'aria-labelledby': 'sa-confirm-title',
      'aria-describedby': 'sa-confirm-text',
    });
    const form = el('form', { method: 'dialog' }, [
      el('h2', { id: 'sa-confirm-title', text: 'Start a new conversation?' }),
      el('p', { id: 'sa-confirm-text', text: 'This conversation will be cleared from this device.' }),
      el('div', { class: 'sa-confirm-actions' }, [
        el('button', { value: 'keep', class: 'sa-confirm-keep', 'data-testid': 'new-conversation-keep', autofocus: '', text: 'Keep this one' }),
        el('button', { value: 'new', class: 'sa-confirm-new', 'data-testid': 'new-conversation-start', text: 'Start new' }),
      ]),
    ]);
    dialog.appendChild(form);
    dialog.addEventListener('close', () => {
      if (dialog.returnValue === 'new') this.newConversation();
      this.input.focus({ preventScroll: true });
    });
    return dialog;
  }

  askNewConversation() {
    if (!this.entries.length) return this.newConversation();
    this.confirm.returnValue = '';
    this.confirm.showModal();
  }

  refreshIdentity() {
    const c = this.getCustomer();
    const customer = c ? `Signed in as ${c.name || c.email}` : 'Customer service';
    this.identityEl.textContent = this.agent ? 'Customer service' : customer;
  }

  // The header says who the customer is talking to: an agent who took the
  // conversation over (their chosen name and avatar) or the assistant.
  refreshSpeaker() {
    this.agent = currentAgent(this.entries);
    const agent = this.agent ? normalizeSpeaker({ role: 'agent', ...this.agent }) : null;
    this.header.dataset.speaker = agent ? 'agent' : 'assistant';
    this.root.classList.toggle('sa-with-agent', !!agent);
    this.titleEl.textContent = agent ? agent.name : 'ShopAssist';
    this.headerAvatar.replaceChildren();
    this.headerAvatar.hidden = !agent;
    if (agent && agent.avatar.kind === 'image') {
      this.headerAvatar.appendChild(el('img', { src: `${AVATAR_PATH}${agent.avatar.image}.svg`, alt: '' }));
      this.headerAvatar.style.backgroundColor = '';
    } else if (agent) {
      this.headerAvatar.textContent = agent.avatar.initials;
      this.headerAvatar.style.backgroundColor = agent.avatar.colour;
    }
    const to = agent ? agent.name : 'ShopAssist';
    this.input.setAttribute('aria-label', `Message to ${to}`);
    this.panel.setAttribute('aria-label', agent ? `Chat with ${to}, customer service` : 'ShopAssist chat');
    this.refreshIdentity();
  }

  mountDeepChat(entries) {
    if (this.chat) this.chat.remove();
    const chat = document.createElement('deep-chat');
    chat.setAttribute('data-testid', 'deep-chat');
    chat.style.display = 'block';
    chat.style.width = '100%';
    chat.style.height = '100%';
    // A non-default font stops deep-chat from adding a Google Fonts <link>
    // to the page head (everything must be served locally).
    chat.style.fontFamily = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
    // All properties are set BEFORE the element is attached: deep-chat
    // re-renders on property changes, so afterwards we only call methods.
    chat.connect = {
      websocket: true,
      // Never used for sending (our composer does that); it just keeps
      // deep-chat in chat mode without any network access of its own.
      handler: () => {},
    };
    chat.history = entries
      .map((e) => ({ e, html: entryToHtml(e) }))
      .filter((x) => x.html)
      .map(({ e, html }) => ({ role: e.role === 'user' ? 'user' : 'ai', html }));
    // The one welcome: the assistant answers a greeting here without introducing itself
    // again (shopassist/nlg.py), so this says what utter_greet says elsewhere.
    chat.introMessage = {
      html:
        '<div class="sa-msg sa-bot sa-intro" data-testid="chat-welcome"><div class="sa-bubble sa-text">' +
        'Hi! I’m ShopAssist, the shop’s virtual assistant. I can track your orders, cancel an order ' +
        'that hasn’t shipped or change one that hasn’t been packed, start a return or a refund, and ' +
        'find an invoice. What can I do for you?</div></div>',
    };
    chat.displayLoadingBubble = { toggle: () => {} }; // deep-chat swaps in its own toggle()
    chat.messageStyles = {
      html: { shared: { bubble: { backgroundColor: 'transparent', padding: '0', maxWidth: '88%' } } },
      default: { shared: { bubble: { maxWidth: '88%' } } },
      loading: { message: { html: TYPING_HTML, styles: { bubble: { backgroundColor: 'transparent', padding: '0' } } } },
    };
    chat.inputAreaStyle = { display: 'none' };
    chat.chatStyle = { width: '100%', height: '100%', border: 'none', backgroundColor: '#f7f8fa', fontSize: '15px' };
    chat.htmlClassUtilities = {
      'sa-qr': { events: { click: (event) => this.onQuickReply(event) } },
      // Buttons: Enter and Space click them too.
      'sa-fb': { events: { click: (event) => this.onFeedback(event) } },
      'sa-photo-add': { events: { click: (event) => this.onPhotoAdd(event) } },
      'sa-photo-skip': { events: { click: (event) => this.onPhotoSkip(event) } },
    };
    chat.auxiliaryStyle = SHADOW_CSS + PHOTO_CSS;
    chat.errorMessages = { displayServiceErrorMessages: false };
    chat.addEventListener('render', () => this.labelMessageList());
    this.chat = chat;
    this.chatHost.appendChild(chat);
  }

  // The message list scrolls: keyboard users reach it even when no button is left in it
  // (deep-chat draws the list after its render event, so this runs with each message too).
  labelMessageList() {
    const list = this.chat && this.chat.shadowRoot && this.chat.shadowRoot.getElementById('messages');
    if (!list || list.hasAttribute('tabindex')) return;
    list.setAttribute('tabindex', '0');
    list.setAttribute('role', 'group');
    list.setAttribute('aria-label', 'Conversation');
  }

  autosize() {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight, 120)}px`;
  }

  // ----------------------------------------------------------- socket ---
  async start() {
    let config;
    try {
      const res = await fetch(this.configUrl, { headers: { Accept: 'application/json' } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      config = await res.json();
      this.config = config;
    } catch (err) {
      console.error('[shopassist] cannot load chat config', err);
      this.setStatus('unreachable');
      setTimeout(() => this.start(), 5000);
      return;
    }
    this.socket = new RasaSocket({
      url: config.socket_url,
      path: config.socket_path,
      sessionId: this.sessionId,
      handlers: {
        onStatus: (state) => this.setStatus(state),
        onBotMessage: (data) => this.onBotMessage(data),
        onDraft: (data) => this.onDraft(data),
        onAgentTyping: (data) => this.typing.agentTyping(!!(data && data.typing === true), !!this.agent),
        onSessionConfirmed: (id) => this.onSessionConfirmed(id),
      },
    });
    this.socket.start();
  }

  onSessionConfirmed(id) {
    if (id !== this.sessionId) {
      // Not expected with session_persistence; keep transcript under the new id.
      store.clearTranscript(this.sessionId);
      this.sessionId = id;
      store.saveSessionId(id);
      store.saveTranscript(id, this.entries);
    }
  }

  setStatus(state) {
    this.status = state;
    this.statusEl.dataset.state = state;
    this.statusEl.textContent = STATUS_TEXT[state] || state;
    this.root.dataset.connection = state;
    clearTimeout(this.statusTimer);
    const online = state === 'connected' || state === 'reconnected';
    this.statusEl.classList.toggle('sa-status-hidden', state === 'connected');
    if (state === 'reconnected') {
      this.statusTimer = setTimeout(() => this.statusEl.classList.add('sa-status-hidden'), 4000);
    }
    this.online = online;
    this.sendButton.disabled = !online;
    this.input.placeholder = online ? 'Type your message…' : 'Waiting for the connection…';
    this.root.classList.toggle('sa-offline', !online);
    if (!online) this.typing.messageArrived();
  }

  // ------------------------------------------------------ conversation ---
  metadata() {
    const c = this.getCustomer();
    const out = c && c.token ? { customer_token: c.token } : {};
    // The page's language (the assistant answers in it until the customer writes
    // otherwise), or the one picked in the menu (it answers in that one).
    return { ...out, ...languageMetadata(store.loadLanguage(), document.documentElement.lang) };
  }

  // Picked in the menu: sent with every message from now on (kept across reloads).
  chooseLanguage(code) {
    store.saveLanguage(code);
    store.touch();
  }

  record(entry) {
    entry.id = entry.id || nextEntryId();
    this.entries.push(entry);
    store.touch();
    if (this.entries.length > store.MAX_TRANSCRIPT) this.entries.splice(0, this.entries.length - store.MAX_TRANSCRIPT);
    store.saveTranscript(this.sessionId, this.entries);
    this.labelMessageList();
    return entry;
  }

  submitInput() {
    const text = this.input.value.trim();
    if (!text || !this.online) return; // the button is disabled while offline; Enter too
    this.input.value = '';
    this.autosize();
    const entry = this.record({ role: 'user', kind: 'text', text });
    this.chat.addMessage({ role: 'user', html: entryToHtml(entry) });
    this.sendToRasa(text);
  }

  sendToRasa(message) {
    if (!this.socket) return;
    this.socket.send(message, this.metadata());
    this.typing.customerSent(!!this.agent);
    // deep-chat dropped the dots under the customer's new bubble: draw them again.
    if (this.typing.who) this.showTyping();
  }

  onQuickReply(event) {
    const button = event.target && event.target.closest ? event.target.closest('button.sa-qr') : null;
    if (!button || button.disabled) return;
    const entry = this.entries.find((e) => e.id === button.dataset.entryId);
    const qr = entry && entry.quickReplies && entry.quickReplies[Number(button.dataset.index)];
    if (!entry || !qr || entry.used) return;
    if (!this.socket || !this.socket.ready) return; // offline: the row stays usable
    entry.used = true;
    entry.chosen = Number(button.dataset.index);
    store.saveTranscript(this.sessionId, this.entries);
    // Disable the row right away (DOM) and in deep-chat's state (re-render safe).
    const row = button.closest('.sa-qr-row');
    if (row) row.querySelectorAll('button').forEach((b) => (b.disabled = true));
    this.updateRendered(entry);
    const userEntry = this.record({ role: 'user', kind: 'text', text: qr.title });
    this.chat.addMessage({ role: 'user', html: entryToHtml(userEntry) });
    this.sendToRasa(qr.payload);
  }

  // "Helpful" / "Not helpful" on an answer: shown at once, put back if the server refuses.
  onFeedback(event) {
    const button = event.target && event.target.closest ? event.target.closest('button.sa-fb') : null;
    if (!button || !this.config) return;
    const entry = this.entries.find((e) => e.id === button.dataset.entryId);
    const value = button.dataset.value;
    if (!canRate(entry) || !isChoice(value) || entry.feedback === value) return;
    const before = entry.feedback;
    const row = button.closest('.sa-fb-row');
    const choose = (choice) => {
      if (choice) entry.feedback = choice;
      else delete entry.feedback;
      store.saveTranscript(this.sessionId, this.entries);
      showChoice(row, choice);
    };
    choose(value);
    sendFeedback(feedbackUrl(this.config.socket_url), this.sessionId, entry.messageAt, value).catch((err) => {
      console.warn('[shopassist] feedback not stored', err);
      if (entry.feedback === value) choose(before);
    });
  }

  // ------------------------------------------------ photo of damage ---
  photoEntry(event, selector) {
    const button = event.target && event.target.closest ? event.target.closest(selector) : null;
    if (!button || button.disabled) return null;
    const entry = this.entries.find((e) => e.id === button.dataset.entryId);
    return entry && entry.kind === 'photo_upload' && entry.photoState === 'ready' ? entry : null;
  }

  // A file input of the widget's own (light DOM), opened from the offer's button.
  onPhotoAdd(event) {
    const entry = this.photoEntry(event, 'button.sa-photo-add');
    if (!entry || !this.config) return;
    if (!this.photoInput) {
      this.photoInput = el('input', { type: 'file', hidden: '', 'aria-hidden': 'true', tabindex: '-1', 'data-testid': 'photo-file' });
      this.root.appendChild(this.photoInput);
    }
    const input = this.photoInput;
    input.accept = entry.upload.accept;
    input.value = '';
    input.onchange = () => {
      const file = input.files && input.files[0];
      if (file) this.uploadPhoto(entry, file);
    };
    input.click();
  }

  onPhotoSkip(event) {
    const entry = this.photoEntry(event, 'button.sa-photo-skip');
    if (!entry) return;
    entry.photoState = 'closed';
    delete entry.photoError;
    store.saveTranscript(this.sessionId, this.entries);
    this.updateRendered(entry);
  }

  // The assistant's thanks comes over the socket, into the conversation; a
  // refusal is shown under the buttons, which stay for another try, and the
  // customer's bubble then says the photo was not sent.
  async uploadPhoto(entry, file) {
    entry.photoState = 'uploading';
    delete entry.photoError;
    this.updateRendered(entry);
    const userEntry = this.record({ role: 'user', kind: 'text', text: sentText(entry.upload, file.name) });
    this.chat.addMessage({ role: 'user', html: entryToHtml(userEntry) });
    const result = await sendPhoto(photoUrl(this.config.socket_url), this.sessionId, entry.upload, file);
    entry.photoState = result.ok && result.remaining === 0 ? 'closed' : 'ready';
    if (!result.ok) {
      entry.photoError = result.message;
      notSentEntry(userEntry, entry.upload, file.name);
    }
    if (!result.ok && result.code === 'limit') entry.photoState = 'closed';
    store.saveTranscript(this.sessionId, this.entries);
    this.updateRendered(entry);
    if (!result.ok) this.updateRendered(userEntry);
    if (!result.ok) {
      this.announce([{ kind: 'text', text: result.message }]);
      // The control may be above the fold of a long chat: bring the reason into view.
      setTimeout(() => {
        const root = this.chat.shadowRoot;
        const shown = root ? root.querySelectorAll('[data-testid="photo-error"]') : [];
        if (shown.length) shown[shown.length - 1].scrollIntoView({ block: 'nearest' });
      });
    }
  }

  updateRendered(entry) {
    const marker = `data-entry-id="${entry.id}"`;
    const messages = this.chat.getMessages();
    for (let i = messages.length - 1; i >= 0; i -= 1) {
      if (typeof messages[i].html === 'string' && messages[i].html.includes(marker)) {
        const html = entryToHtml(entry);
        if (html) this.chat.updateMessage({ html }, i);
        return;
      }
    }
  }

  onDraft(data) {
    if (showDraft(this.chat, this.drafts, data)) this.typing.messageArrived();
  }

  onBotMessage(data) {
    const entries = normalizeBotMessage(data);
    if (!entries.length) {
      placeReply(this.chat, this.drafts, data, []); // its draft, if any, goes
      console.warn('[shopassist] ignoring unsupported bot message', data);
      return;
    }
    this.typing.messageArrived();
    const htmls = entries.map((e) => entryToHtml(this.record(e))).filter(Boolean);
    this.announce(entries);
    // The checked reply takes its draft's place: the model's text or the template's.
    placeReply(this.chat, this.drafts, data, htmls);
    if (entries.some((e) => e.agent || e.takeover)) this.refreshSpeaker();
  }

  // The newest few incoming messages, as text, for screen readers.
  announce(entries) {
    for (const entry of entries) {
      const speech = entryToSpeech(entry);
      if (speech) this.announcer.appendChild(el('p', { text: speech }));
    }
    while (this.announcer.childElementCount > 5) this.announcer.firstElementChild.remove();
  }

  // ---------------------------------------------------- typing bubble ---
  lastMessageIsTyping() {
    const root = this.chat.shadowRoot;
    const containers = root ? root.querySelectorAll('#messages .outer-message-container') : [];
    const last = containers[containers.length - 1];
    return !!(last && last.querySelector('[data-testid="typing-indicator"]'));
  }

  // Draws the dots for this.typing.who (src/typing.js decides when).
  showTyping() {
    // Deferred so the bubble lands after the message just added. deep-chat
    // removes a loading bubble by itself when any message is added after it.
    setTimeout(() => {
      const toggle = this.chat.displayLoadingBubble && this.chat.displayLoadingBubble.toggle;
      if (!this.typing.who || typeof toggle !== 'function') return;
      if (!this.lastMessageIsTyping()) toggle({});
      this.labelTyping();
      this.chat.scrollToBottom();
    });
  }

  labelTyping() {
    const root = this.chat.shadowRoot;
    const dots = root ? root.querySelectorAll('[data-testid="typing-indicator"]') : [];
    const last = dots[dots.length - 1];
    if (!last) return;
    const agent = this.typing.who === 'agent' && this.agent;
    last.dataset.who = agent ? 'agent' : 'assistant';
    last.setAttribute('aria-label', `${agent ? normalizeSpeaker({ role: 'agent', ...agent }).name : 'ShopAssist'} is typing`);
  }

  hideTyping() {
    if (!this.chat || !this.chat.displayLoadingBubble) return;
    const toggle = this.chat.displayLoadingBubble.toggle;
    if (typeof toggle === 'function' && this.lastMessageIsTyping()) toggle();
  }

  // -------------------------------------------------- new conversation ---
  freshSession() {
    const id = store.newSessionId();
    store.saveSessionId(id);
    store.touch();
    return id;
  }

  newConversation() {
    this.typing.messageArrived();
    store.clearTranscript(this.sessionId);
    this.sessionId = this.freshSession();
    this.entries = [];
    this.announcer.replaceChildren();
    this.drafts.clear();
    this.refreshSpeaker();
    this.chat.clearMessages(true);
    if (this.socket) {
      this.setStatus('connecting');
      this.socket.switchSession(this.sessionId);
    }
  }

  // A page left open on a shared computer: its idle conversation goes too.
  expireIfIdle() {
    if (!this.entries.length || !store.isIdle()) return;
    if (this.confirm.open) this.confirm.close();
    this.newConversation();
    // The language picked goes with it, as when the page is loaded after the idle time.
    store.saveLanguage(null);
    this.languageMenu.value = shownLanguage(null, document.documentElement.lang);
    if (this.open) this.setOpen(false, { focus: false });
  }

  // Called by the page when the demo customer signs in or out.
  onIdentityChanged({ signedOut = false } = {}) {
    this.refreshIdentity();
    // A verified identity must not outlive a sign-out on a shared computer:
    // the bot's conversation (and its verified slots) is left behind.
    if (signedOut) this.newConversation();
  }
}
