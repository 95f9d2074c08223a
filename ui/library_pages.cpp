#include "ui/library_pages.h"

#include <QAction>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/main_window.h"

namespace tessera::ui {

namespace {

QLabel* titleLabel(const QString& text, QWidget* parent) {
    auto* title = new QLabel(text, parent);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    title->setFont(big);
    title->setAlignment(Qt::AlignCenter);
    return title;
}

QLabel* hintLabel(const QString& text, QWidget* parent) {
    auto* hint = new QLabel(text, parent);
    hint->setAlignment(Qt::AlignCenter);
    hint->setWordWrap(true);
    hint->setEnabled(false);
    return hint;
}

}  // namespace

QWidget* emptyLibraryPage(QWidget* parent, QAction* newAction, QAction* importAction) {
    auto* page = new QWidget(parent);
    page->setObjectName(QStringLiteral("emptyLibrary"));
    auto* logo = new QLabel(page);
    logo->setPixmap(QIcon(QStringLiteral(":/icons/tessera.svg")).pixmap(96, 96));
    logo->setAlignment(Qt::AlignCenter);
    auto* title = titleLabel(MainWindow::tr("No virtual machines yet"), page);
    auto* hint =
        hintLabel(MainWindow::tr("Create one from an installer disc, a Linux kernel or a disk image —\n"
                                 "for RISC-V and other processors, right on this computer."),
                  page);
    auto* create = new QPushButton(newAction->icon(), MainWindow::tr("Create a Virtual Machine…"), page);
    create->setObjectName(QStringLiteral("emptyCreate"));
    create->setDefault(true);
    create->setMinimumHeight(36);
    QObject::connect(create, &QPushButton::clicked, newAction, &QAction::trigger);
    auto* import = new QPushButton(MainWindow::tr("Import a QEMU Command…"), page);
    import->setFlat(true);
    QObject::connect(import, &QPushButton::clicked, importAction, &QAction::trigger);
    auto* layout = new QVBoxLayout(page);
    layout->addStretch(2);
    layout->addWidget(logo);
    layout->addSpacing(12);
    layout->addWidget(title);
    layout->addWidget(hint);
    layout->addSpacing(16);
    layout->addWidget(create, 0, Qt::AlignHCenter);
    layout->addWidget(import, 0, Qt::AlignHCenter);
    layout->addStretch(3);
    return page;
}

QWidget* noMatchPage(QWidget* parent, QLineEdit* search) {
    auto* page = new QWidget(parent);
    page->setObjectName(QStringLiteral("noSearchMatch"));
    auto* title = titleLabel(QString(), page);
    title->setObjectName(QStringLiteral("noMatchText"));
    title->setWordWrap(true);
    auto* hint = hintLabel(MainWindow::tr("The search looks at each VM's name, processor and state."), page);
    auto* clear = new QPushButton(MainWindow::tr("Clear Search"), page);
    clear->setObjectName(QStringLiteral("clearSearch"));
    QObject::connect(clear, &QPushButton::clicked, search, &QLineEdit::clear);
    auto* layout = new QVBoxLayout(page);
    layout->addStretch(2);
    layout->addWidget(title);
    layout->addWidget(hint);
    layout->addSpacing(16);
    layout->addWidget(clear, 0, Qt::AlignHCenter);
    layout->addStretch(3);
    return page;
}

void updateNoMatchPage(QWidget* page, const QString& searchText) {
    page->findChild<QLabel*>(QStringLiteral("noMatchText"))
        ->setText(MainWindow::tr("No virtual machine matches “%1”").arg(searchText.trimmed()));
}

}  // namespace tessera::ui
