// SPDX-License-Identifier: MIT
#include "replaydialog.h"

#include "recordbar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

ReplayDialog::ReplayDialog(RecordingReplayer *replayer, TargetList targets, QWidget *parent)
    : QDialog(parent)
    , m_replayer(replayer)
    , m_targets(std::move(targets))
    , m_pathEdit(new QLineEdit(this))
    , m_browseButton(new QToolButton(this))
    , m_targetCombo(new QComboBox(this))
    , m_speedCombo(new QComboBox(this))
    , m_skipPlumbing(new QCheckBox(this))
    , m_refusal(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_startButton(new QPushButton(this))
    , m_pauseButton(new QPushButton(this))
    , m_stopButton(new QPushButton(this))
    , m_closeButton(new QPushButton(this))
{
    setObjectName(u"replayDialog"_s);
    setupLayout();
    for (double factor : {1.0, 2.0, 10.0, 0.0})
        m_speedCombo->addItem(QString(), factor);

    connect(m_browseButton, &QToolButton::clicked, this, &ReplayDialog::browse);
    connect(m_pathEdit, &QLineEdit::textChanged, this, &ReplayDialog::updateState);
    connect(m_targetCombo, &QComboBox::currentIndexChanged, this, &ReplayDialog::updateState);
    connect(m_startButton, &QPushButton::clicked, this, &ReplayDialog::startReplay);
    connect(m_pauseButton, &QPushButton::clicked, this, [this] {
        if (m_replayer->state() == RecordingReplayer::State::Paused)
            m_replayer->resume();
        else
            m_replayer->pause();
    });
    connect(m_stopButton, &QPushButton::clicked, m_replayer, &RecordingReplayer::stop);
    connect(m_closeButton, &QPushButton::clicked, this, &QDialog::close);
    connect(m_replayer, &RecordingReplayer::stateChanged, this, &ReplayDialog::updateState);
    connect(m_replayer, &RecordingReplayer::progress, this, &ReplayDialog::refreshProgress);
    connect(m_replayer, &RecordingReplayer::finished, this,
            [this](RecordingReplayer::State state, const QString &text) {
                m_summary->setText(text);
                m_summary->setStyleSheet(state == RecordingReplayer::State::Failed ? u"color:#d1242f;"_s
                                                                                   : QString());
                QStringList errors = m_replayer->reader().errors();
                m_summary->setToolTip(errors.join(u'\n'));
            });
    retranslateUi();
    refreshTargets();
}

void ReplayDialog::setupLayout()
{
    m_pathEdit->setObjectName(u"replayPath"_s);
    m_browseButton->setObjectName(u"replayBrowse"_s);
    m_browseButton->setText(u"…"_s);
    m_targetCombo->setObjectName(u"replayTarget"_s);
    m_speedCombo->setObjectName(u"replaySpeed"_s);
    m_skipPlumbing->setObjectName(u"replaySkipPlumbing"_s);
    m_skipPlumbing->setChecked(true);
    m_refusal->setObjectName(u"replayRefusal"_s);
    m_refusal->setWordWrap(true);
    m_refusal->setStyleSheet(u"color:#bf8700; font-weight:bold;"_s);
    m_progress->setObjectName(u"replayProgress"_s);
    m_progress->setRange(0, 1000);
    m_status->setObjectName(u"replayStatus"_s);
    m_summary->setObjectName(u"replaySummary"_s);
    m_summary->setWordWrap(true);
    m_startButton->setObjectName(u"replayStart"_s);
    m_pauseButton->setObjectName(u"replayPause"_s);
    m_stopButton->setObjectName(u"replayStop"_s);
    m_closeButton->setObjectName(u"replayClose"_s);

    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_pathEdit, 1);
    fileRow->addWidget(m_browseButton);
    auto *form = new QFormLayout;
    form->addRow(tr("Recording"), fileRow);
    form->addRow(tr("Into"), m_targetCombo);
    form->addRow(tr("Speed"), m_speedCombo);
    form->addRow(QString(), m_skipPlumbing);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_startButton);
    buttons->addWidget(m_pauseButton);
    buttons->addWidget(m_stopButton);
    buttons->addStretch(1);
    buttons->addWidget(m_closeButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_refusal);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_summary);
    layout->addStretch(1);
    layout->addLayout(buttons);
    resize(560, 260);
}

void ReplayDialog::setPath(const QString &path)
{
    m_pathEdit->setText(path);
}

QString ReplayDialog::path() const
{
    return m_pathEdit->text().trimmed();
}

void ReplayDialog::setSpeed(double factor)
{
    const int index = m_speedCombo->findData(factor);
    if (index >= 0)
        m_speedCombo->setCurrentIndex(index);
}

double ReplayDialog::speed() const
{
    return m_speedCombo->currentData().toDouble();
}

