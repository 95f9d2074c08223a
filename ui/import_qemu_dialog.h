#pragma once
// "Import from QEMU command line": paste a qemu-system-… command (from a
// tutorial, a script, UTM's export) and get a VM. Shows what was understood
// and, separately, everything that does not carry over.

#include <QDialog>
#include <optional>

#include "core/vm/qemu_import.h"

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace tessera::ui {

class ImportQemuDialog : public QDialog {
    Q_OBJECT
public:
    explicit ImportQemuDialog(const QString& libraryRoot, QWidget* parent = nullptr);

    QPlainTextEdit* commandEdit() const { return command_; }
    QString createdBundle() const { return createdBundle_; }
    void accept() override;

private:
    void reparse();

    QString root_;
    QPlainTextEdit* command_;
    QLineEdit* name_;
    QLineEdit* baseFolder_;
    QLabel* understood_;
    QLabel* warnings_;
    QLabel* problem_;
    QPushButton* create_;
    std::optional<vm::QemuImport> parsed_;
    QString createdBundle_;
    QString previousSuggestion_;
};

}  // namespace tessera::ui
