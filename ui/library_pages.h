#pragma once
// The library window's pages for when there is no card to show: an empty
// library invites to create the first VM; a search that matches nothing says
// so and offers to clear it (a blank grid would look like lost VMs).

#include <QString>

class QAction;
class QLabel;
class QLineEdit;
class QWidget;

namespace tessera::ui {

QWidget* emptyLibraryPage(QWidget* parent, QAction* newAction, QAction* importAction);

// `search` is the field whose text is quoted and cleared; the page's
// "noMatchText" label is updated by updateNoMatchPage().
QWidget* noMatchPage(QWidget* parent, QLineEdit* search);
void updateNoMatchPage(QWidget* page, const QString& searchText);

}  // namespace tessera::ui
