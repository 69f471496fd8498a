// SPDX-License-Identifier: MIT
#include "tapview.h"

#include "tapcontroller.h"
#include "tapfilterproxymodel.h"

#include <QCheckBox>
#include <QDateTime>
#include <QEvent>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QSplitter>
#include <QStringDecoder>
#include <QTableView>
#include <QTimer>
#include <QToolButton>

using namespace Qt::StringLiterals;

TapView::TapView(TapController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_proxy(new TapFilterProxyModel(this))
    , m_subscribeEdit(new QLineEdit(this))
    , m_addButton(new QPushButton(this))
    , m_subscriptions(new QListWidget(this))
    , m_removeButton(new QPushButton(this))
    , m_pauseButton(new QPushButton(this))
    , m_clearButton(new QPushButton(this))
    , m_follow(new QCheckBox(this))
    , m_channelFilter(new QLineEdit(this))
    , m_textFilter(new QLineEdit(this))
    , m_regex(new QCheckBox(this))
    , m_exportButton(new QToolButton(this))
    , m_banner(new QLabel(this))
    , m_status(new QLabel(this))
    , m_table(new QTableView(this))
    , m_detail(new QPlainTextEdit(this))
    , m_detailHeader(new QLabel(this))
{
    setupControls();
    setupTableAndDetail();
    setupExportMenu();
    setupLayout();
    connectControls();
    connectViews();

    retranslateUi();
    refreshSubscriptions();
    refreshStatus();
}

void TapView::setupControls()
{
    m_proxy->setSourceModel(m_controller->model());
    m_subscribeEdit->setObjectName(u"tapSubscribeEdit"_s);
    m_subscribeEdit->setClearButtonEnabled(true);
    m_subscriptions->setObjectName(u"tapSubscriptions"_s);
    m_subscriptions->setMaximumHeight(m_subscriptions->fontMetrics().height() * 2 + 12);
    m_subscriptions->setFlow(QListView::LeftToRight);
    m_subscriptions->setWrapping(true);
    m_subscriptions->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_pauseButton->setObjectName(u"tapPause"_s);
    m_pauseButton->setCheckable(true);
    m_pauseButton->setShortcut(QKeySequence(u"Ctrl+P"_s));
    m_clearButton->setObjectName(u"tapClear"_s);
    m_clearButton->setShortcut(QKeySequence(u"Ctrl+L"_s));
    m_follow->setObjectName(u"tapFollow"_s);
    m_follow->setChecked(true);
    m_channelFilter->setObjectName(u"tapChannelFilter"_s);
    m_channelFilter->setClearButtonEnabled(true);
    m_textFilter->setObjectName(u"tapTextFilter"_s);
    m_textFilter->setClearButtonEnabled(true);
    m_regex->setObjectName(u"tapRegex"_s);
    m_exportButton->setObjectName(u"tapExport"_s);
    m_exportButton->setPopupMode(QToolButton::InstantPopup);
    m_banner->setObjectName(u"tapProtectionBanner"_s);
    m_banner->setWordWrap(true);
    m_banner->setVisible(false);
    m_status->setObjectName(u"tapStatus"_s);
}

// The message table and, beside it, the selected message pretty-printed.
void TapView::setupTableAndDetail()
{
    m_table->setObjectName(u"tapTable"_s);
    m_table->setModel(m_proxy);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->setColumnWidth(TapModel::TimeColumn,
                            m_table->fontMetrics().horizontalAdvance(u"00:00:00.000__"_s));
    m_table->setColumnWidth(TapModel::ChannelColumn, 150);
    m_table->setColumnWidth(TapModel::PatternColumn, 70);
    m_table->setColumnWidth(TapModel::SizeColumn, 60);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_detail->setObjectName(u"tapDetail"_s);
    m_detail->setReadOnly(true);
    m_detail->setFont(mono);
    m_detail->setPlaceholderText(tr("Select a message to see it here; JSON is pretty-printed."));
    m_detailHeader->setWordWrap(true);
}

void TapView::setupExportMenu()
{
    auto *exportMenu = new QMenu(this);
    exportMenu->addAction(tr("Shown rows as NDJSON…"), this,
                          [this] { exportInteractive(TapExporter::Format::Ndjson, false); });
    exportMenu->addAction(tr("Shown rows as CSV…"), this,
                          [this] { exportInteractive(TapExporter::Format::Csv, false); });
    exportMenu->addSeparator();
    exportMenu->addAction(tr("Selection as NDJSON…"), this,
                          [this] { exportInteractive(TapExporter::Format::Ndjson, true); });
    exportMenu->addAction(tr("Selection as CSV…"), this,
                          [this] { exportInteractive(TapExporter::Format::Csv, true); });
    m_exportButton->setMenu(exportMenu);
}

void TapView::setupLayout()
{
    auto *subscribeRow = new QHBoxLayout;
    subscribeRow->addWidget(m_subscribeEdit, 1);
    subscribeRow->addWidget(m_addButton);
    subscribeRow->addWidget(m_removeButton);
    auto *controlRow = new QHBoxLayout;
    controlRow->addWidget(m_pauseButton);
    controlRow->addWidget(m_clearButton);
    controlRow->addWidget(m_follow);
    controlRow->addSpacing(12);
    controlRow->addWidget(m_channelFilter, 1);
    controlRow->addWidget(m_textFilter, 2);
    controlRow->addWidget(m_regex);
    controlRow->addWidget(m_exportButton);

    auto *detail = new QWidget(this);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addWidget(m_detailHeader);
    detailLayout->addWidget(m_detail);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_table);
    splitter->addWidget(detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({600, 260});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(subscribeRow);
    layout->addWidget(m_subscriptions);
    layout->addLayout(controlRow);
    layout->addWidget(m_banner);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);
}

