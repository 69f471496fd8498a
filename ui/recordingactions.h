// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QPointer>

class ConnectionController;
class EmbeddedRelay;
class RecordBar;
class RecordingReplayer;
class ReplayDialog;
class TapController;
class TapRecorder;
class TapView;
class QAction;
class QWidget;

// Record and replay in the console: a TapRecorder on the live tap with its RecordBar in the tap
// view, and a RecordingReplayer with its ReplayDialog whose targets are the console's Redis
// connection (refused on a read-only profile) and the embedded relay's bus (refused when that bus
// is the read-only profile's Redis).
class RecordingActions : public QObject
{
    Q_OBJECT

public:
    RecordingActions(TapController *tap, ConnectionController *connection, EmbeddedRelay *relay,
                     TapView *tapView, QWidget *window);

    TapRecorder *recorder() const { return m_recorder; }
    RecordingReplayer *replayer() const { return m_replayer; }
    RecordBar *recordBar() const { return m_bar; }
    // "Replay a recording…" (Ctrl+Shift+R), for a menu.
    QAction *replayAction() const { return m_replayAction; }
    ReplayDialog *showReplayDialog();

    // --record: starts recording to path at once; false with *error.
    bool record(const QString &path, QString *error = nullptr);
    // --replay: opens the dialog on path and starts into the console's Redis once it is connected
    // (into the embedded relay when there is no Redis within 8 s).
    void replayWhenReady(const QString &path, double speed);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void retranslateUi();

    TapRecorder *m_recorder;
    RecordingReplayer *m_replayer;
    ConnectionController *m_connection;
    EmbeddedRelay *m_relay;
    QWidget *m_window;
    RecordBar *m_bar;
    QAction *m_replayAction;
    QPointer<ReplayDialog> m_dialog;
};
