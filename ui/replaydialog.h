// SPDX-License-Identifier: MIT
#pragma once

#include "recordingreplayer.h"

#include <QDialog>

#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QToolButton;

// Replays a recording: the file, the target (the console's Redis or the embedded relay), the speed,
// then a progress bar, pause / resume and stop. A target that refuses (a read-only profile, not
// connected) says why and cannot be started.
class ReplayDialog : public QDialog
{
    Q_OBJECT

public:
    using TargetList = std::function<QList<RecordingReplayer::Target>()>;
    ReplayDialog(RecordingReplayer *replayer, TargetList targets, QWidget *parent = nullptr);

    void setPath(const QString &path);
    QString path() const;
    // 1, 2, 10 or 0 (as fast as possible).
    void setSpeed(double factor);
    double speed() const;
    // The targets again (the connection or the relay changed); keeps the chosen one when it is still there.
    void refreshTargets();
    void selectTarget(int index);
    // Starts with what the dialog shows; false with the error shown.
    bool startReplay();

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void setupLayout();
    void retranslateUi();
    void updateState();
    void refreshProgress();
    void browse();

    RecordingReplayer *m_replayer;
    TargetList m_targets;
    QList<RecordingReplayer::Target> m_current;
    QLineEdit *m_pathEdit;
    QToolButton *m_browseButton;
    QComboBox *m_targetCombo;
    QComboBox *m_speedCombo;
    QCheckBox *m_skipPlumbing;
    QLabel *m_refusal;
    QProgressBar *m_progress;
    QLabel *m_status;
    QLabel *m_summary;
    QPushButton *m_startButton;
    QPushButton *m_pauseButton;
    QPushButton *m_stopButton;
    QPushButton *m_closeButton;
};
