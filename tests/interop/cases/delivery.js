// SPDX-License-Identifier: MIT
// Delivery checks across the two relays: rooms, broadcast, leave, raw Redis publishes,
// heartbeats, and SIGTERM (run last: it stops relay A).
'use strict';

const assert = require('node:assert/strict');
const env = require('../lib/env');
const { DEFAULT_TIMEOUT_MS, waitFor, withTimeout } = require('../lib/harness');
const { BrowserClient } = require('../lib/browserclient');
const {
    ErrorCode, SPY_RECEIVERS, runTag, uniqueName, barrier, chatCopies, sendChatAndCheck, openClients,
    closeClients, test, lastTest,
} = require('../lib/checks');

test('a room message from relay A reaches members on A and B exactly once, and nobody else', async () => {
    const clients = await openClients({ a1: env.relayA, a2: env.relayA, a3: env.relayA, b1: env.relayB, b2: env.relayB, b3: env.relayB });
    const { a1, a2, a3, b1, b2, b3 } = clients;
    try {
        const room = uniqueName('room');
        for (const c of [a1, a2, b1, b2])
            await c.join(room);
        // a3 and b3 are in another room only, so that both relays hold other subscriptions too.
        const other = uniqueName('other');
        await a3.join(other);
        await b3.join(other);

        const text = `hello \u00e9\u00e8 "quoted" \\ \n ${uniqueName('chat')} \ud83c\udf0d`;
        const p1 = await sendChatAndCheck(a1, { type: 'message', roomId: room, user: 'alice', text },
                                          [a1, a2, b1, b2], [a3, b3]);
        assert.ok(p1.id.startsWith('node-a'), `message id ${p1.id} should name the publishing instance node-a`);

        // And the other way round, from relay B.
        const text2 = uniqueName('reply');
        const p2 = await sendChatAndCheck(b2, { type: 'message', roomId: room, user: 'bob', text: text2 },
                                          [a1, a2, b1, b2], [a3, b3]);
        assert.ok(p2.id.startsWith('node-b'), `message id ${p2.id} should name the publishing instance node-b`);
        assert.notEqual(p1.id, p2.id, 'message ids are unique');

        // A burst keeps its order and still arrives exactly once everywhere.
        const burst = [];
        for (let i = 0; i < 20; ++i) {
            const t = `${uniqueName('burst')}-${i}`;
            burst.push(t);
            (i % 2 ? b1 : a2).send({ type: 'message', roomId: room, user: i % 2 ? 'bob' : 'alice', text: t });
        }
        for (const c of [a1, a2, b1, b2])
            await c.expect((d) => d.type === 'message' && d.text === burst[burst.length - 1], 'the end of the burst');
        await barrier([a1, a2, a3, b1, b2, b3]);
        for (const c of [a1, a2, b1, b2]) {
            for (const t of burst)
                assert.equal(chatCopies(c, t).length, 1, `${c.name} must receive ${t} exactly once:\n${c.describe()}`);
            // Messages from one sender arrive in the order sent.
            for (const parity of [0, 1]) {
                const mine = burst.filter((_, i) => i % 2 === parity);
                const seen = c.matching((d) => d.type === 'message' && mine.includes(d.text)).map((m) => m.data.text);
                assert.deepEqual(seen, mine, `${c.name}: order of messages from one sender`);
            }
        }
        for (const c of [a3, b3])
            assert.equal(c.matching((d) => d.type === 'message').length, 0, `${c.name} is not in the room:\n${c.describe()}`);
    } finally {
        closeClients(clients);
    }
});

test('a message without roomId is broadcast to every client on both relays', async () => {
    const clients = await openClients({ a1: env.relayA, a2: env.relayA, b1: env.relayB, b2: env.relayB });
    const { a1, a2, b1, b2 } = clients;
    try {
        // Room membership does not matter for broadcasts.
        await a2.join(uniqueName('some-room'));
        const everyone = [a1, a2, b1, b2];
        await sendChatAndCheck(a1, { type: 'message', user: 'announcer', text: uniqueName('broadcast-a') }, everyone, []);
        await sendChatAndCheck(b2, { type: 'message', user: 'announcer', text: uniqueName('broadcast-b') }, everyone, []);
        // As in the seed (message.roomId ? room : broadcast), a null roomId is a broadcast.
        await sendChatAndCheck(b1, { type: 'message', roomId: null, user: 'announcer', text: uniqueName('broadcast-null') },
                               everyone, []);
    } finally {
        closeClients(clients);
    }
});

