// SPDX-License-Identifier: MIT
#include "connectiondialog.h"

#include "redisclustertopology.h"
#include "redisprobe.h"
#include "secretstore.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

ConnectionDialog::ConnectionDialog(ProfileStore *store, SecretStore *secrets, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_secrets(secrets)
    , m_list(new QListWidget(this))
    , m_name(new QLineEdit(this))
    , m_url(new QLineEdit(this))
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_passwordNote(new QLabel(this))
    , m_sentinelUser(new QLineEdit(this))
    , m_sentinelPassword(new QLineEdit(this))
    , m_ca(new QLineEdit(this))
    , m_cert(new QLineEdit(this))
    , m_key(new QLineEdit(this))
    , m_skipVerify(new QCheckBox(this))
    , m_skipWarning(new QLabel(this))
    , m_readOnly(new QCheckBox(this))
    , m_message(new QLabel(this))
    , m_new(new QPushButton(this))
    , m_delete(new QPushButton(this))
    , m_save(new QPushButton(this))
    , m_test(new QPushButton(this))
    , m_connect(new QPushButton(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Close, this))
{
    setupWidgets();
    setupLayout(buildForm());
    connectSignals();

    retranslateUi();
    reload(m_store->lastUsed());
    resize(720, 460);
}

void ConnectionDialog::setupWidgets()
{
    setObjectName(u"connectionDialog"_s);
    m_list->setObjectName(u"profileList"_s);
    m_name->setObjectName(u"profileName"_s);
    m_url->setObjectName(u"profileUrl"_s);
    m_password->setObjectName(u"profilePassword"_s);
    m_password->setEchoMode(QLineEdit::Password);
    m_sentinelUser->setObjectName(u"profileSentinelUser"_s);
    m_sentinelPassword->setObjectName(u"profileSentinelPassword"_s);
    m_sentinelPassword->setEchoMode(QLineEdit::Password);
    m_skipWarning->setStyleSheet(u"color: #d1242f; font-weight: bold;"_s);
    m_skipWarning->setWordWrap(true);
    m_skipWarning->setVisible(false);
    m_passwordNote->setStyleSheet(u"color: palette(mid);"_s);
    m_message->setWordWrap(true);
    m_list->setMinimumWidth(160);
}

// A row of edit and a "…" button that picks a file into it.
QHBoxLayout *ConnectionDialog::withBrowseButton(QLineEdit *edit)
{
    auto *row = new QHBoxLayout;
    auto *button = new QToolButton(this);
    button->setText(u"…"_s);
    connect(button, &QToolButton::clicked, this, [this, edit] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Choose a file"), edit->text());
        if (!file.isEmpty())
            edit->setText(file);
    });
    row->addWidget(edit);
    row->addWidget(button);
    return row;
}

// The profile's fields; the labels go to m_formLabels in the order retranslateUi() names them.
QFormLayout *ConnectionDialog::buildForm()
{
    auto *form = new QFormLayout;
    auto label = [this](QLabel *&out) {
        return out = new QLabel(this);
    };
    QLabel *l = nullptr;
    form->addRow(label(l), m_name);
    m_formLabels << l;
    form->addRow(label(l), m_url);
    m_formLabels << l;
    form->addRow(label(l), m_user);
    m_formLabels << l;
    form->addRow(label(l), m_password);
    m_formLabels << l;
    form->addRow(QString(), m_passwordNote);
    form->addRow(label(l), m_sentinelUser);
    m_formLabels << l;
    form->addRow(label(l), m_sentinelPassword);
    m_formLabels << l;
    form->addRow(label(l), withBrowseButton(m_ca));
    m_formLabels << l;
    form->addRow(label(l), withBrowseButton(m_cert));
    m_formLabels << l;
    form->addRow(label(l), withBrowseButton(m_key));
    m_formLabels << l;
    form->addRow(QString(), m_skipVerify);
    form->addRow(QString(), m_skipWarning);
    form->addRow(QString(), m_readOnly);
    m_form = form;
    return form;
}

// The profile list on the left, the form and its actions on the right.
void ConnectionDialog::setupLayout(QFormLayout *form)
{
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_test);
    actions->addStretch();
    actions->addWidget(m_save);
    actions->addWidget(m_connect);
    m_connect->setDefault(true);

    auto *right = new QVBoxLayout;
    right->addLayout(form);
    right->addWidget(m_message);
    right->addStretch();
    right->addLayout(actions);

    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(m_new);
    listButtons->addWidget(m_delete);
    auto *left = new QVBoxLayout;
    left->addWidget(m_list);
    left->addLayout(listButtons);

    auto *top = new QHBoxLayout;
    top->addLayout(left);
    top->addLayout(right, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_buttons);
}

