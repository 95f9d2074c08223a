#pragma once
// A tiny pretty-printing JSON writer that keeps keys in the order written and
// indents by four spaces, like qemu-img's output (QObject JSON), so our
// machine output looks like the tool its users know.

#include <cstdint>
#include <string>
#include <vector>

namespace tessera::block {

class JsonWriter {
public:
    void beginObject(const char* key = nullptr);
    void endObject();
    void beginArray(const char* key = nullptr);
    void endArray();
    void value(const char* key, const std::string& text);
    void value(const char* key, const char* text) { value(key, std::string(text)); }
    void value(const char* key, uint64_t number);
    void value(const char* key, bool flag);
    const std::string& text() const { return out_; }

private:
    void prefix(const char* key);
    static std::string quote(const std::string& text);

    std::string out_;
    std::vector<bool> firstInLevel_;
};

}  // namespace tessera::block
