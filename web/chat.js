// Minimal chat page over Rasa's REST channel. Text is always inserted as text, never as HTML.
(function () {
  const cfg = window.CHAT_CONFIG || { rasaUrl: "http://localhost:5005" };
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
  let sender = localStorage.getItem("chat-sender");
  if (!sender) { sender = "web-" + Math.random().toString(36).slice(2); localStorage.setItem("chat-sender", sender); }

  function add(who, text, buttons) {
    const li = document.createElement("li");
    li.className = who;
    li.textContent = text || "";
    (buttons || []).forEach(function (b) {
      const btn = document.createElement("button");
      btn.type = "button";
      btn.textContent = b.title;
      btn.addEventListener("click", function () { send(b.payload, b.title); });
      li.appendChild(document.createElement("br"));
      li.appendChild(btn);
    });
    log.appendChild(li);
    li.scrollIntoView({ block: "end" });
  }

  async function send(message, shown) {
    add("user", shown || message);
    try {
      const res = await fetch(cfg.rasaUrl + "/webhooks/rest/webhook", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: sender, message: message })
      });
      const replies = await res.json();
      replies.forEach(function (r) { add("bot", r.text, r.buttons); });
    } catch (e) {
      add("bot", "⚠ Le service est momentanément indisponible. / Der Dienst ist vorübergehend nicht erreichbar. / The service is temporarily unavailable.");
    }
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
})();
