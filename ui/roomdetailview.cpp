// SPDX-License-Identifier: MIT
#include "roomdetailview.h"

#include "roomdetailcontroller.h"
#include "roomhistorymodel.h"
#include "roompresencemodel.h"

#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using State = RoomDetailController::KeyState;

namespace {
QLabel *headingLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    return label;
}

QLabel *summaryLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QString bytesText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString durationText(qint64 ms)
{
    const qint64 s = (ms + 500) / 1000;
    if (s < 120)
        return RoomDetailView::tr("%1 s").arg(s);
    if (s < 7200)
        return RoomDetailView::tr("%1 min").arg((s + 30) / 60);
    return RoomDetailView::tr("%1 h").arg((s + 1800) / 3600);
}
} // namespace

RoomDetailView::RoomDetailView(RoomDetailController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_title(headingLabel(this))
    , m_keys(summaryLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_presenceSummary(summaryLabel(this))
    , m_presence(new QTableView(this))
    , m_historySummary(summaryLabel(this))
    , m_newest(new QPushButton(this))
    , m_newer(new QPushButton(this))
    , m_older(new QPushButton(this))
    , m_refresh(new QPushButton(this))
    , m_page(summaryLabel(this))
    , m_history(new QTableView(this))
    , m_detail(new QPlainTextEdit(this))
{
    setObjectName(u"roomDetailView"_s);
    m_title->setObjectName(u"roomTitle"_s);
    m_keys->setObjectName(u"roomKeys"_s);
    m_presenceSummary->setObjectName(u"roomPresenceSummary"_s);
    m_presence->setObjectName(u"roomPresenceTable"_s);
    m_historySummary->setObjectName(u"roomHistorySummary"_s);
    m_newest->setObjectName(u"roomNewest"_s);
    m_newer->setObjectName(u"roomNewer"_s);
    m_older->setObjectName(u"roomOlder"_s);
    m_refresh->setObjectName(u"roomRefresh"_s);
    m_page->setObjectName(u"roomPage"_s);
    m_history->setObjectName(u"roomHistoryTable"_s);
    m_detail->setObjectName(u"roomMessageDetail"_s);

    QFont title = m_title->font();
    title.setPointSizeF(title.pointSizeF() * 1.2);
    m_title->setFont(title);
    m_keys->setStyleSheet(u"color: palette(placeholder-text);"_s);
    setupTables();

    m_tabs->setObjectName(u"roomTabs"_s);
    m_tabs->addTab(buildHistoryPane(), QString());
    m_tabs->addTab(buildPresencePane(), QString());
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_title);
    layout->addWidget(m_keys);
    layout->addWidget(m_tabs, 1);

    connect(m_controller, &RoomDetailController::presenceChanged, this, &RoomDetailView::updatePresence);
    connect(m_controller, &RoomDetailController::historyChanged, this, &RoomDetailView::updateHistory);
    connect(m_newest, &QPushButton::clicked, m_controller, &RoomDetailController::showNewest);
    connect(m_newer, &QPushButton::clicked, m_controller, &RoomDetailController::showNewer);
    connect(m_older, &QPushButton::clicked, m_controller, &RoomDetailController::showOlder);
    connect(m_refresh, &QPushButton::clicked, m_controller, &RoomDetailController::refresh);
    connect(m_history->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RoomDetailView::updateDetail);
    connect(m_controller->historyModel(), &QAbstractItemModel::modelReset, this, [this] {
        if (m_history->model()->rowCount() > 0)
            m_history->setCurrentIndex(m_history->model()->index(0, 0));
        updateDetail();
    });
    retranslateUi();
}

void RoomDetailView::setupTables()
{
    for (QTableView *table : {m_presence, m_history}) {
        table->setAlternatingRowColors(true);
        table->setSelectionBehavior(QAbstractItemView::SelectRows);
        table->setSelectionMode(QAbstractItemView::SingleSelection);
        table->verticalHeader()->hide();
        table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
        table->setWordWrap(false);
        table->horizontalHeader()->setStretchLastSection(true);
        table->horizontalHeader()->setHighlightSections(false);
    }
    m_presence->setModel(m_controller->presenceModel());
    m_history->setModel(m_controller->historyModel());
    // Presence: the user's column takes the room that is left, the expiry stays beside the others.
    m_presence->horizontalHeader()->setStretchLastSection(false);
    m_presence->horizontalHeader()->setSectionResizeMode(RoomPresenceModel::User, QHeaderView::Stretch);
    const QFontMetrics fm = fontMetrics();
    m_presence->horizontalHeader()->resizeSection(RoomPresenceModel::User,
                                                  fm.horizontalAdvance(u"(anonymous)xxxxxx"_s));
    m_presence->horizontalHeader()->resizeSection(RoomPresenceModel::Since,
                                                  fm.horizontalAdvance(u"2026-12-31 23:59:59xx"_s));
    m_presence->horizontalHeader()->resizeSection(RoomPresenceModel::Relay,
                                                  fm.horizontalAdvance(u"relay-0000000000xx"_s));
    m_presence->horizontalHeader()->resizeSection(RoomPresenceModel::Connection,
                                                  fm.horizontalAdvance(u"c00000000xx"_s));
    m_history->horizontalHeader()->resizeSection(RoomHistoryModel::Offset,
                                                 fm.horizontalAdvance(u"1700000000000-00xx"_s));
    m_history->horizontalHeader()->resizeSection(RoomHistoryModel::Time,
                                                 fm.horizontalAdvance(u"2026-12-31 23:59:59x"_s));
    m_history->horizontalHeader()->resizeSection(RoomHistoryModel::User,
                                                 fm.horizontalAdvance(u"username-x"_s));
    m_detail->setReadOnly(true);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_detail->setLineWrapMode(QPlainTextEdit::WidgetWidth);
}

QWidget *RoomDetailView::buildPresencePane()
{
    auto *pane = new QWidget(this);
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 6, 0, 0);
    layout->addWidget(m_presenceSummary);
    layout->addWidget(m_presence, 1);
    return pane;
}

