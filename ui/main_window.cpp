#include "ui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QButtonGroup>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QUrl>
#include <QVBoxLayout>

#include "core/vm/ssh_command.h"
#include "core/vm/vm_bundle_ops.h"
#include "ui/backing_file_dialog.h"
#include "ui/copy_ssh_command.h"
#include "ui/import_qemu_dialog.h"
#include "ui/linked_clone_guard.h"
#include "ui/library_pages.h"
#include "ui/new_vm_wizard.h"
#include "ui/port_conflict_prompt.h"
#include "ui/qemu_command_dialog.h"
#include "ui/quit_dialog.h"
#include "ui/run_logs_dialog.h"
#include "ui/shrink_disk_dialog.h"
#include "ui/vm_card_delegate.h"
#include "ui/vm_library_model.h"
#include "ui/vm_settings_dialog.h"
#include "ui/vm_window.h"

namespace tessera::ui {

namespace {

// Tessera's own icons, so the toolbar looks the same on every desktop; the
// theme name is used only where we ship none.
QIcon themed(const char* name, const char* ownResource = nullptr) {
    if (ownResource) return QIcon(QString::fromLatin1(ownResource));
    return QIcon::fromTheme(QLatin1String(name));
}

}  // namespace

MainWindow::MainWindow(const QString& libraryRoot, QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("Tessera"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/tessera.svg")));
    model_ = new VmLibraryModel(libraryRoot, this);
    filter_ = new QSortFilterProxyModel(this);
    filter_->setSourceModel(model_);
    filter_->setFilterRole(VmLibraryModel::SearchTextRole);
    filter_->setFilterCaseSensitivity(Qt::CaseInsensitive);

    libraryView_ = new QListView(this);
    libraryView_->setObjectName(QStringLiteral("libraryView"));
    libraryView_->setModel(filter_);
    libraryView_->setViewMode(QListView::IconMode);
    libraryView_->setResizeMode(QListView::Adjust);
    libraryView_->setMovement(QListView::Static);
    libraryView_->setUniformItemSizes(true);
    libraryView_->setGridSize(VmCardDelegate::cardSize());
    libraryView_->setSpacing(0);
    libraryView_->setMouseTracking(true);
    libraryView_->setSelectionMode(QAbstractItemView::SingleSelection);
    libraryView_->setItemDelegate(new VmCardDelegate(libraryView_));
    libraryView_->setContextMenuPolicy(Qt::CustomContextMenu);
    libraryView_->setFrameShape(QFrame::NoFrame);
    libraryView_->setAccessibleName(tr("Virtual machines"));

    createActions();
    stack_ = new QStackedWidget(this);
    stack_->addWidget(emptyLibraryPage(stack_, newAction_, importAction_));
    stack_->addWidget(libraryView_);
    noMatch_ = noMatchPage(stack_, search_);
    stack_->addWidget(noMatch_);
    setCentralWidget(stack_);

    connect(search_, &QLineEdit::textChanged, filter_, &QSortFilterProxyModel::setFilterFixedString);
    connect(search_, &QLineEdit::textChanged, this, &MainWindow::updateActions);
    connect(libraryView_, &QListView::customContextMenuRequested, this, &MainWindow::showContextMenu);
    connect(libraryView_, &QListView::activated, this, [this] {
        if (startAction_->isEnabled()) startSelected();
        else if (editAction_->isEnabled()) editSelected();
    });
    connect(libraryView_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateActions);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(filter_, signal, this, &MainWindow::updateActions);
    connect(filter_, &QAbstractItemModel::modelReset, this, &MainWindow::updateActions);
    connect(filter_, &QAbstractItemModel::dataChanged, this, &MainWindow::updateActions);
    updateActions();
    resize(1040, 680);
}

void MainWindow::createActions() {
    newAction_ = new QAction(themed("list-add", ":/icons/actions/new-vm.svg"), tr("&New VM…"), this);
    newAction_->setObjectName(QStringLiteral("actionNewVm"));
    newAction_->setShortcut(QKeySequence::New);
    newAction_->setToolTip(tr("Create a virtual machine from an installer disc, a kernel, a disk image or a download"));
    importAction_ = new QAction(themed("document-import", ":/icons/actions/import.svg"), tr("&Import QEMU Command…"), this);
    importAction_->setObjectName(QStringLiteral("actionImportQemu"));
    startAction_ = new QAction(themed("media-playback-start", ":/icons/actions/start.svg"), tr("&Start"), this);
    startAction_->setObjectName(QStringLiteral("actionStart"));
    openAction_ = new QAction(themed("window-new"), tr("&Open Window"), this);
    openAction_->setObjectName(QStringLiteral("actionOpenWindow"));
    editAction_ = new QAction(themed("document-properties", ":/icons/actions/settings.svg"), tr("&Settings…"), this);
    editAction_->setObjectName(QStringLiteral("actionSettings"));
    cloneAction_ = new QAction(themed("edit-copy", ":/icons/actions/clone.svg"), tr("&Clone…"), this);
    cloneAction_->setObjectName(QStringLiteral("actionClone"));
    deleteAction_ = new QAction(themed("edit-delete", ":/icons/actions/delete.svg"), tr("&Delete…"), this);
    deleteAction_->setObjectName(QStringLiteral("actionDelete"));
    deleteAction_->setShortcut(QKeySequence::Delete);
    shrinkAction_ = new QAction(themed("zoom-out", ":/icons/actions/shrink.svg"), tr("S&hrink Disk…"), this);
    shrinkAction_->setObjectName(QStringLiteral("actionShrink"));
    showFilesAction_ = new QAction(themed("folder-open", ":/icons/actions/folder.svg"), tr("Show in &Files"), this);
    showFilesAction_->setObjectName(QStringLiteral("actionShowInFiles"));
    logsAction_ = new QAction(themed("text-x-generic", ":/icons/actions/logs.svg"), tr("Show &Logs…"), this);
    logsAction_->setObjectName(QStringLiteral("actionShowLogs"));
    logsAction_->setToolTip(
        tr("What the VM printed on its serial console, and Tessera's notes, for its recent runs"));
    qemuCommandAction_ = new QAction(themed("utilities-terminal", ":/icons/actions/terminal.svg"), tr("Show &QEMU Command"), this);
    qemuCommandAction_->setObjectName(QStringLiteral("actionQemuCommand"));

    copySshAction_ = createCopySshAction(this);
    connect(copySshAction_, &QAction::triggered, this, [this] {
        const int row = selectedRow();
        if (row >= 0 && model_->entry(row).config)
            statusBar()->showMessage(copySshCommand(*model_->entry(row).config), 10000);
    });

    connect(newAction_, &QAction::triggered, this, &MainWindow::newVm);
    connect(importAction_, &QAction::triggered, this, &MainWindow::importQemuCommand);
    connect(startAction_, &QAction::triggered, this, &MainWindow::startSelected);
    connect(openAction_, &QAction::triggered, this, &MainWindow::startSelected);
    connect(editAction_, &QAction::triggered, this, &MainWindow::editSelected);
    connect(cloneAction_, &QAction::triggered, this, &MainWindow::cloneSelected);
    connect(deleteAction_, &QAction::triggered, this, &MainWindow::deleteSelected);
    connect(shrinkAction_, &QAction::triggered, this, &MainWindow::shrinkSelected);
    connect(showFilesAction_, &QAction::triggered, this, &MainWindow::showSelectedInFileManager);
    connect(qemuCommandAction_, &QAction::triggered, this, &MainWindow::showQemuCommand);
    connect(logsAction_, &QAction::triggered, this, &MainWindow::showLogsOfSelected);

    auto* toolbar = addToolBar(tr("Library"));
    toolbar->setObjectName(QStringLiteral("libraryToolBar"));
    toolbar->setMovable(false);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(newAction_);
    toolbar->addSeparator();
    toolbar->addAction(startAction_);
    toolbar->addAction(editAction_);
    toolbar->addAction(cloneAction_);
    toolbar->addAction(shrinkAction_);
    toolbar->addAction(deleteAction_);
    auto* spacer = new QWidget(toolbar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    search_ = new QLineEdit(toolbar);
    search_->setObjectName(QStringLiteral("searchField"));
    search_->setPlaceholderText(tr("Search VMs"));
    search_->setClearButtonEnabled(true);
    search_->addAction(themed("edit-find", ":/icons/actions/search.svg"), QLineEdit::LeadingPosition);
    search_->setMaximumWidth(240);
    toolbar->addWidget(search_);

    QMenu* file = menuBar()->addMenu(tr("&Machine"));
    file->addAction(newAction_);
    file->addAction(importAction_);
    file->addSeparator();
    for (QAction* a : {startAction_, openAction_, editAction_, cloneAction_, shrinkAction_, showFilesAction_,
                       logsAction_, qemuCommandAction_, copySshAction_})
        file->addAction(a);
    file->addSeparator();
    file->addAction(deleteAction_);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setObjectName(QStringLiteral("actionQuit"));
    quit->setShortcut(QKeySequence::Quit);
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Tessera"), this, [this] {
        QMessageBox::about(this, tr("About Tessera"),
                           tr("<h3>Tessera %1</h3><p>Virtual machines of other CPU architectures, on this computer, "
                              "with Tessera's own emulator.</p>").arg(QCoreApplication::applicationVersion()));
    });
}

int MainWindow::selectedRow() const {
    const QModelIndexList selected = libraryView_->selectionModel()->selectedIndexes();
    if (selected.isEmpty()) return -1;
    return filter_->mapToSource(selected.first()).row();
}

void MainWindow::selectBundle(const QString& bundleDirectory) {
    const QModelIndex source = model_->indexForBundle(bundleDirectory);
    if (!source.isValid()) return;
    const QModelIndex proxy = filter_->mapFromSource(source);
    libraryView_->selectionModel()->select(proxy, QItemSelectionModel::ClearAndSelect);
    libraryView_->setCurrentIndex(proxy);
    libraryView_->scrollTo(proxy);
}

VmWindow* MainWindow::windowFor(const QString& bundleDirectory) const {
    for (VmWindow* open : findChildren<VmWindow*>())
        if (open->runner()->entry().bundle.directory() == bundleDirectory) return open;
    return nullptr;
}

// One VM window per VM, each VM on its own thread. A VM that ran before starts
// again in its window (with a fresh machine from config.json).
QString MainWindow::startVm(const vm::VmEntry& entry) {
    VmWindow* open = windowFor(entry.bundle.directory());
    if (open && open->runner()->state() != vm::VmRunner::State::Stopped) {
        open->show();
        open->raise();
        open->activateWindow();
        return {};
    }
    // Linked clones of this VM would be damaged by writing its disk: ask before, not at Start.
    // (The library's file watcher shows clones made independent on their cards.)
    if (QString error; !confirmStartOfCloneBase(this, entry, &error))
        return error;  // empty when the user cancelled: nothing to report
    if (open) {
        open->show();
        open->raise();
        open->activateWindow();
        if (!resolvePortConflicts(this, entry)) return {};  // the user saw why and cancelled
        if (Status started = open->start(); !started) return QString::fromStdString(started.message());
        return {};
    }
    // Backing files outside the bundle are used only once the user allowed them.
    vm::VmEntry allowed = entry;
    if (QString error;
        allowed.config && !confirmOutsideBacking(this, allowed.bundle, *allowed.config, &error))
        return error;  // empty when the user said no: nothing to report
    if (!resolvePortConflicts(this, allowed)) return {};
    auto* window = new VmWindow(allowed, this);
    window->setWindowFlag(Qt::Window);
    connect(window, &VmWindow::runStateChanged, this, [this](const QString& bundle, int state) {
        model_->setRunState(bundle, VmRunState(state));
        updateActions();
    });
    if (Status started = window->start(); !started) {
        delete window;
        return QString::fromStdString(started.message());
    }
    window->show();
    return {};
}

void MainWindow::updateActions() {
    if (model_->rowCount() == 0) {
        stack_->setCurrentIndex(0);
    } else if (filter_->rowCount() == 0) {
        updateNoMatchPage(noMatch_, search_->text());
        stack_->setCurrentWidget(noMatch_);
    } else {
        stack_->setCurrentWidget(libraryView_);
    }
    const int row = selectedRow();
    const bool any = row >= 0;
    const VmRunState state = any ? model_->runState(row) : VmRunState::Stopped;
    const bool broken = state == VmRunState::Broken;
    const bool stopped = state == VmRunState::Stopped;

    startAction_->setEnabled(any && !broken);
    openAction_->setEnabled(any && !broken);
    startAction_->setToolTip(tr("Start the selected VM"));
    editAction_->setEnabled(any && !broken && stopped);
    editAction_->setToolTip(any && !stopped && !broken ? tr("Shut the VM down to change its settings") : tr("Change memory, CPUs, boot files, CD and network"));
    cloneAction_->setEnabled(any && !broken && stopped);
    deleteAction_->setEnabled(any && (stopped || broken));
    showFilesAction_->setEnabled(any);
    logsAction_->setEnabled(any);
    qemuCommandAction_->setEnabled(any && !broken);
    const bool hasDisk = any && !broken && !model_->entry(row).config->disks.isEmpty();
    const QString ssh = any && !broken ? vm::sshCommand(*model_->entry(row).config) : QString();
    copySshAction_->setEnabled(!ssh.isEmpty());
    copySshAction_->setToolTip(ssh.isEmpty() ? tr("The VM forwards no host port to its SSH port 22")
                                             : tr("Copy %1 to the clipboard").arg(ssh));
    shrinkAction_->setEnabled(hasDisk && stopped);
    shrinkAction_->setToolTip(hasDisk && !stopped ? tr("Shut the VM down to shrink its disk")
                                                  : tr("Give back disk space the VM no longer uses"));

    if (any && broken) statusBar()->showMessage(tr("%1 cannot be opened: %2").arg(model_->entry(row).displayName(), model_->entry(row).error));
    else if (any) statusBar()->showMessage(model_->entry(row).bundle.directory());
    else statusBar()->showMessage(tr("%n virtual machine(s) in %1", nullptr, model_->rowCount()).arg(model_->root()));
}

void MainWindow::showContextMenu(const QPoint& pos) {
    if (!libraryView_->indexAt(pos).isValid()) return;
    QMenu menu(this);
    for (QAction* a : {startAction_, openAction_, editAction_, cloneAction_, shrinkAction_, showFilesAction_,
                       logsAction_, qemuCommandAction_, copySshAction_})
        menu.addAction(a);
    menu.addSeparator();
    menu.addAction(deleteAction_);
    menu.exec(libraryView_->viewport()->mapToGlobal(pos));
}

void MainWindow::newVm() {
    NewVmWizard wizard(model_->root(), this);
    wizard.setCanStart(true);
    if (wizard.exec() != QDialog::Accepted) return;
    model_->reload();
    selectBundle(wizard.createdBundle());
    if (wizard.startAfterCreation() && startAction_->isEnabled()) startSelected();
}

void MainWindow::importQemuCommand() {
    ImportQemuDialog dialog(model_->root(), this);
    if (dialog.exec() != QDialog::Accepted) return;
    model_->reload();
    selectBundle(dialog.createdBundle());
}

void MainWindow::startSelected() {
    const int row = selectedRow();
    if (row < 0) return;
    if (const QString error = startVm(model_->entry(row)); !error.isEmpty())
        QMessageBox::warning(this, tr("Cannot start %1").arg(model_->entry(row).displayName()), error);
}

void MainWindow::editSelected() {
    const int row = selectedRow();
    if (row < 0 || !model_->entry(row).config) return;
    const QString before = model_->entry(row).bundle.directory();
    VmSettingsDialog dialog(model_->entry(row).bundle, *model_->entry(row).config, this);
    if (dialog.exec() != QDialog::Accepted) return;
    // A renamed VM's stopped window would start the old folder: it goes (the next Start opens a new one).
    if (dialog.bundleDirectory() != before) delete windowFor(before);
    model_->reload();
    selectBundle(dialog.bundleDirectory());
}

void MainWindow::cloneSelected() {
    const int row = selectedRow();
    if (row < 0) return;
    const vm::VmEntry entry = model_->entry(row);
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Clone %1").arg(entry.displayName()));
    auto* name = new QLineEdit(vm::VmLibrary(model_->root()).uniqueName(tr("%1 (copy)").arg(entry.displayName())), &dialog);
    auto* linked = new QRadioButton(tr("Linked clone — fast and small; the new disk only stores changes.\n"
                                       "The original VM's disk must stay where it is; the original does not "
                                       "start while clones depend on it."),
                                    &dialog);
    auto* full = new QRadioButton(tr("Full copy — independent of the original; needs as much space again."), &dialog);
    linked->setObjectName(QStringLiteral("linkedClone"));
    full->setObjectName(QStringLiteral("fullCopy"));
    linked->setChecked(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Clone"));
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* layout = new QFormLayout(&dialog);
    layout->addRow(tr("Name:"), name);
    layout->addRow(linked);
    layout->addRow(full);
    layout->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted) return;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    auto cloned = vm::cloneBundle(entry.bundle, model_->root(), name->text().trimmed(),
                                  linked->isChecked() ? vm::CloneKind::Linked : vm::CloneKind::FullCopy);
    QApplication::restoreOverrideCursor();
    if (!cloned) {
        QMessageBox::warning(this, tr("Clone failed"), QString::fromStdString(cloned.message()));
        return;
    }
    model_->reload();
    selectBundle(cloned->directory());
}

void MainWindow::deleteSelected() {
    const int row = selectedRow();
    if (row < 0) return;
    const vm::VmEntry entry = model_->entry(row);
    QMessageBox box(QMessageBox::Warning, tr("Delete %1?").arg(entry.displayName()),
                    tr("Delete the virtual machine \"%1\" and its disks?").arg(entry.displayName()), QMessageBox::NoButton, this);
    box.setObjectName(QStringLiteral("deleteConfirmation"));
    box.setInformativeText(tr("Moving it to the trash lets you restore it later. Deleting it forever frees the space now."));
    QPushButton* trash = box.addButton(tr("Move to Trash"), QMessageBox::AcceptRole);
    trash->setObjectName(QStringLiteral("moveToTrash"));
    QPushButton* permanently = box.addButton(tr("Delete Forever"), QMessageBox::DestructiveRole);
    permanently->setObjectName(QStringLiteral("deleteForever"));
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    vm::DeleteKind kind;
    if (box.clickedButton() == trash) kind = vm::DeleteKind::MoveToTrash;
    else if (box.clickedButton() == permanently) kind = vm::DeleteKind::DeleteForever;
    else return;
    // Its window goes too (the VM is stopped: Delete is only offered then), so nothing of it stays open.
    delete windowFor(entry.bundle.directory());
    if (Status deleted = vm::deleteBundle(entry.bundle, kind); !deleted)
        QMessageBox::warning(this, tr("Delete failed"), QString::fromStdString(deleted.message()));
    model_->reload();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QList<vm::VmRunner*> running;
    for (VmWindow* window : findChildren<VmWindow*>())
        if (window->runner()->state() != vm::VmRunner::State::Stopped) running << window->runner();
    if (!running.isEmpty()) {
        QuitDialog dialog(running, this);
        if (dialog.exec() != QDialog::Accepted) {
            event->ignore();
            return;
        }
    }
    // Every VM is stopped and its machine released: the windows close without asking.
    for (VmWindow* window : findChildren<VmWindow*>()) window->close();
    event->accept();
}

void MainWindow::shrinkSelected() {
    const int row = selectedRow();
    if (row < 0 || model_->entry(row).broken()) return;
    ShrinkDiskDialog dialog(model_->entry(row), model_->runState(row) != VmRunState::Stopped, this);
    dialog.exec();
    model_->reload();
}

void MainWindow::showSelectedInFileManager() {
    const int row = selectedRow();
    if (row >= 0) QDesktopServices::openUrl(QUrl::fromLocalFile(model_->entry(row).bundle.directory()));
}

void MainWindow::showLogsOfSelected() {
    const int row = selectedRow();
    if (row < 0) return;
    RunLogsDialog dialog(model_->entry(row).bundle, model_->entry(row).displayName(), this);
    dialog.exec();
}

void MainWindow::showQemuCommand() {
    const int row = selectedRow();
    if (row < 0 || !model_->entry(row).config) return;
    QemuCommandDialog dialog(*model_->entry(row).config, model_->entry(row).bundle, this);
    dialog.exec();
}

}  // namespace tessera::ui
