/*
 * Chat widget of the stay-abroad assistant. Embed it with one tag:
 *
 *   <script src="http://localhost:8000/widget.js" data-rasa-url="http://localhost:5005"></script>
 *
 * Options (data-*): rasa-url (the Rasa server; default window.CHAT_CONFIG.rasaUrl),
 * lang (fr|de|en, first language of the labels), open ("true": open at load), privacy-url and
 * terms-url (the header's links; {lang} stands for the labels' language; a path is on the widget's
 * server; default privacy: <widget's server>/privacy/{lang}, terms: no link).
 * It talks to Rasa's socketio channel (events user_uttered / bot_uttered, session_request
 * with session_id) and falls back to the REST channel when the socket is not there.
 * A new conversation's id and upload token come from POST <widget's server>/conversation (the
 * token binds uploads to this conversation); files go to POST <widget's server>/upload. Every text a person or the assistant writes is
 * inserted with textContent / text nodes, never as HTML.
 */
(function () {
  "use strict";
  if (window.CNS_CHAT_LOADED) return;
  window.CNS_CHAT_LOADED = true;

  var script = document.currentScript;
  var here = new URL(script && script.src ? script.src : "widget.js", location.href);
  var base = here.href.replace(/[^/]*(\?.*)?$/, "");
  var data = (script && script.dataset) || {};
  var LANGS = ["fr", "de", "en"];
  var cfg = {
    rasaUrl: (data.rasaUrl || (window.CHAT_CONFIG || {}).rasaUrl || "http://localhost:5005").replace(/\/+$/, ""),
    uploadUrl: base + "upload",
    conversationUrl: base + "conversation",
    open: data.open === "true",
    lang: LANGS.indexOf(data.lang) >= 0 ? data.lang : null,
    privacyUrl: data.privacyUrl || "privacy/{lang}",
    termsUrl: data.termsUrl || ""
  };
  var STORE_KEY = "cnsChat.v1." + cfg.rasaUrl;
  var MAX_ENTRIES = 300;

  function load(src, done) {
    var s = document.createElement("script");
    s.src = base + src;
    s.async = false;
    s.onload = function () { done(true); };
    s.onerror = function () { done(false); };
    document.head.appendChild(s);
  }
  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = base + "widget.css";
  document.head.appendChild(css);

  load("i18n.js", function () {
    if (window.io) { start(); return; }
    load("socket.io.min.js", function () { start(); });
  });

  // --- state kept across reloads -------------------------------------------------------
  function randomId() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function readState() {
    try {
      var s = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
      if (s && /^[A-Za-z0-9_-]{8,64}$/.test(s.sender) && Array.isArray(s.transcript)) return s;
    } catch (e) { /* a broken entry starts a new conversation */ }
    return null;
  }
  var state = readState() || { sender: randomId(), transcript: [], lang: null, open: null };
  // A conversation not yet given by the page server (new, or kept from before upload tokens):
  // ask for one before connecting; without it the chat still works, uploads are refused.
  function ensureConversation(fresh, done) {
    if (state.uploadToken) { done(); return; }
    fetch(cfg.conversationUrl, { method: "POST" }).then(function (res) {
      if (!res.ok) throw new Error("HTTP " + res.status);
      return res.json();
    }).then(function (j) {
      if (j && /^[A-Za-z0-9_-]{8,64}$/.test(j.sender) && j.uploadToken) {
        if (fresh) state.sender = j.sender;
        if (state.sender === j.sender) state.uploadToken = j.uploadToken;
      }
      done();
    }, function () { done(); });
  }
  function save() {
    if (state.transcript.length > MAX_ENTRIES) state.transcript = state.transcript.slice(-MAX_ENTRIES);
    try { localStorage.setItem(STORE_KEY, JSON.stringify(state)); } catch (e) { /* private mode: no memory */ }
  }

  // --- helpers ----------------------------------------------------------------------------
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }
  var ICONS = {  // Material Design icons (Apache-2.0), drawn as SVG: no emoji font needed
    clip: "M16.5 6v11.5c0 2.21-1.79 4-4 4s-4-1.79-4-4V5a2.5 2.5 0 0 1 5 0v10.5c0 .55-.45 1-1 1s-1-.45-1-1V6H10v9.5a2.5 2.5 0 0 0 5 0V5c0-2.21-1.79-4-4-4S7 2.79 7 5v12.5c0 3.04 2.46 5.5 5.5 5.5s5.5-2.46 5.5-5.5V6h-1.5z",
    chat: "M20 2H4c-1.1 0-2 .9-2 2v18l4-4h14c1.1 0 2-.9 2-2V4c0-1.1-.9-2-2-2zm0 14H6l-2 2V4h16v12z"
  };
  function icon(name) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "22");
    svg.setAttribute("height", "22");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    path.setAttribute("fill", "currentColor");
    svg.appendChild(path);
    return svg;
  }
  function I18N() { return window.CNS_CHAT_I18N || {}; }
  function t(key, params) {
    var dict = I18N()[state.lang] || I18N().fr || {};
    var value = key.split(".").reduce(function (o, k) { return o && o[k]; }, dict);
    if (value == null) value = key;
    return String(value).replace(/\{(\w+)\}/g, function (_, k) { return params && params[k] != null ? params[k] : ""; });
  }
  function guessLang(text) {
    var words = window.CNS_CHAT_WORDS;
    if (!words || !text) return null;
    var tokens = text.toLowerCase().replace(/https?:\/\/\S+/g, " ").match(/[a-zà-öø-ÿß]+/g) || [];
    var scores = LANGS.map(function (lang) {
      var set = " " + words[lang] + " ";
      return tokens.filter(function (w) { return set.indexOf(" " + w + " ") >= 0; }).length;
    });
    var best = scores.indexOf(Math.max.apply(null, scores));
    var sorted = scores.slice().sort(function (a, b) { return b - a; });
    return sorted[0] >= 2 && sorted[0] >= 2 * sorted[1] ? LANGS[best] : null;
  }

  // Text with http(s) links made clickable; everything else stays text.
  var URL_RE = /\bhttps?:\/\/[^\s<>"'«»]+/g;
  function appendRich(parent, text) {
    var last = 0;
    String(text || "").replace(URL_RE, function (match, offset) {
      var raw = match.replace(/[.,;:!?)\]}'"’”]+$/, "");
      parent.appendChild(document.createTextNode(text.slice(last, offset)));
      var url = null;
      try { url = new URL(raw); } catch (e) { url = null; }
      if (url && (url.protocol === "http:" || url.protocol === "https:")) {
        var a = el("a", { href: url.href, target: "_blank", rel: "noopener noreferrer" });
        if (/\/documents\/[^/]+\/[^/]+\.pdf$/i.test(url.pathname)) {
          var file = decodeURIComponent(url.pathname.split("/").pop());
          a.textContent = t("download", { name: file });
          a.className = "cnschat-pdf";
        } else {
          a.textContent = raw;
        }
        parent.appendChild(a);
      } else {
        parent.appendChild(document.createTextNode(raw));
      }
      last = offset + raw.length;
      return match;
    });
    parent.appendChild(document.createTextNode(String(text || "").slice(last)));
  }

  // --- the user interface --------------------------------------------------------------
  var ui = {};
  function build() {
    var root = el("div", { "class": "cnschat", id: "cnschat" });
    var launcher = el("button", { type: "button", "class": "cnschat-launcher", "aria-controls": "cnschat-panel",
      "aria-expanded": "false" });
    var panel = el("section", { "class": "cnschat-panel", id: "cnschat-panel", "aria-labelledby": "cnschat-title" });
    var header = el("div", { "class": "cnschat-header" });
    var title = el("h2", { id: "cnschat-title", "class": "cnschat-title" });
    var langLabel = el("label", { "for": "cnschat-lang", "class": "cnschat-vh" });
    var langSelect = el("select", { id: "cnschat-lang", "class": "cnschat-lang" });
    [["fr", "FR – Français"], ["de", "DE – Deutsch"], ["en", "EN – English"]].forEach(function (o) {
      var opt = el("option", { value: o[0], lang: o[0] }, o[1]);
      langSelect.appendChild(opt);
    });
    var close = el("button", { type: "button", "class": "cnschat-close" }, "×");
    var legal = el("p", { "class": "cnschat-legal" });  // a row of its own under the title
    var privacy = el("a", { "class": "cnschat-privacy", target: "_blank", rel: "noopener noreferrer" });
    var terms = el("a", { "class": "cnschat-terms", target: "_blank", rel: "noopener noreferrer" });
    legal.appendChild(privacy);
    legal.appendChild(terms);
    header.appendChild(title);
    header.appendChild(langLabel);
    header.appendChild(langSelect);
    header.appendChild(close);
    header.appendChild(legal);
    var status = el("p", { "class": "cnschat-status", role: "status", "aria-live": "polite" });
    // the live region (role log) holds the list of messages, which scrolls and is reached by Tab
    var logBox = el("div", { "class": "cnschat-logbox", role: "log", "aria-live": "polite",
      "aria-relevant": "additions" });
    var log = el("ol", { "class": "cnschat-log", id: "cnschat-log", tabindex: "0" });
    logBox.appendChild(log);
    var typing = el("p", { "class": "cnschat-typing", "aria-live": "polite" });
    typing.hidden = true;
    var form = el("form", { "class": "cnschat-form", novalidate: "" });
    var attach = el("button", { type: "button", "class": "cnschat-attach" });
    attach.appendChild(icon("clip"));
    var file = el("input", { type: "file", id: "cnschat-file", "class": "cnschat-vh", tabindex: "-1",
      "aria-hidden": "true", multiple: "", accept: ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" });
    var inputLabel = el("label", { "for": "cnschat-input", "class": "cnschat-vh" });
    var input = el("input", { type: "text", id: "cnschat-input", "class": "cnschat-input", autocomplete: "off",
      maxlength: "2000" });
    var send = el("button", { type: "submit", "class": "cnschat-send" });
    form.appendChild(attach);
    form.appendChild(file);
    form.appendChild(inputLabel);
    form.appendChild(input);
    form.appendChild(send);
    panel.appendChild(header);
    panel.appendChild(status);
    panel.appendChild(logBox);
    panel.appendChild(typing);
    panel.appendChild(form);
    root.appendChild(panel);
    root.appendChild(launcher);
    document.body.appendChild(root);
    ui = { root: root, launcher: launcher, panel: panel, title: title, langLabel: langLabel, langSelect: langSelect,
      close: close, privacy: privacy, terms: terms, status: status, logBox: logBox, log: log, typing: typing, form: form, attach: attach, file: file,
      inputLabel: inputLabel, input: input, send: send };

    launcher.addEventListener("click", function () { setOpen(!state.open, true); });
    close.addEventListener("click", function () { setOpen(false, true); });
    panel.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { setOpen(false, true); }
    });
    langSelect.addEventListener("change", function () { chooseLanguage(langSelect.value); });
    attach.addEventListener("click", function () { file.click(); });
    file.addEventListener("change", function () {
      var files = Array.prototype.slice.call(file.files || []);
      file.value = "";
      files.reduce(function (p, f) { return p.then(function () { return upload(f); }); }, Promise.resolve())
        .then(function () { input.focus(); });
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      input.value = "";
      send_(text, text);
    });
  }

  function legalLink(a, url, label) {  // an http(s) link in the labels' language, or none
    var href = null;
    try { href = url ? new URL(url.replace(/\{lang\}/g, state.lang), base) : null; } catch (e) { href = null; }
    a.hidden = !(href && (href.protocol === "http:" || href.protocol === "https:"));
    a.textContent = t(label);
    a.appendChild(el("span", { "class": "cnschat-vh" }, " " + t("newTab")));
    if (a.hidden) a.removeAttribute("href"); else a.href = href.href;
  }

  function applyLabels() {
    ui.root.setAttribute("lang", state.lang);
    ui.title.textContent = t("title");
    legalLink(ui.privacy, cfg.privacyUrl, "privacy");
    legalLink(ui.terms, cfg.termsUrl, "terms");
    ui.langLabel.textContent = t("language");
    ui.langSelect.value = state.lang;
    ui.close.setAttribute("aria-label", t("close"));
    ui.close.title = t("close");
    ui.launcher.textContent = "";
    ui.launcher.appendChild(icon("chat"));
    ui.launcher.appendChild(document.createTextNode(state.open ? t("launcherClose") : t("launcherOpen")));
    ui.logBox.setAttribute("aria-label", t("log"));
    ui.log.setAttribute("aria-label", t("log"));
    ui.typing.textContent = ui.typing.hidden ? "" : t("typing");
    ui.attach.setAttribute("aria-label", t("attach"));
    ui.attach.title = t("attach");
    ui.inputLabel.textContent = t("input");
    ui.input.placeholder = t("placeholder");
    ui.send.textContent = t("send");
    Array.prototype.forEach.call(ui.log.querySelectorAll("[data-who]"), function (span) {
      span.textContent = t(span.getAttribute("data-who")) + " ";
    });
    Array.prototype.forEach.call(ui.log.querySelectorAll("[data-key]"), function (span) {
      var params = {};
      try { params = JSON.parse(span.getAttribute("data-params") || "{}"); } catch (e) { params = {}; }
      span.textContent = t(span.getAttribute("data-key"), params);
    });
    Array.prototype.forEach.call(ui.log.querySelectorAll(".cnschat-choices"), function (g) {
      g.setAttribute("aria-label", t("choices"));
    });
  }

  function setLang(lang) {
    if (LANGS.indexOf(lang) < 0 || lang === state.lang) return;
    state.lang = lang;
    save();
    applyLabels();
  }

  function setOpen(open, byUser) {
    state.open = !!open;
    save();
    ui.panel.hidden = !state.open;
    ui.launcher.setAttribute("aria-expanded", state.open ? "true" : "false");
    ui.root.classList.toggle("cnschat-is-open", state.open);
    applyLabels();
    if (byUser) (state.open ? ui.input : ui.launcher).focus();
    if (state.open) scrollDown();
  }

  function scrollDown() { ui.log.scrollTop = ui.log.scrollHeight; }

  // One transcript entry -> one <li>; entries: {who: user|bot|note, text, buttons?, used?, error?}
  function render(entry, index) {
    var li = el("li", { "class": "cnschat-msg cnschat-" + entry.who + (entry.error ? " cnschat-error" : "") });
    if (entry.reason) li.setAttribute("data-reason", entry.reason);
    li.appendChild(el("span", { "class": "cnschat-vh", "data-who": entry.who === "user" ? "you" : entry.who },
      t(entry.who === "user" ? "you" : entry.who) + " "));
    var body = el("span", { "class": "cnschat-text" });
    if (entry.key) {  // the widget's own notes follow the language of the labels
      body.setAttribute("data-key", entry.key);
      body.setAttribute("data-params", JSON.stringify(entry.params || {}));
      body.textContent = t(entry.key, entry.params);
    } else if (entry.who === "bot") {
      appendRich(body, entry.text);
    } else {
      body.textContent = entry.text || "";
    }
    li.appendChild(body);
    if (entry.buttons && entry.buttons.length) {
      var group = el("div", { "class": "cnschat-choices", role: "group", "aria-label": t("choices") });
      entry.buttons.forEach(function (b) {
        var btn = el("button", { type: "button", "class": "cnschat-choice" }, String(b.title || b.payload || ""));
        if (entry.used) btn.disabled = true;
        btn.addEventListener("click", function () {
          send_(String(b.payload || b.title || ""), String(b.title || b.payload || ""));
          ui.input.focus();
        });
        group.appendChild(btn);
      });
      li.appendChild(group);
    }
    li.setAttribute("data-index", String(index));
    ui.log.appendChild(li);
    return li;
  }

  function add(entry) {
    state.transcript.push(entry);
    save();
    render(entry, state.transcript.length - 1);
    scrollDown();
  }

  function retireChoices() {  // answered: older choices can no longer be tabbed to
    state.transcript.forEach(function (e) { if (e.buttons && e.buttons.length) e.used = true; });
    Array.prototype.forEach.call(ui.log.querySelectorAll(".cnschat-choice"), function (b) { b.disabled = true; });
  }

  var typingTimer = null;
  function showTyping(on) {
    clearTimeout(typingTimer);
    ui.typing.hidden = !on;
    ui.typing.textContent = on ? t("typing") : "";
    if (on) {
      typingTimer = setTimeout(function () {
        showTyping(false);
        add({ who: "note", key: "noAnswer", error: true });
      }, 45000);
    }
  }

  function onBot(msg) {
    if (!msg) return;
    showTyping(false);
    var text = msg.text || "";
    var buttons = (msg.quick_replies || msg.buttons || []).map(function (b) {
      return { title: b.title, payload: b.payload };
    });
    if (msg.attachment && msg.attachment.payload && msg.attachment.payload.src) {
      text = (text ? text + "\n" : "") + msg.attachment.payload.src;
    }
    if (msg.image) text = (text ? text + "\n" : "") + msg.image;
    if (!text && !buttons.length) return;
    var lang = guessLang(text);
    if (lang) setLang(lang);
    add({ who: "bot", text: text, buttons: buttons });
  }

  // --- transport: socketio first, REST when the socket is not there -------------------
  var socket = null;
  var ready = false;  // session confirmed: bot_uttered reaches us
  function connect() {
    if (typeof window.io !== "function") return;
    socket = window.io(cfg.rasaUrl, {
      path: "/socket.io", transports: ["websocket", "polling"], reconnection: true,
      reconnectionDelay: 1000, reconnectionDelayMax: 5000, timeout: 8000
    });
    socket.on("connect", function () { socket.emit("session_request", { session_id: state.sender }); });
    socket.on("session_confirm", function () {
      ready = true;
      ui.status.textContent = "";
      ui.root.setAttribute("data-transport", "socketio");
    });
    socket.on("bot_uttered", onBot);
    socket.on("disconnect", function () {
      ready = false;
      ui.root.setAttribute("data-transport", "rest");
      ui.status.textContent = t("offline");
    });
    socket.on("connect_error", function () {
      ready = false;
      ui.root.setAttribute("data-transport", "rest");
    });
  }

  function send_(message, shown, metadata) {
    retireChoices();
    add({ who: "user", text: shown });
    showTyping(true);
    var payload = { message: message, session_id: state.sender, metadata: metadata || {} };
    if (socket && ready && socket.connected) {
      socket.emit("user_uttered", payload);
      return;
    }
    fetch(cfg.rasaUrl + "/webhooks/rest/webhook", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: state.sender, message: message, metadata: metadata || {} })
    }).then(function (res) {
      if (!res.ok) throw new Error("HTTP " + res.status);
      return res.json();
    }).then(function (replies) {
      showTyping(false);
      (replies || []).forEach(onBot);
    }).catch(function () {
      showTyping(false);
      add({ who: "note", key: "unavailable", error: true });
    });
  }

  function chooseLanguage(lang) {
    if (LANGS.indexOf(lang) < 0) return;
    var previous = state.lang;
    setLang(lang);
    if (lang !== previous) send_(t("switchTo"), t("switchTo"), { language: lang });
  }

  // --- files ------------------------------------------------------------------------
  function upload(f) {
    var name = f.name || "document";
    ui.status.textContent = t("uploading", { name: name });
    return fetch(cfg.uploadUrl, {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream", "X-Sender-Id": state.sender,
        "X-Upload-Token": state.uploadToken || "", "X-Filename": encodeURIComponent(name) },
      body: f
    }).then(function (res) {
      return res.json().catch(function () { return { ok: false, reason: "bad_request" }; });
    }).then(function (j) {
      ui.status.textContent = "";
      if (j && j.ok) {
        send_("/inform" + JSON.stringify({ upload_id: j.id }), t("attached", { name: j.name || name }));
      } else {
        var reason = j && j.reason && t("upload." + j.reason) !== "upload." + j.reason ? j.reason : "bad_request";
        add({ who: "note", key: "upload." + reason, params: { name: name }, error: true, reason: reason });
      }
    }, function () {
      ui.status.textContent = "";
      add({ who: "note", key: "upload.network", params: { name: name }, error: true, reason: "network" });
    });
  }

  // --- start -------------------------------------------------------------------------
  function start() {
    if (!state.lang) {
      var nav = (navigator.language || "fr").slice(0, 2).toLowerCase();
      state.lang = cfg.lang || (LANGS.indexOf(nav) >= 0 ? nav : "fr");
    }
    var fresh = !state.transcript.length;  // nothing said yet: the page server may name the conversation
    build();
    state.transcript.forEach(render);
    if (!state.transcript.length) add({ who: "note", key: "intro" });
    setOpen(state.open == null ? cfg.open : state.open, false);
    ensureConversation(fresh, function () {
      ui.root.setAttribute("data-transport", "rest");
      window.CNS_CHAT = { sender: function () { return state.sender; } };
      connect();
      save();
    });
  }
})();
