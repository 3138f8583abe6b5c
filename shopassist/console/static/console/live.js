// Keeps the handoff page's transcript current: the customer's new messages appear without
// a reload. Text is set with textContent only, so nothing a customer typed can run here.
(function () {
  const live = document.getElementById("live");
  if (!live) return;
  const url = "/console/api/conversations/" + encodeURIComponent(live.dataset.conversation) + "/transcript";
  const labels = { paused: "Assistant paused: an agent took over", resumed: "Handed back to the assistant" };
  let shown = -1;

  function render(turns) {
    if (turns.length === shown) return;
    shown = turns.length;
    const list = document.createElement("ol");
    list.className = "transcript";
    list.dataset.testid = "transcript";
    for (const t of turns) {
      const item = document.createElement("li");
      item.className = "turn " + (t.kind === "user" ? "user" : t.kind === "bot" ? "bot" : "action") + (t.agent ? " agent" : "");
      item.dataset.testid = t.kind === "user" ? "turn-user" : t.kind === "bot" ? "turn-bot" : "turn-other";
      const text = document.createElement("div");
      text.className = "text";
      text.textContent = labels[t.kind] || t.text;
      const meta = document.createElement("div");
      meta.className = "meta";
      meta.textContent = t.time + (t.intent ? " · intent " + t.intent : "") + (t.agent ? " · agent " + t.agent : "");
      item.append(text, meta);
      list.append(item);
    }
    live.replaceChildren(list);
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
