// Rasa 3.6 socket.io channel client (python-socketio 5 = Engine.IO v4 /
// Socket.IO protocol v5, which socket.io-client 4 speaks).
//
// Protocol (rasa/core/channels/socketio.py):
//   -> session_request {session_id}      after EVERY (re)connect
//   <- session_confirm "<session_id>"    (a bare string; older servers sent {session_id})
//   -> user_uttered {message, session_id, metadata}  (credentials.yml: metadata_key: metadata)
//   <- bot_uttered {...}                 one event per bubble; an agent's carry
//                                        `speaker` {role, name, avatar} and `takeover`
//   <- agent_typing {typing: bool}       an agent in a takeover types (or stopped)
//   <- bot_draft {stream_id, text}       the text so far of a reply being written, or
//                {stream_id, discard}     its removal; the reply carries the stream_id
// With session_persistence the server puts the socket in a room named after
// the session id; replies go to that room, so the same id after a reconnect
// (or in a second tab) keeps receiving the conversation.

import { io } from 'socket.io-client';

export class RasaSocket {
  constructor({ url, path, userEvent = 'user_uttered', botEvent = 'bot_uttered', sessionId, handlers }) {
    this.url = url;
    this.path = path || '/socket.io/';
    this.userEvent = userEvent;
    this.botEvent = botEvent;
    this.sessionId = sessionId;
    this.h = handlers; // {onStatus(state, detail), onBotMessage(data), onAgentTyping(data), onSessionConfirmed(id)}
    this.confirmed = false;
    this.everConfirmed = false;
    this.queue = [];
    this.intentionalReconnect = false;
    this.socket = null;
  }

  start() {
    this.h.onStatus('connecting');
    this.socket = io(this.url, {
      path: this.path,
      // Start with WebSocket: Rasa's python-socketio is created with
      // cors_allowed_origins=[] (no CORS headers of its own) and the page is
      // on another origin; polling is only the fallback.
      transports: ['websocket', 'polling'],
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
      timeout: 10000,
    });
    const s = this.socket;
    s.on('connect', () => {
      this.confirmed = false;
      s.emit('session_request', { session_id: this.sessionId });
    });
    s.on('session_confirm', (data) => {
      const id = typeof data === 'string' ? data : data && data.session_id;
      if (!id) return;
      if (id !== this.sessionId) {
        console.warn('[shopassist] server confirmed another session id', id);
        this.sessionId = id;
      }
      const wasReconnect = this.everConfirmed && !this.intentionalReconnect;
      this.confirmed = true;
      this.everConfirmed = true;
      this.intentionalReconnect = false;
      this.h.onSessionConfirmed(id);
      this.h.onStatus(wasReconnect ? 'reconnected' : 'connected');
      this.flush();
    });
    s.on(this.botEvent, (data) => this.h.onBotMessage(data));
    // An agent in a takeover started or stopped typing (shopassist/channels/socketio.py).
    // A reply still being written (src/drafts.js).
    s.on('bot_draft', (data) => this.h.onDraft && this.h.onDraft(data));
    s.on('agent_typing', (data) => this.h.onAgentTyping && this.h.onAgentTyping(data));
    s.on('disconnect', (reason) => {
      this.confirmed = false;
      if (this.intentionalReconnect) return;
      this.h.onStatus('disconnected', reason);
      // A server-side disconnect is not retried automatically by socket.io-client.
      if (reason === 'io server disconnect') s.connect();
    });
    s.on('connect_error', (err) => {
      this.h.onStatus(this.everConfirmed ? 'disconnected' : 'unreachable', err && err.message);
    });
  }

  get ready() {
    return !!(this.socket && this.socket.connected && this.confirmed);
  }

  send(message, metadata) {
    const payload = { message, session_id: this.sessionId, metadata };
    if (this.ready) this.socket.emit(this.userEvent, payload);
    else this.queue.push(payload);
  }

  flush() {
    while (this.ready && this.queue.length) {
      const p = this.queue.shift();
      p.session_id = this.sessionId;
      this.socket.emit(this.userEvent, p);
    }
  }

  // Start a new conversation: drop the old room by reconnecting with a new id.
  switchSession(newId) {
    this.sessionId = newId;
    this.queue = [];
    if (!this.socket) return;
    this.intentionalReconnect = true;
    this.confirmed = false;
    this.socket.disconnect();
    this.socket.connect();
  }
}
