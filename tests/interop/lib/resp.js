// SPDX-License-Identifier: MIT
// A minimal RESP client over node:net, and a spy that subscribes like a backend service.
'use strict';

const net = require('node:net');
const { DEFAULT_TIMEOUT_MS, waitFor, withTimeout } = require('./harness');


function encodeCommand(args) {
    const parts = [Buffer.from(`*${args.length}\r\n`)];
    for (const a of args) {
        const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'utf8');
        parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
    }
    return Buffer.concat(parts);
}

class RespError extends Error {}

// Parses one RESP2 value from buf at offset; returns { value, next } or null when incomplete.
function parseResp(buf, offset) {
    if (offset >= buf.length)
        return null;
    const lineEnd = buf.indexOf('\r\n', offset);
    if (lineEnd < 0)
        return null;
    const type = String.fromCharCode(buf[offset]);
    const line = buf.toString('utf8', offset + 1, lineEnd);
    const after = lineEnd + 2;
    switch (type) {
    case '+':
        return { value: line, next: after };
    case '-':
        return { value: new RespError(line), next: after };
    case ':':
        return { value: Number(line), next: after };
    case '$': {
        const len = Number(line);
        if (len < 0)
            return { value: null, next: after };
        if (buf.length < after + len + 2)
            return null;
        return { value: buf.subarray(after, after + len), next: after + len + 2 };
    }
    case '*': {
        const count = Number(line);
        if (count < 0)
            return { value: null, next: after };
        const items = [];
        let pos = after;
        for (let i = 0; i < count; ++i) {
            const item = parseResp(buf, pos);
            if (!item)
                return null;
            items.push(item.value);
            pos = item.next;
        }
        return { value: items, next: pos };
    }
    default:
        throw new Error(`RESP: unexpected type byte ${JSON.stringify(type)}`);
    }
}

class RespClient {
    static connect(port, timeoutMs = 2000) {
        return new Promise((resolve, reject) => {
            const socket = net.createConnection({ host: '127.0.0.1', port });
            const timer = setTimeout(() => {
                socket.destroy();
                reject(new Error(`RESP: connect to 127.0.0.1:${port} timed out`));
            }, timeoutMs);
            socket.once('connect', () => {
                clearTimeout(timer);
                socket.removeAllListeners('error');
                resolve(new RespClient(socket));
            });
            socket.once('error', (err) => {
                clearTimeout(timer);
                reject(err);
            });
        });
    }

    constructor(socket) {
        this.socket = socket;
        this.buffer = Buffer.alloc(0);
        this.pending = [];
        this.failure = null;
        socket.setNoDelay(true);
        socket.on('data', (chunk) => {
            this.buffer = Buffer.concat([this.buffer, chunk]);
            for (;;) {
                let parsed;
                try {
                    parsed = parseResp(this.buffer, 0);
                } catch (err) {
                    this.fail(err);
                    return;
                }
                if (!parsed)
                    break;
                this.buffer = this.buffer.subarray(parsed.next);
                const waiter = this.pending.shift();
                if (!waiter) {
                    this.fail(new Error('RESP: unsolicited reply'));
                    return;
                }
                if (parsed.value instanceof RespError)
                    waiter.reject(parsed.value);
                else
                    waiter.resolve(parsed.value);
            }
        });
        socket.on('error', (err) => this.fail(err));
        socket.on('close', () => this.fail(new Error('RESP: connection closed')));
    }

    fail(err) {
        if (!this.failure)
            this.failure = err;
        for (const w of this.pending.splice(0))
            w.reject(err);
        this.socket.destroy();
    }

    command(...args) {
        if (this.failure)
            return Promise.reject(this.failure);
        return withTimeout(new Promise((resolve, reject) => {
            this.pending.push({ resolve, reject });
            this.socket.write(encodeCommand(args));
        }), DEFAULT_TIMEOUT_MS, `redis reply to ${args[0]}`);
    }

    close() {
        this.socket.removeAllListeners('close');
        this.socket.destroy();
    }
}

// Listens like a backend service would: SUBSCRIBE broadcast and PSUBSCRIBE room:*, recording
// every { channel, payload } Redis delivers.
class RespSpy {
    static async connect(port) {
        const socket = await new Promise((resolve, reject) => {
            const s = net.createConnection({ host: '127.0.0.1', port });
            s.once('connect', () => {
                s.removeAllListeners('error');
                resolve(s);
            });
            s.once('error', reject);
        });
        const spy = new RespSpy(socket);
        socket.write(encodeCommand(['SUBSCRIBE', 'broadcast']));
        socket.write(encodeCommand(['PSUBSCRIBE', 'room:*']));
        await waitFor(() => {
            if (spy.failure)
                throw spy.failure;
            return spy.confirmed >= 2;
        }, 'the Redis spy\'s subscriptions to be confirmed');
        return spy;
    }

    constructor(socket) {
        this.socket = socket;
        this.buffer = Buffer.alloc(0);
        this.messages = [];
        this.confirmed = 0;
        this.failure = null;
        socket.on('data', (chunk) => {
            this.buffer = Buffer.concat([this.buffer, chunk]);
            for (;;) {
                let parsed;
                try {
                    parsed = parseResp(this.buffer, 0);
                } catch (err) {
                    this.failure = err;
                    socket.destroy();
                    return;
                }
                if (!parsed)
                    break;
                this.buffer = this.buffer.subarray(parsed.next);
                const v = parsed.value;
                if (!Array.isArray(v))
                    continue;
                const kind = String(v[0]);
                if (kind === 'subscribe' || kind === 'psubscribe')
                    ++this.confirmed;
                else if (kind === 'message')
                    this.messages.push({ channel: String(v[1]), payload: Buffer.from(v[2]) });
                else if (kind === 'pmessage')
                    this.messages.push({ channel: String(v[2]), payload: Buffer.from(v[3]) });
            }
        });
        socket.on('error', (err) => {
            this.failure = this.failure || err;
        });
    }

    close() {
        this.socket.destroy();
    }
}

module.exports = { encodeCommand, parseResp, RespError, RespClient, RespSpy };
