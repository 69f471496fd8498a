// SPDX-License-Identifier: MIT
//
// Time to recover missed messages (issue 16): a client that left a room while N messages were
// published joins again with "since" (the offset of the last message it had) and receives every
// one of them; measured from the join to the N-th message, over several rounds. Publisher and
// recovering client are on different relays of one Redis.
//
//   node bench/recover.js --url ws://127.0.0.1:3001 --url ws://127.0.0.1:3002 [--missed 10000]
//                         [--rounds 5] [--size 100]
//
// Prints one JSON object: {"missed":N,"rounds":[{"joinedMs":..,"totalMs":..,"perSecond":..}],...}.
// Exits 1 when a round loses, repeats or reorders a message, or is not "recovered":true.
'use strict';

const path = require('node:path');
const WebSocket = require(path.join(__dirname, 'baseline', 'node_modules', 'ws'));

function parseArgs(argv) {
    const o = { urls: [], missed: 10000, rounds: 5, size: 100 };
    for (let i = 0; i < argv.length; ++i) {
        const a = argv[i], v = argv[i + 1];
        if (a === '--url') { o.urls.push(v); ++i; }
        else if (a === '--missed') { o.missed = Number(v); ++i; }
        else if (a === '--rounds') { o.rounds = Number(v); ++i; }
        else if (a === '--size') { o.size = Number(v); ++i; }
        else { console.error(`recover: unknown argument ${a}`); process.exit(2); }
    }
    if (o.urls.length < 1 || !(o.missed > 0) || !(o.rounds > 0) || !(o.size >= 1)) {
        console.error('recover: --url ws://host:port [--url ...] [--missed N] [--rounds N] [--size bytes]');
        process.exit(2);
    }
    return o;
}

// A client that queues what arrives and lets the caller wait for a predicate over it.
class Client {
    constructor(url) {
        this.ws = new WebSocket(url);
        this.frames = [];
        this.waiters = [];
        this.ws.on('message', (data) => {
            this.frames.push(JSON.parse(data.toString()));
            this.check();
        });
        this.ws.on('close', (code) => { this.closed = code; this.check(); });
    }
    open() {
        return new Promise((resolve, reject) => { this.ws.once('open', resolve); this.ws.once('error', reject); });
    }
    send(o) { this.ws.send(JSON.stringify(o)); }
    check() {
        this.waiters = this.waiters.filter((w) => {
            if (this.closed !== undefined) { w.reject(new Error(`closed with ${this.closed}`)); return false; }
            if (!w.pred()) return true;
            w.resolve();
            return false;
        });
    }
    until(pred, what, ms = 120000) {
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
            this.waiters.push({ pred, resolve: () => { clearTimeout(timer); resolve(); },
                                reject: (e) => { clearTimeout(timer); reject(e); } });
            this.check();
        });
    }
    close() { this.ws.close(); }
}

async function main() {
    const o = parseArgs(process.argv.slice(2));
    const room = `recover-${process.pid}-${Date.now()}`;
    const publisher = new Client(o.urls[o.urls.length - 1]);
    const reader = new Client(o.urls[0]);
    await Promise.all([publisher.open(), reader.open()]);
    const messages = (c) => c.frames.filter((f) => f.type === 'message' && f.roomId === room);
    const join = async (c, extra = {}) => {
        const before = c.frames.length;
        c.send({ type: 'join', roomId: room, ...extra });
        await c.until(() => c.frames.slice(before).some((f) => f.type === 'joined' && f.roomId === room), 'joined');
        return c.frames.slice(before).find((f) => f.type === 'joined' && f.roomId === room);
    };
    const leave = async (c) => {
        const before = c.frames.length;
        c.send({ type: 'leave', roomId: room });
        await c.until(() => c.frames.slice(before).some((f) => f.type === 'left'), 'left');
    };
    await join(publisher);
    await join(reader);
    const filler = 'x'.repeat(o.size);
    publisher.send({ type: 'message', roomId: room, user: 'p', text: `start ${filler}` });
    await reader.until(() => messages(reader).length === 1, 'the first message');
    let since = messages(reader)[0].offset;
    if (typeof since !== 'string') throw new Error('messages carry no "offset": is --history-size set?');
    const rounds = [];
    let sent = 1;
    for (let r = 0; r < o.rounds; ++r) {
        await leave(reader);
        const from = messages(publisher).length;
        for (let i = 0; i < o.missed; ++i)
            publisher.send({ type: 'message', roomId: room, user: 'p', text: `${r}:${i} ${filler}` });
        sent += o.missed;
        // The publisher is a member: its own messages come back from the bus once recorded.
        await publisher.until(() => messages(publisher).length === sent, `${o.missed} messages recorded`);
        const expected = messages(publisher).slice(from).map((m) => m.text);
        const seen = messages(reader).length;
        const t0 = process.hrtime.bigint();
        const joined = await join(reader, { since });
        const t1 = process.hrtime.bigint();
        if (joined.recovered !== true)
            throw new Error(`round ${r}: joined ${JSON.stringify(joined)}`);
        await reader.until(() => messages(reader).length >= seen + o.missed, `${o.missed} recovered messages`);
        const t2 = process.hrtime.bigint();
        const got = messages(reader).slice(seen);
        const texts = got.map((m) => m.text);
        if (texts.length !== expected.length || texts.some((t, i) => t !== expected[i]))
            throw new Error(`round ${r}: recovered ${texts.length} messages, not the ${expected.length} missed in order`);
        since = got[got.length - 1].offset;
        const totalMs = Number(t2 - t0) / 1e6;
        rounds.push({ joinedMs: Number(t1 - t0) / 1e6, totalMs, perSecond: o.missed / (totalMs / 1000) });
    }
    publisher.close();
    reader.close();
    const sorted = rounds.map((r) => r.totalMs).sort((a, b) => a - b);
    console.log(JSON.stringify({ missed: o.missed, size: o.size, rounds,
                                 medianTotalMs: sorted[Math.floor(sorted.length / 2)],
                                 maxTotalMs: sorted[sorted.length - 1] }));
}

main().then(() => process.exit(0), (e) => { console.error(`recover: ${e.message}`); process.exit(1); });
