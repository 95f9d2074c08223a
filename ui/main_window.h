#pragma once
// The library window: every VM the user has, and what they can do with them.

#include <QMainWindow>

class QListView;
class QStandardItemModel;

namespace tessera::ui {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    QListView* libraryView() const { return libraryView_; }

private:
    QListView* libraryView_ = nullptr;
    QStandardItemModel* libraryModel_ = nullptr;
};

}  // namespace tessera::ui
