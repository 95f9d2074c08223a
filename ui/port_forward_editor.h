#pragma once
// Editable table of port forwards (host port → guest port), used by the
// wizard's network page, the settings dialog and the VM window's Port Forwards
// dialog. Defaults to 127.0.0.1 so a forwarded service is reachable from this
// computer only; rows are checked by the network's one validator
// (net::validateHostForward), and a forward other machines could reach is
// saved only after the user confirms it (confirmExposure).

#include <QSet>
#include <QWidget>

#include "core/net/host_forward.h"
#include "core/vm/vm_config.h"

class QTableWidget;
class QPushButton;

namespace tessera::ui {

class PortForwardEditor : public QWidget {
    Q_OBJECT
public:
    explicit PortForwardEditor(QWidget* parent = nullptr);

    void setForwards(const QList<vm::PortForward>& forwards);
    QList<vm::PortForward> forwards() const;
    // Empty when fine; otherwise a sentence for the user ("Row 2: …").
    QString problem() const;
    // For valid rows, before saving or applying them: asks (ui::confirmExposure)
    // about forwards other machines could connect to that were not already so in
    // setForwards() or allowed before. True = go ahead.
    bool confirmExposure();
    QTableWidget* table() const { return table_; }

public slots:
    void addRow(const tessera::vm::PortForward& forward = {});
    void removeSelectedRows();

signals:
    void changed();

private:
    static QString columnTitle(
        net::HostForwardField field);  // where a row's problem is, in the table's words

    QTableWidget* table_;
    QPushButton* remove_;
    QSet<QString>
        exposureAllowed_;  // sockets other machines may reach that need no question (see confirmExposure)
};

}  // namespace tessera::ui
