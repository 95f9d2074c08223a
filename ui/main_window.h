#pragma once
// The library window: every VM the user has, and what they can do with them.
// Closing it quits Tessera (Machine > Quit does the same): VMs still running are
// shut down or powered off first (QuitDialog), never ended silently.

#include <QMainWindow>
#include <functional>

#include "core/vm/vm_library.h"

class QAction;
class QLabel;
class QLineEdit;
class QListView;
class QSortFilterProxyModel;
class QStackedWidget;

namespace tessera::ui {

class VmLibraryModel;
class VmWindow;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // `libraryRoot` empty = $TESSERA_VM_DIR or ~/.local/share/Tessera/VMs.
    explicit MainWindow(const QString& libraryRoot = {}, QWidget* parent = nullptr);

    QListView* libraryView() const { return libraryView_; }
    VmLibraryModel* libraryModel() const { return model_; }
    QLineEdit* searchField() const { return search_; }

    // The selected VM's row in the model, -1 if none.
    int selectedRow() const;
    void selectBundle(const QString& bundleDirectory);
    // The window of a VM started in this session (running or not), or null.
    VmWindow* windowFor(const QString& bundleDirectory) const;

public slots:
    void newVm();
    void importQemuCommand();
    void startSelected();
    void editSelected();
    void cloneSelected();
    void deleteSelected();
    void shrinkSelected();
    void showSelectedInFileManager();
    void showQemuCommand();
    void showLogsOfSelected();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    // Opens (or brings back) the VM's window and starts it; a message to show on failure.
    QString startVm(const vm::VmEntry& entry);
    void updateActions();
    void showContextMenu(const QPoint& pos);

    VmLibraryModel* model_ = nullptr;
    QSortFilterProxyModel* filter_ = nullptr;
    QListView* libraryView_ = nullptr;
    QStackedWidget* stack_ = nullptr;
    QLineEdit* search_ = nullptr;
    QWidget* noMatch_ = nullptr;  // the page saying the search found nothing

    QAction* newAction_ = nullptr;
    QAction* importAction_ = nullptr;
    QAction* startAction_ = nullptr;
    QAction* openAction_ = nullptr;
    QAction* editAction_ = nullptr;
    QAction* cloneAction_ = nullptr;
    QAction* deleteAction_ = nullptr;
    QAction* shrinkAction_ = nullptr;
    QAction* showFilesAction_ = nullptr;
    QAction* qemuCommandAction_ = nullptr;
    QAction* logsAction_ = nullptr;
    QAction* copySshAction_ = nullptr;
};

}  // namespace tessera::ui
