#pragma once
// Messages of core/vm that reach the user (start errors, import notes) are
// written in English and marked for translation under one context,
// "tessera::vm". The GUI installs the translators, so it shows them in the
// user's language; tessera-cli installs none and prints the English source,
// which is what scripts and bug reports want.

#include <QCoreApplication>
#include <QString>

namespace tessera::vm {

// lupdate files tr() calls outside a class under the namespace's context, so
// this translates with that same context.
inline QString tr(const char* text, const char* disambiguation = nullptr, int n = -1) {
    return QCoreApplication::translate("tessera::vm", text, disambiguation, n);
}

}  // namespace tessera::vm
