export const page = `<!doctype html>
<html><head><meta charset="utf-8"><title>Chat</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }
  #log { border: 1px solid #d0d7de; border-radius: 6px; height: 50vh; overflow: auto; padding: .5rem; }
  form { display: flex; gap: .5rem; margin-top: .5rem; } input { padding: .5rem; font: inherit; }
  #text { flex: 1; } b { color: #0969da; } #status { color: #777; font-size: .9em; }
</style></head>
<body>
  <h1>Chat <span id="status">connecting…</span></h1>
  <div id="log"></div>
  <form id="form"><input id="name" placeholder="Name" size="10"><input id="text" placeholder="Message"><button>Send</button></form>
<script>
  const log = document.getElementById("log");
  const status = document.getElementById("status");
  const nameInput = document.getElementById("name");
  // Browsers deny storage to a cross-site frame in some modes (incognito, third-party cookies off),
  // and the IDE's preview is one: remembering the name is a nicety, so it must not stop the page.
  const remembered = { get() { try { return localStorage.getItem("name"); } catch { return null; } },
    set(v) { try { localStorage.setItem("name", v); } catch {} } };
  nameInput.value = remembered.get() || "";
  let socket;
  function show(m) {
    const line = document.createElement("div");
    const who = document.createElement("b");
    who.textContent = m.name + ": ";
    line.append(who, m.text);
    log.append(line);
    log.scrollTop = log.scrollHeight;
  }
  function connect() {
    socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
    socket.onopen = () => { status.textContent = "online"; };
    socket.onmessage = (e) => {
      const data = JSON.parse(e.data);
      if (data.type === "history") { log.textContent = ""; data.messages.forEach(show); }
      if (data.type === "message") show(data.message);
    };
    socket.onclose = () => { status.textContent = "reconnecting…"; setTimeout(connect, 1000); };
  }
  document.getElementById("form").onsubmit = (e) => {
    e.preventDefault();
    const text = document.getElementById("text");
    remembered.set(nameInput.value);
    socket.send(JSON.stringify({ name: nameInput.value, text: text.value }));
    text.value = "";
  };
  connect();
</script>
</body></html>`;
