// Specification of the JIT's executable memory (core/jit/code_buffer.h) and
// of how a block is entered and left (core/jit/emitter.h): translated code
// is never writable and executable through one mapping, the buffer is
// bounded and reused rather than grown, and generated code returns its exit
// reason to the dispatcher.

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryFile>
#include <QtTest>

#include "core/jit/code_buffer.h"
#include "core/jit/emitter.h"

using namespace tessera::jit;

namespace {

// The lines of /proc/self/maps that map the JIT's memfd.
QStringList jitMappings() {
    QFile maps("/proc/self/maps");
    if (!maps.open(QIODevice::ReadOnly)) return {"unreadable"};
    QStringList lines;
    for (const QByteArray& line : maps.readAll().split('\n'))
        if (line.contains("tessera-jit")) lines << QString::fromLatin1(line);
    return lines;
}

// A flat state struct, as a front end has one.
struct State {
    uint64_t counter = 0, limit = ~0ull;
    uint32_t exitWord = 0, otherWord = 0;
};
const PollLayout kPoll{offsetof(State, counter), offsetof(State, limit), offsetof(State, exitWord),
                       offsetof(State, otherWord)};

// The same words apart (the entry check then loads each).
struct SpreadState {
    uint64_t counter = 0, limit = ~0ull;
    uint32_t exitWord = 0, unrelated = 0, otherWord = 0;
};
const PollLayout kSpreadPoll{offsetof(SpreadState, counter), offsetof(SpreadState, limit),
                             offsetof(SpreadState, exitWord), offsetof(SpreadState, otherWord)};

}  // namespace

class JitCodeBufferTest : public QObject {
    Q_OBJECT
private slots:
    void noMappingIsWritableAndExecutable() {
        CodeBuffer buffer(1 << 20);
        QVERIFY2(buffer.valid(), buffer.error().c_str());
        const QStringList lines = jitMappings();
        QCOMPARE(lines.size(), 2);  // the writable view and the executable view
        int writable = 0, executable = 0;
        for (const QString& line : lines) {
            const QString perms = line.section(' ', 1, 1, QString::SectionSkipEmpty);
            QVERIFY2(!(perms.contains('w') && perms.contains('x')), qPrintable(line));
            writable += perms.contains('w');
            executable += perms.contains('x');
        }
        QCOMPARE(writable, 1);
        QCOMPARE(executable, 1);
    }

    void bytesWrittenThroughOneViewExecuteThroughTheOther() {
        CodeBuffer buffer(1 << 16);
        Trampoline trampoline;
        QVERIFY(trampoline.create(buffer));
        buffer.sealPermanent();
        TranslationBlock block;
        Emitter e(block);
        e.beginBlock(kPoll);
        e.exitWith(42);
        QVERIFY(e.finish(buffer));
        State state;
        QCOMPARE(trampoline.enter(&state, nullptr, block.entry).reason, 42u);
        // The entry check leaves before the body when the budget is spent or a word is set.
        state.limit = 0;
        QCOMPARE(trampoline.enter(&state, nullptr, block.entry).reason, uint64_t{kExitPoll});
        QCOMPARE(trampoline.enter(&state, nullptr, block.body).reason, 42u);
        state.limit = ~0ull;
        state.otherWord = 1;
        QCOMPARE(trampoline.enter(&state, nullptr, block.entry).reason, uint64_t{kExitPoll});
        state.otherWord = 0;
        state.exitWord = 1;
        QCOMPARE(trampoline.enter(&state, nullptr, block.entry).reason, uint64_t{kExitPoll});
    }

    void aSampledBlockCountsTheHostInstructionsObjdumpFindsInIt() {
        // The entry check, a label, a chained exit (its jump is written as
        // data bytes) and a plain exit; binutils disassembles the result.
        CodeBuffer buffer(1 << 16);
        TranslationBlock block;
        block.countHostInstructions = true;
        Emitter e(block);
        e.beginBlock(kPoll);  // binds the entry at the block's first byte
        const asmjit::Label skip = e.newLabel();
        e.as().test(asmjit::x86::eax, asmjit::x86::eax);
        e.as().jz(skip);
        e.chainExit(0x1000);
        e.as().bind(skip);
        e.exitWith(42);
        QVERIFY(e.finish(buffer));
        QTemporaryFile code;
        QVERIFY(code.open());
        code.write(reinterpret_cast<const char*>(block.entry), block.hostBytes);
        code.close();
        QProcess objdump;
        objdump.start("objdump", {"-D", "-b", "binary", "-m", "i386:x86-64", code.fileName()});
        QVERIFY(objdump.waitForFinished());
        // Instruction lines read "   1a:\t48 89 c1   \tmov ...".
        const QRegularExpression instruction("^\\s+[0-9a-f]+:\\t[0-9a-f ]+\\t\\S");
        uint32_t disassembled = 0;
        for (const QString& line : QString::fromUtf8(objdump.readAllStandardOutput()).split('\n'))
            disassembled += instruction.match(line).hasMatch();
        QVERIFY(disassembled > 8);
        QCOMPARE(block.hostInstructions, disassembled);

        TranslationBlock unsampled;  // not counted unless asked
        Emitter plain(unsampled);
        plain.beginBlock(kPoll);
        plain.exitWith(42);
        QVERIFY(plain.finish(buffer));
        QCOMPARE(unsampled.hostInstructions, 0u);
    }

    void pollWordsNeedNotBeAdjacent() {
        CodeBuffer buffer(1 << 16);
        Trampoline trampoline;
        QVERIFY(trampoline.create(buffer));
        TranslationBlock block;
        Emitter e(block);
        e.beginBlock(kSpreadPoll);
        e.exitWith(42);
        QVERIFY(e.finish(buffer));
        SpreadState state;
        state.unrelated = 1;  // not a poll word
        QCOMPARE(trampoline.enter(&state, nullptr, block.entry).reason, 42u);
        state.otherWord = 1;
        QCOMPARE(trampoline.enter(&state, nullptr, block.entry).reason, uint64_t{kExitPoll});
        state.otherWord = 0;
        state.exitWord = 1;
        QCOMPARE(trampoline.enter(&state, nullptr, block.entry).reason, uint64_t{kExitPoll});
    }

    void fullBufferRefusesThenResetReusesTheSameMemory() {
        CodeBuffer buffer(1 << 16);
        const CodeSpan permanent = buffer.allocate(100);
        buffer.sealPermanent();
        const CodeSpan first = buffer.allocate(1000);
        QVERIFY(first.rx);
        size_t allocations = 1;
        while (buffer.allocate(1000).rx) ++allocations;
        QVERIFY(allocations < 70);  // 64 KiB holds at most 65 such allocations
        QVERIFY(!buffer.allocate(16).rx || buffer.used() <= buffer.capacity());
        for (int round = 0; round < 1000; ++round) {
            buffer.reset();
            QCOMPARE(buffer.allocate(1000).rx, first.rx);  // the same bytes again, nothing new mapped
            while (buffer.allocate(1000).rx) {
            }
        }
        QVERIFY(buffer.used() <= buffer.capacity());
        QVERIFY(buffer.containsExecutable(permanent.rx));
        QCOMPARE(jitMappings().size(), 2);
    }

    void destroyedBufferUnmapsBothViews() {
        { CodeBuffer buffer(1 << 16); }
        QCOMPARE(jitMappings().size(), 0);
    }
};

QTEST_APPLESS_MAIN(JitCodeBufferTest)
#include "jit_code_buffer_test.moc"
