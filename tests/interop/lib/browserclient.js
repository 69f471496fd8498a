// SPDX-License-Identifier: MIT
// A browser-like client: only the WebSocket API a browser offers is used to talk to the relay.
'use strict';

const assert = require('node:assert/strict');
const WebSocket = require('ws');
const { DEFAULT_TIMEOUT_MS, waitFor, withTimeout } = require('./harness');

const allClients = new Set();

class BrowserClient {
    constructor(name, url) {
        this.name = name;
        this.url = url;
        this.messages = []; // { raw, data, binary }
        this.closeEvent = null;
        this.errors = [];
        this.pings = 0;
        this.ws = new WebSocket(url);
        this.opened = new Promise((resolve, reject) => {
            this.ws.onopen = () => resolve();
            this.ws.onerror = (event) => {
                this.errors.push(event.message || String(event.error));
                reject(new Error(`${name}: WebSocket error before open: ${event.message}`));
            };
        });
        this.opened.catch(() => {});
        this.ws.onmessage = (event) => {
            let data;
            const binary = typeof event.data !== 'string';
            if (!binary) {
                try {
                    data = JSON.parse(event.data);
                } catch {
                    data = undefined;
                }
            }
            this.messages.push({ raw: event.data, data, binary });
        };
        this.ws.onclose = (event) => {
            this.closeEvent = { code: event.code, reason: event.reason, wasClean: event.wasClean };
        };
        // Not part of the browser API: only counts the relay's heartbeat pings, which `ws`
        // answers automatically exactly as browsers do.
        this.ws.on('ping', () => ++this.pings);
        allClients.add(this);
    }

    static async open(name, relay) {
        const c = new BrowserClient(name, relay.url);
        await withTimeout(c.opened, DEFAULT_TIMEOUT_MS, `${name} to connect to ${relay.url}`);
        return c;
    }

    get isOpen() {
        return this.ws.readyState === WebSocket.OPEN;
    }

    send(frame) {
        assert.ok(this.isOpen, `${this.name}: cannot send, the connection is not open (close: ${JSON.stringify(this.closeEvent)})`);
        this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    }

    sendBinary(bytes) {
        assert.ok(this.isOpen, `${this.name}: cannot send, the connection is not open`);
        this.ws.send(new Uint8Array(bytes));
    }

    mark() {
        return this.messages.length;
    }

    describe() {
        const shown = this.messages.slice(-12).map((m) => (m.binary ? '<binary>' : m.raw)).join('\n    ');
        return `  ${this.name} received ${this.messages.length} frame(s)` +
               (this.closeEvent ? `, closed ${JSON.stringify(this.closeEvent)}` : '') +
               (this.messages.length ? `; last ones:\n    ${shown}` : '');
    }

    matching(predicate, from = 0) {
        return this.messages.slice(from).filter((m) => m.data !== undefined && predicate(m.data, m));
    }

    // Waits for the first frame at index >= from whose parsed JSON satisfies predicate.
    async expect(predicate, description, from = 0, timeoutMs = DEFAULT_TIMEOUT_MS) {
        return waitFor(() => {
            for (let i = from; i < this.messages.length; ++i) {
                const m = this.messages[i];
                if (m.data !== undefined && predicate(m.data, m))
                    return m;
            }
            if (this.closeEvent)
                throw new Error(`${this.name}: connection closed (${JSON.stringify(this.closeEvent)}) while waiting for ${description}\n${this.describe()}`);
            return null;
        }, `${this.name} to receive ${description}`, timeoutMs, () => this.describe());
    }

    // Sends {"type":"ping"} and waits for {"type":"pong"}.
    async pingPong() {
        const from = this.mark();
        this.send({ type: 'ping' });
        const m = await this.expect((d) => d.type === 'pong', '{"type":"pong"}', from);
        assert.equal(m.raw, '{"type":"pong"}', `${this.name}: pong frame`);
    }

    async join(roomId) {
        const from = this.mark();
        this.send({ type: 'join', roomId });
        const m = await this.expect((d) => d.type === 'joined' && d.roomId === roomId,
                                    `{"type":"joined","roomId":${JSON.stringify(roomId)}}`, from);
        assert.equal(m.raw, JSON.stringify({ type: 'joined', roomId }), `${this.name}: joined frame`);
        return m;
    }

    async leave(roomId) {
        const from = this.mark();
        this.send({ type: 'leave', roomId });
        const m = await this.expect((d) => d.type === 'left' && d.roomId === roomId,
                                    `{"type":"left","roomId":${JSON.stringify(roomId)}}`, from);
        assert.equal(m.raw, JSON.stringify({ type: 'left', roomId }), `${this.name}: left frame`);
        return m;
    }

    close() {
        allClients.delete(this);
        if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
            this.ws.terminate();
    }
}

module.exports = { BrowserClient, allClients };
