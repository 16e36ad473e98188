// Realtime client for Facet's WebSocket endpoint (/ws).
//
// - connects to ws(s)://<host>/ws (the session cookie authenticates the handshake)
// - reconnects with exponential backoff and jitter
// - remembers the last sequence number seen per topic and, after a reconnect,
//   re-subscribes with {"type":"subscribe","topic":…,"since":lastSeq} so missed events replay
// - drops duplicate events (seq <= last seen) and reports "resync" through a callback
// - sends {"type":"ping"} every 20 s to keep the connection alive
// - besides the constructor's callbacks, any number of listeners can be added with
//   on('event' | 'resync' | 'status' | 'error' | 'subscribed', fn), so a page and the shared
//   page scaffold can both listen to one connection

export function defaultSocketUrl(loc = window.location) {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/ws`;
}

export class RealtimeClient {
  constructor({
    url = defaultSocketUrl(),
    onEvent = () => {},
    onResync = () => {},
    onStatus = () => {},
    onError = () => {},
    onSubscribed = () => {},
    pingIntervalMs = 20000,
    baseDelayMs = 500,
    maxDelayMs = 30000,
  } = {}) {
    this.url = url;
    this.onEvent = onEvent;
    this.onResync = onResync;
    this.onStatus = onStatus;
    this.onError = onError;
    this.onSubscribed = onSubscribed;
    this.pingIntervalMs = pingIntervalMs;
    this.baseDelayMs = baseDelayMs;
    this.maxDelayMs = maxDelayMs;

    this.listeners = new Map(); // kind → Set of functions
    this.topics = new Set();
    this.lastSeq = new Map();
    this.pending = []; // subscribe requests sent and not yet answered, oldest first
    this.resumeFailures = 0;
    this.ws = null;
    this.attempt = 0;
    this.pingTimer = null;
    this.reconnectTimer = null;
    this.stopped = true;
    this.state = 'idle';

    this._onOnline = () => {
      if (!this.stopped && (!this.ws || this.ws.readyState === WebSocket.CLOSED)) {
        this._clearReconnect();
        this.attempt = 0;
        this._connect();
      }
    };
  }

  start() {
    if (!this.stopped) return this;
    this.stopped = false;
    window.addEventListener('online', this._onOnline);
    this._connect();
    return this;
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this._onOnline);
    this._clearReconnect();
    this._stopPing();
    if (this.ws) {
      try { this.ws.close(1000, 'bye'); } catch (err) { /* already closed */ }
    }
    this.ws = null;
    this._setState('closed');
  }

  subscribe(topic, since) {
    this.topics.add(topic);
    if (Number.isInteger(since)) this.lastSeq.set(topic, since);
    this._sendSubscribe(topic);
  }

  unsubscribe(topic) {
    this.topics.delete(topic);
    this.lastSeq.delete(topic);
    this._send({ type: 'unsubscribe', topic });
  }

  // Adds a listener; returns a function that removes it.
  on(kind, fn) {
    if (!this.listeners.has(kind)) this.listeners.set(kind, new Set());
    this.listeners.get(kind).add(fn);
    return () => this.listeners.get(kind).delete(fn);
  }

  get connected() {
    return !!this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  // ---- internals ----

  _setState(state) {
    if (this.state === state) return;
    this.state = state;
    this._emit('status', this.onStatus, state);
  }

  _send(message) {
    if (!this.connected) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  _sendSubscribe(topic, { resume = true } = {}) {
    const message = { type: 'subscribe', topic };
    if (resume && this.lastSeq.has(topic)) message.since = this.lastSeq.get(topic);
    if (this._send(message)) this.pending.push({ topic, since: message.since });
  }

  _takePending(topic) {
    const i = topic === undefined ? 0 : this.pending.findIndex((p) => p.topic === topic);
    return i >= 0 && i < this.pending.length ? this.pending.splice(i, 1)[0] : null;
  }

  _connect() {
    if (this.stopped) return;
    this._setState('connecting');
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (err) {
      this._scheduleReconnect();
      return;
    }
    this.ws = ws;

    ws.addEventListener('open', () => {
      if (this.ws !== ws) return;
      this.attempt = 0;
      this._setState('open');
      for (const topic of this.topics) this._sendSubscribe(topic);
      this._startPing();
    });

    ws.addEventListener('message', (ev) => {
      if (this.ws !== ws) return;
      let msg;
      try {
        msg = JSON.parse(ev.data);
      } catch (err) {
        return;
      }
      this._handle(msg);
    });

    ws.addEventListener('close', () => {
      if (this.ws !== ws) return;
      this._stopPing();
      this.ws = null;
      this.pending = [];
      if (this.stopped) {
        this._setState('closed');
        return;
      }
      this._setState('connecting');
      this._scheduleReconnect();
    });

    // 'error' is always followed by 'close'; nothing extra to do here.
    ws.addEventListener('error', () => {});
  }

  _handle(msg) {
    if (!msg || typeof msg !== 'object') return;
    switch (msg.type) {
      case 'subscribed': {
        this._takePending(msg.topic);
        const known = this.lastSeq.get(msg.topic);
        if (Number.isInteger(msg.seq) && (known === undefined || msg.seq < known)) {
          // First subscription: start counting from the topic's current sequence. A current
          // sequence below the one we hold means the server's history was reset: start over.
          this.lastSeq.set(msg.topic, msg.seq);
          if (known !== undefined) {
            this._emit('resync', this.onResync, msg.topic, { type: 'resync', topic: msg.topic, message: 'sequence went backwards' });
          }
        }
        this._emit('subscribed', this.onSubscribed, msg);
        break;
      }
      case 'event': {
        const last = this.lastSeq.get(msg.topic);
        if (Number.isInteger(msg.seq)) {
          if (Number.isInteger(last) && msg.seq <= last) return; // duplicate or replayed twice
          this.lastSeq.set(msg.topic, msg.seq);
        }
        this._emit('event', this.onEvent, msg);
        break;
      }
      case 'resync': {
        // History we asked for is gone: the page reloads its state over REST. Live events
        // continue from the sequence the server names (or from the next one we receive).
        if (Number.isInteger(msg.seq)) this.lastSeq.set(msg.topic, msg.seq);
        else this.lastSeq.delete(msg.topic);
        this._emit('resync', this.onResync, msg.topic, msg);
        break;
      }
      case 'error': {
        // An error answering a subscribe (the server answers in order; it may omit the topic).
        const entry = msg.topic !== undefined ? this._takePending(msg.topic)
          : (msg.code === 'bad_message' ? this._takePending() : null);
        if (entry && entry.since !== undefined && msg.code !== 'forbidden') {
          // Resuming failed: subscribe afresh and let the page reload what it may have missed.
          this.resumeFailures += 1;
          this.lastSeq.delete(entry.topic);
          this._sendSubscribe(entry.topic, { resume: false });
          this._emit('resync', this.onResync, entry.topic, { type: 'resync', topic: entry.topic, message: msg.message });
        }
        this._emit('error', this.onError, msg);
        break;
      }
      case 'pong':
      default:
        break;
    }
  }

  _emit(kind, callback, ...args) {
    this._safe(callback, ...args);
    for (const fn of this.listeners.get(kind) || []) this._safe(fn, ...args);
  }

  _safe(fn, ...args) {
    try {
      fn(...args);
    } catch (err) {
      console.warn('realtime handler failed', err);
    }
  }

  _startPing() {
    this._stopPing();
    this.pingTimer = setInterval(() => this._send({ type: 'ping' }), this.pingIntervalMs);
  }

  _stopPing() {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  _clearReconnect() {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  nextDelay() {
    // Exponential backoff capped at maxDelayMs, with "equal jitter": half fixed, half random.
    const exp = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** this.attempt);
    return Math.round(exp / 2 + Math.random() * (exp / 2));
  }

  _scheduleReconnect() {
    if (this.stopped) return;
    this._clearReconnect();
    const delay = this.nextDelay();
    this.attempt = Math.min(this.attempt + 1, 16);
    this.reconnectTimer = setTimeout(() => this._connect(), delay);
  }
}
