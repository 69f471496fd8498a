// SPDX-License-Identifier: MIT
// The run's shared state: the options (set by interop.test.js), the temporary directory, the
// private redis-server, the RESP connections and the two relays (set by its main()).
'use strict';

module.exports = {
    options: { relay: '', verbose: false },
    tempDir: null,
    redis: null,  // child record
    resp: null,   // RespClient for PUBLISH / PUBSUB
    spy: null,    // RespSpy: what the relays publish
    relayA: null,
    relayB: null,
};
