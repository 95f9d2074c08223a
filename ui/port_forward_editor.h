#pragma once
// Editable table of port forwards (host port → guest port), used by the
// wizard's network page and the settings dialog. Defaults to 127.0.0.1 so
// a forwarded service is reachable from this computer only.

#include <QWidget>

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
    QTableWidget* table() const { return table_; }

public slots:
    void addRow(const tessera::vm::PortForward& forward = {});
    void removeSelectedRows();

signals:
    void changed();

private:
    QTableWidget* table_;
    QPushButton* remove_;
};

}  // namespace tessera::ui
