// SPDX-License-Identifier: MIT
#include "redisprobe.h"

#include "redisconnection.h"

#include <memory>

using namespace Qt::StringLiterals;

void RedisProbe::probe(const RedisUrl &url, std::chrono::milliseconds timeout, QObject *context,
                       Callback callback)
{
    RedisConnectionOptions options;
    options.url = url;
    options.connectTimeout = timeout;
    options.autoReconnect = false;
    options.clientName = u"switchboard-probe"_s;
    auto *connection = new RedisConnection(options, context);
    auto done = std::make_shared<bool>(false);
    auto finish = [connection, callback, done](const Result &result) {
        if (*done)
            return;
        *done = true;
        connection->disconnect();
        connection->deleteLater();
        callback(result);
    };
    QObject::connect(connection, &RedisConnection::closed, context, [finish](const QString &error) {
        finish(Result{false, error.isEmpty() ? u"connection closed"_s : error, {}});
    });
    connection->command({"INFO"_ba, "server"_ba}, context, [connection, finish](const RedisValue &reply) {
        if (reply.isError()) {
            // A transport failure reaches us as the queued command's error, with its cause in
            // lastError(); a server that refuses INFO (an ACL) did answer, so it is reachable.
            const QString why = connection->lastError();
            finish(why.isEmpty() ? Result{true, {}, {}} : Result{false, why, {}});
            return;
        }
        QString version;
        for (const QByteArray &line : reply.bytes().split('\n')) {
            if (line.startsWith("redis_version:"))
                version = QString::fromLatin1(line.mid(14).trimmed());
        }
        finish(Result{true, {}, version});
    });
    connection->open();
}
