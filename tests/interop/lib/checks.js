// SPDX-License-Identifier: MIT
// What the checks share: the protocol's error codes, unique names, the barrier, the chat
// message check, and the registry of checks that interop.test.js runs.
'use strict';

const assert = require('node:assert/strict');
const env = require('./env');
const { DEFAULT_TIMEOUT_MS, waitFor } = require('./harness');
const { BrowserClient } = require('./browserclient');

// The stable error codes of relay/relayprotocol.h (RelayProtocol::Error).
const ErrorCode = {
    InvalidJson: 'invalid_json',
    NotAnObject: 'not_an_object',
    MissingType: 'missing_type',
    InvalidType: 'invalid_type',
    UnknownType: 'unknown_type',
    MissingField: 'missing_field',
    InvalidField: 'invalid_field',
    BinaryNotSupported: 'binary_not_supported',
};

// ---------------------------------------------------------------------------------------------
// Test state and helpers

// PUBLISH replies count subscribed connections: one per relay subscribed, plus the spy.
const SPY_RECEIVERS = 1;
let unique = 0;
const runTag = `${process.pid.toString(36)}${Date.now().toString(36)}`;

function uniqueName(prefix) {
    return `${prefix}-${runTag}-${++unique}`;
}

// Publishes a marker on the broadcast channel with a raw RESP connection and waits until every
// given client has it. Redis delivers to each subscriber connection in the order it executes
// PUBLISH commands, and a relay forwards in the order it reads, so once a client holds the
// marker it holds everything published to Redis before it: anything absent by then will not
// arrive later.
async function barrier(clients) {
    const marker = { type: 'barrier', n: uniqueName('barrier') };
    const raw = JSON.stringify(marker);
    const receivers = await env.resp.command('PUBLISH', 'broadcast', raw);
    assert.ok(receivers >= 1, `PUBLISH broadcast reached ${receivers} subscriber(s)`);
    for (const c of clients)
        await c.expect((d) => d.type === 'barrier' && d.n === marker.n, `barrier ${marker.n}`);
}

function chatCopies(client, text) {
    return client.matching((d) => d.type === 'message' && d.text === text);
}

function assertChatMessage(client, m, expected, window) {
    const d = m.data;
    const where = `${client.name}: chat message ${m.raw}`;
    assert.equal(d.type, 'message', `${where}: type`);
    assert.equal(d.user, expected.user, `${where}: user`);
    assert.equal(d.text, expected.text, `${where}: text`);
    assert.equal(typeof d.timestamp, 'number', `${where}: timestamp must be a number`);
    assert.ok(Number.isInteger(d.timestamp), `${where}: timestamp must be whole milliseconds`);
    assert.ok(d.timestamp >= window.before - 1000 && d.timestamp <= window.after + 1000,
              `${where}: timestamp ${d.timestamp} is not Date.now() (ms) of the send, ` +
              `expected between ${window.before} and ${window.after}`);
    assert.equal(typeof d.id, 'string', `${where}: id must be a string`);
    assert.ok(d.id.length > 0, `${where}: id must not be empty`);
    // "relay" names the publishing relay process: the id without its sequence number.
    assert.equal(typeof d.relay, 'string', `${where}: relay must be a string`);
    assert.ok(d.id.startsWith(d.relay + '-'), `${where}: id ${d.id} must start with relay ${d.relay}-`);
    if ('roomId' in expected) {
        assert.equal(d.roomId, expected.roomId, `${where}: roomId`);
        assert.deepEqual(Object.keys(d), ['type', 'user', 'text', 'timestamp', 'roomId', 'id', 'relay'], `${where}: keys`);
    } else {
        assert.ok(!('roomId' in d), `${where}: a broadcast carries no roomId`);
        assert.deepEqual(Object.keys(d), ['type', 'user', 'text', 'timestamp', 'id', 'relay'], `${where}: keys`);
    }
}

// Sends a chat message from sender and checks that each recipient gets it exactly once (same
// bytes everywhere) and that nonRecipients never get it.
async function sendChatAndCheck(sender, frame, recipients, nonRecipients) {
    const before = Date.now();
    sender.send(frame);
    const copies = new Map();
    for (const c of recipients) {
        const m = await c.expect((d) => d.type === 'message' && d.text === frame.text,
                                 `chat message ${JSON.stringify(frame.text)}`);
        copies.set(c, m);
    }
    const window = { before, after: Date.now() };
    const expected = { user: frame.user, text: frame.text };
    if (frame.roomId !== undefined && frame.roomId !== null)
        expected.roomId = frame.roomId;
    // A backend subscriber sees the message on the seed's channel name, with the same bytes the
    // clients got. Once it has, Redis has executed the relay's PUBLISH: the barrier published
    // next reaches every relay after it, so duplicates could not arrive after the barrier.
    const channel = 'roomId' in expected ? `room:${expected.roomId}` : 'broadcast';
    const delivered = Buffer.from(copies.get(recipients[0]).raw, 'utf8');
    await waitFor(() => env.spy.messages.find((m) => m.payload.equals(delivered)),
                  `the relay to PUBLISH ${JSON.stringify(frame.text)} to Redis`, DEFAULT_TIMEOUT_MS,
                  () => `  Redis saw: ${env.spy.messages.slice(-8).map((m) => `${m.channel} ${m.payload}`).join('\n    ')}`);
    const published = env.spy.messages.filter((m) => m.payload.equals(delivered));
    assert.equal(published.length, 1, `the relay must PUBLISH ${JSON.stringify(frame.text)} once`);
    assert.equal(published[0].channel, channel, `channel of ${JSON.stringify(frame.text)} in Redis`);
    await barrier([...recipients, ...nonRecipients]);
    let firstRaw = null;
    for (const c of recipients) {
        const all = chatCopies(c, frame.text);
        assert.equal(all.length, 1, `${c.name} must receive ${JSON.stringify(frame.text)} exactly once, got ${all.length}:\n${c.describe()}`);
        assertChatMessage(c, all[0], expected, window);
        if (firstRaw === null)
            firstRaw = all[0].raw;
        else
            assert.equal(all[0].raw, firstRaw, `${c.name}: every recipient gets the same payload`);
    }
    for (const c of nonRecipients) {
        const all = chatCopies(c, frame.text);
        assert.equal(all.length, 0, `${c.name} must not receive ${JSON.stringify(frame.text)}:\n${c.describe()}`);
    }
    return JSON.parse(firstRaw);
}

async function openClients(spec) {
    const out = {};
    for (const [name, relay] of Object.entries(spec))
        out[name] = await BrowserClient.open(name, relay);
    return out;
}

function closeClients(clients) {
    for (const c of Object.values(clients))
        c.close();
}

const tests = [];
function test(name, fn) {
    tests.push({ name, fn });
}
function lastTest(name, fn) {
    tests.push({ name, fn, last: true });
}

module.exports = {
    ErrorCode, SPY_RECEIVERS, runTag, uniqueName, barrier, chatCopies, assertChatMessage,
    sendChatAndCheck, openClients, closeClients, tests, test, lastTest,
};
