// The handoff queue's heartbeat: while this page is open, visible and in use, its agent
// counts as available, and customers who ask for a person are told a colleague can join
// their chat in a few minutes (shopassist/store/presence.py). A hidden page, five minutes
// without a key or mouse, or leaving the page ends it. The queue itself is kept current,
// and new tickets announced, by alert.js.
(function () {
  const status = document.getElementById("presence");
  if (!status) return;
  const BEAT_MS = 20000;
  const IDLE_MS = 5 * 60 * 1000;
  const URL = "/console/api/presence";
  let lastActivity = Date.now();
  let here = false;

  function active() {
    return document.visibilityState === "visible" && Date.now() - lastActivity < IDLE_MS;
  }

  function show(state, colleagues) {
    status.dataset.state = state;
    if (state === "here") {
      const others = colleagues > 1 ? " (" + colleagues + " colleagues at the queue)" : "";
      status.textContent = "You are available" + others + ": customers who ask for a person now are told a colleague can join their chat in a few minutes.";
    } else {
      status.textContent = "You are shown as away (this page is hidden or you have been idle): customers are told the team will get back to them by e-mail or phone.";
    }
  }

  async function beat() {
    const want = active();
    if (!want && !here) { show("away"); return; }
    try {
      const response = await fetch(URL, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ here: want }),
      });
      if (response.status === 401) { window.location.reload(); return; }
      if (!response.ok) return;
      const data = await response.json();
      here = want;
      show(want ? "here" : "away", data.agents_available);
    } catch (error) {
      // The console restarting: the next beat tries again.
    }
  }

  function leave() {
    if (!here) return;
    here = false;
    const body = new Blob([JSON.stringify({ here: false })], { type: "application/json" });
    navigator.sendBeacon(URL, body);
  }

  for (const name of ["mousemove", "keydown", "click", "scroll", "touchstart", "focus"]) {
    window.addEventListener(name, function () {
      const wasActive = active();
      lastActivity = Date.now();
      if (!wasActive) beat();
    }, { passive: true });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") beat();
    else { leave(); show("away"); }
  });
  window.addEventListener("pagehide", leave);
  beat();
  setInterval(beat, BEAT_MS);
})();