test('leave is acknowledged and stops delivery', async () => {
    const clients = await openClients({ a1: env.relayA, a2: env.relayA, b1: env.relayB });
    const { a1, a2, b1 } = clients;
    try {
        const room = uniqueName('leave');
        for (const c of [a1, a2, b1])
            await c.join(room);
        // Still a member: gets room messages.
        await sendChatAndCheck(b1, { type: 'message', roomId: room, user: 'bob', text: uniqueName('before-leave') },
                               [a1, a2, b1], []);

        const m = await a1.leave(room);
        assert.deepEqual(m.data, { type: 'left', roomId: room });

        // a2 keeps relay A subscribed to the room, so a1 is filtered by membership, not by the
        // subscription. A room message then a broadcast marker from the same sender: the
        // marker reaching a1 proves the room message had its chance to.
        const sameRelayRoomText = uniqueName('after-leave-local');
        const sameRelayMarker = uniqueName('marker-local');
        a2.send({ type: 'message', roomId: room, user: 'alice', text: sameRelayRoomText });
        a2.send({ type: 'message', user: 'alice', text: sameRelayMarker });
        await a1.expect((d) => d.type === 'message' && d.text === sameRelayMarker, 'the broadcast marker sent after the room message (same relay)');
        for (const c of [a2, b1])
            await c.expect((d) => d.type === 'message' && d.text === sameRelayRoomText, 'the room message sent after a1 left');

        const otherRelayRoomText = uniqueName('after-leave-remote');
        const otherRelayMarker = uniqueName('marker-remote');
        b1.send({ type: 'message', roomId: room, user: 'bob', text: otherRelayRoomText });
        b1.send({ type: 'message', user: 'bob', text: otherRelayMarker });
        await a1.expect((d) => d.type === 'message' && d.text === otherRelayMarker, 'the broadcast marker sent after the room message (other relay)');
        for (const c of [a2, b1])
            await c.expect((d) => d.type === 'message' && d.text === otherRelayRoomText, 'the room message sent after a1 left');

        await barrier([a1, a2, b1]);
        for (const t of [sameRelayRoomText, otherRelayRoomText])
            assert.equal(chatCopies(a1, t).length, 0, `a1 left ${room} but received ${JSON.stringify(t)}:\n${a1.describe()}`);

        // Leaving a room one is not in is acknowledged as well; rejoining works again.
        await a1.leave(uniqueName('never-joined'));
        await a1.join(room);
        await sendChatAndCheck(b1, { type: 'message', roomId: room, user: 'bob', text: uniqueName('after-rejoin') },
                               [a1, a2, b1], []);

        // The last member on relay B leaves: relay B drops the room, B's client stops getting it.
        await b1.leave(room);
        await sendChatAndCheck(a2, { type: 'message', roomId: room, user: 'alice', text: uniqueName('b-left') },
                               [a1, a2], [b1]);
    } finally {
        closeClients(clients);
    }
});

