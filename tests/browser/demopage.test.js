// SPDX-License-Identifier: MIT
//
// The development page (switchboard-relay --demo-page) in a real browser: a private redis-server,
// two relays with the page on, headless chromium (puppeteer-core) on relay 1's page and a Node
// `ws` client (tests/interop/node_modules) on relay 2. The page joins a room through its own
// form, the ws client joins the same room, they exchange messages both ways through Redis, and
// the test reads the page's DOM: the ws client's message is rendered (as text, markup included
// literally), the browser's message reached the ws client, errors and leaving are shown, and the
// page broke none of its Content-Security-Policy.
//
//   node demopage.test.js --relay <switchboard-relay> [--chromium /usr/bin/chromium]
//                         [--screenshot <file.png>]   (a conversation, for docs/screenshots)
//
// Exit code 0 when every check passes, 1 otherwise; every child process is stopped on the way out.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const puppeteer = require('puppeteer-core');

const interop = path.join(__dirname, '..', 'interop');
const WebSocket = require(path.join(interop, 'node_modules', 'ws'));
const env = require(path.join(interop, 'lib', 'env'));
const { startChild, stopChild, waitFor, withTimeout } = require(path.join(interop, 'lib', 'harness'));
const { startRedis } = require(path.join(interop, 'lib', 'servers'));

function parseArgs(argv) {
    const out = { relay: '', chromium: process.env.CHROMIUM || '/usr/bin/chromium', screenshot: '' };
    for (let i = 0; i < argv.length; ++i) {
        if (argv[i] === '--relay')
            out.relay = argv[++i];
        else if (argv[i] === '--chromium')
            out.chromium = argv[++i];
        else if (argv[i] === '--screenshot')
            out.screenshot = argv[++i];
        else
            throw new Error(`unexpected argument ${argv[i]}`);
    }
    if (!out.relay)
        throw new Error('--relay <path-to-switchboard-relay> is required');
    return out;
}

async function startRelay(binary, instanceId, redisPort) {
    const rec = startChild(`relay:${instanceId}`, binary,
                           ['--port', '0', '--bind', '127.0.0.1', '--redis', `redis://127.0.0.1:${redisPort}`,
                            '--instance-id', instanceId, '--ping-interval', '1', '--demo-page']);
    const match = await waitFor(() => {
        if (rec.exited)
            throw new Error(`relay ${instanceId} exited early; its output:\n${rec.output}`);
        return /development page \(--demo-page\) at (http:\/\/\S+)/.exec(rec.output) &&
               /listening on port (\d+) \(/.exec(rec.output);
    }, `relay ${instanceId} to listen with its page`, 10000, () => rec.output);
    rec.port = Number(match[1]);
    return rec;
}

function httpGet(port, target) {
    return new Promise((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path: target }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c) => { body += c; });
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
        }).on('error', reject);
    });
}

// A ws client of the seed's protocol that records what it receives.
async function wsClient(port, user) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, 'switchboard');
    const frames = [];
    ws.on('message', (data) => frames.push(JSON.parse(data.toString('utf8'))));
    await withTimeout(new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); }),
                      5000, `ws ${user} to connect`);
    return {
        ws, frames, user,
        send(frame) { ws.send(JSON.stringify(frame)); },
        waitFor(pred, what) { return waitFor(() => frames.find(pred), what, 10000, () => JSON.stringify(frames)); },
        async join(room) {
            this.send({ type: 'join', roomId: room });
            await this.waitFor((f) => f.type === 'joined' && f.roomId === room, `${user} joined ${room}`);
        },
        say(room, text) { this.send({ type: 'message', roomId: room, user, text }); },
    };
}

// The texts of the page's rendered messages: [{user, text, room, own}].
function renderedMessages(page) {
    return page.$$eval('#log li.message', (items) => items.map((li) => ({
        user: li.querySelector('.user').textContent,
        text: li.querySelector('.text').textContent,
        room: li.dataset.room,
        own: li.classList.contains('own'),
    })));
}

async function pageSays(page, text) {
    await page.type('#text', text);
    await page.keyboard.press('Enter');
}

const HOSTILE = 'hello from <b>node</b> & <img src=x onerror=alert(1)>, "ws" κόσμε';