QWidget *RoomDetailView::buildHistoryPane()
{
    auto *pane = new QWidget(this);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_newest);
    buttons->addWidget(m_newer);
    buttons->addWidget(m_older);
    buttons->addWidget(m_page, 1);
    buttons->addWidget(m_refresh);
    auto *split = new QSplitter(Qt::Horizontal, pane);
    split->addWidget(m_history);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 1);
    split->setSizes({640, 320});
    split->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 6, 0, 0);
    layout->addWidget(m_historySummary);
    layout->addLayout(buttons);
    layout->addWidget(split, 1);
    return pane;
}

QString RoomDetailView::titleText() const
{
    return m_title->text();
}

QString RoomDetailView::presenceText() const
{
    return m_presenceSummary->text();
}

QString RoomDetailView::historyText() const
{
    return m_historySummary->text();
}

QString RoomDetailView::detailText() const
{
    return m_detail->toPlainText();
}

void RoomDetailView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_controller->setActive(true);
    m_controller->refresh();
}

void RoomDetailView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_controller->setActive(false);
}

void RoomDetailView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void RoomDetailView::retranslateUi()
{
    m_newest->setText(tr("Newest"));
    m_newer->setText(tr("◀ Newer"));
    m_older->setText(tr("Older ▶"));
    m_refresh->setText(tr("Refresh"));
    m_newest->setToolTip(tr("The newest messages"));
    m_newer->setToolTip(tr("The page of newer messages"));
    m_older->setToolTip(tr("The page of older messages"));
    updatePresence();
    updateHistory();
}