test('a raw Redis PUBLISH to room:<id> reaches room members byte for byte, and only them', async () => {
    const clients = await openClients({ a1: env.relayA, a2: env.relayA, b1: env.relayB, b2: env.relayB });
    const { a1, a2, b1, b2 } = clients;
    try {
        const room = uniqueName('svc');
        await a1.join(room);
        await b1.join(room);
        await a2.join(uniqueName('elsewhere'));
        // What a backend service might publish: any JSON, with its own spacing, key order, number
        // spelling and non-ASCII text; the relays must pass it through untouched.
        const tag = uniqueName('svc-payload');
        const payload = `{ "type" : "notification", "tag":"${tag}", "from":"billing-service", ` +
                        `"text":"Gr\u00f6\u00dfe \u2713 \ud83d\ude00 \\u00e9 \\"q\\"", "amount":12.50, "big":1e400, ` +
                        `"nested":{"a":[1, 2, {"b":null}], "t":true} }`;
        const receivers = await env.resp.command('PUBLISH', `room:${room}`, payload);
        assert.equal(receivers, 2 + SPY_RECEIVERS, 'PUBLISH room:<id> should reach both relays (one subscription each) and the spy');
        for (const c of [a1, b1]) {
            const m = await c.expect((d) => d.tag === tag, 'the backend payload');
            assert.equal(m.binary, false, `${c.name}: delivered as a text frame`);
            assert.ok(Buffer.from(m.raw, 'utf8').equals(Buffer.from(payload, 'utf8')),
                      `${c.name}: payload must arrive byte for byte\n  sent: ${payload}\n  got:  ${m.raw}`);
        }
        await barrier([a1, a2, b1, b2]);
        for (const c of [a1, b1])
            assert.equal(c.matching((d) => d.tag === tag).length, 1, `${c.name} must receive the backend payload once`);
        for (const c of [a2, b2])
            assert.equal(c.matching((d) => d.tag === tag).length, 0, `${c.name} is not in ${room}:\n${c.describe()}`);

        // A numeric room's channel is room:<number>.
        const numeric = 900001 + 2 * Math.floor(Math.random() * 49999);
        await a2.join(numeric);
        const tag2 = uniqueName('svc-numeric');
        const payload2 = `{"type":"notification","tag":"${tag2}"}`;
        assert.equal(await env.resp.command('PUBLISH', `room:${numeric}`, payload2), 1 + SPY_RECEIVERS);
        const m2 = await a2.expect((d) => d.tag === tag2, 'the backend payload for a numeric room');
        assert.equal(m2.raw, payload2);
    } finally {
        closeClients(clients);
    }
});

test('clients answer WebSocket pings and stay connected across heartbeats', async () => {
    const { a, b } = await openClients({ a: env.relayA, b: env.relayB });
    try {
        // The relays run with --ping-interval 0.5: a client that missed a pong would be closed.
        await waitFor(() => a.pings >= 3 && b.pings >= 3, 'three heartbeat pings on each client', 5000,
                      () => `${a.describe()} pings=${a.pings}\n${b.describe()} pings=${b.pings}`);
        assert.ok(a.isOpen && b.isOpen, 'clients survive heartbeats');
        await a.pingPong();
        await b.pingPong();
    } finally {
        closeClients({ a, b });
    }
});

lastTest('SIGTERM closes relay A\'s clients with 1001 while relay B carries on', async () => {
    const clients = await openClients({ a1: env.relayA, a2: env.relayA, b1: env.relayB });
    const { a1, a2, b1 } = clients;
    try {
        const room = uniqueName('shutdown');
        await a1.join(room);
        await b1.join(room);
        env.relayA.child.kill('SIGTERM');
        for (const c of [a1, a2]) {
            await waitFor(() => c.closeEvent, `${c.name} to be closed by relay A's shutdown`, 5000, () => c.describe());
            assert.equal(c.closeEvent.code, 1001, `${c.name}: close code after SIGTERM: ${JSON.stringify(c.closeEvent)}`);
        }
        await withTimeout(env.relayA.exitPromise, 5000, 'relay A to exit after SIGTERM');
        assert.equal(env.relayA.exitCode, 0, `relay A exit status after SIGTERM: ${env.relayA.exitCode ?? env.relayA.exitSignal}\n${env.relayA.output}`);
        // New connections to relay A are refused now.
        const refused = new BrowserClient('late', env.relayA.url);
        await assert.rejects(withTimeout(refused.opened, DEFAULT_TIMEOUT_MS, 'connection to the stopped relay to fail'));
        refused.close();

        // Relay B is unaffected.
        assert.ok(b1.isOpen, 'b1 stays connected');
        await b1.pingPong();
        await sendChatAndCheck(b1, { type: 'message', roomId: room, user: 'bob', text: uniqueName('after-a-stopped') }, [b1], []);
        await sendChatAndCheck(b1, { type: 'message', user: 'bob', text: uniqueName('broadcast-after-a-stopped') }, [b1], []);
    } finally {
        closeClients(clients);
    }
});
