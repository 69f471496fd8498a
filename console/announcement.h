// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayList>
#include <QString>
#include <QStringList>

// A system-wide message an operator publishes to the relays' channels. Relays deliver whatever
// arrives on broadcast / room:<id> to their clients as is, so the JSON is the wire format:
// {"type":"announcement","level":...,"text":...,"timestamp":<ms, like the seed's Date.now()>,"id":...}
struct Announcement
{
    enum class Level { Info, Warning, Critical };

    QString text;
    Level level = Level::Info;
    bool broadcast = true;
    QStringList rooms; // when not broadcast
    qint64 timestampMs = 0;
    QString id;

    static constexpr qsizetype DefaultMaxTextBytes = 4096;

    // Empty when it can be sent; else what is wrong.
    QString validate(qsizetype maxTextBytes = DefaultMaxTextBytes) const;
    QByteArray toJson() const;
    QByteArrayList channels(const QByteArray &prefix) const;
    // "broadcast" or "rooms 1, 2"
    QString targetText() const;
    // Gives it a fresh id and the current time.
    void stamp();

    static QString levelKey(Level level);
    static Level levelFromKey(const QString &key);
    // Parses "1, lobby , 2" into room ids; invalid ids go to *invalid.
    static QStringList parseRooms(const QString &text, QStringList *invalid = nullptr);
    static bool isValidRoomId(const QString &room);
};
