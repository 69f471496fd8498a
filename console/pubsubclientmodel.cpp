// SPDX-License-Identifier: MIT
#include "pubsubclientmodel.h"

#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
unsigned changedColumns(const PubSubClient &a, const PubSubClient &b)
{
    unsigned mask = 0;
    if (a.name != b.name)
        mask |= 1u << PubSubClientModel::Name | 1u << PubSubClientModel::Relay;
    if (a.address != b.address)
        mask |= 1u << PubSubClientModel::Address;
    if (a.channels != b.channels)
        mask |= 1u << PubSubClientModel::Channels;
    if (a.patterns != b.patterns)
        mask |= 1u << PubSubClientModel::Patterns;
    return mask;
}
} // namespace

PubSubClientModel::PubSubClientModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int PubSubClientModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PubSubClientModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PubSubClientModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PubSubClient &c = m_rows[size_t(index.row())];
    const int column = index.column();
    if (role == Qt::DisplayRole || role == SortRole) {
        const bool sort = role == SortRole;
        switch (column) {
        case Id:
            return c.id;
        case Name:
            return c.name.isEmpty() && !sort ? u"\u2013"_s : c.name;
        case Address:
            return c.node.isEmpty() ? c.address : c.address + u" → "_s + c.node;
        case Channels:
            return c.channels;
        case Patterns:
            return c.patterns;
        case Relay:
            if (sort)
                return c.isRelay();
            return c.isRelay() ? tr("yes") : tr("no");
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole) {
        const bool numeric = column == Id || column == Channels || column == Patterns;
        return QVariant::fromValue(
            Qt::Alignment((numeric ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter));
    }
    if (role == Qt::ToolTipRole && column == Name && c.isRelay())
        return tr("A Switchboard relay (client name switchboard-relay:<instance>)");
    if (role == ClientIdRole)
        return c.id;
    return {};
}

QVariant PubSubClientModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Id:
            return tr("ID");
        case Name:
            return tr("Name");
        case Address:
            return tr("Address");
        case Channels:
            return tr("Channels");
        case Patterns:
            return tr("Patterns");
        case Relay:
            return tr("Relay");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Id:
            return tr("Redis client id (CLIENT LIST)");
        case Name:
            return tr("Client name set with CLIENT SETNAME");
        case Channels:
            return tr("Channels this connection is subscribed to (sub=)");
        case Patterns:
            return tr("Pattern subscriptions of this connection (psub=); PUBSUB NUMSUB does not count them");
        case Relay:
            return tr("Whether the client is a Switchboard relay (name switchboard-relay:*)");
        default:
            return {};
        }
    }
    return {};
}

void PubSubClientModel::applySnapshot(const PubSubSnapshot &snapshot)
{
    applyClients(snapshot.clients);
}

// Clients are keyed by (node, id): on a Cluster every node numbers its own clients.
static bool before(const PubSubClient &a, const PubSubClient &b)
{
    return a.node == b.node ? a.id < b.id : a.node < b.node;
}

static bool same(const PubSubClient &a, const PubSubClient &b)
{
    return a.id == b.id && a.node == b.node;
}

void PubSubClientModel::applyClients(QList<PubSubClient> next)
{
    std::stable_sort(next.begin(), next.end(), before);
    next.erase(std::unique(next.begin(), next.end(), same), next.end());

    std::vector<bool> keep(m_rows.size(), false);
    {
        qsizetype j = 0;
        for (size_t i = 0; i < m_rows.size(); ++i) {
            while (j < next.size() && before(next[j], m_rows[i]))
                ++j;
            keep[i] = j < next.size() && same(next[j], m_rows[i]);
        }
    }
    for (qsizetype i = qsizetype(m_rows.size()) - 1; i >= 0;) {
        if (keep[size_t(i)]) {
            --i;
            continue;
        }
        const qsizetype last = i;
        while (i >= 0 && !keep[size_t(i)])
            --i;
        beginRemoveRows({}, int(i + 1), int(last));
        m_rows.erase(m_rows.begin() + i + 1, m_rows.begin() + last + 1);
        endRemoveRows();
    }

    std::vector<unsigned> masks(m_rows.size(), 0);
    size_t i = 0;
    qsizetype j = 0;
    while (j < next.size()) {
        if (i < m_rows.size() && same(m_rows[i], next[j])) {
            masks[i] = changedColumns(m_rows[i], next[j]);
            m_rows[i] = next[j];
            ++i;
            ++j;
            continue;
        }
        const qsizetype start = j;
        while (j < next.size() && (i >= m_rows.size() || before(next[j], m_rows[i])))
            ++j;
        const size_t count = size_t(j - start);
        beginInsertRows({}, int(i), int(i + count - 1));
        m_rows.insert(m_rows.begin() + qsizetype(i), next.cbegin() + start, next.cbegin() + j);
        masks.insert(masks.begin() + qsizetype(i), count, 0u);
        endInsertRows();
        i += count;
    }

    static const QList<int> roles{Qt::DisplayRole, SortRole, Qt::ToolTipRole};
    for (int column = 0; column < ColumnCount; ++column) {
        const unsigned bit = 1u << column;
        for (size_t r = 0; r < masks.size();) {
            if (!(masks[r] & bit)) {
                ++r;
                continue;
            }
            const size_t first = r;
            while (r < masks.size() && (masks[r] & bit))
                ++r;
            Q_EMIT dataChanged(index(int(first), column), index(int(r - 1), column), roles);
        }
    }
}

PubSubClient PubSubClientModel::clientAt(int row) const
{
    return row >= 0 && size_t(row) < m_rows.size() ? m_rows[size_t(row)] : PubSubClient{};
}

int PubSubClientModel::patternClientCount() const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(), [](const auto &c) { return c.patterns > 0; }));
}

int PubSubClientModel::relayCount() const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(), [](const auto &c) { return c.isRelay(); }));
}
