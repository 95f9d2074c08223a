// Specification: the layers of docs/ARCHITECTURE.md hold. Each folder of the
// source tree may include headers only from the folders below it, so that a CPU
// engine or a device never depends on a board, and the core never on the UI.
// The test reads every source file's `#include "…"` lines; a new file is covered
// without an edit here, a new top-level folder under core/ must be given a rule.

#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QtTest>

namespace {

struct Rule {
    const char* folder;                // relative to the source root
    std::vector<const char*> allowed;  // include prefixes this folder may use
};

// Bottom to top. core/jit, the ISA-neutral JIT engine (issue 17), sits below
// the CPU front ends and needs nothing but the utilities: it must not learn
// an ISA or a device. core/debug, the GDB stub, sees CPUs and the memory bus
// through the engine interface; the boards offer it their DebugPort.
const std::vector<Rule> kRules = {
    {"core/util", {"core/util/"}},
    {"core/hw", {"core/util/", "core/hw/"}},
    {"core/block", {"core/util/", "core/block/"}},
    {"core/net", {"core/util/", "core/net/"}},
    {"core/jit", {"core/util/", "core/jit/"}},
    {"core/cpu", {"core/util/", "core/hw/", "core/jit/", "core/cpu/"}},
    {"core/devices", {"core/util/", "core/hw/", "core/block/", "core/net/", "core/devices/"}},
    {"core/debug", {"core/util/", "core/hw/", "core/jit/", "core/cpu/", "core/debug/"}},
    {"core/machine",
     {"core/util/", "core/hw/", "core/block/", "core/net/", "core/jit/", "core/cpu/", "core/devices/",
      "core/debug/", "core/machine/"}},
    {"core/vm", {"core/"}},
    {"ui", {"core/", "ui/"}},
};

QString sourceRoot() {
    return QStringLiteral(TESSERA_SOURCE_DIR);
}

// "file:line: #include "x"" for every project include of `folder` that no rule allows.
QStringList violations(const Rule& rule) {
    static const QRegularExpression include(QStringLiteral("^\\s*#\\s*include\\s*\"([^\"]+)\""));
    QStringList found;
    const QString root = sourceRoot() + "/" + rule.folder;
    QDirIterator it(root, {"*.h", "*.cpp"}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            found << path + ": cannot be read";
            continue;
        }
        int lineNumber = 0;
        while (!file.atEnd()) {
            const QString line = QString::fromUtf8(file.readLine());
            ++lineNumber;
            const auto match = include.match(line);
            if (!match.hasMatch()) continue;
            const QString target = match.captured(1);
            // Project headers are named from the root; anything else (a
            // generated ui_*.h, a header beside the file) is not a layer edge.
            if (!target.startsWith("core/") && !target.startsWith("ui/") && !target.startsWith("app/"))
                continue;
            bool ok = false;
            for (const char* prefix : rule.allowed) ok = ok || target.startsWith(QLatin1String(prefix));
            if (!ok)
                found << QDir(sourceRoot()).relativeFilePath(path) + ":" + QString::number(lineNumber) +
                             ": " + line.trimmed();
        }
    }
    return found;
}

}  // namespace

class LayeringTest : public QObject {
    Q_OBJECT
private slots:
    void everyCoreFolderHasARule() {
        const QStringList folders = QDir(sourceRoot() + "/core").entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QVERIFY(!folders.isEmpty());
        for (const QString& folder : folders) {
            bool covered = false;
            for (const Rule& rule : kRules) covered = covered || QString("core/" + folder) == rule.folder;
            QVERIFY2(covered, qPrintable("core/" + folder + " has no layering rule in layering_test.cpp"));
        }
    }

    void includesOnlyGoDownward_data() {
        QTest::addColumn<int>("rule");
        for (size_t i = 0; i < kRules.size(); ++i) QTest::newRow(kRules[i].folder) << int(i);
    }
    void includesOnlyGoDownward() {
        QFETCH(int, rule);
        const QStringList bad = violations(kRules[size_t(rule)]);
        QVERIFY2(bad.isEmpty(), qPrintable("includes from a higher layer:\n" + bad.join('\n')));
    }

    // The JIT engine is shared by every ISA's front end: no ISA name appears
    // in it (a front end's knowledge leaking in would show up here first).
    void jitEngineNamesNoIsa() {
        static const QRegularExpression isa(QStringLiteral("riscv|rv64|aarch64|arm64|powerpc|ppc64"),
                                            QRegularExpression::CaseInsensitiveOption);
        QDirIterator it(sourceRoot() + "/core/jit", {"*.h", "*.cpp"}, QDir::Files);
        int files = 0;
        while (it.hasNext()) {
            QFile file(it.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            ++files;
            const QString text = QString::fromUtf8(file.readAll());
            const auto match = isa.match(text);
            QVERIFY2(!match.hasMatch(), qPrintable(file.fileName() + " names an ISA: " + match.captured(0)));
        }
        QVERIFY(files > 0);
    }
};

QTEST_GUILESS_MAIN(LayeringTest)
#include "layering_test.moc"
