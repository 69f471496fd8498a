// SPDX-License-Identifier: MIT
#include "announcementview.h"

#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QShortcut>
#include <QTimer>

using namespace Qt::StringLiterals;

AnnouncementView::AnnouncementView(AnnouncementController *controller, TemplateStore *templates,
                                   QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_templates(templates)
    , m_text(new QPlainTextEdit(this))
    , m_level(new QComboBox(this))
    , m_broadcast(new QRadioButton(this))
    , m_roomsRadio(new QRadioButton(this))
    , m_rooms(new QLineEdit(this))
    , m_preview(new QPlainTextEdit(this))
    , m_estimateLabel(new QLabel(this))
    , m_readOnlyLabel(new QLabel(this))
    , m_send(new QPushButton(this))
    , m_result(new QLabel(this))
    , m_templateCombo(new QComboBox(this))
    , m_saveTemplate(new QPushButton(this))
    , m_deleteTemplate(new QPushButton(this))
    , m_estimateTimer(new QTimer(this))
{
    setupWidgets();
    setupLayout();
    connectComposer();
    connectTemplates();

    retranslateUi();
    reloadTemplates();
    compose();
}

// A form label whose text retranslateUi() sets, by the order of creation.
QLabel *AnnouncementView::newLabel()
{
    auto *l = new QLabel(this);
    m_labels << l;
    return l;
}

void AnnouncementView::setupWidgets()
{
    m_text->setObjectName(u"announceText"_s);
    m_text->setMaximumHeight(90);
    m_text->setTabChangesFocus(true);
    m_level->setObjectName(u"announceLevel"_s);
    for (int i = 0; i < 3; ++i)
        m_level->addItem(QString(), Announcement::levelKey(Announcement::Level(i)));
    m_broadcast->setChecked(true);
    m_broadcast->setObjectName(u"announceBroadcast"_s);
    m_roomsRadio->setObjectName(u"announceRoomsTarget"_s);
    m_rooms->setObjectName(u"announceRooms"_s);
    m_preview->setObjectName(u"announcePreview"_s);
    m_preview->setReadOnly(true);
    m_preview->setMaximumHeight(70);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_estimateLabel->setObjectName(u"announceEstimate"_s);
    m_estimateLabel->setWordWrap(true);
    m_readOnlyLabel->setStyleSheet(u"color:#bf8700; font-weight:bold;"_s);
    m_readOnlyLabel->setWordWrap(true);
    m_send->setObjectName(u"announceSend"_s);
    m_send->setDefault(true);
    m_result->setObjectName(u"announceResult"_s);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_templateCombo->setObjectName(u"announceTemplates"_s);
    m_estimateTimer->setSingleShot(true);
    m_estimateTimer->setInterval(300);
}

// The form (template, text, level, target, preview, audience), then the send row and the result.
void AnnouncementView::setupLayout()
{
    auto *templates_ = new QHBoxLayout;
    templates_->addWidget(m_templateCombo, 1);
    templates_->addWidget(m_saveTemplate);
    templates_->addWidget(m_deleteTemplate);
    auto *target = new QHBoxLayout;
    target->addWidget(m_broadcast);
    target->addWidget(m_roomsRadio);
    target->addWidget(m_rooms, 1);
    auto *form = new QFormLayout;
    form->addRow(newLabel(), templates_);
    form->addRow(newLabel(), m_text);
    form->addRow(newLabel(), m_level);
    form->addRow(newLabel(), target);
    form->addRow(newLabel(), m_preview);
    form->addRow(newLabel(), m_estimateLabel);
    auto *sendRow = new QHBoxLayout;
    sendRow->addWidget(m_readOnlyLabel, 1);
    sendRow->addWidget(m_send);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(form);
    layout->addLayout(sendRow);
    layout->addWidget(m_result);
    layout->addStretch();
}

// Every edit recomposes the announcement; the estimate follows after a pause.
void AnnouncementView::connectComposer()
{
    connect(m_text, &QPlainTextEdit::textChanged, this, &AnnouncementView::compose);
    connect(m_level, &QComboBox::currentIndexChanged, this, &AnnouncementView::compose);
    connect(m_broadcast, &QRadioButton::toggled, this, &AnnouncementView::compose);
    connect(m_rooms, &QLineEdit::textChanged, this, [this] {
        if (!m_rooms->text().isEmpty())
            m_roomsRadio->setChecked(true);
        compose();
    });
    connect(m_estimateTimer, &QTimer::timeout, this, [this] { m_controller->requestEstimate(m_pending); });
    connect(m_controller, &AnnouncementController::estimateReady, this, &AnnouncementView::showEstimate);
    connect(m_controller, &AnnouncementController::published, this, &AnnouncementView::showResult);
    connect(m_controller, &AnnouncementController::readOnlyChanged, this, &AnnouncementView::updateState);
    connect(m_send, &QPushButton::clicked, this, &AnnouncementView::send);
    auto *shortcut = new QShortcut(QKeySequence(u"Ctrl+Return"_s), this);
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(shortcut, &QShortcut::activated, this, &AnnouncementView::send);
}

void AnnouncementView::connectTemplates()
{
    connect(m_templateCombo, &QComboBox::activated, this, [this](int index) {
        if (index <= 0)
            return;
        if (auto a = m_templates->load(m_templateCombo->itemText(index))) {
            m_text->setPlainText(a->text);
            m_level->setCurrentIndex(int(a->level));
            m_rooms->setText(a->rooms.join(u", "_s));
            (a->broadcast ? m_broadcast : m_roomsRadio)->setChecked(true);
        }
    });
    connect(m_saveTemplate, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString name =
            QInputDialog::getText(
                this, tr("Save template"), tr("Template name:"), QLineEdit::Normal,
                m_templateCombo->currentIndex() > 0 ? m_templateCombo->currentText() : QString(), &ok)
                .trimmed();
        if (!ok || name.isEmpty())
            return;
        m_templates->save(name, m_pending);
        reloadTemplates();
        m_templateCombo->setCurrentText(name);
    });
    connect(m_deleteTemplate, &QPushButton::clicked, this, [this] {
        if (m_templateCombo->currentIndex() <= 0)
            return;
        m_templates->remove(m_templateCombo->currentText());
        reloadTemplates();
    });
}

