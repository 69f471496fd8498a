// SPDX-License-Identifier: MIT
// Protocol checks: error codes, join acks, ping, bad input, JSON edge cases.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const assert = require('node:assert/strict');
const env = require('../lib/env');
const { DEFAULT_TIMEOUT_MS, waitFor, withTimeout } = require('../lib/harness');
const { BrowserClient } = require('../lib/browserclient');
const {
    ErrorCode, SPY_RECEIVERS, runTag, uniqueName, barrier, chatCopies, sendChatAndCheck, openClients,
    closeClients, test, lastTest,
} = require('../lib/checks');

test('error codes match relay/relayprotocol.h', async () => {
    const header = path.resolve(__dirname, '../../../relay/relayprotocol.h');
    assert.ok(fs.existsSync(header), `${header} is missing: the codes in lib/checks.js cannot be checked`);
    const text = fs.readFileSync(header, 'utf8');
    for (const [name, code] of Object.entries(ErrorCode)) {
        const re = new RegExp(`\\b${name}\\[\\]\\s*=\\s*"([^"]*)"`);
        const m = re.exec(text);
        assert.ok(m, `relayprotocol.h no longer defines Error::${name}`);
        assert.equal(m[1], code, `Error::${name} in relayprotocol.h`);
    }
});

test('join acks echo a string room id', async () => {
    const { a, b } = await openClients({ a: env.relayA, b: env.relayB });
    try {
        const room = uniqueName('lobby');
        const m = await a.join(room);
        assert.deepEqual(m.data, { type: 'joined', roomId: room });
        await b.join(room);
        // Joining twice is acknowledged again.
        await a.join(room);
        // Room ids are free text: spaces, quotes and non-ASCII are echoed unchanged.
        const fancy = `r\u00e4um "${uniqueName('x')}" \u2713 \ud83d\ude00`;
        const f = await b.join(fancy);
        assert.equal(f.data.roomId, fancy);
    } finally {
        closeClients({ a, b });
    }
});

test('join acks echo a numeric room id as a number', async () => {
    const { a, b } = await openClients({ a: env.relayA, b: env.relayB });
    try {
        const room = 100001 + 2 * Math.floor(Math.random() * 400000);
        const m = await a.join(room);
        assert.equal(typeof m.data.roomId, 'number', 'roomId must come back as a number');
        assert.equal(m.raw, `{"type":"joined","roomId":${room}}`);
        await b.join(room);
        const fractional = room + 0.5;
        const f = await a.join(fractional);
        assert.equal(f.raw, `{"type":"joined","roomId":${fractional}}`);
        // Messages in a numeric room carry the number too, across relays.
        const payload = await sendChatAndCheck(b, { type: 'message', roomId: room, user: 'num', text: uniqueName('numeric-room') },
                                               [a, b], []);
        assert.equal(typeof payload.roomId, 'number');
    } finally {
        closeClients({ a, b });
    }
});

test('{"type":"ping"} is answered with {"type":"pong"}', async () => {
    const { a, b } = await openClients({ a: env.relayA, b: env.relayB });
    try {
        for (const c of [a, b]) {
            const from = c.mark();
            c.send('{"type":"ping"}');
            const m = await c.expect((d) => d.type === 'pong', 'pong', from);
            assert.equal(m.raw, '{"type":"pong"}');
            assert.equal(m.binary, false);
            await c.pingPong();
        }
    } finally {
        closeClients({ a, b });
    }
});

test('bad input gets {"type":"error","code":...} and the connection keeps working', async () => {
    const { a, b } = await openClients({ a: env.relayA, b: env.relayB });
    try {
        const cases = [
            ['not json', ErrorCode.InvalidJson],
            ['{"type":"ping"', ErrorCode.InvalidJson],
            ['[]', ErrorCode.NotAnObject],
            ['{}', ErrorCode.MissingType],
            ['{"type":42}', ErrorCode.InvalidType],
            ['{"type":"dance"}', ErrorCode.UnknownType],
            ['{"type":"join"}', ErrorCode.MissingField],
            ['{"type":"leave"}', ErrorCode.MissingField],
            ['{"type":"join","roomId":{"id":1}}', ErrorCode.InvalidField],
            ['{"type":"message","roomId":"r","user":"u","text":5}', ErrorCode.InvalidField],
            ['{"type":"message","user":"u","text":5}', ErrorCode.InvalidField],
        ];
        for (const c of [a, b]) {
            for (const [frame, code] of cases) {
                const from = c.mark();
                c.send(frame);
                const m = await c.expect((d) => d.type === 'error', `an error for ${frame}`, from);
                assert.equal(m.data.code, code, `${c.name}: error code for ${frame}: ${m.raw}`);
                assert.deepEqual(Object.keys(m.data), ['type', 'code', 'message'], `${c.name}: error frame keys: ${m.raw}`);
                assert.equal(typeof m.data.message, 'string', `${c.name}: error message for ${frame}`);
                assert.ok(m.data.message.length > 0, `${c.name}: error message for ${frame} must not be empty`);
                await c.pingPong();
            }
            const from = c.mark();
            c.sendBinary([0x7b, 0x22, 0x74, 0x79, 0x70, 0x65, 0x22, 0x3a, 0x22, 0x70, 0x69, 0x6e, 0x67, 0x22, 0x7d]); // {"type":"ping"}
            const m = await c.expect((d) => d.type === 'error', 'an error for a binary frame', from);
            assert.equal(m.data.code, ErrorCode.BinaryNotSupported, `${c.name}: error code for a binary frame: ${m.raw}`);
            assert.equal(c.matching((d) => d.type === 'pong', from).length, 0, `${c.name}: a binary frame must not be executed`);
            await c.pingPong();
            assert.ok(c.isOpen, `${c.name}: still open after bad input`);
            assert.equal(c.closeEvent, null);
        }
        // Errors are private: the other client saw none of them.
        await barrier([a, b]);
        const errorsSeenByA = a.matching((d) => d.type === 'error').length;
        assert.equal(errorsSeenByA, cases.length + 1, `a: one error per bad frame, got ${errorsSeenByA}`);
    } finally {
        closeClients({ a, b });
    }
});

