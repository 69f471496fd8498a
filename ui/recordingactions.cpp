// SPDX-License-Identifier: MIT
#include "recordingactions.h"

#include "connectioncontroller.h"
#include "embeddedrelay.h"
#include "recordbar.h"
#include "recordingreplayer.h"
#include "replaydialog.h"
#include "taprecorder.h"
#include "tapview.h"

#include <QAction>
#include <QEvent>
#include <QTimer>
#include <QWidget>

using namespace Qt::StringLiterals;

RecordingActions::RecordingActions(TapController *tap, ConnectionController *connection, EmbeddedRelay *relay,
                                   TapView *tapView, QWidget *window)
    : QObject(window)
    , m_recorder(new TapRecorder(tap, this))
    , m_replayer(new RecordingReplayer(this))
    , m_connection(connection)
    , m_relay(relay)
    , m_window(window)
    , m_bar(new RecordBar(m_recorder, tapView))
    , m_replayAction(new QAction(this))
{
    tapView->addBar(m_bar);
    m_replayAction->setObjectName(u"replayAction"_s);
    m_replayAction->setShortcut(QKeySequence(u"Ctrl+Shift+R"_s));
    connect(m_replayAction, &QAction::triggered, this, &RecordingActions::showReplayDialog);
    connect(m_bar, &RecordBar::replayRequested, this, &RecordingActions::showReplayDialog);
    // A new connection or relay changes what can be replayed into.
    auto refresh = [this] {
        if (m_dialog)
            m_dialog->refreshTargets();
    };
    connect(m_connection, &ConnectionController::stateChanged, this, refresh);
    connect(m_relay, &EmbeddedRelay::started, this, refresh);
    connect(m_relay, &EmbeddedRelay::stopped, this, refresh);
    window->installEventFilter(this);
    retranslateUi();
}

ReplayDialog *RecordingActions::showReplayDialog()
{
    if (!m_dialog) {
        m_dialog = new ReplayDialog(
            m_replayer,
            [this] {
                const bool readOnly = m_connection->isConnected() && m_connection->profile().readOnly;
                const QString name = m_connection->isConnected() ? m_connection->profile().name : tr("Redis");
                QList<RecordingReplayer::Target> targets{
                    RecordingReplayer::redisTarget(m_connection->connection(), name, readOnly)};
                targets.first().name = tr("Redis: %1").arg(name);
                const QString relay =
                    m_relay->isRunning()
                        ? tr("Embedded relay (%1, %2)")
                              .arg(m_relay->url().toString(),
                                   m_relay->isInProcess() ? tr("in-process bus") : tr("Redis bus"))
                        : tr("Embedded relay (stopped)");
                targets.append(
                    RecordingReplayer::busTarget(m_relay->bus(), relay, readOnly && !m_relay->isInProcess()));
                return targets;
            },
            m_window);
    }
    m_dialog->show();
    m_dialog->raise();
    m_dialog->activateWindow();
    return m_dialog;
}

bool RecordingActions::record(const QString &path, QString *error)
{
    m_bar->setPath(path);
    QString problem;
    if (!m_recorder->start(path, &problem)) {
        if (error)
            *error = problem;
        return false;
    }
    return true;
}

void RecordingActions::replayWhenReady(const QString &path, double speed)
{
    ReplayDialog *dialog = showReplayDialog();
    dialog->setPath(path);
    dialog->setSpeed(speed);
    auto *guard = new QObject(this);
    auto once = [this, guard, dialog = QPointer<ReplayDialog>(dialog)](bool redis) {
        if (guard->property("done").toBool() || !dialog)
            return;
        guard->setProperty("done", true);
        guard->deleteLater();
        dialog->refreshTargets();
        dialog->selectTarget(redis ? 0 : 1);
        dialog->startReplay();
    };
    if (m_connection->state() == RedisConnection::State::Ready) {
        once(true);
        return;
    }
    connect(m_connection, &ConnectionController::stateChanged, guard,
            [guard, once](RedisConnection::State state) {
                if (state == RedisConnection::State::Ready)
                    QTimer::singleShot(0, guard,
                                       [once] { once(true); }); // after the rest of the console saw it
            });
    connect(m_relay, &EmbeddedRelay::started, guard, [this, once] {
        if (m_relay->isInProcess())
            once(false);
    });
}

bool RecordingActions::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && event->type() == QEvent::LanguageChange)
        retranslateUi();
    return QObject::eventFilter(watched, event);
}

void RecordingActions::retranslateUi()
{
    m_replayAction->setText(tr("&Replay a recording…"));
    m_replayAction->setToolTip(
        tr("Publish a recording of the tap into Redis or the embedded relay (Ctrl+Shift+R)"));
}