void TapView::connectControls()
{
    connect(m_subscribeEdit, &QLineEdit::returnPressed, this, &TapView::addFromEdit);
    connect(m_addButton, &QPushButton::clicked, this, &TapView::addFromEdit);
    connect(m_removeButton, &QPushButton::clicked, this, [this] {
        const auto items = m_subscriptions->selectedItems();
        for (QListWidgetItem *item : items) {
            const QByteArray name = item->data(Qt::UserRole).toByteArray();
            if (item->data(Qt::UserRole + 1).toBool())
                m_controller->removePattern(name);
            else
                m_controller->removeChannel(name);
        }
    });
    connect(m_pauseButton, &QPushButton::toggled, this, [this](bool on) {
        if (on)
            m_controller->pause();
        else
            m_controller->resume();
    });
    connect(m_controller, &TapController::pausedChanged, this, [this](bool paused) {
        const QSignalBlocker block(m_pauseButton);
        m_pauseButton->setChecked(paused);
        retranslateUi();
    });
    connect(m_clearButton, &QPushButton::clicked, this, [this] {
        m_controller->clear();
        m_detail->clear();
        m_detailHeader->clear();
        refreshStatus();
    });
    connect(m_channelFilter, &QLineEdit::textChanged, m_proxy, &TapFilterProxyModel::setChannelFilter);
    auto applyText = [this] {
        m_proxy->setPayloadFilter(m_textFilter->text(), m_regex->isChecked());
    };
    connect(m_textFilter, &QLineEdit::textChanged, this, applyText);
    connect(m_regex, &QCheckBox::toggled, this, applyText);
    connect(m_proxy, &TapFilterProxyModel::filterError, this, [this](const QString &error) {
        m_textFilter->setToolTip(error);
        m_textFilter->setStyleSheet(error.isEmpty() ? QString() : u"border: 1px solid #d1242f;"_s);
    });
}

// Follow-tail, the detail pane and the controller's state.
void TapView::connectViews()
{
    connect(m_controller->model(), &TapModel::batchAppended, this, [this] {
        if (m_follow->isChecked())
            m_table->scrollToBottom();
    });
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        // Scrolling up stops following; scrolling back to the end resumes it.
        auto *bar = m_table->verticalScrollBar();
        if (bar->isSliderDown() || m_table->underMouse())
            m_follow->setChecked(value == bar->maximum());
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &TapView::showDetail);
    connect(m_controller, &TapController::subscriptionsChanged, this, &TapView::refreshSubscriptions);
    connect(m_controller, &TapController::protectionChanged, this, &TapView::refreshStatus);
    auto *statusTimer = new QTimer(this);
    statusTimer->setInterval(500);
    connect(statusTimer, &QTimer::timeout, this, &TapView::refreshStatus);
    statusTimer->start();
    auto *space = new QShortcut(QKeySequence(Qt::Key_Space), m_table);
    space->setContext(Qt::WidgetShortcut);
    connect(space, &QShortcut::activated, m_pauseButton, &QPushButton::toggle);
}

