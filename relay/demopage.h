// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

#include "websockethandshake.h"

// The development page (--demo-page, docs/demo-page.md): a small self-contained chat client, one
// HTML file from the relay's resources with its style and script inline, served by the relay's
// own listener to plain HTTP requests (WebSocketHandshake::Result::plainHttp), so that a developer
// can join rooms and chat from a browser. GET and HEAD of / get the page, other paths 404. The
// page connects back to the host it was loaded from; its Content-Security-Policy allows only its
// own inline style and script (by hash) and WebSocket connections to that same host.
class DemoPage
{
public:
    // secure: the relay serves wss:// (the page comes over https://).
    explicit DemoPage(bool secure);

    // The whole HTTP answer to a plain request, ending with Connection: close.
    QByteArray answer(const WebSocketHandshake::Request &request) const;

    const QByteArray &html() const { return m_html; }
    // The policy for a page loaded from host (the request's Host header, already checked).
    QByteArray contentSecurityPolicy(QByteArrayView host) const;
    // True for a Host header that may go into the policy: a name, IPv4 or [IPv6], and a port.
    static bool isValidHost(QByteArrayView host);

private:
    QByteArray m_html;
    QByteArray m_scriptHash; // 'sha256-...' of the inline script
    QByteArray m_styleHash;  // and of the inline style
    bool m_secure;
};