void ReplayDialog::refreshTargets()
{
    const QString chosen = m_targetCombo->currentText();
    m_current = m_targets ? m_targets() : QList<RecordingReplayer::Target>();
    const QSignalBlocker block(m_targetCombo);
    m_targetCombo->clear();
    for (const RecordingReplayer::Target &t : std::as_const(m_current))
        m_targetCombo->addItem(t.name);
    m_targetCombo->setCurrentIndex(qMax(0, m_targetCombo->findText(chosen)));
    updateState();
}

void ReplayDialog::selectTarget(int index)
{
    m_targetCombo->setCurrentIndex(index);
}

bool ReplayDialog::startReplay()
{
    const int index = m_targetCombo->currentIndex();
    QString error;
    m_replayer->setSpeed(speed());
    m_replayer->setSkipRelayPlumbing(m_skipPlumbing->isChecked());
    const bool ok =
        index >= 0 && index < m_current.size() && m_replayer->start(path(), m_current[index], &error);
    if (!ok && error.isEmpty())
        error = tr("Choose a target to replay into.");
    m_summary->setText(error);
    m_summary->setStyleSheet(ok ? QString() : u"color:#d1242f;"_s);
    updateState();
    return ok;
}

void ReplayDialog::browse()
{
    const QString chosen = QFileDialog::getOpenFileName(
        this, tr("Replay a recording"), path().isEmpty() ? RecordBar::defaultDirectory() : path(),
        tr("Newline-delimited JSON (*.ndjson *.jsonl);;All files (*)"));
    if (!chosen.isEmpty())
        m_pathEdit->setText(chosen);
}

void ReplayDialog::showEvent(QShowEvent *event)
{
    refreshTargets();
    QDialog::showEvent(event);
}

void ReplayDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void ReplayDialog::retranslateUi()
{
    setWindowTitle(tr("Replay a recording"));
    m_pathEdit->setPlaceholderText(tr("An NDJSON recording of the tap"));
    m_browseButton->setToolTip(tr("Choose the recording"));
    const QStringList speeds{tr("1× (recorded timing)"), tr("2×"), tr("10×"), tr("As fast as possible")};
    for (int i = 0; i < m_speedCombo->count(); ++i)
        m_speedCombo->setItemText(i, speeds.value(i));
    m_skipPlumbing->setText(tr("Leave out relay heartbeats and probes"));
    m_skipPlumbing->setToolTip(tr("switchboard:relays and switchboard:probe:* are the relays' own traffic; "
                                  "replayed, an old heartbeat brings back a relay that is gone"));
    m_startButton->setText(tr("Start"));
    m_stopButton->setText(tr("Stop"));
    m_closeButton->setText(tr("Close"));
    updateState();
}

void ReplayDialog::updateState()
{
    const bool active = m_replayer->isActive();
    const int index = m_targetCombo->currentIndex();
    const QString refusal = index >= 0 && index < m_current.size() ? m_current[index].refusal : QString();
    m_refusal->setText(refusal);
    m_refusal->setVisible(!refusal.isEmpty());
    m_startButton->setEnabled(!active && refusal.isEmpty() && index >= 0 && !path().isEmpty());
    m_pauseButton->setEnabled(active);
    m_pauseButton->setText(m_replayer->state() == RecordingReplayer::State::Paused ? tr("Resume")
                                                                                   : tr("Pause"));
    m_stopButton->setEnabled(active);
    m_pathEdit->setEnabled(!active);
    m_browseButton->setEnabled(!active);
    m_targetCombo->setEnabled(!active);
    m_speedCombo->setEnabled(!active);
    m_skipPlumbing->setEnabled(!active);
    refreshProgress();
}

void ReplayDialog::refreshProgress()
{
    m_progress->setValue(int(m_replayer->fraction() * 1000));
    if (m_replayer->state() == RecordingReplayer::State::Idle) {
        m_status->clear();
        return;
    }
    const QLocale locale;
    const qint64 seconds = m_replayer->recordingPositionMs() / 1000;
    QString text = tr("%1 published into %2 · %3 of the recording's time")
                       .arg(locale.toString(qulonglong(m_replayer->published())), m_replayer->targetName(),
                            u"%1:%2"_s.arg(seconds / 60).arg(seconds % 60, 2, 10, QChar(u'0')));
    if (m_replayer->skippedPlumbing() > 0)
        text +=
            tr(" · %1 heartbeats left out").arg(locale.toString(qulonglong(m_replayer->skippedPlumbing())));
    if (m_replayer->skippedLines() > 0)
        text +=
            tr(" · %1 malformed lines skipped").arg(locale.toString(qulonglong(m_replayer->skippedLines())));
    if (m_replayer->state() == RecordingReplayer::State::Paused)
        text += tr(" · paused");
    m_status->setText(text);
}
