// A live lesson's WebSocket that reconnects with backoff (with jitter, so a class does not reconnect
// in lockstep) and says hello again on every connection, so the server resumes the client.

const FINAL = new Set([4403, 4404, 4429]);   // not the teacher, no such lesson, lesson full: retrying cannot help
const PING_MS = 25000;

export class LiveSocket {
  /**
   * @param {string} path            the socket's path (/api/live/CODE/ws)
   * @param {() => object} hello     the hello message (read on each connection)
   * @param {{onMessage: (m: object) => void, onStatus: (status: string, detail?: object) => void}} handlers
   */
  constructor(path, hello, { onMessage, onStatus }) {
    this.url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + path;
    this.hello = hello;
    this.onMessage = onMessage;
    this.onStatus = onStatus;
    this.attempt = 0;
    this.stopped = false;
    this.ws = null;
    this.connect();
    this.pinger = setInterval(() => this.send({ type: "ping" }), PING_MS);
  }

  connect() {
    this.onStatus(this.attempt ? "reconnecting" : "connecting");
    const ws = (this.ws = new WebSocket(this.url));
    ws.onopen = () => { ws.send(JSON.stringify(this.hello())); };
    ws.onmessage = (e) => {
      let message;
      try { message = JSON.parse(e.data); } catch { return; }
      if (message.type === "welcome") { this.attempt = 0; this.onStatus("live"); }
      this.onMessage(message);
    };
    ws.onclose = (e) => {
      if (ws !== this.ws || this.stopped) return;
      if (FINAL.has(e.code)) { this.onStatus("closed", { code: e.code }); return; }
      const delay = Math.min(10000, 500 * 2 ** this.attempt++) * (0.5 + Math.random() / 2);
      this.onStatus("offline", { code: e.code, retryMs: delay });
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }

  /** Send if connected; false otherwise (the next welcome resynchronises). */
  send(message) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  close() {
    this.stopped = true;
    clearInterval(this.pinger);
    clearTimeout(this.timer);
    if (this.ws) this.ws.close();
  }
}
