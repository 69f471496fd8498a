// SPDX-License-Identifier: MIT
//
// Interop test: drives two switchboard-relay instances sharing one private redis-server from
// Node.js with the `ws` package, using only the browser WebSocket API surface
// (new WebSocket(url), onopen/onmessage/onclose, JSON text frames) the way a client of the
// seed's Node.js server would.
//
//   node interop.test.js --relay <path-to-switchboard-relay>
//
// Exit code 0 when every check passes, 1 otherwise. Every child process it starts (redis-server,
// the relays) is stopped on the way out, on failure too.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const env = require('./lib/env');
const { OVERALL_TIMEOUT_MS, stopChild, removeTempDir, abandon, delay } = require('./lib/harness');
const { RespClient, RespSpy } = require('./lib/resp');
const { startRedis, startRelay } = require('./lib/servers');
const { allClients } = require('./lib/browserclient');
const { SPY_RECEIVERS, tests } = require('./lib/checks');

// ---------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
    const out = { relay: process.env.SWITCHBOARD_RELAY_BINARY || '', verbose: false };
    for (let i = 0; i < argv.length; ++i) {
        const a = argv[i];
        if (a === '--relay') {
            out.relay = argv[++i] || '';
        } else if (a.startsWith('--relay=')) {
            out.relay = a.slice('--relay='.length);
        } else if (a === '--verbose' || a === '-v') {
            out.verbose = true;
        } else if (a === '--help' || a === '-h') {
            console.log('usage: node interop.test.js --relay <path-to-switchboard-relay> [--verbose]\n' +
                        '  --verbose  echo the output of redis-server and the relays');
            process.exit(0);
        } else {
            console.error(`interop: unexpected argument '${a}'`);
            process.exit(1);
        }
    }
    if (!out.relay) {
        console.error('interop: --relay <path-to-switchboard-relay> is required');
        process.exit(1);
    }
    try {
        fs.accessSync(out.relay, fs.constants.X_OK);
    } catch (err) {
        console.error(`interop: relay binary '${out.relay}' is not executable: ${err.message}`);
        process.exit(1);
    }
    return out;
}

env.options = parseArgs(process.argv.slice(2));

// The checks register themselves; lib/ has the harness, the RESP client, the servers and the
// browser-like client they use.
require('./cases/protocol');
require('./cases/delivery');

// ---------------------------------------------------------------------------------------------

async function main() {
    const started = Date.now();
    env.tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-interop-'));
    let failures = 0;
    try {
        env.redis = await startRedis();
        env.resp = await RespClient.connect(env.redis.port);
        env.spy = await RespSpy.connect(env.redis.port);
        [env.relayA, env.relayB] = await Promise.all([startRelay('node-a', env.redis.port), startRelay('node-b', env.redis.port)]);
        console.log(`# redis-server on 127.0.0.1:${env.redis.port}; relay node-a on ${env.relayA.url}, node-b on ${env.relayB.url}`);
        // Each relay subscribes to "broadcast" right after it starts; wait until Redis has both.
        const deadline = Date.now() + 10000;
        for (;;) {
            const reply = await env.resp.command('PUBSUB', 'NUMSUB', 'broadcast');
            if (Number(reply[1]) >= 2 + SPY_RECEIVERS)
                break;
            if (Date.now() > deadline)
                throw new Error(`the relays did not both subscribe to "broadcast" (PUBSUB NUMSUB says ${reply[1] - SPY_RECEIVERS} besides the spy)`);
            await delay(10); // polling interval
        }

        // The SIGTERM check stops relay A, so it runs last.
        const ordered = [...tests.filter((t) => !t.last), ...tests.filter((t) => t.last)];
        for (const t of ordered) {
            const t0 = Date.now();
            try {
                await t.fn();
                console.log(`ok - ${t.name} (${Date.now() - t0} ms)`);
            } catch (err) {
                ++failures;
                console.log(`not ok - ${t.name}`);
                console.log(String(err && err.stack ? err.stack : err).replace(/^/gm, '    '));
            }
        }
    } catch (err) {
        ++failures;
        console.log(`not ok - setup`);
        console.log(String(err && err.stack ? err.stack : err).replace(/^/gm, '    '));
    } finally {
        for (const c of [...allClients])
            c.close();
        if (env.resp)
            env.resp.close();
        if (env.spy)
            env.spy.close();
        const relayLogs = [env.relayA, env.relayB].filter(Boolean).map((r) => ({ name: r.name, rec: r }));
        await Promise.all([stopChild(env.relayA), stopChild(env.relayB)]);
        await stopChild(env.redis);
        if (failures) {
            for (const { name, rec } of relayLogs)
                console.log(`# ${name} output:\n${rec.output.replace(/^/gm, '#   ')}`);
            if (env.redis)
                console.log(`# redis-server output:\n${env.redis.output.replace(/^/gm, '#   ')}`);
        }
        removeTempDir();
    }
    console.log(`# ${tests.length} checks, ${failures} failure(s), ${Date.now() - started} ms`);
    return failures ? 1 : 0;
}

const watchdog = setTimeout(() => {
    console.log(`not ok - the whole run took longer than ${OVERALL_TIMEOUT_MS} ms`);
    for (const c of allClients)
        console.log(c.describe());
    abandon('overall time limit reached');
}, OVERALL_TIMEOUT_MS);
watchdog.unref();

main().then((code) => {
    process.exitCode = code;
    clearTimeout(watchdog);
    // Let the sockets finish closing, then exit deterministically.
    setImmediate(() => process.exit(code));
}, (err) => abandon(`fatal: ${err && err.stack ? err.stack : err}`));
