// Keeps the handoff page's transcript current: the customer's new messages appear without
// a reload. Text is set with textContent only, so nothing a customer typed can run here.
// It draws what shopassist/console/templates/_turns.html draws for these turns.
// The list scrolls to the newest message when one arrives, unless the agent has scrolled
// up to read: then a "New message" button says so and scrolls down when pressed.
(function () {
  const live = document.getElementById("live");
  if (!live) return;
  const jump = document.getElementById("jump");
  const NEAR_BOTTOM_PX = 48;

  function atBottom() {
    return live.scrollHeight - live.scrollTop - live.clientHeight <= NEAR_BOTTOM_PX;
  }

  function toBottom() {
    live.scrollTop = live.scrollHeight;
    if (jump) jump.hidden = true;
  }

  if (jump) jump.addEventListener("click", toBottom);
  live.addEventListener("scroll", function () { if (jump && atBottom()) jump.hidden = true; }, { passive: true });
  toBottom(); // the page opens on the latest messages
  const url = "/console/api/conversations/" + encodeURIComponent(live.dataset.conversation) + "/transcript";
  const labels = { paused: "Assistant paused: an agent took over", resumed: "Handed back to the assistant" };
  const FALLBACK = "nlu_fallback";
  let shown = -1;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function intentText(r) {
    return r.name + (typeof r.confidence === "number" ? " " + r.confidence.toFixed(2) : "");
  }

  // A customer's message: the button's title if they pressed one (the payload it sent
  // under it), the intent line, the fallback's real candidates, and the intent ranking.
  function appendUser(item, t, meta) {
    if (t.button) {
      const text = element("div", "text pressed", t.button);
      text.title = "Button pressed; the chat sent " + t.text;
      text.dataset.testid = "turn-button";
      const sent = element("div", "meta sent", "button · sent ");
      sent.dataset.testid = "turn-payload";
      sent.append(element("code", "", t.text));
      item.append(text, sent);
    } else {
      item.append(element("div", "text", t.text));
    }
    item.append(meta);
    const ranking = t.ranking || [];
    if (t.intent === FALLBACK && ranking.length) {
      item.classList.add("fallback");
      const candidates = element("div", "meta candidates", "not understood; it might have been ");
      candidates.dataset.testid = "fallback-candidates";
      for (const r of ranking) candidates.append(element("code", "", intentText(r)), " ");
      item.append(candidates);
    }
    if (ranking.length) {
      const details = element("details", "meta ranking");
      details.dataset.testid = "intent-ranking";
      details.append(element("summary", "", "Intent ranking"));
      const list = element("ol");
      for (const r of ranking) list.append(element("li", "", intentText(r)));
      details.append(list);
      item.append(details);
    }
  }

  function render(turns) {
    if (turns.length === shown) return;
    const first = shown === -1;
    const follow = atBottom();
    const top = live.scrollTop;
    shown = turns.length;
    const list = document.createElement("ol");
    list.className = "transcript";
    list.dataset.testid = "transcript";
    for (const t of turns) {
      const item = document.createElement("li");
      item.className = "turn " + (t.kind === "user" ? "user" : t.kind === "bot" ? "bot" : "action") + (t.agent ? " agent" : "");
      item.dataset.testid = t.kind === "user" ? "turn-user" : t.kind === "bot" ? "turn-bot" : "turn-other";
      const meta = element("div", "meta", t.time + (t.intent ? " · intent " + t.intent : "") + (t.agent ? " · agent " + t.agent : ""));
      if (t.kind === "user") {
        appendUser(item, t, meta);
      } else {
        item.append(element("div", "text", labels[t.kind] || t.text), meta);
      }
      list.append(item);
    }
    live.replaceChildren(list);
    if (follow) {
      toBottom();
    } else {
      live.scrollTop = top; // where the agent was reading
      // The first poll redraws the page's own list (without Rasa's steps): nothing new.
      if (jump && !first) jump.hidden = false;
    }
  }

  async function poll() {
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.status === 401) { window.location.reload(); return; }
      if (response.ok) render(await response.json());
    } catch (error) {
      // The console server restarting: try again on the next tick.
    }
  }
  setInterval(poll, 2000);
})();
