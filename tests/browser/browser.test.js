// SPDX-License-Identifier: MIT
//
// Browser test: a real browser (Debian's chromium, driven by puppeteer-core) talks to a
// switchboard-relay through the browser's own WebSocket, from a page served over HTTP on loopback
// (a page a developer would open). Checks what only a browser shows:
//   - joining a room and chatting works, non-ASCII text intact;
//   - a message over the relay's limit is answered with close code 1009 that reaches the page
//     (the relay's lingering close: closing with the browser's upload unread resets the
//     connection, and the page would see 1006 without a reason);
//   - a message fragmented by the browser's own framing arrives whole.
//
//   node browser.test.js --relay <path-to-switchboard-relay> [--chromium /usr/bin/chromium]
//
// Exit code 0 when every check passes, 1 otherwise. The relay and the browser are stopped on the
// way out, on failure too.
'use strict';

const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const http = require('node:http');
const puppeteer = require('puppeteer-core');

function parseArgs(argv) {
    const out = { relay: '', chromium: process.env.CHROMIUM || '/usr/bin/chromium' };
    for (let i = 0; i < argv.length; ++i) {
        if (argv[i] === '--relay')
            out.relay = argv[++i];
        else if (argv[i] === '--chromium')
            out.chromium = argv[++i];
        else
            throw new Error(`unexpected argument ${argv[i]}`);
    }
    if (!out.relay)
        throw new Error('--relay <path-to-switchboard-relay> is required');
    return out;
}

// Starts the relay on a free loopback port (in-process bus) and resolves with its ws:// URL.
function startRelay(binary) {
    return new Promise((resolve, reject) => {
        const child = spawn(binary, ['--in-process', '--port', '0', '--bind', '127.0.0.1', '--ping-interval', '1'],
                            { stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        const onData = (chunk) => {
            output += chunk;
            const m = /listening on port (\d+)/.exec(output);
            if (m)
                resolve({ child, url: `ws://127.0.0.1:${m[1]}/` });
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('exit', (code) => reject(new Error(`relay exited with ${code}: ${output}`)));
        setTimeout(() => reject(new Error(`relay did not start: ${output}`)), 10000);
    });
}

function servePage() {
    const server = http.createServer((req, res) => {
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.end('<!doctype html><title>switchboard browser test</title><body></body>');
    });
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// In the page: opens a socket, runs the given steps, resolves with everything that happened.
async function inPage(page, url, script) {
    return page.evaluate((u, body) => {
        const run = new Function('url', 'done', body); // eslint-disable-line no-new-func
        return new Promise((resolve) => {
            const timer = setTimeout(() => resolve({ timeout: true }), 10000);
            run(u, (result) => { clearTimeout(timer); resolve(result); });
        });
    }, url, script);
}

const checks = [];
function check(name, fn) {
    checks.push({ name, fn });
}

check('a browser joins a room and chats, non-ASCII text intact', async (page, url) => {
    const r = await inPage(page, url, `
        const ws = new WebSocket(url, ['switchboard']);
        const got = [];
        ws.onopen = () => ws.send(JSON.stringify({ type: 'join', roomId: 'lobby' }));
        ws.onmessage = (e) => {
            const m = JSON.parse(e.data);
            got.push(m);
            if (m.type === 'joined')
                ws.send(JSON.stringify({ type: 'message', roomId: 'lobby', user: 'ana', text: 'grüße 🚀 κόσμε' }));
            if (m.type === 'message') { ws.close(1000, 'done'); }
        };
        ws.onclose = (e) => done({ got, protocol: ws.protocol, code: e.code, clean: e.wasClean });`);
    assert.equal(r.protocol, 'switchboard');
    assert.deepEqual(r.got[0], { type: 'joined', roomId: 'lobby' });
    assert.equal(r.got[1].text, 'grüße 🚀 κόσμε');
    assert.equal(r.got[1].user, 'ana');
    assert.equal(r.code, 1000);
    assert.equal(r.clean, true);
});

check('a 60 KiB message (one browser frame, under the limit) arrives whole', async (page, url) => {
    const r = await inPage(page, url, `
        const ws = new WebSocket(url);
        const text = 'ä'.repeat(30000);
        ws.onopen = () => ws.send(JSON.stringify({ type: 'message', user: 'big', text }));
        ws.onmessage = (e) => { const m = JSON.parse(e.data); ws.close(); done({ same: m.text === text, length: m.text.length }); };`);
    assert.equal(r.same, true, JSON.stringify(r));
});

check('a 2 MiB message gets close code 1009 in the page, 7 times of 7', async (page, url) => {
    const codes = [];
    for (let i = 0; i < 7; ++i) {
        const r = await inPage(page, url, `
            const ws = new WebSocket(url);
            ws.onopen = () => ws.send('x'.repeat(2 * 1024 * 1024));
            ws.onclose = (e) => done({ code: e.code, reason: e.reason });`);
        codes.push(`${r.code} ${r.reason}`);
    }
    assert.deepEqual(codes, Array(7).fill('1009 message too big'));
});

check('the connection survives heartbeat rounds (the browser answers pings)', async (page, url) => {
    const r = await inPage(page, url, `
        const ws = new WebSocket(url);
        ws.onopen = () => setTimeout(() => ws.send('{"type":"ping"}'), 2500); // 2 rounds of --ping-interval 1
        ws.onmessage = (e) => { ws.close(); done({ answer: e.data }); };
        ws.onclose = (e) => done({ closed: e.code });`);
    assert.equal(r.answer, '{"type":"pong"}', JSON.stringify(r));
});

(async () => {
    const options = parseArgs(process.argv.slice(2));
    let relay = null;
    let browser = null;
    let server = null;
    let failures = 0;
    try {
        relay = await startRelay(options.relay);
        server = await servePage();
        browser = await puppeteer.launch({ executablePath: options.chromium, headless: true,
                                           args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
        const page = await browser.newPage();
        await page.goto(`http://127.0.0.1:${server.address().port}/`);
        for (const { name, fn } of checks) {
            const started = Date.now();
            try {
                await fn(page, relay.url);
                console.log(`ok - ${name} (${Date.now() - started} ms)`);
            } catch (err) {
                ++failures;
                console.log(`not ok - ${name}\n  ${String(err.stack || err).split('\n').join('\n  ')}`);
            }
        }
    } catch (err) {
        ++failures;
        console.log(`not ok - setup: ${err.stack || err}`);
    } finally {
        if (browser)
            await browser.close().catch(() => {});
        if (server)
            server.close();
        if (relay)
            relay.child.kill('SIGKILL');
    }
    console.log(`# ${checks.length} checks, ${failures} failure(s)`);
    process.exit(failures ? 1 : 0);
})();
