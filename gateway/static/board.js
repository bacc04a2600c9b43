"use strict";
// Live TV board: one board channel, a snapshot then deltas, resumed after reconnects with
// (epoch, offset). Delta rule (gateway/views.py): drop `removed`, replace `rows` by rep in
// place or append, then reorder to `order` when present.

const params = new URLSearchParams(location.search);
const METRIC = params.get("metric") || "revenue";
const SCOPE = params.get("scope") || "company";
const FIXED_WINDOW = params.get("window");
const TOP = Math.max(1, Number(params.get("top")) || 10);
const PING_MS = 3000, STALE_MS = 10000, WINDOWS_MS = 60000, ARROW_MS = 120000;
const LABELS = { revenue: "Revenue", deals: "Deals won", activity: "Activity" };
const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0, roundingMode: "trunc" });

let socket = null, channel = null, board = null;  // board: {epoch, offset, rows}
let lastHeard = 0, retryMs = 1000;
let shownRanks = new Map();  // rep -> rank at the previous render
const moves = new Map();     // rep -> {dir: "up"|"down", at: ms}

function send(message) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function subscribe() {
  const message = { op: "subscribe", channel };
  if (board) message.resume = { epoch: board.epoch, offset: board.offset };
  send(message);
}

function connect() {
  socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`);
  socket.onopen = () => { retryMs = 1000; lastHeard = Date.now(); if (channel) subscribe(); };
  socket.onmessage = (event) => { lastHeard = Date.now(); handle(JSON.parse(event.data)); };
  socket.onclose = () => {
    socket = null;
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 15000);
  };
}

function handle(message) {
  if (message.type === "error") {
    console.warn("gateway:", message.reason);
    if (message.channel === channel && !board) {
      document.getElementById("board").replaceChildren(cell("empty", message.reason));
    }
    return;
  }
  if (message.type === "pong" || message.channel !== channel) return;
  if (message.type === "snapshot") {
    board = { epoch: message.epoch, offset: message.offset, rows: message.data };
  } else if (message.type === "delta") {
    if (!board || message.epoch !== board.epoch || message.offset <= board.offset) return;
    if (message.prev !== board.offset) { board = null; subscribe(); return; }  // missed one
    board.rows = applyDelta(board.rows, message.data);
    board.offset = message.offset;
  }
  document.getElementById("updated").textContent = `Updated ${new Date().toLocaleTimeString()}`;
  render();
}

function applyDelta(rows, delta) {
  const removed = new Set(delta.removed || []);
  let out = rows.filter((row) => !removed.has(row.rep));
  const at = new Map(out.map((row, i) => [row.rep, i]));
  for (const row of delta.rows || []) {
    if (at.has(row.rep)) out[at.get(row.rep)] = row;
    else { at.set(row.rep, out.length); out.push(row); }
  }
  if (delta.order) {
    const byRep = new Map(out.map((row) => [row.rep, row]));
    out = delta.order.map((rep) => byRep.get(rep));
  }
  return out;
}

function cell(className, text) {
  const span = document.createElement("span");
  span.className = className;
  span.textContent = text;
  return span;
}

function render() {
  const now = Date.now(), rows = board.rows;
  const perRank = new Map();
  for (const row of rows) perRank.set(row.rank, (perRank.get(row.rank) || 0) + 1);
  for (const row of rows) {
    const before = shownRanks.get(row.rep);
    if (before !== undefined && before !== row.rank) {
      moves.set(row.rep, { dir: row.rank < before ? "up" : "down", at: now });
    }
  }
  shownRanks = new Map(rows.map((row) => [row.rep, row.rank]));
  const best = Math.max(0, ...rows.map((row) => Number(row.score)));
  const list = document.getElementById("board");
  list.replaceChildren();
  for (const row of rows.slice(0, TOP)) {
    const move = moves.get(row.rep);
    const recent = move && now - move.at < ARROW_MS;
    const line = document.createElement("div");
    line.className = "row";
    const bar = document.createElement("div");
    bar.className = "bar";
    bar.style.width = `${best > 0 ? Math.max(0, Number(row.score)) / best * 100 : 0}%`;
    line.append(bar, cell("rank", (perRank.get(row.rank) > 1 ? "=" : "") + row.rank),
      cell(`move ${recent ? move.dir : ""}`, recent ? (move.dir === "up" ? "▲" : "▼") : ""),
      cell("name", row.rep), cell("score", number.format(Number(row.score))));
    list.append(line);
  }
  if (rows.length === 0) list.append(cell("empty", "No scores yet"));
}

function periodLabel(window) {
  if (window === "all") return "All time";
  const quarter = /^(\d{4})-Q([1-4])$/.exec(window);
  if (quarter) return `Q${quarter[2]} ${quarter[1]}`;
  const month = /^(\d{4})-(\d{2})$/.exec(window);
  if (month) {
    const date = new Date(Number(month[1]), Number(month[2]) - 1, 1);
    return date.toLocaleDateString(undefined, { month: "long", year: "numeric" });
  }
  return window;
}

function show(window) {
  const next = `board:${METRIC}:${window}:${SCOPE}`;
  if (next === channel) return;
  if (channel) send({ op: "unsubscribe", channel });
  channel = next;
  board = null;
  shownRanks = new Map();
  moves.clear();
  document.getElementById("period").textContent = periodLabel(window);
  document.getElementById("channel").textContent = channel;
  subscribe();
}

async function latestQuarter() {
  const response = await fetch(`/api/windows?metric=${encodeURIComponent(METRIC)}`);
  const quarters = (await response.json()).filter((w) => /^\d{4}-Q[1-4]$/.test(w)).sort();
  return quarters.length ? quarters[quarters.length - 1] : "all";
}

async function followLatest() {
  try { show(await latestQuarter()); } catch (error) { console.warn("windows:", error); }
}

function watchStaleness() {
  send({ op: "ping" });
  const stale = !socket || socket.readyState !== WebSocket.OPEN || Date.now() - lastHeard > STALE_MS;
  document.body.classList.toggle("stale", stale);
}

const scopeKind = SCOPE.split(":")[0];
document.getElementById("title").textContent = LABELS[METRIC] || METRIC;
document.getElementById("scope").textContent = scopeKind === "company" ? "Company"
  : `${scopeKind[0].toUpperCase()}${scopeKind.slice(1)}: ${SCOPE.slice(scopeKind.length + 1)}`;
connect();
if (FIXED_WINDOW) show(FIXED_WINDOW);
else { followLatest(); setInterval(followLatest, WINDOWS_MS); }
setInterval(watchStaleness, PING_MS);
