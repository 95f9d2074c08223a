// Screenshot tour: builds a small demo library in a temporary folder, opens
// the library window and every New-VM wizard page on the real X server it is
// given (xvfb-run in tests), a running and a stopped VM window and the wizard
// in Chinese (with Qt's own buttons translated), and saves each as a PNG.
// Exit status 1 if any image is blank or a check fails.
// Usage: screenshot_tour <output dir>

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QKeyEvent>
#include <QLineEdit>
#include <QListView>
#include <QMap>
#include <QPlainTextEdit>
#include <QProcess>
#include <QRadioButton>
#include <QScreen>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QWizard>
#include <cstdio>
#include <functional>

#include "../gui/linux_guest_fixture.h"
#include "core/vm/disk_image_factory.h"
#include "core/vm/vm_bundle.h"
#include "core/vm/vm_machine_config.h"
#include "ui/app_translator.h"
#include "ui/framebuffer_view.h"
#include "ui/import_qemu_dialog.h"
#include "ui/main_window.h"
#include "ui/new_vm_wizard.h"
#include "ui/shrink_disk_dialog.h"
#include "ui/vm_library_model.h"
#include "ui/vm_settings_dialog.h"
#include "ui/vm_stopped_banner.h"
#include "ui/vm_window.h"
#include "ui/wizard_pages.h"

using namespace tessera;

