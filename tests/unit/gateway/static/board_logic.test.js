// node --test: the TV board's rules (gateway/static/board_logic.js), expectations by hand.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const L = require(path.join(__dirname, "../../../../gateway/static/board_logic.js"));

const row = (rank, rep, score) => ({ rank, rep, score });

test("a delta drops removed rows, replaces rows in place and appends new ones", () => {
  const rows = [row(1, "Ann", "500.00"), row(2, "Bob", "300.00"), row(3, "Cy", "100.00")];
  const out = L.applyDelta(rows, { removed: ["Bob"], rows: [row(2, "Cy", "150.00"), row(3, "Di", "90.00")] });
  assert.deepEqual(out, [row(1, "Ann", "500.00"), row(2, "Cy", "150.00"), row(3, "Di", "90.00")]);
});

test("a delta with an order puts the rows in that order", () => {
  const rows = [row(1, "Ann", "500.00"), row(2, "Bob", "300.00")];
  const out = L.applyDelta(rows, { rows: [row(1, "Bob", "700.00"), row(2, "Ann", "500.00")], order: ["Bob", "Ann"] });
  assert.deepEqual(out, [row(1, "Bob", "700.00"), row(2, "Ann", "500.00")]);
});

test("a delta leaves the rows it was given untouched", () => {
  const rows = [row(1, "Ann", "500.00")];
  L.applyDelta(rows, { rows: [row(1, "Ann", "900.00")] });
  assert.deepEqual(rows, [row(1, "Ann", "500.00")]);
});

test("equal ranks show as shared, lone ranks plain", () => {
  const rows = [row(1, "A", "9"), row(2, "B", "5"), row(2, "C", "5"), row(4, "D", "1"),
    row(12, "E", "0"), row(12, "F", "0")];
  assert.deepEqual(L.rankLabels(rows), ["1", "=2", "=2", "4", "=12", "=12"]);
});

test("a rep who climbs gets an up arrow, one who drops a down arrow, a newcomer none", () => {
  const shown = new Map([["Ann", 1], ["Bob", 2], ["Cy", 3]]);
  const rows = [row(1, "Bob", "9"), row(2, "Ann", "8"), row(3, "Cy", "1"), row(4, "Di", "0")];
  const moves = L.rankMoves(shown, rows, new Map(), 5000);
  assert.deepEqual([...moves.entries()], [["Bob", { dir: "up", at: 5000 }], ["Ann", { dir: "down", at: 5000 }]]);
});

test("an arrow shows for two minutes after the move, then goes", () => {
  const move = { dir: "up", at: 1000 };
  assert.equal(L.arrow(move, 1000 + 119999), "up");
  assert.equal(L.arrow(move, 1000 + 120000), "");
  assert.equal(L.arrow(undefined, 1000), "");
});

test("an earlier move is kept when the rep's rank does not change again", () => {
  const moves = L.rankMoves(new Map([["Ann", 1]]), [row(1, "Ann", "9")], new Map([["Ann", { dir: "up", at: 7 }]]), 99);
  assert.deepEqual(moves.get("Ann"), { dir: "up", at: 7 });
});

test("periods read the way people say them", () => {
  assert.equal(L.periodLabel("2017-Q4"), "Q4 2017");
  assert.equal(L.periodLabel("2017-05"), "May 2017");
  assert.equal(L.periodLabel("2016-12"), "December 2016");
  assert.equal(L.periodLabel("2017"), "2017");
  assert.equal(L.periodLabel("all"), "All time");
});

test("the latest quarter with data is chosen, whatever the order of the list", () => {
  assert.equal(L.latestQuarter(["2017", "2017-Q2", "2016-Q4", "2017-12", "2017-Q3", "all"]), "2017-Q3");
  assert.equal(L.latestQuarter(["2016-Q4", "2017-Q1", "2018-Q1", "2017-Q4"]), "2018-Q1");
});

test("with no quarter holding data the board shows all time", () => {
  assert.equal(L.latestQuarter([]), "all");
  assert.equal(L.latestQuarter(["2017", "all"]), "all");
});

test("a connection is stale when closed, silent for over ten seconds, or not live", () => {
  assert.equal(L.isStale({ open: true, lastHeard: 0, now: 10000, live: true }), false);
  assert.equal(L.isStale({ open: true, lastHeard: 0, now: 10001, live: true }), true);
  assert.equal(L.isStale({ open: false, lastHeard: 0, now: 1, live: true }), true);
  assert.equal(L.isStale({ open: true, lastHeard: 0, now: 1, live: false }), true);
});

test("money keeps its cents and gets thousands separators without passing through a float", () => {
  assert.equal(L.formatScore("10005534.00", "revenue"), "10,005,534.00");
  assert.equal(L.formatScore("9007199254740993.01", "revenue"), "9,007,199,254,740,993.01");
  assert.equal(L.formatScore("1054", "revenue"), "1,054.00");
  assert.equal(L.formatScore("0.5", "revenue"), "0.50");
  assert.equal(L.formatScore("-1234.56", "revenue"), "-1,234.56");
  assert.equal(L.formatScore("999.99", "revenue"), "999.99");
  assert.equal(L.formatScore("1000.125", "revenue"), "1,000.125");
});

test("counts stay whole numbers and points keep what the wire says", () => {
  assert.equal(L.formatScore("4238", "deals"), "4,238");
  assert.equal(L.formatScore("0", "deals"), "0");
  assert.equal(L.formatScore("123456.5", "activity"), "123,456.5");
});

test("a score that is not a plain decimal is shown as it came", () => {
  assert.equal(L.formatScore("1E+3", "revenue"), "1E+3");
});

test("a bar is the score's share of the best score, and empty when nobody scored", () => {
  assert.equal(L.barPercent("250", 1000), 25);
  assert.equal(L.barPercent("-5", 1000), 0);
  assert.equal(L.barPercent("0", 0), 0);
});