void TapView::addBar(QWidget *bar)
{
    auto *layout = static_cast<QVBoxLayout *>(this->layout());
    layout->insertWidget(layout->indexOf(m_banner), bar);
}

void TapView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void TapView::retranslateUi()
{
    m_subscribeEdit->setPlaceholderText(tr("Channel or pattern to tap (room:* subscribes a pattern)"));
    m_addButton->setText(tr("Tap"));
    m_removeButton->setText(tr("Remove"));
    m_pauseButton->setText(m_pauseButton->isChecked() ? tr("Resume") : tr("Pause"));
    m_pauseButton->setToolTip(tr("Stop buffering new messages; rates and counts keep going (Ctrl+P, Space)"));
    m_clearButton->setText(tr("Clear"));
    m_clearButton->setToolTip(tr("Empty the buffer (Ctrl+L)"));
    m_follow->setText(tr("Follow"));
    m_channelFilter->setPlaceholderText(tr("Channel filter"));
    m_textFilter->setPlaceholderText(tr("Payload filter"));
    m_regex->setText(tr("Regex"));
    m_exportButton->setText(tr("Export"));
    const QList<QAction *> actions = m_exportButton->menu()->actions();
    const QStringList names{tr("Shown rows as NDJSON…"), tr("Shown rows as CSV…"), QString(),
                            tr("Selection as NDJSON…"), tr("Selection as CSV…")};
    for (int i = 0; i < actions.size() && i < names.size(); ++i) {
        if (!actions[i]->isSeparator())
            actions[i]->setText(names[i]);
    }
    refreshStatus();
}

void TapView::tapChannels(const QByteArrayList &channels)
{
    for (const QByteArray &c : channels)
        m_controller->addChannel(c);
}

void TapView::tapPattern(const QByteArray &pattern)
{
    m_controller->addPattern(pattern);
}

void TapView::addFromEdit()
{
    const QString text = m_subscribeEdit->text().trimmed();
    if (text.isEmpty())
        return;
    if (TextFilter::isGlob(text))
        m_controller->addPattern(text.toUtf8());
    else
        m_controller->addChannel(text.toUtf8());
    m_subscribeEdit->clear();
}

void TapView::refreshSubscriptions()
{
    m_subscriptions->clear();
    auto add = [this](const QByteArray &name, bool pattern) {
        auto *item = new QListWidgetItem(pattern ? tr("pattern %1").arg(QString::fromUtf8(name))
                                                 : QString::fromUtf8(name));
        item->setData(Qt::UserRole, name);
        item->setData(Qt::UserRole + 1, pattern);
        item->setToolTip(pattern ? tr("Pattern subscription (PSUBSCRIBE)")
                                 : tr("Channel subscription (SUBSCRIBE)"));
        m_subscriptions->addItem(item);
    };
    for (const QByteArray &c : m_controller->channels()) {
        add(c, false);
        if (m_controller->isSharded(c)) { // a Cluster's sharded channel: SSUBSCRIBE on its shard
            QListWidgetItem *item = m_subscriptions->item(m_subscriptions->count() - 1);
            item->setText(tr("sharded %1").arg(QString::fromUtf8(c)));
            item->setToolTip(tr("Sharded channel subscription (SSUBSCRIBE on the shard that owns it)"));
        }
    }
    for (const QByteArray &p : m_controller->patterns())
        add(p, true);
    m_subscriptions->setVisible(m_subscriptions->count() > 0);
}

