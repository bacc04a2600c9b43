"use strict";
// The TV board's rules, without DOM, socket or clock (callers pass `now`), so that node can
// test them: tests/unit/gateway/static/board_logic.test.js. The page loads this file before
// board.js, which only wires these rules to the socket and the screen.

const BoardLogic = (() => {
  const STALE_MS = 10000;   // no message for this long: the connection is stale
  const ARROW_MS = 120000;  // a rank change shows its arrow this long
  const MONEY = new Set(["revenue"]);
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  /** The delta rule of gateway/views.py: drop `removed`, replace `rows` by rep in place or
   *  append them, then reorder to `order` when present. Returns new rows. */
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

  /** Each row's rank as shown: `=3` when several rows share rank 3, else `3`. */
  function rankLabels(rows) {
    const holders = new Map();
    for (const row of rows) holders.set(row.rank, (holders.get(row.rank) || 0) + 1);
    return rows.map((row) => (holders.get(row.rank) > 1 ? "=" : "") + row.rank);
  }

  /** `moves` (rep -> {dir, at}) updated with the reps whose rank differs from `shown`
   *  (rep -> rank at the previous render); reps new to the board get no arrow. */
  function rankMoves(shown, rows, moves, now) {
    const next = new Map(moves);
    for (const row of rows) {
      const before = shown.get(row.rep);
      if (before !== undefined && before !== row.rank) {
        next.set(row.rep, { dir: row.rank < before ? "up" : "down", at: now });
      }
    }
    return next;
  }

  /** "up", "down", or "" once the move is older than ARROW_MS (or there is none). */
  function arrow(move, now) {
    return move && now - move.at < ARROW_MS ? move.dir : "";
  }

  /** The window as a person says it: "Q4 2017", "May 2017", "2017", "All time". */
  function periodLabel(window) {
    if (window === "all") return "All time";
    const quarter = /^(\d{4})-Q([1-4])$/.exec(window);
    if (quarter) return `Q${quarter[2]} ${quarter[1]}`;
    const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(window);
    if (month) return `${MONTHS[Number(month[2]) - 1]} ${month[1]}`;
    return window;
  }

  /** The latest quarter among the windows that hold data (business time, never the wall
   *  clock); `all` when none is a quarter. */
  function latestQuarter(windows) {
    const quarters = windows.filter((w) => /^\d{4}-Q[1-4]$/.test(w)).sort();
    return quarters.length ? quarters[quarters.length - 1] : "all";
  }

  /** Whether to show the stale banner: the socket is not open, nothing was heard for
   *  STALE_MS, or the gateway said its live updates are paused (`live` false in a pong). */
  function isStale({ open, lastHeard, now, live }) {
    return !open || now - lastHeard > STALE_MS || live === false;
  }

  /** A decimal string from the wire with thousands separators, by string work alone (a JS
   *  Number would round money); money keeps (at least) its cents, counts stay as they are. */
  function formatScore(text, metric) {
    const parts = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
    if (!parts) return String(text);
    const [, sign, whole, fraction = ""] = parts;
    const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ",");
    const decimals = MONEY.has(metric) ? fraction.padEnd(2, "0") : fraction;
    return sign + grouped + (decimals ? `.${decimals}` : "");
  }

  /** Width of a row's bar in percent of the best score (a picture: float is fine here). */
  function barPercent(score, best) {
    return best > 0 ? Math.max(0, Number(score)) / best * 100 : 0;
  }

  return { STALE_MS, ARROW_MS, applyDelta, rankLabels, rankMoves, arrow, periodLabel,
    latestQuarter, isStale, formatScore, barPercent };
})();

if (typeof module !== "undefined") module.exports = BoardLogic;
