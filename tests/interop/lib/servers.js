// SPDX-License-Identifier: MIT
// The private redis-server and the relays under test.
'use strict';

const net = require('node:net');
const env = require('./env');
const { startChild, stopChild, delay, waitFor } = require('./harness');
const { RespClient } = require('./resp');

// ---------------------------------------------------------------------------------------------
// redis-server and relays

function freeLoopbackPort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

async function startRedis() {
    let lastError = null;
    for (let attempt = 0; attempt < 5; ++attempt) {
        let port;
        do
            port = await freeLoopbackPort();
        while (port === 6379);
        const rec = startChild(`redis:${port}`, 'redis-server',
                               ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--port', String(port),
                                '--daemonize', 'no', '--dir', env.tempDir, '--loglevel', 'warning'],
                               { cwd: env.tempDir });
        rec.port = port;
        const deadline = Date.now() + 10000;
        while (Date.now() < deadline && !rec.exited) {
            try {
                const client = await RespClient.connect(port, 500);
                try {
                    const reply = await client.command('PING');
                    if (reply === 'PONG')
                        return rec;
                } finally {
                    client.close();
                }
            } catch (err) {
                lastError = err;
            }
            // Not a fixed wait for an event: a short back-off between connection attempts while
            // redis-server starts (it has no readiness signal other than answering).
            await delay(20);
        }
        if (rec.spawnError)
            throw new Error(`cannot start redis-server (is it on PATH?): ${rec.spawnError.message}`);
        lastError = new Error(`redis-server on port ${port} did not answer PING` +
                              (rec.exited ? ` (exited with ${rec.exitCode ?? rec.exitSignal})` : '') +
                              `; its output:\n${rec.output}`);
        await stopChild(rec);
    }
    throw lastError;
}

async function startRelay(instanceId, redisPort) {
    const rec = startChild(`relay:${instanceId}`, env.options.relay,
                           ['--port', '0', '--bind', '127.0.0.1', '--redis', `redis://127.0.0.1:${redisPort}`,
                            '--instance-id', instanceId, '--ping-interval', '0.5',
                            // The seed takes any room id; the relay's default (strict) does not.
                            '--room-ids', 'seed']);
    const match = await waitFor(() => {
        if (rec.exited)
            throw new Error(`relay ${instanceId} exited early (${rec.spawnError?.message ?? rec.exitCode ?? rec.exitSignal}); its output:\n${rec.output}`);
        return /listening on port (\d+) \(/.exec(rec.output);
    }, `relay ${instanceId} to log "listening on port <N> ("`, 10000, () => rec.output);
    rec.port = Number(match[1]);
    rec.url = `ws://127.0.0.1:${rec.port}`;
    rec.instanceId = instanceId;
    return rec;
}

module.exports = { freeLoopbackPort, startRedis, startRelay };
