#include "ui/main_window.h"

#include <QListView>
#include <QStandardItemModel>

namespace tessera::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("Tessera"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/tessera.svg")));
    libraryModel_ = new QStandardItemModel(this);
    libraryView_ = new QListView(this);
    libraryView_->setObjectName(QStringLiteral("libraryView"));
    libraryView_->setModel(libraryModel_);
    libraryView_->setViewMode(QListView::IconMode);
    setCentralWidget(libraryView_);
    resize(960, 640);
}

}  // namespace tessera::ui
