#include "ui/port_forwards_dialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/port_forward_editor.h"

namespace tessera::ui {

PortForwardsDialog::PortForwardsDialog(const QString& vmName, const QList<vm::PortForward>& forwards,
                                       QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Port Forwards — %1").arg(vmName));
    auto* intro =
        new QLabel(tr("Programs on this computer reach a service in the VM by connecting to the host "
                      "port. Changes apply at once, while the VM runs."),
                   this);
    intro->setWordWrap(true);
    editor_ = new PortForwardEditor(this);
    editor_->setForwards(forwards);
    problem_ = new QLabel(this);
    problem_->setObjectName(QStringLiteral("problem"));
    problem_->setStyleSheet(QStringLiteral("color: #c62828"));
    problem_->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Apply"));
    connect(buttons, &QDialogButtonBox::accepted, this, &PortForwardsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &PortForwardsDialog::reject);
    connect(editor_, &PortForwardEditor::changed, problem_, &QLabel::clear);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(editor_);
    layout->addWidget(problem_);
    layout->addWidget(buttons);
    resize(620, 340);
}

QList<vm::PortForward> PortForwardsDialog::forwards() const {
    return editor_->forwards();
}

void PortForwardsDialog::accept() {
    const QString problem = editor_->problem();
    if (!problem.isEmpty()) {
        problem_->setText(problem);
        return;
    }
    if (!editor_->confirmExposure()) return;
    QDialog::accept();
}

}  // namespace tessera::ui
