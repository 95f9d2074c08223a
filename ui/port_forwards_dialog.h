#pragma once
// The VM window's "Port Forwards…" dialog: the running VM's forwards in the
// shared PortForwardEditor table. The window applies the result live
// (VmRunner::setPortForwards); this dialog only edits and validates.

#include <QDialog>

#include "core/vm/vm_config.h"

class QLabel;

namespace tessera::ui {

class PortForwardEditor;

class PortForwardsDialog : public QDialog {
    Q_OBJECT
public:
    PortForwardsDialog(const QString& vmName, const QList<vm::PortForward>& forwards,
                       QWidget* parent = nullptr);

    QList<vm::PortForward> forwards() const;
    PortForwardEditor* editor() const { return editor_; }

public slots:
    // Refuses (with the reason shown) while a row is invalid, and asks before a
    // forward other machines could reach is applied.
    void accept() override;

private:
    PortForwardEditor* editor_;
    QLabel* problem_;
};

}  // namespace tessera::ui
