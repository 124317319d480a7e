// WriteTransaction: outermost BEGIN IMMEDIATE / COMMIT / ROLLBACK, nested SAVEPOINTs, and
// VesselRegistry operations grouped into one unit of work.
#include <gtest/gtest.h>

#include <SQLiteCpp/Statement.h>

#include "registry/audit.hpp"
#include "registry/crypto.hpp"
#include "registry/database.hpp"
#include "registry/vessel_registry.hpp"
#include "registry/write_transaction.hpp"

namespace sahil::registry {
namespace {

const Actor clerk{"sadia.baloch", "clerk", "PK-HBR-02", "10.0.0.7", ""};

long long count(Database& db, const std::string& table) {
    SQLite::Statement q(db.handle(), "SELECT count(*) FROM " + table);
    q.executeStep();
    return q.getColumn(0).getInt64();
}

void add_authority(Database& db, const std::string& code) {
    db.handle().exec("INSERT INTO authorities(code, name, level, kind) VALUES('" + code +
                     "', 'test', 'other', 'none')");
}

Registration boat(const std::string& reg) {
    Registration r;
    r.vessel = Vessel{.name = "Noor " + reg, .vessel_type = "launch", .home_harbour = "PK-HBR-02"};
    r.identifiers = {Identifier{.scheme = "provincial_reg", .value = reg, .authority = "BAL-FISH"}};
    r.owners = {OwnerInput{.party = Party{.name = "Karim"}}};
    return r;
}

TEST(WriteTransaction, outermost_commits_and_rolls_back) {
    Database db{":memory:"};
    EXPECT_FALSE(WriteTransaction::in_transaction(db));
    {
        WriteTransaction tx(db);
        EXPECT_FALSE(tx.nested());
        EXPECT_TRUE(WriteTransaction::in_transaction(db));
        add_authority(db, "T1");
        tx.commit();
    }
    EXPECT_FALSE(WriteTransaction::in_transaction(db));
    {
        WriteTransaction tx(db);
        add_authority(db, "T2");
    } // destroyed uncommitted
    EXPECT_FALSE(WriteTransaction::in_transaction(db));
    EXPECT_EQ(count(db, "authorities WHERE code IN ('T1','T2')"), 1);
}

TEST(WriteTransaction, nested_one_undoes_only_its_own_changes) {
    Database db{":memory:"};
    WriteTransaction outer(db);
    add_authority(db, "A1");
    {
        WriteTransaction inner(db);
        EXPECT_TRUE(inner.nested());
        add_authority(db, "A2");
        {
            WriteTransaction innermost(db);
            add_authority(db, "A3");
            innermost.commit(); // released into `inner`
        }
    } // `inner` rolled back, with A3 inside it
    {
        WriteTransaction kept(db);
        add_authority(db, "A4");
        kept.commit();
    }
    EXPECT_TRUE(WriteTransaction::in_transaction(db));
    EXPECT_EQ(count(db, "authorities WHERE code IN ('A1','A2','A3','A4')"), 2);
    outer.rollback();
    EXPECT_FALSE(WriteTransaction::in_transaction(db));
    EXPECT_EQ(count(db, "authorities WHERE code IN ('A1','A2','A3','A4')"), 0);
    EXPECT_THROW(outer.commit(), std::logic_error);
}

TEST(WriteTransaction, registry_operations_form_one_unit_of_work) {
    Database db{":memory:"};
    const MasterKey key = MasterKey::generate();
    const PiiCipher cipher(key);
    const BlindIndex index(key);
    VesselRegistry registry(db, IdentifierRules{}, &cipher, &index);
    {
        WriteTransaction batch(registry.database());
        ASSERT_TRUE(registry.register_vessel(clerk, boat("GWD-1")).ok());
        // A failing operation undoes only itself (its vessel row was already inserted when the
        // duplicate was found) and leaves the batch usable.
        EXPECT_EQ(registry.register_vessel(clerk, boat("GWD-1")).code, ErrorCode::duplicate);
        ASSERT_TRUE(registry.register_vessel(clerk, boat("GWD-2")).ok());
        EXPECT_EQ(count(db, "vessels"), 2);
        EXPECT_EQ(count(db, "audit_log"), 4); // party.create + vessel.register, twice
    }                                         // not committed: a dry run
    EXPECT_EQ(count(db, "vessels"), 0);
    EXPECT_EQ(count(db, "audit_log"), 0);
    {
        WriteTransaction batch(registry.database());
        ASSERT_TRUE(registry.register_vessel(clerk, boat("GWD-1")).ok());
        ASSERT_TRUE(registry.register_vessel(clerk, boat("GWD-2")).ok());
        batch.commit();
    }
    EXPECT_EQ(count(db, "vessels"), 2);
    EXPECT_TRUE(AuditLog(db).verify().ok());
    // Outside a batch the operations are their own transactions, as before.
    ASSERT_TRUE(registry.register_vessel(clerk, boat("GWD-3")).ok());
    EXPECT_FALSE(WriteTransaction::in_transaction(db));
    EXPECT_EQ(count(db, "vessels"), 3);
}

} // namespace
} // namespace sahil::registry
