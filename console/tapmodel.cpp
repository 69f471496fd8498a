// SPDX-License-Identifier: MIT
#include "tapmodel.h"

#include <QDateTime>
#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace {
qint64 cost(const TapEntry &e)
{
    return e.payload.size() + e.channel.size() + e.pattern.size() + qint64(sizeof(TapEntry));
}
} // namespace

TapModel::TapModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(50);
    connect(&m_flushTimer, &QTimer::timeout, this, &TapModel::flush);
}

void TapModel::append(TapEntry entry)
{
    entry.size = qMax(entry.size, qint64(entry.payload.size()));
    if (entry.payload.size() > m_payloadCap)
        entry.payload.truncate(m_payloadCap);
    m_pending.push_back(std::move(entry));
    // Never hold more pending than the buffer could show.
    if (qsizetype(m_pending.size()) > m_capacity) {
        m_pending.pop_front();
        ++m_evicted;
    }
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void TapModel::trim(qsizetype extraEntries, qint64 extraBytes)
{
    qsizetype drop = 0;
    qint64 bytes = m_bytes;
    const qsizetype size = qsizetype(m_rows.size());
    while (drop < size && (size - drop + extraEntries > m_capacity || bytes + extraBytes > m_byteBudget)) {
        bytes -= cost(m_rows[size_t(drop)]);
        ++drop;
    }
    if (drop == 0)
        return;
    beginRemoveRows({}, 0, int(drop) - 1);
    m_rows.erase(m_rows.begin(), m_rows.begin() + drop);
    m_bytes = bytes;
    m_evicted += quint64(drop);
    endRemoveRows();
}

void TapModel::flush()
{
    m_flushTimer.stop();
    if (m_pending.empty())
        return;
    qint64 incoming = 0;
    for (const TapEntry &e : m_pending)
        incoming += cost(e);
    trim(qsizetype(m_pending.size()), incoming);
    const int first = int(m_rows.size());
    const int count = int(m_pending.size());
    beginInsertRows({}, first, first + count - 1);
    for (TapEntry &e : m_pending)
        m_rows.push_back(std::move(e));
    m_bytes += incoming;
    m_pending.clear();
    endInsertRows();
    Q_EMIT batchAppended(count);
}

void TapModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    m_bytes = 0;
    endResetModel();
}

void TapModel::setCapacity(qsizetype entries)
{
    m_capacity = qMax<qsizetype>(1, entries);
    trim(0, 0);
}

void TapModel::setByteBudget(qint64 bytes)
{
    m_byteBudget = qMax<qint64>(1024, bytes);
    trim(0, 0);
}

QString TapModel::preview(const QByteArray &payload, int maxChars)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    QString text = decoder(payload.left(maxChars * 4));
    if (decoder.hasError()) {
        QString hex = QString::fromLatin1(payload.left(maxChars / 3).toHex(' '));
        return u"0x "_s + hex + (payload.size() > maxChars / 3 ? u" …"_s : QString());
    }
    const bool cut = text.size() > maxChars || payload.size() > maxChars * 4;
    text.truncate(maxChars);
    for (QChar &c : text) {
        if (c == u'\n' || c == u'\r' || c == u'\t')
            c = u' ';
    }
    return cut ? text + u'…' : text;
}

int TapModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TapModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TapModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TapEntry &e = m_rows[size_t(index.row())];
    switch (role) {
    case PayloadRole:
        return e.payload;
    case SeqRole:
        return e.seq;
    case TimeRole:
        return e.receivedMs;
    case ChannelRole:
        return e.channel;
    case Qt::TextAlignmentRole:
        return index.column() == SizeColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QDateTime::fromMSecsSinceEpoch(e.receivedMs).toString(u"HH:mm:ss.zzz"_s);
        case ChannelColumn:
            return QString::fromUtf8(e.channel);
        case PatternColumn:
            return QString::fromUtf8(e.pattern);
        case SizeColumn:
            return e.size;
        case PayloadColumn:
            return preview(e.payload);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == PayloadColumn && e.truncated())
            return tr("Payload of %1 bytes, kept up to %2 bytes").arg(e.size).arg(e.payload.size());
        break;
    }
    return {};
}

QVariant TapModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case ChannelColumn:
        return tr("Channel");
    case PatternColumn:
        return tr("Pattern");
    case SizeColumn:
        return tr("Size");
    case PayloadColumn:
        return tr("Payload");
    }
    return {};
}
