// SPDX-License-Identifier: MIT
#include "auditlogview.h"

#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolButton>

using namespace Qt::StringLiterals;

AuditLogView::AuditLogView(AuditLog *log, QWidget *parent)
    : QWidget(parent)
    , m_log(log)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_export(new QToolButton(this))
    , m_table(new QTableView(this))
    , m_path(new QLabel(this))
{
    m_proxy->setSourceModel(log);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setObjectName(u"auditFilter"_s);
    m_filter->setClearButtonEnabled(true);
    m_export->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(this);
    menu->addAction(u"NDJSON…"_s, this, [this] { exportInteractive(AuditLog::Format::Ndjson); });
    menu->addAction(u"CSV…"_s, this, [this] { exportInteractive(AuditLog::Format::Csv); });
    m_export->setMenu(menu);
    m_table->setObjectName(u"auditTable"_s);
    m_table->setModel(m_proxy);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(AuditLog::TextColumn, QHeaderView::Stretch);
    m_path->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_export);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_path);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_log, &QAbstractItemModel::modelReset, this, &AuditLogView::retranslateUi);
    retranslateUi();
}

void AuditLogView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void AuditLogView::retranslateUi()
{
    m_filter->setPlaceholderText(tr("Filter announcements"));
    m_export->setText(tr("Export"));
    QString path = tr("Audit log: %1").arg(m_log->path().isEmpty() ? tr("not written") : m_log->path());
    if (m_log->skippedLines() > 0)
        path += tr(" · %n malformed line(s) skipped", nullptr, m_log->skippedLines());
    if (!m_log->errorString().isEmpty())
        path += u" · "_s + m_log->errorString();
    m_path->setText(path);
}

void AuditLogView::exportInteractive(AuditLog::Format format)
{
    const bool csv = format == AuditLog::Format::Csv;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export audit log"), csv ? u"announcements.csv"_s : u"announcements.ndjson"_s);
    if (path.isEmpty())
        return;
    QString error;
    if (!m_log->exportTo(path, format, &error))
        QMessageBox::warning(this, tr("Export audit log"), tr("Could not write %1: %2").arg(path, error));
}
