#include "ui/run_logs_dialog.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QUrl>
#include <QVBoxLayout>

#include "core/vm/run_log.h"

namespace tessera::ui {

namespace {

QPlainTextEdit* logView(QWidget* parent, const char* name) {
    auto* view = new QPlainTextEdit(parent);
    view->setObjectName(QLatin1String(name));
    view->setReadOnly(true);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return view;
}

QString readLog(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(file.readAll());  // bounded by RunLog::kMaxFileBytes
}

}  // namespace

RunLogsDialog::RunLogsDialog(const vm::VmBundle& bundle, const QString& vmName, QWidget* parent)
    : QDialog(parent), bundle_(bundle) {
    setWindowTitle(tr("Logs of %1").arg(vmName));
    runs_ = new QComboBox(this);
    runs_->setObjectName(QStringLiteral("runs"));
    for (const QString& stem : vm::RunLog::runs(bundle)) {
        // The stem's name is the run's start, "2026-12-06_22.41.03".
        const QString started = QFileInfo(stem).fileName().replace(QLatin1Char('_'), QLatin1Char(' '));
        runs_->addItem(tr("Run started %1").arg(started), stem);
    }
    tabs_ = new QTabWidget(this);
    serial_ = logView(tabs_, "serialLog");
    tessera_ = logView(tabs_, "tesseraLog");
    tabs_->addTab(serial_, tr("Serial Console"));
    tabs_->addTab(tessera_, tr("Tessera"));

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Run:"), this));
    top->addWidget(runs_, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* folder = buttons->addButton(tr("Open Logs Folder"), QDialogButtonBox::ActionRole);
    folder->setObjectName(QStringLiteral("openLogsFolder"));
    connect(folder, &QPushButton::clicked, this,
            [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(bundle_.logsPath())); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(tabs_, 1);
    layout->addWidget(buttons);

    connect(runs_, &QComboBox::currentIndexChanged, this, &RunLogsDialog::showRun);
    if (runs_->count() == 0) {
        runs_->addItem(tr("This VM has not run yet"));
        runs_->setEnabled(false);
    }
    showRun(0);
    resize(860, 560);
}

void RunLogsDialog::showRun(int index) {
    const QString stem = runs_->itemData(index).toString();
    serial_->setPlainText(stem.isEmpty() ? QString() : readLog(vm::RunLog::serialFileOf(stem)));
    tessera_->setPlainText(stem.isEmpty() ? QString() : readLog(vm::RunLog::tesseraFileOf(stem)));
}

QString RunLogsDialog::serialText() const {
    return serial_->toPlainText();
}
QString RunLogsDialog::tesseraText() const {
    return tessera_->toPlainText();
}

}  // namespace tessera::ui
