// Test helpers for the registry tests: a temporary directory and a raw sqlite3 connection that
// checks what the registry wrote without going through the code under test.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace sahil::registry::test {

/// Runs `sql` on any sqlite3 handle and returns the first column of the first row as text.
inline std::string query_text(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
        throw std::runtime_error(std::string(sqlite3_errmsg(db)) + " in: " + sql);
    }
    std::string result = "<no row>";
    if (sqlite3_step(statement) == SQLITE_ROW) {
        const unsigned char* value = sqlite3_column_text(statement, 0);
        result = value != nullptr ? reinterpret_cast<const char*>(value) : "<null>";
    }
    sqlite3_finalize(statement);
    return result;
}

/// A fresh directory under the test temp dir, removed with everything in it on destruction.
class TempDir {
public:
    TempDir() {
        std::string pattern =
            (std::filesystem::path(::testing::TempDir()) / "sahil-registry-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed for " + pattern);
        }
        m_path = pattern;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }

    /// Path of a file named `name` inside the directory (not created).
    [[nodiscard]] std::string file(const std::string& name) const {
        return (m_path / name).string();
    }

private:
    std::filesystem::path m_path;
};

/// A plain sqlite3 connection (no SQLiteCpp, no registry code) for independent checks.
class RawDb {
public:
    explicit RawDb(const std::string& path,
                   int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) {
        if (sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr) != SQLITE_OK) {
            const std::string message = sqlite3_errmsg(m_db);
            sqlite3_close(m_db);
            throw std::runtime_error("cannot open " + path + ": " + message);
        }
    }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;
    ~RawDb() { sqlite3_close(m_db); }

    /// Runs statements; throws with SQLite's message on failure.
    void exec(const std::string& sql) {
        char* error = nullptr;
        if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
            const std::string message = error != nullptr ? error : "?";
            sqlite3_free(error);
            throw std::runtime_error(message + " in: " + sql);
        }
    }

    /// Result code of running `sql` (SQLITE_OK or the error), without throwing.
    int try_exec(const std::string& sql) {
        return sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, nullptr);
    }

    /// First column of the first row as text ("<null>" for NULL, "<no row>" for none).
    std::string text(const std::string& sql) { return query_text(m_db, sql); }

    /// First column of the first row as an integer.
    long long integer(const std::string& sql) { return std::stoll(text(sql)); }

    [[nodiscard]] sqlite3* handle() const noexcept { return m_db; }

private:
    sqlite3* m_db = nullptr;
};

} // namespace sahil::registry::test