async function run(options, browser, relays) {
    const [one, two] = relays;
    const answer = await httpGet(one.port, '/');
    assert.equal(answer.status, 200);
    assert.match(answer.headers['content-type'], /^text\/html/);
    assert.match(answer.headers['content-security-policy'], new RegExp(`connect-src 'self' ws://127\\.0\\.0\\.1:${one.port};`));
    assert.equal((await httpGet(one.port, '/nothing-here')).status, 404);
    console.log('ok - relay 1 serves the page at / with its policy, 404 elsewhere');

    const page = await browser.newPage();
    await page.setViewport({ width: 1180, height: 720 });
    const problems = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
        if (msg.type() === 'error' && !/favicon|status of 404/.test(msg.text() + (msg.location().url || '')))
            problems.push(`console: ${msg.text()}`);
    });
    await page.evaluateOnNewDocument(() => {
        document.addEventListener('securitypolicyviolation',
                                  (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(`http://127.0.0.1:${one.port}/`, { waitUntil: 'load' });
    await page.waitForSelector('#status[data-state="open"]', { timeout: 10000 });
    console.log('ok - the page loaded and connected back to its relay');

    await page.type('#name', 'ana');
    await page.type('#room', 'lobby');
    await page.click('#join');
    await page.waitForSelector('#rooms li[data-room="lobby"][data-state="joined"]', { timeout: 10000 });
    const bob = await wsClient(two.port, 'bob');
    await bob.join('lobby');
    console.log('ok - the page joined "lobby" on relay 1, the ws client on relay 2');

    bob.say('lobby', HOSTILE);
    await page.waitForFunction((t) => [...document.querySelectorAll('#log li.message .text')].some((e) => e.textContent === t),
                               { timeout: 10000 }, HOSTILE);
    const got = (await renderedMessages(page)).find((m) => m.text === HOSTILE);
    assert.deepEqual(got, { user: 'bob', text: HOSTILE, room: 'lobby', own: false });
    assert.equal(await page.$$eval('#log b, #log img', (e) => e.length), 0, 'markup in a message became elements');
    console.log('ok - the page rendered the ws client\'s message (relay 2 -> Redis -> relay 1), markup as text');

    await pageSays(page, 'hi bob, grüße from chromium');
    const fromPage = await bob.waitFor((f) => f.type === 'message' && f.user === 'ana', 'the browser\'s message at bob');
    assert.equal(fromPage.text, 'hi bob, grüße from chromium');
    assert.equal(fromPage.roomId, 'lobby');
    await page.waitForSelector('#log li.message.own', { timeout: 10000 });
    console.log('ok - the ws client got the browser\'s message (relay 1 -> Redis -> relay 2); the page shows it as its own');

    if (options.screenshot)
        await conversation(page, two, bob, options.screenshot);

    await page.type('#room', 'no spaces allowed');
    await page.click('#join');
    await page.waitForFunction(() => [...document.querySelectorAll('#log li.error .code')].some((e) => e.textContent === 'invalid_room'),
                               { timeout: 10000 });
    assert.equal(await page.$('#rooms li[data-room="no spaces allowed"]'), null);
    console.log('ok - the relay\'s error is rendered and the refused room is not listed');

    await page.click('#rooms li[data-room="lobby"] button');
    await page.waitForFunction(() => !document.querySelector('#rooms li[data-room="lobby"]') &&
                               [...document.querySelectorAll('#log li.event')].some((e) => e.textContent.includes('left #lobby')),
                               { timeout: 10000 });
    console.log('ok - leaving is shown and the room is no longer listed');

    assert.deepEqual(problems, []);
    console.log('ok - no script error and no Content-Security-Policy violation');
    bob.ws.close();
}

// A few more lines for the picture in docs/screenshots/.
async function conversation(page, relay, bob, file) {
    const cy = await wsClient(relay.port, 'cy');
    await cy.join('lobby');
    await page.type('#room', 'ops');
    await page.click('#join');
    await page.waitForSelector('#rooms li[data-room="ops"][data-state="joined"]', { timeout: 10000 });
    await page.select('#target', 'lobby');
    cy.say('lobby', 'joined from relay 2 too: is the deploy done?');
    await pageSays(page, 'yes, rolled out to both relays');
    bob.say('lobby', 'great, thanks!');
    bob.send({ type: 'message', user: 'bob', text: 'broadcast: lunch in 10 minutes' });
    await page.waitForFunction(() => document.querySelectorAll('#log li.message').length >= 6, { timeout: 10000 });
    await page.type('#text', 'see you there');
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    await page.screenshot({ path: file });
    await page.$eval('#text', (e) => { e.value = ''; });
    cy.ws.close();
    console.log(`# screenshot written to ${file}`);
}

(async () => {
    const options = parseArgs(process.argv.slice(2));
    env.tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-demopage-'));
    const children = [];
    let browser = null;
    let failed = false;
    try {
        const redis = await startRedis();
        children.push(redis);
        const relays = await Promise.all([startRelay(options.relay, 'page-1', redis.port),
                                          startRelay(options.relay, 'page-2', redis.port)]);
        children.push(...relays);
        console.log(`# redis-server on ${redis.port}; relays with --demo-page on ${relays.map((r) => r.port).join(' and ')}`);
        browser = await puppeteer.launch({ executablePath: options.chromium, headless: true,
                                           args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
        await run(options, browser, relays);
    } catch (err) {
        failed = true;
        console.log(`not ok - ${String(err.stack || err).split('\n').join('\n  ')}`);
    } finally {
        if (browser)
            await browser.close().catch(() => {});
        for (const rec of children.reverse())
            await stopChild(rec);
    }
    console.log(failed ? '# failed' : '# every check passed');
    process.exit(failed ? 1 : 0);
})();
