#include "ui/port_forward_editor.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include "core/vm/port_forward_rule.h"
#include "ui/exposure_confirmation.h"

namespace tessera::ui {

namespace {
enum Column { Protocol, HostAddress, HostPort, GuestPort, ColumnCount };
// The table has no guest address column; a row keeps the one it was given.
const char kGuestAddressProperty[] = "guestAddress";
}  // namespace

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
    address->setToolTip(
        tr("127.0.0.1 (or localhost) = only this computer can connect; "
           "0.0.0.0 = other computers on your network can connect too"));
    address->setProperty(kGuestAddressProperty, f.guestAddress);
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
    exposureAllowed_.clear();
    for (const vm::PortForward& f : forwards) {
        addRow(f);
        // Already saved like this: asked before (or written by hand), not asked again.
        if (const QString socket = exposedSocket(f); !socket.isEmpty()) exposureAllowed_.insert(socket);
    }
    emit changed();
}

QList<vm::PortForward> PortForwardEditor::forwards() const {
    QList<vm::PortForward> list;
    for (int row = 0; row < table_->rowCount(); ++row) {
        vm::PortForward f;
        f.protocol = qobject_cast<QComboBox*>(table_->cellWidget(row, Protocol))->currentIndex() == 1 ? QStringLiteral("udp")
                                                                                                    : QStringLiteral("tcp");
        const auto* address = qobject_cast<QLineEdit*>(table_->cellWidget(row, HostAddress));
        f.hostAddress = address->text().trimmed();
        f.guestAddress = address->property(kGuestAddressProperty).toString();
        f.hostPort = uint16_t(qobject_cast<QSpinBox*>(table_->cellWidget(row, HostPort))->value());
        f.guestPort = uint16_t(qobject_cast<QSpinBox*>(table_->cellWidget(row, GuestPort))->value());
        list << f;
    }
    return list;
}

QString PortForwardEditor::columnTitle(net::HostForwardField field) {
    switch (field) {
        case net::HostForwardField::Protocol:
            return tr("Protocol");
        case net::HostForwardField::HostAddress:
            return tr("Listen on");
        case net::HostForwardField::HostPort:
            return tr("Host port");
        case net::HostForwardField::GuestAddress:
            return tr("Guest address");
        case net::HostForwardField::GuestPort:
            return tr("Guest port");
    }
    return {};
}

QString PortForwardEditor::problem() const {
    const auto list = forwards();
    for (int i = 0; i < list.size(); ++i) {
        net::HostForwardField field{};
        const Result<net::HostForward> rule = net::validateHostForward(vm::fieldsOf(list[i]), &field);
        if (!rule)
            return tr("Row %1, %2: %3.")
                .arg(i + 1)
                .arg(columnTitle(field), QString::fromStdString(rule.message()));
        for (int j = 0; j < i; ++j) {
            if (list[j].protocol == list[i].protocol && list[j].hostPort == list[i].hostPort)
                return tr("Rows %1 and %2 both use host port %3. Each forward needs its own host port.").arg(j + 1).arg(i + 1).arg(list[i].hostPort);
        }
    }
    return {};
}

bool PortForwardEditor::confirmExposure() {
    return ui::confirmExposure(window(), forwards(), exposureAllowed_);
}

}  // namespace tessera::ui
