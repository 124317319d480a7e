// authorize() and may_see_pii(): the role and harbour rules of server/http/access.hpp, case by
// case (the whole route table is checked in route_matrix_test.cpp).
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "server/http/access.hpp"

namespace sahil::http {
namespace {

Principal person(Role role, std::vector<std::string> harbours = {}) {
    Principal p;
    p.user_id = 7;
    p.username = "someone";
    p.role = role;
    p.harbours = std::move(harbours);
    return p;
}

const std::vector<std::string> pasni{"PK-HBR-05"};
const std::vector<std::string> gwadar{"PK-HBR-02"};

TEST(Access, role_names_round_trip_and_nothing_else_parses) {
    for (const Role r : all_roles) {
        EXPECT_EQ(parse_role(to_string(r)), r);
    }
    EXPECT_EQ(to_string(Role::cg_watchkeeper), "cg_watchkeeper");
    for (const char* bad : {"", "Admin", "ADMIN", "admin ", "root", "clerks"}) {
        EXPECT_FALSE(parse_role(bad).has_value()) << bad;
    }
}

TEST(Access, role_sets_hold_what_they_were_given) {
    const RoleSet s{Role::admin, Role::auditor};
    EXPECT_TRUE(s.contains(Role::admin));
    EXPECT_TRUE(s.contains(Role::auditor));
    EXPECT_FALSE(s.contains(Role::clerk));
    EXPECT_TRUE(RoleSet{}.empty());
    for (const Role r : all_roles) {
        EXPECT_TRUE(RoleSet::all().contains(r));
    }
}

TEST(Access, public_routes_allow_everyone_and_others_need_a_principal) {
    const Access open{.public_route = true};
    EXPECT_EQ(authorize(open, std::nullopt, {}), Decision::allow);
    EXPECT_EQ(authorize(open, person(Role::clerk), {}), Decision::allow);
    const Access admins{.roles = {Role::admin}};
    EXPECT_EQ(authorize(admins, std::nullopt, {}), Decision::unauthenticated);
    EXPECT_EQ(authorize(admins, person(Role::admin), {}), Decision::allow);
    EXPECT_EQ(authorize(admins, person(Role::auditor), {}), Decision::forbidden);
}

TEST(Access, a_route_with_no_roles_allows_nobody) {
    const Access nobody{};
    for (const Role r : all_roles) {
        EXPECT_EQ(authorize(nobody, person(r, pasni), pasni), Decision::forbidden);
    }
}

TEST(Access, clerks_act_only_on_objects_of_their_harbours) {
    const Access write{.roles = {Role::admin, Role::clerk},
                       .state_changing = true,
                       .scope = HarbourScope::vessel_id};
    const Principal clerk = person(Role::clerk, {"PK-HBR-05", "PK-HBR-06"});
    EXPECT_EQ(authorize(write, clerk, pasni), Decision::allow);
    EXPECT_EQ(authorize(write, clerk, {"PK-HBR-06"}), Decision::allow);
    EXPECT_EQ(authorize(write, clerk, gwadar), Decision::forbidden);
    // A party with vessels in two harbours: one of them being the clerk's is enough.
    EXPECT_EQ(authorize(write, clerk, {"PK-HBR-02", "PK-HBR-05"}), Decision::allow);
    // An object that does not exist has no harbour: refused, so ids cannot be probed.
    EXPECT_EQ(authorize(write, clerk, {}), Decision::forbidden);
    // A clerk without harbours (should not exist) can touch nothing scoped.
    EXPECT_EQ(authorize(write, person(Role::clerk), pasni), Decision::forbidden);
    // Unscoped roles ignore the harbour.
    EXPECT_EQ(authorize(write, person(Role::admin), gwadar), Decision::allow);
    EXPECT_EQ(authorize(write, person(Role::admin), {}), Decision::allow);
}

TEST(Access, clerks_are_not_limited_where_the_route_has_no_scope) {
    const Access read{.roles = RoleSet::all()};
    EXPECT_EQ(authorize(read, person(Role::clerk, pasni), gwadar), Decision::allow);
    EXPECT_EQ(authorize(read, person(Role::clerk, pasni), {}), Decision::allow);
}

TEST(Access, harbour_scoped_roles_can_be_chosen_per_route) {
    const Access a{.roles = {Role::clerk, Role::supervisor},
                   .scope = HarbourScope::licence_id,
                   .harbour_scoped = {Role::clerk, Role::supervisor}};
    EXPECT_EQ(authorize(a, person(Role::supervisor, pasni), gwadar), Decision::forbidden);
    EXPECT_EQ(authorize(a, person(Role::supervisor, pasni), pasni), Decision::allow);
    const Access unscoped_clerk{
        .roles = {Role::clerk}, .scope = HarbourScope::licence_id, .harbour_scoped = {}};
    EXPECT_EQ(authorize(unscoped_clerk, person(Role::clerk, pasni), gwadar), Decision::allow);
}

TEST(Access, empty_harbour_ids_never_match) {
    const Access write{.roles = {Role::clerk}, .scope = HarbourScope::vessel_id};
    EXPECT_EQ(authorize(write, person(Role::clerk, {""}), {""}), Decision::forbidden);
}

TEST(Access, personal_data_is_for_admins_and_clerks_of_the_owner_harbour) {
    EXPECT_TRUE(may_see_pii(person(Role::admin), gwadar));
    EXPECT_TRUE(may_see_pii(person(Role::admin), {}));
    EXPECT_TRUE(may_see_pii(person(Role::clerk, pasni), {"PK-HBR-02", "PK-HBR-05"}));
    EXPECT_FALSE(may_see_pii(person(Role::clerk, pasni), gwadar));
    EXPECT_FALSE(may_see_pii(person(Role::clerk, pasni), {}));
    for (const Role r : {Role::supervisor, Role::cg_watchkeeper, Role::msa_officer,
                         Role::msa_analyst, Role::auditor}) {
        EXPECT_FALSE(may_see_pii(person(r, pasni), pasni)) << to_string(r);
    }
}

} // namespace
} // namespace sahil::http
