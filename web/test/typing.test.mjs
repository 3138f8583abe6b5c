// The typing dots' rules (src/typing.js) on a fake clock.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Typing, BOT_TIMEOUT_MS, AGENT_TIMEOUT_MS } from '../src/typing.js';

function fakeClock() {
  let now = 0;
  let seq = 0;
  const timers = new Map();
  return {
    set: (fn, ms) => { seq += 1; timers.set(seq, { at: now + ms, fn }); return seq; },
    clear: (id) => { timers.delete(id); },
    advance(ms) {
      now += ms;
      for (const [id, t] of [...timers]) if (t.at <= now) { timers.delete(id); t.fn(); }
    },
  };
}

function setup() {
  const clock = fakeClock();
  const seen = [];
  const typing = new Typing((who) => seen.push(who), clock);
  return { clock, seen, typing };
}

test('the assistant types from the customer message until its reply', () => {
  const { seen, typing } = setup();
  typing.customerSent(false);
  assert.equal(typing.who, 'bot');
  typing.messageArrived();
  assert.equal(typing.who, null);
  assert.deepEqual(seen, ['bot', null]);
});

test('a reply that never comes stops the dots after the bot timeout', () => {
  const { clock, typing } = setup();
  typing.customerSent(false);
  clock.advance(BOT_TIMEOUT_MS - 1);
  assert.equal(typing.who, 'bot');
  clock.advance(1);
  assert.equal(typing.who, null);
});

test('during a takeover a customer message shows no dots', () => {
  const { clock, seen, typing } = setup();
  typing.customerSent(true);
  clock.advance(BOT_TIMEOUT_MS);
  assert.equal(typing.who, null);
  assert.deepEqual(seen, []);
});

test('the agent types from start to stop, or to their message', () => {
  const { seen, typing } = setup();
  typing.agentTyping(true, true);
  assert.equal(typing.who, 'agent');
  typing.agentTyping(false, true);
  assert.equal(typing.who, null);
  typing.agentTyping(true, true);
  typing.messageArrived();
  assert.equal(typing.who, null);
  assert.deepEqual(seen, ['agent', null, 'agent', null]);
});

test('without a new start the agent dots go after the short timeout; repeated starts keep them', () => {
  const { clock, seen, typing } = setup();
  typing.agentTyping(true, true);
  clock.advance(AGENT_TIMEOUT_MS - 1000);
  typing.agentTyping(true, true); // the console repeats "start" while the agent types
  clock.advance(AGENT_TIMEOUT_MS - 1000);
  assert.equal(typing.who, 'agent');
  clock.advance(1000);
  assert.equal(typing.who, null);
  assert.deepEqual(seen, ['agent', null]);
});

test('an agent signal outside a takeover is ignored, and a stop never hides the assistant', () => {
  const { typing } = setup();
  typing.agentTyping(true, false);
  assert.equal(typing.who, null);
  typing.customerSent(false);
  typing.agentTyping(false, false);
  assert.equal(typing.who, 'bot');
});
