// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class TapRecorder;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QToolButton;

// In the Live tap: record what the tap receives to a file (TapRecorder), with its size, message
// count and duration while it runs, and why it stopped when a write failed. "Replay…" asks for
// the replay dialog.
class RecordBar : public QWidget
{
    Q_OBJECT

public:
    explicit RecordBar(TapRecorder *recorder, QWidget *parent = nullptr);

    // The file the next recording goes to; empty: a new file under defaultDirectory().
    void setPath(const QString &path);
    QString path() const;
    static QString defaultDirectory();
    // Starts recording (to path(), or a new default file); false with the error shown.
    bool startRecording();

Q_SIGNALS:
    void replayRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void refresh();
    void browse();

    TapRecorder *m_recorder;
    QPushButton *m_recordButton;
    QLineEdit *m_pathEdit;
    QToolButton *m_browseButton;
    QProgressBar *m_indicator;
    QLabel *m_stats;
    QLabel *m_error;
    QPushButton *m_replayButton;
};
