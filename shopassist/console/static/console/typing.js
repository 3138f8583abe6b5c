// While the agent types a reply in a takeover, the customer's chat shows typing dots: a
// "start" when typing begins (repeated every 3 s while it goes on, since the chat hides
// the dots 6 s after the last one) and a "stop" after 3 s without a key or when the box
// loses focus. The sent message itself hides the dots in the chat.
(function () {
  const box = document.querySelector("[data-typing-url]");
  if (!box) return;
  const url = box.dataset.typingUrl;
  const REPEAT_MS = 3000;
  const PAUSE_MS = 3000;
  let typing = false;
  let lastStart = 0;
  let pauseTimer = null;

  function send(on) {
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ typing: on }),
    }).catch(function () {}); // only a courtesy: a lost signal changes nothing else
  }

  function stop() {
    clearTimeout(pauseTimer);
    if (!typing) return;
    typing = false;
    send(false);
  }

  box.addEventListener("input", function () {
    if (!box.value.trim()) { stop(); return; }
    const now = Date.now();
    if (!typing || now - lastStart >= REPEAT_MS) {
      typing = true;
      lastStart = now;
      send(true);
    }
    clearTimeout(pauseTimer);
    pauseTimer = setTimeout(stop, PAUSE_MS);
  });
  box.addEventListener("blur", stop);
  if (box.form) box.form.addEventListener("submit", function () { clearTimeout(pauseTimer); typing = false; });
})();
