// SPDX-License-Identifier: MIT
#include "logview.h"

#include "logmodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>

namespace {
int severity(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return 0;
    case QtInfoMsg:
        return 1;
    case QtWarningMsg:
        return 2;
    case QtCriticalMsg:
        return 3;
    case QtFatalMsg:
        return 4;
    }
    return 0;
}

class LogFilterProxyModel : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setMinimumSeverity(int value)
    {
        m_minimum = value;
        invalidateRowsFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QModelIndex index = sourceModel()->index(row, LogModel::MessageColumn, parent);
        if (severity(QtMsgType(index.data(LogModel::TypeRole).toInt())) < m_minimum)
            return false;
        return QSortFilterProxyModel::filterAcceptsRow(row, parent);
    }

private:
    int m_minimum = 1;
};
} // namespace

LogView::LogView(LogModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new LogFilterProxyModel(this))
    , m_level(new QComboBox(this))
    , m_filter(new QLineEdit(this))
    , m_follow(new QCheckBox(this))
    , m_clear(new QPushButton(this))
    , m_table(new QTableView(this))
{
    m_proxy->setSourceModel(model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_level->setObjectName(QStringLiteral("logLevel"));
    m_filter->setObjectName(QStringLiteral("logFilter"));
    m_filter->setClearButtonEnabled(true);
    m_follow->setChecked(true);
    m_table->setObjectName(QStringLiteral("logTable"));
    m_table->setModel(m_proxy);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(LogModel::TimeColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(LogModel::LevelColumn, QHeaderView::ResizeToContents);
    m_table->setColumnWidth(LogModel::CategoryColumn, 140);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_level);
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_follow);
    bar->addWidget(m_clear);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_table);

    connect(m_level, &QComboBox::currentIndexChanged, this, [this](int index) {
        static_cast<LogFilterProxyModel *>(m_proxy)->setMinimumSeverity(m_level->itemData(index).toInt());
    });
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_clear, &QPushButton::clicked, m_model, &LogModel::clear);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_follow->isChecked())
            QTimer::singleShot(0, m_table, &QTableView::scrollToBottom);
    });
    retranslateUi();
    m_level->setCurrentIndex(1);
}

void LogView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void LogView::retranslateUi()
{
    const int current = qMax(0, m_level->currentIndex());
    const QSignalBlocker block(m_level);
    m_level->clear();
    m_level->addItem(tr("Debug and above"), 0);
    m_level->addItem(tr("Info and above"), 1);
    m_level->addItem(tr("Warnings and errors"), 2);
    m_level->setCurrentIndex(current);
    m_filter->setPlaceholderText(tr("Filter log messages"));
    m_follow->setText(tr("Follow"));
    m_clear->setText(tr("Clear"));
}