void TapView::refreshStatus()
{
    const QLocale locale;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QString text =
        tr("%1 shown of %2 buffered · %3 msg/s · %4 received")
            .arg(locale.toString(m_proxy->rowCount()), locale.toString(m_controller->model()->rowCount()),
                 locale.toString(m_controller->meter()->totalMessagesPerSecond(now), 'f', 1),
                 locale.toString(qulonglong(m_controller->received())));
    if (m_controller->missedWhilePaused() > 0)
        text += tr(" · %1 missed while paused")
                    .arg(locale.toString(qulonglong(m_controller->missedWhilePaused())));
    if (m_controller->sampledAway() > 0)
        text += tr(" · %1 sampled away").arg(locale.toString(qulonglong(m_controller->sampledAway())));
    if (!m_controller->isConnected())
        text += tr(" · not connected");
    m_status->setText(text);
    const auto protection = m_controller->protection();
    m_banner->setVisible(protection != TapController::Protection::Normal);
    m_banner->setText(m_controller->protectionMessage());
    m_banner->setStyleSheet(protection == TapController::Protection::Paused
                                ? u"background:#d1242f; color:white; padding:4px; border-radius:3px;"_s
                                : u"background:#bf8700; color:white; padding:4px; border-radius:3px;"_s);
}

void TapView::showDetail()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid()) {
        m_detail->clear();
        m_detailHeader->clear();
        return;
    }
    const QModelIndex source = m_proxy->mapToSource(current);
    const TapEntry &e = m_controller->model()->entry(source.row());
    QString header =
        tr("<b>%1</b> · %2 · %3 bytes")
            .arg(QString::fromUtf8(e.channel).toHtmlEscaped(),
                 QDateTime::fromMSecsSinceEpoch(e.receivedMs).toString(u"yyyy-MM-dd HH:mm:ss.zzz"_s))
            .arg(e.size);
    if (!e.pattern.isEmpty())
        header += tr(" · pattern %1").arg(QString::fromUtf8(e.pattern).toHtmlEscaped());
    if (e.truncated())
        header += tr(" · truncated to %1 bytes").arg(e.payload.size());
    m_detailHeader->setText(header);
    QJsonParseError error;
    const QJsonDocument json = QJsonDocument::fromJson(e.payload, &error);
    if (error.error == QJsonParseError::NoError && !json.isNull()) {
        m_detail->setPlainText(QString::fromUtf8(json.toJson(QJsonDocument::Indented)));
        return;
    }
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder(e.payload);
    if (!decoder.hasError()) {
        m_detail->setPlainText(text);
        return;
    }
    QString hex;
    for (qsizetype i = 0; i < e.payload.size(); i += 16) {
        const QByteArray line = e.payload.mid(i, 16);
        hex += u"%1  %2\n"_s.arg(qlonglong(i), 8, 16, QChar(u'0')).arg(QString::fromLatin1(line.toHex(' ')));
    }
    m_detail->setPlainText(hex);
}

bool TapView::exportRows(const QString &path, TapExporter::Format format, bool selectionOnly, QString *error)
{
    m_controller->model()->flush();
    QList<TapEntry> entries;
    if (selectionOnly) {
        QModelIndexList rows = m_table->selectionModel()->selectedRows();
        std::sort(rows.begin(), rows.end(),
                  [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
        for (const QModelIndex &index : rows)
            entries.append(m_controller->model()->entry(m_proxy->mapToSource(index).row()));
    } else {
        entries.reserve(m_proxy->rowCount());
        for (int row = 0; row < m_proxy->rowCount(); ++row)
            entries.append(m_controller->model()->entry(m_proxy->mapToSource(m_proxy->index(row, 0)).row()));
    }
    return TapExporter::writeFile(path, entries, format, error);
}

void TapView::exportInteractive(TapExporter::Format format, bool selectionOnly)
{
    const bool csv = format == TapExporter::Format::Csv;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export tap"), csv ? u"tap.csv"_s : u"tap.ndjson"_s,
        csv ? tr("CSV (*.csv)") : tr("Newline-delimited JSON (*.ndjson *.jsonl)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportRows(path, format, selectionOnly, &error))
        QMessageBox::warning(this, tr("Export tap"), tr("Could not write %1: %2").arg(path, error));
}
