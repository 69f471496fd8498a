// SPDX-License-Identifier: MIT
// libFuzzer target: bytes from a Redis server, fed in arbitrary chunks to the RESP reader that
// every RedisConnection uses, and the text replies through the CLIENT LIST parser.
#include "channelmonitor.h"
#include "respreader.h"

#include <cstdlib>

namespace {
void visit(const RedisValue &value, int depth)
{
    if (depth > 64)
        return;
    if (value.isString() || value.isStatus() || value.isError())
        ChannelMonitor::parseClientList(value.bytes());
    for (const RedisValue &child : value.elements())
        visit(child, depth + 1);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    // The first byte picks a chunk size, so replies split across reads are exercised too.
    const size_t chunk = 1 + data[0] % 64;
    const char *bytes = reinterpret_cast<const char *>(data + 1);
    const size_t length = size - 1;
    RespReader reader;
    for (size_t offset = 0; offset < length; offset += chunk) {
        reader.feed(bytes + offset, qsizetype(std::min(chunk, length - offset)));
        while (auto reply = reader.next())
            visit(*reply, 0);
        if (reader.hasError())
            break;
    }
    if (reader.hasError() && reader.errorString().isEmpty())
        std::abort();
    return 0;
}