namespace {

int failures = 0;

void settle() {
    for (int i = 0; i < 5; ++i) {
        QApplication::processEvents();
        QTimer timer;
        QEventLoop loop;
        QTimer::singleShot(40, &loop, &QEventLoop::quit);
        loop.exec();
    }
}

// A PNG of one window; "blank" = a single color over the whole image.
void save(QWidget* widget, const QString& dir, const QString& name) {
    settle();
    const QImage image = widget->grab().toImage();
    const QString path = QDir(dir).filePath(name + QStringLiteral(".png"));
    bool varied = false;
    const QRgb first = image.pixel(0, 0);
    for (int y = 0; y < image.height() && !varied; y += 7)
        for (int x = 0; x < image.width(); x += 7)
            if (image.pixel(x, y) != first) { varied = true; break; }
    if (image.isNull() || !varied || !image.save(path)) {
        std::fprintf(stderr, "screenshot %s is blank or could not be saved\n", qPrintable(name));
        ++failures;
        return;
    }
    std::printf("%s (%dx%d)\n", qPrintable(path), image.width(), image.height());
}

void addVm(const QString& root, const QString& name, const QString& arch, uint64_t memory, int cpus, uint64_t disk,
           std::optional<QDateTime> lastRun) {
    vm::VmConfig c;
    c.name = name;
    c.arch = arch;
    c.board = vm::defaultBoardFor(arch);
    c.memoryBytes = memory;
    c.cpus = cpus;
    c.lastRun = lastRun;
    if (disk) c.disks = {{QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false}};
    const auto bundle = vm::VmBundle::create(root, c);
    if (bundle && disk) (void)vm::createDiskImage({bundle->resolve(QStringLiteral("disk.qcow2")), QStringLiteral("qcow2"), disk, {}, {}});
}

// Types text into the VM screen as key events, the way a person would.
void typeInto(QWidget* screen, const QString& text) {
    for (const QChar c : text) {
        const int key = c == QLatin1Char('\n') ? int(Qt::Key_Return) : int(c.toUpper().unicode());
        const QString typed = c == QLatin1Char('\n') ? QStringLiteral("\r") : QString(c);
        QKeyEvent press(QEvent::KeyPress, key, Qt::NoModifier, typed);
        QKeyEvent release(QEvent::KeyRelease, key, Qt::NoModifier, typed);
        QApplication::sendEvent(screen, &press);
        QApplication::sendEvent(screen, &release);
    }
}

bool waitFor(const std::function<bool()>& done, int timeoutMs) {
    QElapsedTimer waited;
    waited.start();
    while (!done() && waited.elapsed() < timeoutMs) settle();
    return done();
}

// The demo Linux guest in a VM window: its framebuffer console (Display tab)
// after a few commands typed into the screen, then the Serial Console tab.
void linuxVmWindow(const QString& root, const QString& out) {
    const auto fx = testing::guestFixtures();
    if (fx.isEmpty()) {
        std::fprintf(stderr, "guest fixtures unavailable: no Linux VM window screenshots\n");
        ++failures;
        return;
    }
    const vm::VmConfig config = testing::linuxGuestConfig(fx);
    const auto bundle = vm::VmBundle::create(root, config);
    if (!bundle) return;
    ui::VmWindow window(vm::VmLibrary::loadEntry(bundle->directory()));
    window.show();
    if (!window.start()) {
        ++failures;
        return;
    }
    const bool booted = waitFor([&] { return window.console()->text().contains(QStringLiteral("tessera:/# ")); }, 120000);
    if (!booted || !window.screen()) {
        std::fprintf(stderr, "the Linux guest did not boot in the VM window\n");
        ++failures;
    } else {
        window.runner()->sendSerialInput("uname -a\n");
        typeInto(window.screen(), QStringLiteral("\nuname -a\nls /\n"));
        waitFor([&] { return window.console()->text().contains(QStringLiteral("riscv64 GNU/Linux")); }, 30000);
        waitFor([] { return false; }, 1500);  // let the guest draw the answers and the speed update
        window.screen()->releaseInput();
        save(&window, out, QStringLiteral("vm-window-display"));
        window.showConsoleTab();
        save(&window, out, QStringLiteral("vm-window-linux-serial"));
    }
    window.runner()->powerOff();
    waitFor([&] { return window.runner()->state() == vm::VmRunner::State::Stopped; }, 60000);
}

// The New-VM wizard in Chinese: Tessera's texts and Qt's own buttons
// (from Debian's qt6-translations-l10n), which stay English without them.
void chineseWizard(const QString& root, const QString& kernel, const QString& out) {
    ui::installTranslations(QLocale(QLocale::Chinese, QLocale::China));
    ui::NewVmWizard wizard(root);
    wizard.show();
    for (const auto button : {QWizard::NextButton, QWizard::CancelButton}) {
        const QString text = wizard.buttonText(button);
        if (text.contains(QLatin1String("Next")) || text.contains(QLatin1String("Cancel"))) {
            std::fprintf(stderr,
                         "the Chinese wizard's button \"%s\" is not translated (is qt6-translations-l10n "
                         "installed?)\n",
                         qPrintable(text));
            ++failures;
        }
    }
    save(&wizard, out, QStringLiteral("wizard-zh_CN-1-source"));
    wizard.sourcePage()->setKind(ui::SourceKind::Kernel);
    wizard.sourcePage()->kernelEdit()->setText(kernel);
    wizard.next();
    save(&wizard, out, QStringLiteral("wizard-zh_CN-2-hardware"));
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QCoreApplication::setApplicationVersion(QStringLiteral(TESSERA_VERSION));
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("screenshots");
    QDir().mkpath(out);
    ui::installTranslations(QLocale(argc > 2 ? QString::fromLocal8Bit(argv[2]) : QStringLiteral("en_US")));

    QTemporaryDir emptyRoot;
    {
        ui::MainWindow empty(emptyRoot.path());
        empty.resize(1040, 660);
        empty.show();
        save(&empty, out, QStringLiteral("library-empty"));
    }

    QTemporaryDir root;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    addVm(root.path(), QStringLiteral("Debian 13 RISC-V"), QStringLiteral("riscv64"), uint64_t(2) << 30, 2, uint64_t(16) << 30, now.addSecs(-2 * 3600));
    addVm(root.path(), QStringLiteral("BusyBox demo"), QStringLiteral("riscv64"), uint64_t(256) << 20, 1, 0, now.addSecs(-300));
    addVm(root.path(), QStringLiteral("Fedora ARM64"), QStringLiteral("aarch64"), uint64_t(4) << 30, 4, uint64_t(32) << 30, std::nullopt);
    addVm(root.path(), QStringLiteral("Debian PowerPC"), QStringLiteral("ppc"), uint64_t(512) << 20, 1, uint64_t(15) << 30, now.addDays(-12));
    QDir(root.path()).mkpath(QStringLiteral("Old experiment.tessera"));
    QFile broken(QDir(root.path()).filePath(QStringLiteral("Old experiment.tessera/config.json")));
    if (broken.open(QIODevice::WriteOnly)) broken.write(R"({"version": 1, "name": "Old experiment", "arch": "riscv64", "memory": "lots"})");
    broken.close();

    ui::MainWindow window(root.path());
    window.resize(1100, 700);
    window.show();
    window.libraryModel()->setRunState(QDir(root.path()).filePath(QStringLiteral("BusyBox demo.tessera")), ui::VmRunState::Running);
    window.selectBundle(QDir(root.path()).filePath(QStringLiteral("Debian 13 RISC-V.tessera")));
    save(&window, out, QStringLiteral("library"));

    window.searchField()->setText(QStringLiteral("debian"));
    save(&window, out, QStringLiteral("library-search"));
    window.searchField()->setText(QStringLiteral("windows"));
    save(&window, out, QStringLiteral("library-search-no-match"));
    window.searchField()->clear();

    {
        const auto entry = vm::VmLibrary::loadEntry(QDir(root.path()).filePath(QStringLiteral("Debian 13 RISC-V.tessera")));
        vm::VmConfig config = *entry.config;
        vm::NetworkInterface nic;
        nic.forwards = {{QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), 2222, QString(), 22}};
        config.nics = {nic};
        ui::VmSettingsDialog settings(entry.bundle, config, &window);
        settings.show();
        save(&settings, out, QStringLiteral("settings"));
    }
    {
        const auto entry = vm::VmLibrary::loadEntry(QDir(root.path()).filePath(QStringLiteral("Debian 13 RISC-V.tessera")));
        ui::ShrinkDiskDialog shrink(entry, false, &window);
        shrink.show();
        save(&shrink, out, QStringLiteral("shrink-disk"));
    }
    {
        ui::ImportQemuDialog import(root.path(), &window);
        import.commandEdit()->setPlainText(QStringLiteral(
            "qemu-system-ppc -m 512 -redir tcp:2222::22 -boot d -cdrom ~/Downloads/debian-server-powerpc.iso debian-ppc.qcow2 -localtime"));
        import.show();
        save(&import, out, QStringLiteral("import-qemu"));
    }

