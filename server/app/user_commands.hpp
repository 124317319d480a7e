// `sahil user ...`: account management from the server's shell, for the first administrator and
// for recovery when nobody can sign in (docs/api.md "Authentication").
//
// `sahil user add amina --role clerk --harbour PK-HBR-05 --name "Amina Baloch"` prints
//   added user amina (id 3, role clerk, harbours PK-HBR-05)
//   one-time password: 7KQ3M9XD-4HJ2PQRS
// once; the password is stored only as an Argon2id hash and must be changed at the first
// sign-in. `disable`, `enable`, `reset-password` and `list` work on usernames. Every change is
// in the audit trail with the actor "cli:<login name>" (role admin, source "cli").
// Exit codes as commands.hpp: 0 ok, 1 bad input (invalid field, unknown user, wrong state),
// 3 resource failure (database, harbour file).
//
// Thread-safety: each call is independent (opens its own database connection).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "registry/audit.hpp"
#include "server/app/config.hpp"

namespace sahil::app {

/// Fields of `sahil user add` as typed.
struct AddUserForm {
    std::string username{};
    std::string role{};                  ///< admin, clerk, supervisor, cg_watchkeeper, ...
    std::vector<std::string> harbours{}; ///< harbour zone ids; clerks need at least one
    std::string display_name{};          ///< "" = the username
};

/// `sahil user add`: validates the role and the harbours (ids must be zones of the harbour
/// file `[paths] harbours` names) and prints the one-time password once.
int cmd_user_add(const Config& config, const AddUserForm& form, std::ostream& out,
                 std::ostream& err);

/// `sahil user disable USERNAME`: ends the user's sessions and revokes their API tokens.
int cmd_user_disable(const Config& config, const std::string& username, const std::string& reason,
                     std::ostream& out, std::ostream& err);

/// `sahil user enable USERNAME`: enables a disabled or locked account again.
int cmd_user_enable(const Config& config, const std::string& username, std::ostream& out,
                    std::ostream& err);

/// `sahil user reset-password USERNAME`: prints a new one-time password once and ends the
/// user's sessions.
int cmd_user_reset_password(const Config& config, const std::string& username, std::ostream& out,
                            std::ostream& err);

/// `sahil user token USERNAME [--name NAME] [--days N]`: creates an API token for a machine
/// client or a script (docs/api.md "API tokens"), valid N days (1..730, default 90), and prints
/// it once on stdout (the note on stderr). The database keeps only its hash.
int cmd_user_token(const Config& config, const std::string& username, const std::string& name,
                   int days, std::ostream& out, std::ostream& err);

/// `sahil user list [--json]`: username, role, harbours, disabled, locked, last sign-in.
int cmd_user_list(const Config& config, bool json, std::ostream& out, std::ostream& err);

/// The audit actor of a local command: user "cli:<$USER>" ("cli:uid<N>" when $USER is unset
/// or holds anything but letters, digits, '.', '_', '-'), role "admin", source "cli".
[[nodiscard]] registry::Actor cli_actor();

} // namespace sahil::app
