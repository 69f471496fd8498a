// SPDX-License-Identifier: MIT
#include "recordbar.h"

#include "taprecorder.h"

#include <QDateTime>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

RecordBar::RecordBar(TapRecorder *recorder, QWidget *parent)
    : QWidget(parent)
    , m_recorder(recorder)
    , m_recordButton(new QPushButton(this))
    , m_pathEdit(new QLineEdit(this))
    , m_browseButton(new QToolButton(this))
    , m_indicator(new QProgressBar(this))
    , m_stats(new QLabel(this))
    , m_error(new QLabel(this))
    , m_replayButton(new QPushButton(this))
{
    m_recordButton->setObjectName(u"recordButton"_s);
    m_recordButton->setCheckable(true);
    m_pathEdit->setObjectName(u"recordPath"_s);
    m_pathEdit->setClearButtonEnabled(true);
    m_browseButton->setObjectName(u"recordBrowse"_s);
    m_browseButton->setText(u"…"_s);
    m_indicator->setObjectName(u"recordIndicator"_s);
    m_indicator->setRange(0, 0); // busy: a recording has no end to measure against
    m_indicator->setTextVisible(false);
    m_indicator->setMaximumWidth(80);
    m_indicator->setMaximumHeight(m_pathEdit->sizeHint().height() / 2);
    m_stats->setObjectName(u"recordStats"_s);
    m_error->setObjectName(u"recordError"_s);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color:#d1242f;"_s);
    m_replayButton->setObjectName(u"replayButton"_s);

    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_recordButton);
    row->addWidget(m_pathEdit, 2);
    row->addWidget(m_browseButton);
    row->addWidget(m_indicator);
    row->addWidget(m_stats, 1);
    row->addWidget(m_replayButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_error);

    connect(m_recordButton, &QPushButton::clicked, this, [this](bool on) {
        if (on)
            startRecording();
        else
            m_recorder->stop();
        refresh();
    });
    connect(m_browseButton, &QToolButton::clicked, this, &RecordBar::browse);
    connect(m_replayButton, &QPushButton::clicked, this, &RecordBar::replayRequested);
    connect(m_recorder, &TapRecorder::started, this, &RecordBar::refresh);
    connect(m_recorder, &TapRecorder::stopped, this, &RecordBar::refresh);
    connect(m_recorder, &TapRecorder::failed, m_error, &QLabel::setText);
    auto *timer = new QTimer(this);
    timer->setInterval(500);
    connect(timer, &QTimer::timeout, this, [this] {
        if (m_recorder->isRecording())
            refresh();
    });
    timer->start();
    retranslateUi();
}

QString RecordBar::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/recordings"_s;
}

void RecordBar::setPath(const QString &path)
{
    m_pathEdit->setText(path);
}

QString RecordBar::path() const
{
    return m_pathEdit->text().trimmed();
}

bool RecordBar::startRecording()
{
    QString file = path();
    if (file.isEmpty()) {
        QDir().mkpath(defaultDirectory());
        file = defaultDirectory() + u"/tap-"_s + QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_s) +
               u".ndjson"_s;
        m_pathEdit->setText(file);
    }
    QString error;
    const bool ok = m_recorder->start(file, &error);
    m_error->setText(error);
    refresh();
    return ok;
}

void RecordBar::browse()
{
    const QString chosen = QFileDialog::getSaveFileName(this, tr("Record the tap to"),
                                                        path().isEmpty() ? defaultDirectory() : path(),
                                                        tr("Newline-delimited JSON (*.ndjson *.jsonl)"));
    if (!chosen.isEmpty())
        m_pathEdit->setText(chosen);
}

void RecordBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void RecordBar::retranslateUi()
{
    m_pathEdit->setPlaceholderText(tr("Recording file (empty: a new file in %1)").arg(defaultDirectory()));
    m_browseButton->setToolTip(tr("Choose the recording file"));
    m_replayButton->setText(tr("Replay…"));
    m_replayButton->setToolTip(tr("Publish a recording into Redis or the embedded relay"));
    refresh();
}

void RecordBar::refresh()
{
    const bool recording = m_recorder->isRecording();
    {
        const QSignalBlocker block(m_recordButton);
        m_recordButton->setChecked(recording);
    }
    m_recordButton->setText(recording ? tr("■ Stop recording") : tr("● Record"));
    m_recordButton->setToolTip(recording ? tr("Stop and close the file")
                                         : tr("Append every message the tap receives to the file"));
    m_recordButton->setStyleSheet(recording ? u"color:#d1242f; font-weight:bold;"_s : QString());
    m_pathEdit->setEnabled(!recording);
    m_browseButton->setEnabled(!recording);
    m_indicator->setVisible(recording);
    if (recording)
        m_error->clear();
    m_error->setVisible(!m_error->text().isEmpty());
    const QLocale locale;
    const qint64 seconds = m_recorder->elapsedMs() / 1000;
    const QString stats =
        tr("%1 messages · %2 · %3")
            .arg(locale.toString(qulonglong(m_recorder->messages())),
                 locale.formattedDataSize(qint64(m_recorder->bytesWritten() + m_recorder->bytesBuffered())),
                 u"%1:%2"_s.arg(seconds / 60).arg(seconds % 60, 2, 10, QChar(u'0')));
    m_stats->setText(recording                      ? stats
                     : m_recorder->path().isEmpty() ? QString()
                                                    : tr("Last: %1").arg(stats));
    m_stats->setToolTip(m_recorder->path());
}