void AnnouncementView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void AnnouncementView::retranslateUi()
{
    const QStringList labels{tr("Template"), tr("Text"),    tr("Level"),
                             tr("Target"),   tr("Preview"), tr("Audience")};
    for (int i = 0; i < m_labels.size(); ++i)
        m_labels[i]->setText(labels.value(i));
    m_text->setPlaceholderText(tr("Maintenance starts in 10 minutes. Save your work."));
    m_level->setItemText(0, tr("Info"));
    m_level->setItemText(1, tr("Warning"));
    m_level->setItemText(2, tr("Critical"));
    m_broadcast->setText(tr("Everyone (broadcast)"));
    m_roomsRadio->setText(tr("Rooms"));
    m_rooms->setPlaceholderText(tr("lobby, 42, support"));
    m_send->setText(tr("Send…"));
    m_send->setToolTip(tr("Preview, confirm and publish (Ctrl+Return)"));
    m_saveTemplate->setText(tr("Save"));
    m_deleteTemplate->setText(tr("Delete"));
    reloadTemplates();
    updateState();
}

void AnnouncementView::reloadTemplates()
{
    const QString current = m_templateCombo->currentText();
    const QSignalBlocker block(m_templateCombo);
    m_templateCombo->clear();
    m_templateCombo->addItem(tr("(no template)"));
    m_templateCombo->addItems(m_templates->names());
    const int index = m_templateCombo->findText(current);
    m_templateCombo->setCurrentIndex(index < 0 ? 0 : index);
}

void AnnouncementView::compose()
{
    m_pending.text = m_text->toPlainText();
    m_pending.level = Announcement::Level(qMax(0, m_level->currentIndex()));
    m_pending.broadcast = m_broadcast->isChecked();
    QStringList invalid;
    m_pending.rooms = Announcement::parseRooms(m_rooms->text(), &invalid);
    for (const QString &bad : std::as_const(invalid))
        m_pending.rooms.append(bad); // keeps validate() honest about them
    m_pending.stamp();
    m_preview->setPlainText(QString::fromUtf8(m_pending.toJson()));
    const bool critical = m_pending.level == Announcement::Level::Critical;
    m_text->setStyleSheet(critical ? u"QPlainTextEdit { border: 2px solid #d1242f; }"_s : QString());
    m_estimateTimer->start();
    updateState();
}