    // The wizard, kernel + initrd path, with a real riscv64 ELF from Debian's u-boot-qemu when present.
    QTemporaryDir files;
    QString kernel = QStringLiteral("/usr/lib/u-boot/qemu-riscv64_smode/uboot.elf");
    if (!QFile::exists(kernel)) {
        kernel = files.filePath(QStringLiteral("Image"));
        QFile f(kernel);
        f.open(QIODevice::WriteOnly);
        f.write(QByteArray(4096, '\0'));
    }
    ui::NewVmWizard wizard(root.path(), &window);
    wizard.show();
    save(&wizard, out, QStringLiteral("wizard-1-source"));
    wizard.sourcePage()->setKind(ui::SourceKind::Kernel);
    wizard.sourcePage()->kernelEdit()->setText(kernel);
    wizard.sourcePage()->appendEdit()->setText(QStringLiteral("console=ttyS0 root=/dev/vda rw"));
    save(&wizard, out, QStringLiteral("wizard-1-source-kernel"));
    const char* names[] = {"wizard-2-hardware", "wizard-3-disk", "wizard-4-network", "wizard-5-summary"};
    for (const char* name : names) {
        wizard.next();
        if (wizard.currentId() == ui::NewVmWizard::DiskPageId) wizard.diskPage()->newDiskButton()->setChecked(true);
        save(&wizard, out, QLatin1String(name));
    }
    wizard.hide();

    // A running VM: Debian's OpenSBI + U-Boot on the serial console.
    const QString uboot = QStringLiteral("/usr/lib/u-boot/qemu-riscv64_smode/uboot.elf");
    if (QFile::exists(uboot) && QFile::exists(QLatin1String(vm::kDefaultRiscvFirmware))) {
        vm::VmConfig config;
        config.name = QStringLiteral("U-Boot shell");
        config.memoryBytes = uint64_t(256) << 20;
        config.boot.kernel = uboot;
        config.display.type = QStringLiteral("none");
        const auto bundle = vm::VmBundle::create(root.path(), config);
        ui::VmWindow vmWindow(vm::VmLibrary::loadEntry(bundle->directory()));
        vmWindow.show();
        if (vmWindow.start()) {
            QElapsedTimer waited;
            waited.start();
            while (!vmWindow.console()->text().contains(QStringLiteral("=>")) && waited.elapsed() < 60000) settle();
            vmWindow.runner()->sendSerialInput("version\r");
            settle();
            settle();
            save(&vmWindow, out, QStringLiteral("vm-window-serial"));
            vmWindow.runner()->powerOff();
            while (vmWindow.runner()->state() != vm::VmRunner::State::Stopped && waited.elapsed() < 90000) settle();
            // The stopped VM's window: why it stopped, and Start.
            if (!vmWindow.stoppedBanner()->isVisible()) {
                std::fprintf(stderr, "the stopped VM's window does not show that it stopped\n");
                ++failures;
            }
            save(&vmWindow, out, QStringLiteral("vm-window-stopped"));
        }
    }
    linuxVmWindow(root.path(), out);
    chineseWizard(root.path(), kernel, out);
    return failures ? 1 : 0;
}
