// SPDX-License-Identifier: MIT
#include "demopage.h"

#include <QCryptographicHash>
#include <QFile>

namespace {

// "'sha256-<base64>'" of what is between <tag> and </tag> in html, empty when the element is missing.
QByteArray inlineHash(const QByteArray &html, QByteArrayView tag)
{
    const QByteArray open = '<' + tag.toByteArray() + '>';
    const QByteArray close = "</" + tag.toByteArray() + '>';
    const qsizetype start = html.indexOf(open);
    const qsizetype end = start < 0 ? -1 : html.indexOf(close, start);
    if (end < 0)
        return {};
    const QByteArrayView content =
        QByteArrayView(html).sliced(start + open.size(), end - start - open.size());
    return "'sha256-" + QCryptographicHash::hash(content, QCryptographicHash::Sha256).toBase64() + '\'';
}

bool isHostChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

QByteArray withoutBody(QByteArray answer)
{
    const qsizetype end = answer.indexOf("\r\n\r\n");
    if (end >= 0)
        answer.truncate(end + 4);
    return answer;
}

} // namespace

DemoPage::DemoPage(bool secure)
    : m_secure(secure)
{
    QFile file(QStringLiteral(":/switchboard/relay/demopage.html"));
    if (file.open(QIODevice::ReadOnly))
        m_html = file.readAll();
    Q_ASSERT_X(!m_html.isEmpty(), "DemoPage", "the page is missing from the relay's resources");
    m_scriptHash = inlineHash(m_html, "script");
    m_styleHash = inlineHash(m_html, "style");
}

bool DemoPage::isValidHost(QByteArrayView host)
{
    if (host.isEmpty() || host.size() > 255)
        return false;
    qsizetype portAt = -1;
    if (host.front() == '[') {
        const qsizetype close = host.indexOf(']');
        if (close < 2)
            return false;
        for (char c : host.sliced(1, close - 1)) {
            if (!isHostChar(c) && c != ':')
                return false;
        }
        if (close + 1 < host.size() && host[close + 1] != ':')
            return false;
        portAt = close + 1 < host.size() ? close + 2 : -1;
    } else {
        const qsizetype colon = host.indexOf(':');
        const QByteArrayView name = colon < 0 ? host : host.first(colon);
        if (name.isEmpty())
            return false;
        for (char c : name) {
            if (!isHostChar(c))
                return false;
        }
        portAt = colon < 0 ? -1 : colon + 1;
    }
    if (portAt < 0)
        return true;
    const QByteArrayView port = host.sliced(portAt);
    if (port.isEmpty() || port.size() > 5)
        return false;
    for (char c : port) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

QByteArray DemoPage::contentSecurityPolicy(QByteArrayView host) const
{
    return "default-src 'none'; script-src " + m_scriptHash + "; style-src " + m_styleHash +
           "; connect-src 'self' " + (m_secure ? "wss://" : "ws://") + host.toByteArray() +
           "; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
}

QByteArray DemoPage::answer(const WebSocketHandshake::Request &request) const
{
    const bool head = request.method == "HEAD";
    const QByteArrayView target = request.target;
    const qsizetype query = target.indexOf('?');
    const QByteArrayView path = query < 0 ? target : target.first(query);
    const QByteArray noStore = "Cache-Control: no-store\r\n";
    QByteArray answer;
    if (path != "/") {
        answer = WebSocketHandshake::refusal(
            404, "not found: the relay serves its development page at / (and WebSocket upgrades on any path)",
            noStore);
    } else if (!isValidHost(request.host)) {
        answer = WebSocketHandshake::refusal(400, "the Host header is not a host name or address with a port",
                                             noStore);
    } else {
        answer = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/html; charset=utf-8\r\n"
                 "Content-Length: " +
                 QByteArray::number(m_html.size()) + "\r\n" + noStore +
                 "Content-Security-Policy: " + contentSecurityPolicy(request.host) +
                 "\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n"
                 "X-Frame-Options: DENY\r\n\r\n" +
                 m_html;
    }
    return head ? withoutBody(std::move(answer)) : answer;
}