test('a top-level JSON scalar is answered with not_an_object, not invalid_json', async () => {
    // "ping", 42, null and true are valid JSON (RFC 8259; JSON.parse accepts them, the seed then
    // ignores them as they have no .type), so invalid_json is the wrong code.
    const { a } = await openClients({ a: env.relayA });
    try {
        const wrong = [];
        for (const frame of ['"ping"', '42', 'null', 'true']) {
            const from = a.mark();
            a.send(frame);
            const m = await a.expect((d) => d.type === 'error', `an error for ${frame}`, from);
            if (m.data.code !== ErrorCode.NotAnObject)
                wrong.push(`sent ${frame}, expected code ${ErrorCode.NotAnObject}, got ${m.raw}`);
            await a.pingPong(); // the connection keeps working either way
        }
        if (wrong.length)
            assert.fail(wrong.join('\n'));
    } finally {
        closeClients({ a });
    }
});

test('a 4 MiB message is refused with a 1009 close frame that reaches ws, while it is still sending', async () => {
    // The relay's limit is 64 KiB: it fails the connection as soon as the frame header announces
    // 4 MiB, sends close 1009 and lingers (reading and discarding) so the kernel does not reset
    // the connection under the close frame. Five tries: a lost close frame shows up as 1006.
    const codes = [];
    for (let i = 0; i < 5; ++i) {
        const { a } = await openClients({ a: i % 2 ? env.relayB : env.relayA });
        try {
            a.send('x'.repeat(4 * 1024 * 1024));
            await waitFor(() => a.closeEvent, `${a.name} to be closed after its 4 MiB message`, DEFAULT_TIMEOUT_MS, () => a.describe());
            codes.push(a.closeEvent.code);
        } finally {
            closeClients({ a });
        }
    }
    assert.deepEqual(codes, [1009, 1009, 1009, 1009, 1009], `close codes seen by ws: ${codes.join(', ')}`);
});

test('numeric room ids are spelled as JavaScript spells them (room:100000, not room:1e+05)', async () => {
    // The seed builds channel names with a template string (`room:${roomId}`) and acks with
    // JSON.stringify, so roomId 100000 is channel room:100000 and is echoed as 100000.
    const { a } = await openClients({ a: env.relayA });
    try {
        const wrong = [];
        for (const room of [100000, 1000000, 5e20, 123456789012345680000, 1e21, 1e-7, 0.000025, -1e-7, 0.1 + 0.2, -42]) {
            const from = a.mark();
            a.send({ type: 'join', roomId: room });
            const m = await a.expect((d) => d.type === 'joined' && d.roomId === room, `joined ${room}`, from);
            if (m.raw !== JSON.stringify({ type: 'joined', roomId: room }))
                wrong.push(`sent {"type":"join","roomId":${JSON.stringify(room)}}, expected ${JSON.stringify({ type: 'joined', roomId: room })}, got ${m.raw}`);
            const tag = uniqueName('numeric-channel');
            const receivers = await env.resp.command('PUBLISH', `room:${room}`, JSON.stringify({ tag }));
            if (receivers !== 1 + SPY_RECEIVERS) {
                const channels = (await env.resp.command('PUBSUB', 'CHANNELS', 'room:*')).map(String).filter((c) => !c.includes(runTag));
                wrong.push(`PUBLISH room:${room} reached ${receivers - SPY_RECEIVERS} relay(s), expected 1 (the relays are subscribed to: ${channels.join(', ')})`);
            }
        }
        if (wrong.length)
            assert.fail(wrong.join('\n'));
    } finally {
        closeClients({ a });
    }
});

test('a lone UTF-16 surrogate in a chat text survives the round trip, as with JSON.stringify', async () => {
    // JSON.parse('"\\ud800x"') is a valid string and the seed's JSON.stringify writes it back
    // as "\\ud800x"; the relay must do the same rather than replace the surrogate.
    const { a } = await openClients({ a: env.relayA });
    try {
        const tag = uniqueName('surrogate');
        const text = `\ud800${tag}`;
        a.send(`{"type":"message","user":"u","text":"\\ud800${tag}"}`);
        const m = await a.expect((d) => d.type === 'message' && typeof d.text === 'string' && d.text.endsWith(tag), 'the chat message');
        assert.equal(m.data.text, text, `sent text "\\ud800${tag}", got ${m.raw}`);
    } finally {
        closeClients({ a });
    }
});