void ConnectionDialog::connectSignals()
{
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_skipVerify, &QCheckBox::toggled, m_skipWarning, &QLabel::setVisible);
    connect(m_password, &QLineEdit::textEdited, this, [this] { m_passwordEdited = true; });
    connect(m_sentinelPassword, &QLineEdit::textEdited, this, [this] { m_sentinelPasswordEdited = true; });
    connect(m_url, &QLineEdit::textChanged, this, &ConnectionDialog::updateSentinelRows);
    connect(m_list, &QListWidget::currentTextChanged, this, [this](const QString &name) {
        if (auto p = m_store->profile(name))
            showProfile(*p);
    });
    connect(m_new, &QPushButton::clicked, this, [this] {
        m_list->clearSelection();
        ConnectionProfile p;
        p.name = tr("New profile");
        p.url = u"redis://127.0.0.1:6379"_s;
        showProfile(p);
        m_name->setFocus();
        m_name->selectAll();
    });
    connect(m_delete, &QPushButton::clicked, this, [this] {
        const QString name = m_name->text();
        if (!m_store->profile(name))
            return;
        m_store->remove(name);
        m_secrets->deletePassword(name);
        m_secrets->deletePassword(ConnectionProfile::sentinelSecretName(name));
        reload(QString());
    });
    connect(m_save, &QPushButton::clicked, this, [this] { saveCurrent(); });
    connect(m_test, &QPushButton::clicked, this, &ConnectionDialog::testConnection);
    connect(m_connect, &QPushButton::clicked, this, [this] {
        if (!saveCurrent())
            return;
        const ConnectionProfile p = editedProfile();
        Q_EMIT connectRequested(p, m_password->text(), p.isSentinel() ? m_sentinelPassword->text() : QString());
        accept();
    });
}

void ConnectionDialog::selectProfile(const QString &name)
{
    reload(name);
}

void ConnectionDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void ConnectionDialog::retranslateUi()
{
    setWindowTitle(tr("Connection profiles"));
    const QStringList labels{tr("Name"),           tr("URL"),         tr("ACL user"),
                             tr("Password"),       tr("Sentinel user"), tr("Sentinel password"),
                             tr("TLS CA file"),    tr("Client certificate"), tr("Client key")};
    for (int i = 0; i < m_formLabels.size() && i < labels.size(); ++i)
        m_formLabels[i]->setText(labels[i]);
    m_url->setPlaceholderText(u"redis://host:6379/0 · rediss://host:6380 · unix:///run/redis.sock · "
                              u"redis-cluster://h1:7000,h2:7001 · redis-sentinel://s1:26379,s2#mymaster"_s);
    m_user->setPlaceholderText(tr("default"));
    m_sentinelUser->setPlaceholderText(tr("default (the Sentinels' own ACL user)"));
    m_sentinelPassword->setPlaceholderText(tr("only when the Sentinels require one; kept in the keychain"));
    m_passwordNote->setText(
        tr("Password: %1. Never written to the settings file.").arg(m_secrets->description()));
    m_skipVerify->setText(tr("Skip TLS certificate verification"));
    m_skipWarning->setText(tr("Warning: without verification anyone on the network path can impersonate this "
                              "server and read everything, including the password."));
    m_readOnly->setText(tr("Read-only: no announcements, no kicking"));
    m_new->setText(tr("New"));
    m_delete->setText(tr("Delete"));
    m_save->setText(tr("Save"));
    m_test->setText(tr("Test"));
    m_connect->setText(tr("Save and connect"));
}

void ConnectionDialog::reload(const QString &select)
{
    const QSignalBlocker block(m_list);
    m_list->clear();
    const QList<ConnectionProfile> profiles = m_store->profiles();
    for (const ConnectionProfile &p : profiles)
        m_list->addItem(p.name);
    QString target = select;
    if (target.isEmpty() && !profiles.isEmpty())
        target = profiles.first().name;
    const auto found = m_list->findItems(target, Qt::MatchExactly);
    if (!found.isEmpty()) {
        m_list->setCurrentItem(found.first());
        if (auto p = m_store->profile(target))
            showProfile(*p);
    } else {
        ConnectionProfile p;
        p.name = u"localhost"_s;
        p.url = u"redis://127.0.0.1:6379"_s;
        showProfile(p);
    }
}

