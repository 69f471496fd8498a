// SPDX-License-Identifier: MIT
// The seed's WebSocket server ("Node.js WebSocket Server with Redis Pub/Sub", ../shared/seeds), as the
// article writes it: ws + ioredis, one subscriber and one publisher connection, rooms in a Map.
// Three changes, all for measuring: SEED_QUIET=1 turns the per-message console.log calls into no-ops
// (the benchmark runs it that way; with them every message costs a write to stdout); SEED_HEARTBEAT_MS
// sets the heartbeat's interval (default 30000, the article's 30 s; the idle-memory scenarios use a
// short one so that several ping rounds fit in a run); and the process exits on SIGTERM/SIGINT so the
// benchmark can stop it; the start-up line goes to stderr with the actual port (PORT=0 works).
'use strict';
const WebSocket = require('ws');
const Redis = require('ioredis');
const http = require('http');

if (process.env.SEED_QUIET === '1') {
    console.log = () => {};
}

// Create Redis clients (subscriber and publisher must be separate)
const subscriber = new Redis({
    host: process.env.REDIS_HOST || 'localhost',
    port: process.env.REDIS_PORT || 6379,
    retryStrategy: (times) => Math.min(times * 50, 2000)
});
const publisher = new Redis({
    host: process.env.REDIS_HOST || 'localhost',
    port: process.env.REDIS_PORT || 6379,
    retryStrategy: (times) => Math.min(times * 50, 2000)
});
// Create HTTP server and WebSocket server
const server = http.createServer();
const wss = new WebSocket.Server({ server });
// Track rooms and connected clients
const rooms = new Map(); // roomId -> Set of WebSocket connections
// Subscribe to Redis channels
subscriber.subscribe('broadcast', 'room:*');
// Handle Redis messages
subscriber.on('message', (channel, message) => {
    console.log(`Received from Redis [${channel}]:`, message);
    try {
        const data = JSON.parse(message);
        if (channel === 'broadcast') {
            // Broadcast to all connected clients
            wss.clients.forEach(client => {
                if (client.readyState === WebSocket.OPEN) {
                    client.send(message);
                }
            });
        } else if (channel.startsWith('room:')) {
            // Broadcast to specific room
            const roomId = channel.substring(5);
            const roomClients = rooms.get(roomId);
            if (roomClients) {
                roomClients.forEach(client => {
                    if (client.readyState === WebSocket.OPEN) {
                        client.send(message);
                    }
                });
            }
        }
        void data;
    } catch (err) {
        console.error('Error processing Redis message:', err);
    }
});
// Handle WebSocket connections
wss.on('connection', (ws) => {
    console.log('Client connected');
    ws.isAlive = true;
    ws.rooms = new Set();
    ws.on('pong', () => {
        ws.isAlive = true;
    });
    ws.on('message', (data) => {
        try {
            const message = JSON.parse(data);
            switch (message.type) {
            case 'join': {
                // Join a room
                const roomId = message.roomId;
                ws.rooms.add(roomId);
                if (!rooms.has(roomId)) {
                    rooms.set(roomId, new Set());
                    subscriber.subscribe(`room:${roomId}`);
                }
                rooms.get(roomId).add(ws);
                ws.send(JSON.stringify({
                    type: 'joined',
                    roomId: roomId
                }));
                break;
            }
            case 'leave': {
                // Leave a room
                const leaveRoomId = message.roomId;
                if (ws.rooms.has(leaveRoomId)) {
                    ws.rooms.delete(leaveRoomId);
                    const roomClients = rooms.get(leaveRoomId);
                    if (roomClients) {
                        roomClients.delete(ws);
                        if (roomClients.size === 0) {
                            rooms.delete(leaveRoomId);
                            subscriber.unsubscribe(`room:${leaveRoomId}`);
                        }
                    }
                }
                break;
            }
            case 'message': {
                // Publish message to Redis
                const channel = message.roomId ? `room:${message.roomId}` : 'broadcast';
                publisher.publish(channel, JSON.stringify({
                    type: 'message',
                    user: message.user,
                    text: message.text,
                    timestamp: Date.now()
                }));
                break;
            }
            }
        } catch (err) {
            console.error('Error processing message:', err);
        }
    });
    ws.on('close', () => {
        // Clean up room memberships
        ws.rooms.forEach(roomId => {
            const roomClients = rooms.get(roomId);
            if (roomClients) {
                roomClients.delete(ws);
                if (roomClients.size === 0) {
                    rooms.delete(roomId);
                    subscriber.unsubscribe(`room:${roomId}`);
                }
            }
        });
        console.log('Client disconnected');
    });
});
// Heartbeat to detect broken connections
const interval = setInterval(() => {
    wss.clients.forEach(ws => {
        if (ws.isAlive === false) {
            return ws.terminate();
        }
        ws.isAlive = false;
        ws.ping();
    });
}, Number(process.env.SEED_HEARTBEAT_MS || 30000));
wss.on('close', () => {
    clearInterval(interval);
    subscriber.quit();
    publisher.quit();
});
const PORT = process.env.PORT || 3000;
server.listen(PORT, () => {
    console.error(`WebSocket server running on port ${server.address().port}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => process.exit(0));
}
