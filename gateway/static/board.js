"use strict";
// Live TV board: one board channel, a snapshot then deltas, resumed after reconnects with
// (epoch, offset). The rules (delta, ranks, arrows, labels, staleness, numbers) are in
// board_logic.js; this file wires them to the socket and the screen.

const L = BoardLogic;
const params = new URLSearchParams(location.search);
const METRIC = params.get("metric") || "revenue";
const SCOPE = params.get("scope") || "company";
const FIXED_WINDOW = params.get("window");
const TOP = Math.max(1, Number(params.get("top")) || 10);
const PING_MS = 3000, WINDOWS_MS = 60000, RETRY_MS = 10000;
const LABELS = { revenue: "Revenue", deals: "Deals won", activity: "Activity" };

let socket = null, channel = null, board = null;  // board: {epoch, offset, rows}
let lastHeard = 0, retryMs = 1000, live = true, retry = null;
let shownRanks = new Map();  // rep -> rank at the previous render
let moves = new Map();       // rep -> {dir: "up"|"down", at: ms}

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
  if (message.type === "pong") { live = message.live !== false; return; }
  if (message.type === "error") {
    console.warn("gateway:", message.reason);
    if (message.channel === channel) {  // e.g. no data in this window yet: ask again later
      if (!board) document.getElementById("board").replaceChildren(cell("empty", message.reason));
      clearTimeout(retry);
      retry = setTimeout(subscribe, RETRY_MS);
    }
    return;
  }
  if (message.channel !== channel) return;
  if (message.type === "snapshot") {
    board = { epoch: message.epoch, offset: message.offset, rows: message.data };
  } else if (message.type === "delta") {
    if (!board || message.epoch !== board.epoch || message.offset <= board.offset) return;
    if (message.prev !== board.offset) { board = null; subscribe(); return; }  // missed one
    board.rows = L.applyDelta(board.rows, message.data);
    board.offset = message.offset;
  }
  document.getElementById("updated").textContent = `Updated ${new Date().toLocaleTimeString()}`;
  render();
}

function cell(className, text) {
  const span = document.createElement("span");
  span.className = className;
  span.textContent = text;
  return span;
}

function render() {
  const now = Date.now(), rows = board.rows;
  moves = L.rankMoves(shownRanks, rows, moves, now);
  shownRanks = new Map(rows.map((row) => [row.rep, row.rank]));
  const labels = L.rankLabels(rows);
  const best = Math.max(0, ...rows.map((row) => Number(row.score)));
  const list = document.getElementById("board");
  list.replaceChildren();
  list.style.setProperty("--rows", String(Math.max(1, Math.min(TOP, rows.length))));  // rows share the height
  rows.slice(0, TOP).forEach((row, i) => {
    const dir = L.arrow(moves.get(row.rep), now);
    const line = document.createElement("div");
    line.className = "row";
    const bar = document.createElement("div");
    bar.className = "bar";
    bar.style.width = `${L.barPercent(row.score, best)}%`;
    line.append(bar, cell("rank", labels[i]), cell(`move ${dir}`, { up: "▲", down: "▼" }[dir] || ""),
      cell("name", row.rep), cell("score", L.formatScore(row.score, METRIC)));
    list.append(line);
  });
  if (rows.length === 0) list.append(cell("empty", "No scores yet"));
}

function show(window) {
  const next = `board:${METRIC}:${window}:${SCOPE}`;
  if (next === channel) return;
  if (channel) send({ op: "unsubscribe", channel });
  channel = next;
  board = null;
  shownRanks = new Map();
  moves = new Map();
  clearTimeout(retry);
  document.getElementById("period").textContent = L.periodLabel(window);
  document.getElementById("channel").textContent = channel;
  subscribe();
}

async function followLatest() {
  try {
    const response = await fetch(`/api/windows?metric=${encodeURIComponent(METRIC)}`);
    if (response.ok) show(L.latestQuarter(await response.json()));
  } catch (error) { console.warn("windows:", error); }
}

function watchStaleness() {
  send({ op: "ping" });
  const open = socket !== null && socket.readyState === WebSocket.OPEN;
  document.body.classList.toggle("stale", L.isStale({ open, lastHeard, now: Date.now(), live }));
}

const scopeKind = SCOPE.split(":")[0];
document.getElementById("title").textContent = LABELS[METRIC] || METRIC;
document.getElementById("scope").textContent = scopeKind === "company" ? "Company"
  : `${scopeKind[0].toUpperCase()}${scopeKind.slice(1)}: ${SCOPE.slice(scopeKind.length + 1)}`;
connect();
if (FIXED_WINDOW) show(FIXED_WINDOW);
else { followLatest(); setInterval(followLatest, WINDOWS_MS); }
setInterval(watchStaleness, PING_MS);