void ConnectionDialog::showProfile(const ConnectionProfile &p)
{
    m_name->setText(p.name);
    m_url->setText(p.url);
    m_user->setText(p.username);
    m_ca->setText(p.caFile);
    m_cert->setText(p.certFile);
    m_key->setText(p.keyFile);
    m_skipVerify->setChecked(p.skipVerify);
    m_readOnly->setChecked(p.readOnly);
    m_sentinelUser->setText(p.sentinelUsername);
    m_password->clear();
    m_sentinelPassword->clear();
    m_passwordEdited = m_sentinelPasswordEdited = false;
    setMessage(QString(), false);
    m_secrets->readPassword(p.name, this,
                            [this, name = p.name](const std::optional<QString> &password, const QString &) {
                                if (m_name->text() == name && !m_passwordEdited && password)
                                    m_password->setText(*password);
                            });
    if (p.isSentinel()) {
        m_secrets->readPassword(ConnectionProfile::sentinelSecretName(p.name), this,
                                [this, name = p.name](const std::optional<QString> &password, const QString &) {
                                    if (m_name->text() == name && !m_sentinelPasswordEdited && password)
                                        m_sentinelPassword->setText(*password);
                                });
    }
    updateSentinelRows();
}

void ConnectionDialog::updateSentinelRows()
{
    const bool sentinel = m_url->text().trimmed().startsWith(u"redis-sentinel://"_s) ||
                          m_url->text().trimmed().startsWith(u"rediss-sentinel://"_s);
    m_form->setRowVisible(m_sentinelUser, sentinel);
    m_form->setRowVisible(m_sentinelPassword, sentinel);
}

ConnectionProfile ConnectionDialog::editedProfile() const
{
    ConnectionProfile p;
    p.name = m_name->text().trimmed();
    p.url = m_url->text().trimmed();
    p.username = m_user->text().trimmed();
    p.sentinelUsername = p.isSentinel() ? m_sentinelUser->text().trimmed() : QString();
    p.caFile = m_ca->text().trimmed();
    p.certFile = m_cert->text().trimmed();
    p.keyFile = m_key->text().trimmed();
    p.skipVerify = m_skipVerify->isChecked();
    p.readOnly = m_readOnly->isChecked();
    return p;
}

bool ConnectionDialog::saveCurrent()
{
    const ConnectionProfile p = editedProfile();
    const QString problem = p.validate();
    if (!problem.isEmpty()) {
        setMessage(problem, true);
        return false;
    }
    m_store->save(p);
    saveSecrets(p.name);
    const QSignalBlocker block(m_list);
    if (m_list->findItems(p.name, Qt::MatchExactly).isEmpty())
        m_list->addItem(p.name);
    m_list->setCurrentItem(m_list->findItems(p.name, Qt::MatchExactly).first());
    setMessage(tr("Saved."), false);
    return true;
}

void ConnectionDialog::saveSecrets(const QString &name)
{
    const auto done = [this](const QString &error) {
        if (!error.isEmpty())
            setMessage(error, true);
        m_passwordNote->setText(tr("Password: %1. Never written to the settings file.").arg(m_secrets->description()));
    };
    if (m_passwordEdited || !m_password->text().isEmpty())
        m_secrets->writePassword(name, m_password->text(), this, done);
    if (m_sentinelPasswordEdited || !m_sentinelPassword->text().isEmpty())
        m_secrets->writePassword(ConnectionProfile::sentinelSecretName(name), m_sentinelPassword->text(), this, done);
}

void ConnectionDialog::testConnection()
{
    const ConnectionProfile p = editedProfile();
    const QString problem = p.validate();
    if (!problem.isEmpty()) {
        setMessage(problem, true);
        return;
    }
    setMessage(tr("Testing…"), false);
    const RedisUrl url = p.probeUrl(m_password->text(), m_sentinelPassword->text());
    const bool cluster = RedisUrl::parse(p.url).topology() == RedisUrl::Topology::Cluster;
    RedisProbe::probe(url, 3000ms, this, [this, cluster, url](const RedisProbe::Result &r) {
        if (r.reachable && cluster)
            setMessage(tr("Connected: Redis %1, Cluster node %2.")
                           .arg(r.serverVersion, RedisClusterTopology::nodeKey(url.host(), url.port())),
                       false);
        else if (r.reachable)
            setMessage(tr("Connected: Redis %1.").arg(r.serverVersion), false);
        else
            setMessage(tr("Cannot connect: %1").arg(r.error), true);
    });
}

void ConnectionDialog::setMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? u"color: #d1242f;"_s : u"color: #1a7f37;"_s);
}