void AnnouncementView::showEstimate(const AnnouncementController::Estimate &e)
{
    m_estimate = e;
    const QLocale locale;
    if (!e.error.isEmpty()) {
        m_estimateLabel->setText(e.error);
        return;
    }
    QStringList parts;
    for (int i = 0; i < e.channels.size() && i < e.subscribers.size(); ++i) {
        if (i < e.shardedSubscribers.size()) // a Cluster: the sharded and classic parts, and the commands
            parts << tr("%1 on %2: %3 sharded + %4 classic, by %5")
                         .arg(locale.toString(e.subscribers[i]), QString::fromUtf8(e.channels[i]),
                              locale.toString(e.shardedSubscribers[i]),
                              locale.toString(e.subscribers[i] - e.shardedSubscribers[i]), e.commands.value(i));
        else
            parts << tr("%1 on %2").arg(locale.toString(e.subscribers[i]), QString::fromUtf8(e.channels[i]));
    }
    QString text = tr("%n subscriber(s) on Redis", nullptr, int(e.totalSubscribers));
    if (!parts.isEmpty())
        text += u" ("_s + parts.join(u", "_s) + u')';
    if (e.relayClients)
        text += tr(" · relays report %1 WebSocket clients").arg(locale.toString(*e.relayClients));
    m_estimateLabel->setText(text);
}

void AnnouncementView::updateState()
{
    const QString blocker = m_controller->blocker(m_pending);
    m_send->setEnabled(blocker.isEmpty());
    m_send->setToolTip(blocker.isEmpty() ? tr("Preview, confirm and publish (Ctrl+Return)") : blocker);
    m_readOnlyLabel->setText(m_controller->isReadOnly() ? blocker : QString());
    m_readOnlyLabel->setVisible(m_controller->isReadOnly());
}

bool AnnouncementView::confirm(const QString &summary)
{
    if (m_confirm)
        return m_confirm(summary);
    QMessageBox box(QMessageBox::Question, tr("Send announcement"), summary,
                    QMessageBox::Yes | QMessageBox::Cancel, this);
    box.setDefaultButton(QMessageBox::Cancel);
    box.button(QMessageBox::Yes)->setText(tr("Publish"));
    return box.exec() == QMessageBox::Yes;
}

void AnnouncementView::send()
{
    compose(); // stamps the current time and a fresh id; the preview and the dialog show exactly that
    const QString blocker = m_controller->blocker(m_pending);
    if (!blocker.isEmpty()) {
        m_result->setStyleSheet(u"color:#d1242f;"_s);
        m_result->setText(blocker);
        return;
    }
    const QLocale locale;
    QString summary =
        tr("Publish this %1 announcement to %2?\n\n\"%3\"\n\nChannels: %4\nReaches about %5 subscribers.")
            .arg(Announcement::levelKey(m_pending.level), m_pending.targetText(), m_pending.text,
                 QString::fromUtf8(m_pending.channels(m_controller->channelPrefix()).join(", ")),
                 locale.toString(m_estimate.totalSubscribers));
    if (m_estimate.relayClients)
        summary += tr("\nRelays report %1 WebSocket clients.").arg(locale.toString(*m_estimate.relayClients));
    summary += u"\n\n"_s + QString::fromUtf8(m_pending.toJson());
    if (!confirm(summary)) {
        m_result->setStyleSheet(QString());
        m_result->setText(tr("Not sent."));
        return;
    }
    m_controller->publish(m_pending);
    m_estimateTimer->stop();
}

void AnnouncementView::showResult(const AnnouncementController::Result &r)
{
    const QLocale locale;
    if (!r.error.isEmpty()) {
        m_result->setStyleSheet(u"color:#d1242f;"_s);
        m_result->setText(tr("Not published: %1").arg(r.error));
        return;
    }
    QStringList parts;
    for (int i = 0; i < r.channels.size() && i < r.receivers.size(); ++i)
        parts << tr("%1 → %2").arg(QString::fromUtf8(r.channels[i]), locale.toString(r.receivers[i]));
    m_result->setStyleSheet(u"color:#1a7f37;"_s);
    if (!r.commands.isEmpty()) {
        parts.clear();
        for (int i = 0; i < r.channels.size() && i < r.commands.size(); ++i)
            parts << tr("%1: %2").arg(QString::fromUtf8(r.channels[i]), r.commands[i]);
        m_result->setText(tr("Published %1 at %2: %3 (%4 in all; on a Cluster PUBLISH counts only the "
                             "subscribers of the node that took it, the message reaches every node).")
                              .arg(r.id, QTime::currentTime().toString(u"HH:mm:ss"_s), parts.join(u", "_s),
                                   locale.toString(r.total)));
        compose();
        return;
    }
    m_result->setText(tr("Published %1 at %2: PUBLISH returned %3 (%4 in all).")
                          .arg(r.id, QTime::currentTime().toString(u"HH:mm:ss"_s), parts.join(u", "_s),
                               locale.toString(r.total)));
    compose(); // a fresh id for the next one
}
