// When the chat shows typing dots, and for whom. The dots mean that someone
// is writing to the customer right now:
// - the assistant, from the customer's message until its reply arrives
//   (or BOT_TIMEOUT_MS, if a reply never comes);
// - during a takeover, the agent, only while the console says they type:
//   from a "start" until a "stop", their message, or AGENT_TIMEOUT_MS without
//   a new "start" (the console repeats it every 3 s while typing goes on).
// A customer's message during a takeover shows nothing: the assistant is
// paused and nobody may be typing.

export const BOT_TIMEOUT_MS = 30000;
export const AGENT_TIMEOUT_MS = 6000;

export class Typing {
  // onChange(who): who is 'bot', 'agent' or null (no dots).
  constructor(onChange, timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (id) => clearTimeout(id) }) {
    this.onChange = onChange;
    this.timers = timers;
    this.who = null;
    this.timer = null;
  }

  show(who, ms) {
    this.timers.clear(this.timer);
    this.timer = this.timers.set(() => this.hide(), ms);
    const changed = this.who !== who;
    this.who = who;
    if (changed) this.onChange(who);
  }

  hide() {
    this.timers.clear(this.timer);
    this.timer = null;
    if (this.who === null) return;
    this.who = null;
    this.onChange(null);
  }

  // The customer sent a message; `withAgent`: a takeover is on.
  customerSent(withAgent) {
    if (!withAgent) this.show('bot', BOT_TIMEOUT_MS);
  }

  // The console's signal; ignored unless a takeover is on.
  agentTyping(on, withAgent) {
    if (on && withAgent) this.show('agent', AGENT_TIMEOUT_MS);
    else if (!on && this.who === 'agent') this.hide();
  }

  // Any message from the assistant or the agent, or the connection lost.
  messageArrived() {
    this.hide();
  }
}
