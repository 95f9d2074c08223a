#include "ui/port_forward_editor.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHostAddress>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace tessera::ui {

namespace {
enum Column { Protocol, HostAddress, HostPort, GuestPort, ColumnCount };
}

PortForwardEditor::PortForwardEditor(QWidget* parent) : QWidget(parent) {
    table_ = new QTableWidget(0, ColumnCount, this);
    table_->setObjectName(QStringLiteral("portForwardTable"));
    table_->setHorizontalHeaderLabels({tr("Protocol"), tr("Listen on (this computer)"), tr("Host port"), tr("Guest port")});
    table_->horizontalHeader()->setSectionResizeMode(HostAddress, QHeaderView::Stretch);
    table_->verticalHeader()->hide();
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setMinimumHeight(120);

    auto* add = new QPushButton(QIcon::fromTheme(QStringLiteral("list-add")), tr("Add"), this);
    add->setObjectName(QStringLiteral("addForward"));
    remove_ = new QPushButton(QIcon::fromTheme(QStringLiteral("list-remove")), tr("Remove"), this);
    remove_->setObjectName(QStringLiteral("removeForward"));
    connect(add, &QPushButton::clicked, this, [this] {
        vm::PortForward next;
        next.hostPort = 8080;
        next.guestPort = 80;
        addRow(next);
    });
    connect(remove_, &QPushButton::clicked, this, &PortForwardEditor::removeSelectedRows);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove_);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(table_);
    layout->addLayout(buttons);
}

void PortForwardEditor::addRow(const vm::PortForward& f) {
    const int row = table_->rowCount();
    table_->insertRow(row);
    auto* protocol = new QComboBox;
    protocol->addItems({QStringLiteral("TCP"), QStringLiteral("UDP")});
    protocol->setCurrentIndex(f.protocol == QLatin1String("udp") ? 1 : 0);
    auto* address = new QLineEdit(f.hostAddress.isEmpty() ? QStringLiteral("127.0.0.1") : f.hostAddress);
    address->setToolTip(tr("127.0.0.1 = only this computer can connect; 0.0.0.0 = every computer on your network"));
    auto* hostPort = new QSpinBox;
    hostPort->setRange(1, 65535);
    hostPort->setValue(f.hostPort ? f.hostPort : 2222);
    auto* guestPort = new QSpinBox;
    guestPort->setRange(1, 65535);
    guestPort->setValue(f.guestPort ? f.guestPort : 22);
    table_->setCellWidget(row, Protocol, protocol);
    table_->setCellWidget(row, HostAddress, address);
    table_->setCellWidget(row, HostPort, hostPort);
    table_->setCellWidget(row, GuestPort, guestPort);
    connect(protocol, &QComboBox::currentIndexChanged, this, &PortForwardEditor::changed);
    connect(address, &QLineEdit::textChanged, this, &PortForwardEditor::changed);
    connect(hostPort, &QSpinBox::valueChanged, this, &PortForwardEditor::changed);
    connect(guestPort, &QSpinBox::valueChanged, this, &PortForwardEditor::changed);
    emit changed();
}

void PortForwardEditor::removeSelectedRows() {
    QList<int> rows;
    for (const QModelIndex& index : table_->selectionModel()->selectedRows()) rows << index.row();
    if (rows.isEmpty() && table_->currentRow() >= 0) rows << table_->currentRow();
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int row : rows) table_->removeRow(row);
    emit changed();
}

void PortForwardEditor::setForwards(const QList<vm::PortForward>& forwards) {
    table_->setRowCount(0);
    for (const vm::PortForward& f : forwards) addRow(f);
    emit changed();
}

QList<vm::PortForward> PortForwardEditor::forwards() const {
    QList<vm::PortForward> list;
    for (int row = 0; row < table_->rowCount(); ++row) {
        vm::PortForward f;
        f.protocol = qobject_cast<QComboBox*>(table_->cellWidget(row, Protocol))->currentIndex() == 1 ? QStringLiteral("udp")
                                                                                                    : QStringLiteral("tcp");
        f.hostAddress = qobject_cast<QLineEdit*>(table_->cellWidget(row, HostAddress))->text().trimmed();
        f.hostPort = uint16_t(qobject_cast<QSpinBox*>(table_->cellWidget(row, HostPort))->value());
        f.guestPort = uint16_t(qobject_cast<QSpinBox*>(table_->cellWidget(row, GuestPort))->value());
        list << f;
    }
    return list;
}

QString PortForwardEditor::problem() const {
    const auto list = forwards();
    for (int i = 0; i < list.size(); ++i) {
        if (QHostAddress(list[i].hostAddress).isNull())
            return tr("Row %1: \"%2\" is not an IP address. Use 127.0.0.1 for this computer only.").arg(i + 1).arg(list[i].hostAddress);
        for (int j = 0; j < i; ++j) {
            if (list[j].protocol == list[i].protocol && list[j].hostPort == list[i].hostPort)
                return tr("Rows %1 and %2 both use host port %3. Each forward needs its own host port.").arg(j + 1).arg(i + 1).arg(list[i].hostPort);
        }
    }
    return {};
}

}  // namespace tessera::ui
