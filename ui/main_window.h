#pragma once
// The library window: every VM the user has, and what they can do with them.

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
    QLabel* emptyTitle_ = nullptr;

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
};

}  // namespace tessera::ui
