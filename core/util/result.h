#pragma once
// Errors that come from outside (files, guests, users) are values, never
// exceptions or crashes: every fallible core function returns a Result.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace tessera {

struct Error {
    std::string message;  // complete sentence a user can act on
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(Error error) : state_(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<T>(state_); }
    const T& value() const& { return std::get<T>(state_); }
    T&& value() && { return std::get<T>(std::move(state_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { return std::get<Error>(state_); }
    const std::string& message() const { return error().message; }

private:
    std::variant<T, Error> state_;
};

// Result for operations that produce nothing but can fail.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Error error) : error_(std::move(error)) {}
    static Status success() { return {}; }

    bool ok() const { return !error_.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *error_; }
    const std::string& message() const { return error_->message; }

private:
    std::optional<Error> error_;
};

inline Error makeError(std::string message) { return Error{std::move(message)}; }

}  // namespace tessera

// Propagate a failed Status/Result out of the calling function.
#define TESSERA_TRY(expr)                                   \
    do {                                                    \
        auto&& tessera_try_result_ = (expr);                \
        if (!tessera_try_result_) return tessera_try_result_.error(); \
    } while (0)
