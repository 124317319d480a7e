#include "registry/write_transaction.hpp"

#include <stdexcept>

#include <sqlite3.h>

namespace sahil::registry {
namespace {

// SAVEPOINT names may repeat: ROLLBACK TO / RELEASE act on the innermost savepoint of that name,
// which is always ours because transactions are closed in reverse order.
constexpr const char* savepoint_sql = "SAVEPOINT sahil_write";
constexpr const char* release_sql = "RELEASE SAVEPOINT sahil_write";
constexpr const char* rollback_to_sql = "ROLLBACK TO SAVEPOINT sahil_write";

} // namespace

bool WriteTransaction::in_transaction(const Database& database) noexcept {
    return sqlite3_get_autocommit(database.handle().getHandle()) == 0;
}

WriteTransaction::WriteTransaction(Database& database)
    : m_db(database), m_nested(in_transaction(database)) {
    m_db.handle().exec(m_nested ? savepoint_sql : "BEGIN IMMEDIATE");
}

WriteTransaction::~WriteTransaction() {
    if (!m_open) {
        return;
    }
    // Best effort and silent: if SQLite already rolled the whole transaction back by itself
    // (SQLITE_FULL, SQLITE_IOERR ...), the savepoint is gone and these fail harmlessly.
    sqlite3* db = m_db.handle().getHandle();
    if (m_nested) {
        sqlite3_exec(db, rollback_to_sql, nullptr, nullptr, nullptr);
        sqlite3_exec(db, release_sql, nullptr, nullptr, nullptr);
    } else if (sqlite3_get_autocommit(db) == 0) {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void WriteTransaction::commit() {
    if (!m_open) {
        throw std::logic_error("WriteTransaction::commit: the transaction is already finished");
    }
    m_db.handle().exec(m_nested ? release_sql : "COMMIT");
    m_open = false;
}

void WriteTransaction::rollback() {
    if (!m_open) {
        return;
    }
    m_open = false;
    if (m_nested) {
        m_db.handle().exec(rollback_to_sql);
        m_db.handle().exec(release_sql);
    } else {
        m_db.handle().exec("ROLLBACK");
    }
}

} // namespace sahil::registry
