// The handoff queue announces new tickets: the page's title counts the customers waiting
// ("(2) Handoffs"), the table is redrawn, and a short chime sounds unless the agent turned
// it off (remembered in this browser's localStorage). Browsers let a page play sound only
// after it was clicked or typed on: the chime's audio is opened on the first such gesture.
(function () {
  const status = document.getElementById("presence");
  const box = document.getElementById("alert-sound");
  if (!status || !box) return;
  const KEY = "shopassist.console.alertSound";
  const POLL_MS = 5000;
  const TITLE = "Handoffs · ShopAssist console";
  let known = new Set(ids(status.dataset.tickets));
  let audio = null;

  function ids(text) {
    return (text || "").split(",").filter(Boolean).map(Number);
  }

  box.checked = localStorage.getItem(KEY) !== "off";
  box.addEventListener("change", function () {
    localStorage.setItem(KEY, box.checked ? "on" : "off");
  });

  function unlock() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) audio = new Context();
    if (audio && audio.state === "suspended") audio.resume();
  }
  for (const name of ["click", "keydown", "touchstart"]) {
    window.addEventListener(name, unlock, { passive: true });
  }

  // Two short tones, quiet; true if they could be played.
  function chime() {
    if (!box.checked || !audio || audio.state !== "running") return false;
    const now = audio.currentTime;
    [880, 1175].forEach(function (frequency, i) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, now + i * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.2, now + i * 0.18 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.18 + 0.16);
      tone.connect(gain).connect(audio.destination);
      tone.start(now + i * 0.18);
      tone.stop(now + i * 0.18 + 0.17);
    });
    return true;
  }

  function showCount(waiting) {
    document.title = (waiting > 0 ? "(" + waiting + ") " : "") + TITLE;
  }

  // The table as the server draws it (escaped there; DOMParser runs no scripts).
  async function redraw() {
    const response = await fetch(window.location.pathname + window.location.search, { credentials: "same-origin" });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.querySelector("[data-testid=handoff-queue] tbody");
    const shown = document.querySelector("[data-testid=handoff-queue] tbody");
    if (fresh && shown) shown.replaceWith(document.adoptNode(fresh));
  }

  async function poll() {
    try {
      // The queue as this page shows it: with its language filter, if one is chosen.
      const response = await fetch("/console/api/handoffs/queue" + window.location.search, { credentials: "same-origin" });
      if (response.status === 401) { window.location.reload(); return; }
      if (!response.ok) return;
      const data = await response.json();
      showCount(data.waiting);
      status.dataset.waiting = String(data.waiting);
      const arrived = data.tickets.filter(function (id) { return !known.has(id); });
      known = new Set(data.tickets);
      if (data.tickets.join(",") !== status.dataset.tickets) {
        status.dataset.tickets = data.tickets.join(",");
        await redraw();
      }
      if (arrived.length) status.dataset.alert = chime() ? "sound" : "silent";
    } catch (error) {
      // The console restarting: the next poll tries again.
    }
  }
  setInterval(poll, POLL_MS);
})();
