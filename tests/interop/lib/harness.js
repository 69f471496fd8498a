// SPDX-License-Identifier: MIT
// Child processes that never outlive the run, and waiting helpers with deadlines.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const env = require('./env');

const DEFAULT_TIMEOUT_MS = 4000;
const OVERALL_TIMEOUT_MS = 50000;

// ---------------------------------------------------------------------------------------------
// Child processes: tracked so that nothing outlives this script.

const children = new Set();

function startChild(name, command, args, spawnOptions = {}) {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOptions });
    const rec = {
        name,
        child,
        output: '',
        exited: false,
        exitCode: null,
        exitSignal: null,
        spawnError: null,
    };
    rec.exitPromise = new Promise((resolve) => {
        child.on('exit', (code, signal) => {
            rec.exited = true;
            rec.exitCode = code;
            rec.exitSignal = signal;
            children.delete(rec);
            resolve();
        });
        child.on('error', (err) => {
            rec.spawnError = err;
            if (child.pid === undefined) {
                // Never started: there will be no 'exit'.
                rec.exited = true;
                children.delete(rec);
                resolve();
            }
        });
    });
    const collect = (chunk) => {
        rec.output += chunk.toString('utf8');
        if (env.options.verbose)
            process.stderr.write(chunk.toString('utf8').replace(/^(?=.)/gm, `[${name}] `));
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    children.add(rec);
    return rec;
}

async function stopChild(rec, graceMs = 3000) {
    if (!rec || rec.exited)
        return;
    try {
        rec.child.kill('SIGTERM');
    } catch {}
    const exited = await Promise.race([rec.exitPromise.then(() => true), delay(graceMs).then(() => false)]);
    if (!exited) {
        console.error(`interop: ${rec.name} did not exit ${graceMs} ms after SIGTERM; killing it`);
        try {
            rec.child.kill('SIGKILL');
        } catch {}
        await rec.exitPromise;
    }
}

function killAllChildrenNow() {
    for (const rec of children) {
        try {
            rec.child.kill('SIGKILL');
        } catch {}
    }
    children.clear();
}

function removeTempDir() {
    if (env.tempDir) {
        try {
            fs.rmSync(env.tempDir, { recursive: true, force: true });
        } catch {}
        env.tempDir = null;
    }
}

process.on('exit', () => {
    killAllChildrenNow();
    removeTempDir();
});
// Kills every child and waits (briefly) until they are reaped, then exits with code 1.
let abandoning = false;
function abandon(why) {
    console.error(`interop: ${why}; stopping`);
    if (abandoning)
        process.exit(1);
    abandoning = true;
    const waits = [...children].map((rec) => rec.exitPromise);
    killAllChildrenNow();
    Promise.race([Promise.all(waits), delay(1500)]).finally(() => process.exit(1));
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'])
    process.on(sig, () => abandon(`received ${sig}`));
process.on('uncaughtException', (err) => abandon(`uncaught exception: ${err && err.stack ? err.stack : err}`));
process.on('unhandledRejection', (err) => abandon(`unhandled rejection: ${err && err.stack ? err.stack : err}`));

// ---------------------------------------------------------------------------------------------
// Waiting helpers (no fixed sleeps: everything waits for a condition, with a deadline)

// Only used to bound waits, never to wait for an event to happen.
function delay(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

// Resolves with the first truthy value of predicate(), polled every few milliseconds; rejects
// with a message naming what was awaited when timeoutMs passes first.
async function waitFor(predicate, description, timeoutMs = DEFAULT_TIMEOUT_MS, diagnostics = null) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = predicate();
        if (value)
            return value;
        if (Date.now() >= deadline) {
            let message = `timed out after ${timeoutMs} ms waiting for ${description}`;
            if (diagnostics)
                message += `\n${diagnostics()}`;
            throw new Error(message);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
    }
}

// Rejects when promise does not settle within timeoutMs.
function withTimeout(promise, timeoutMs, description) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${description}`)),
                           timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

module.exports = {
    DEFAULT_TIMEOUT_MS, OVERALL_TIMEOUT_MS, children, startChild, stopChild, killAllChildrenNow,
    removeTempDir, abandon, delay, waitFor, withTimeout,
};
