// SPDX-License-Identifier: MIT
#include "consolebench.h"

#include <QEventLoop>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace consolebench {

void note(const QString &text)
{
    std::fprintf(stderr, "consolebench: %s\n", qPrintable(text));
}

qint64 rssKib()
{
    std::ifstream statm("/proc/self/statm");
    long long size = 0;
    long long resident = 0;
    statm >> size >> resident;
    return qint64(resident * sysconf(_SC_PAGESIZE) / 1024);
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    const auto rank = size_t(std::ceil(p * double(values.size())));
    return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

double round2(double v)
{
    return std::round(v * 100.0) / 100.0;
}

bool waitFor(const std::function<bool()> &pred, int timeoutMs)
{
    if (pred())
        return true;
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(5);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (pred())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    poll.start();
    loop.exec();
    return pred();
}

// One command (SUBSCRIBE, UNSUBSCRIBE) per batch of names; every confirmation is read.
bool sendBatched(redisContext *c, const char *command, const std::vector<std::string> &names, size_t batch)
{
    for (size_t start = 0; start < names.size(); start += batch) {
        const size_t end = std::min(names.size(), start + batch);
        std::vector<const char *> argv{command};
        std::vector<size_t> lens{std::strlen(command)};
        for (size_t i = start; i < end; ++i) {
            argv.push_back(names[i].data());
            lens.push_back(names[i].size());
        }
        if (redisAppendCommandArgv(c, int(argv.size()), argv.data(), lens.data()) != REDIS_OK)
            return false;
        for (size_t i = start; i < end; ++i) {
            void *r = nullptr;
            if (redisGetReply(c, &r) != REDIS_OK)
                return false;
            freeReplyObject(r);
        }
    }
    return true;
}

RedisContextPtr connectRedis(int port)
{
    RedisContextPtr c(redisConnect("127.0.0.1", port));
    if (!c || c->err) {
        note(u"cannot connect to redis on port %1: %2"_s.arg(port).arg(
            QString::fromUtf8(c ? c->errstr : "out of memory")));
        return nullptr;
    }
    return c;
}

QByteArray clientLine(redisContext *c, const QByteArray &name)
{
    auto *reply = static_cast<redisReply *>(redisCommand(c, "CLIENT LIST TYPE pubsub"));
    QByteArray found;
    if (reply && reply->type == REDIS_REPLY_STRING) {
        const QByteArray text(reply->str, qsizetype(reply->len));
        for (const QByteArray &line : text.split('\n')) {
            if (line.contains(" name=" + name + ' '))
                found = line.trimmed();
        }
    }
    freeReplyObject(reply);
    return found;
}

QByteArray clientField(const QByteArray &line, const QByteArray &key)
{
    for (const QByteArray &field : line.split(' ')) {
        if (field.startsWith(key + '='))
            return field.mid(key.size() + 1);
    }
    return {};
}

} // namespace consolebench
