// tessera: the desktop application.

#include <QApplication>
#include <QCommandLineParser>

#include <cstring>
#include <memory>
#include <optional>

#include "core/vm/demo_vm.h"
#include "ui/app_translator.h"
#include "ui/main_window.h"

namespace {

// --help and --version must work without a display (e.g. over ssh), so they are
// answered before a QApplication (which needs a windowing system) exists.
bool onlyWantsText(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        for (const char* flag : {"-h", "--help", "--help-all", "-v", "--version"})
            if (std::strcmp(argv[i], flag) == 0) return true;
    }
    return false;
}

void describe(QCoreApplication& app) {
    QCoreApplication::setApplicationName(QStringLiteral("Tessera"));
    QCoreApplication::setOrganizationName(QStringLiteral("Tessera"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TESSERA_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "Tessera runs virtual machines of other CPU architectures (RISC-V 64) on this computer."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);  // exits for --help/--version and for unknown options
}

}  // namespace

int main(int argc, char** argv) {
    if (onlyWantsText(argc, argv)) {
        QCoreApplication app(argc, argv);
        describe(app);
        return 0;
    }
    QApplication app(argc, argv);
    QApplication::setDesktopFileName(QStringLiteral("org.tessera.Tessera"));
    tessera::ui::installTranslations(QLocale());
    describe(app);
    // A first start offers the demo VM and boots it, so there is something to see.
    std::optional<tessera::vm::VmBundle> demo;
    if (const auto guest = tessera::vm::findDemoGuest(QCoreApplication::applicationDirPath())) {
        auto offered = tessera::vm::offerDemoVm(tessera::vm::libraryRoot(), *guest);
        if (offered) demo = *offered;
        else qWarning("Tessera: could not set up the demo VM: %s", offered.message().c_str());
    }
    tessera::ui::MainWindow window;
    window.show();
    if (demo) {
        window.selectBundle(demo->directory());
        window.startSelected();
    }
    return app.exec();
}