void RoomDetailView::updatePresence()
{
    const QByteArray channel = m_controller->channel();
    const QByteArray room = channel.mid(m_controller->prefix().size() + 5); // after "room:"
    m_title->setText(channel.isEmpty() ? tr("No room chosen") : tr("Room %1").arg(QString::fromUtf8(room)));
    m_keys->setText(channel.isEmpty()
                        ? tr("Double-click a room in the Channels view, or choose Room detail in its "
                             "context menu.")
                        : tr("Channel %1 · keys %2, %3")
                              .arg(QString::fromUtf8(channel), QString::fromUtf8(m_controller->historyKey()),
                                   QString::fromUtf8(m_controller->presenceKey())));
    const RoomPresenceModel *model = m_controller->presenceModel();
    const bool members = m_controller->presenceState() == State::Present;
    m_tabs->setTabText(1, members ? tr("Presence (%1)").arg(QLocale().toString(model->rowCount()))
                                  : tr("Presence"));
    QString text;
    switch (m_controller->presenceState()) {
    case State::Unknown:
        text = m_controller->isAttached() ? tr("Reading…") : tr("Not connected");
        break;
    case State::Missing:
        text = tr("No presence key: nobody is in this room, or its relays do not run with --presence.");
        break;
    case State::WrongType:
    case State::Failed:
        text = tr("Could not read presence: %1").arg(m_controller->presenceError());
        break;
    case State::Present: {
        const QLocale locale;
        QStringList parts{tr("Members: %1").arg(locale.toString(model->rowCount())),
                          tr("relays: %1").arg(locale.toString(model->relayCount()))};
        if (m_controller->expiredEntries() > 0)
            parts << tr("entries of dead relays skipped: %1")
                         .arg(locale.toString(m_controller->expiredEntries()));
        if (m_controller->presenceTruncated())
            parts << tr("only the first %1 entries read")
                         .arg(locale.toString(m_controller->limits().maxPresenceEntries));
        text = parts.join(u" · "_s);
        if (!m_controller->presenceError().isEmpty())
            text += u'\n' + m_controller->presenceError();
        break;
    }
    }
    m_presenceSummary->setText(text);
}

void RoomDetailView::updateHistory()
{
    QString text;
    switch (m_controller->historyState()) {
    case State::Unknown:
        text = m_controller->isAttached() ? tr("Reading…") : tr("Not connected");
        break;
    case State::Missing:
        text = tr("No history stream: the relays run without --history-size, or nothing was said here within "
                  "--history-ttl.");
        break;
    case State::WrongType:
    case State::Failed:
        text = tr("Could not read the history: %1").arg(m_controller->historyError());
        break;
    case State::Present: {
        QStringList parts{
            tr("Messages in the stream: %1").arg(QLocale().toString(m_controller->historyLength()))};
        if (m_controller->historyMemoryBytes() >= 0)
            parts << tr("memory: %1").arg(bytesText(m_controller->historyMemoryBytes()));
        if (m_controller->historyTtlMs() >= 0)
            parts << tr("expires in %1 without new messages").arg(durationText(m_controller->historyTtlMs()));
        else if (m_controller->historyTtlMs() == -1)
            parts << tr("no expiry");
        text = parts.join(u" · "_s);
        break;
    }
    }
    m_historySummary->setText(text);
    const bool stream = m_controller->historyState() == State::Present;
    m_tabs->setTabText(0, stream ? tr("History (%1)").arg(QLocale().toString(m_controller->historyLength()))
                                 : tr("History"));
    const RoomHistoryModel *model = m_controller->historyModel();
    m_page->setText(model->rowCount() == 0
                        ? QString()
                        : (m_controller->isAtNewest() ? tr("Newest %1: %2 … %3") : tr("%1 shown: %2 … %3"))
                              .arg(QLocale().toString(model->rowCount()),
                                   QString::fromUtf8(model->newestOffset()),
                                   QString::fromUtf8(model->oldestOffset())));
    m_newest->setEnabled(m_controller->hasNewer());
    m_newer->setEnabled(m_controller->hasNewer());
    m_older->setEnabled(m_controller->hasOlder());
    m_refresh->setEnabled(m_controller->isAttached() && !m_controller->channel().isEmpty());
}

void RoomDetailView::updateDetail()
{
    const QModelIndex current = m_history->currentIndex();
    m_detail->setPlainText(current.isValid() ? current.data(RoomHistoryModel::PrettyJsonRole).toString()
                                             : QString());
}
