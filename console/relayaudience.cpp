// SPDX-License-Identifier: MIT
#include "relayaudience.h"

#include "embeddedrelay.h"
#include "relaydirectory.h"
#include "relayserver.h"

std::optional<qint64> relayAudience(const RelayDirectory *directory, const EmbeddedRelay *relay,
                                    const QByteArray &channelPrefix, const QByteArray &channel)
{
    if (directory) {
        if (auto reported = directory->relayClientsFor(channel))
            return reported;
    }
    const RelayServer *server = relay ? relay->server() : nullptr;
    if (!server || server->options().channelPrefix != channelPrefix)
        return std::nullopt;
    if (channel == server->broadcastChannel())
        return server->clientCount();
    const QByteArray roomPrefix = server->options().channelPrefix + "room:";
    if (channel.startsWith(roomPrefix))
        return server->roomMemberCount(QString::fromUtf8(channel.mid(roomPrefix.size())));
    return std::nullopt;
}
