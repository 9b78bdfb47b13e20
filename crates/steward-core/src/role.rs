//! Roles and the one permission table.
//!
//! Every authorisation decision in Steward asks [`Role::can`]; handlers never compare roles
//! themselves. The same table is written out in `docs/permissions.md`, and a test keeps the two
//! identical. Record-level rules (who may see *which* case) sit on top of this table and are
//! decided by the record's own visibility, never bypassed by a role.

use crate::error::{CoreError, CoreResult};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a user may do across the whole installation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Manages accounts, organisations and settings. Not a super-user: sees no case contents.
    Admin,
    /// Runs rapid response: triages alerts, assigns and tracks actions.
    Coordinator,
    /// Works with data: screening, programmes, reports.
    Analyst,
    /// A partner organisation's member: submits alerts, co-signs, sees what is shared with it.
    Partner,
    /// Reads what their organisation may see; changes nothing.
    Viewer,
}

/// An installation-wide capability. Record-level visibility is decided separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permission {
    /// Create, disable and reset accounts of any organisation.
    ManageUsers,
    /// Create and edit organisations.
    ManageOrganisations,
    /// Read the audit trail and verify its chain.
    ViewAudit,
    /// Change installation settings, such as which roles must use two-factor sign-in.
    ManageSettings,
    /// See the directory of organisations (names and kinds, never their members).
    ViewDirectory,
    /// Create and revoke one's own API tokens.
    ManageOwnTokens,
    /// Read the official lists' editions and entries (public documents).
    ViewLists,
    /// Report cases and work on the cases one may see.
    ReportCases,
    /// Work the triage queue of public alerts addressed to one's organisation.
    TriageAlerts,
    /// Triage, edit and delete the cases of one's organisation that one may see.
    ManageCases,
    /// Screen supplier files and keep them as the organisation's registries.
    ScreenSuppliers,
}

impl Role {
    /// All roles, most privileged first.
    pub const ALL: [Role; 5] = [Role::Admin, Role::Coordinator, Role::Analyst, Role::Partner, Role::Viewer];

    /// The permission table. Keep `docs/permissions.md` in step: a test compares them.
    pub fn can(self, permission: Permission) -> bool {
        use Permission::*;
        use Role::*;
        match permission {
            ManageUsers | ManageOrganisations | ViewAudit | ManageSettings => self == Admin,
            ViewDirectory | ViewLists => true,
            ManageOwnTokens => matches!(self, Admin | Coordinator | Analyst | Partner),
            // Administrators manage accounts, not case contents.
            ReportCases => matches!(self, Coordinator | Analyst | Partner),
            TriageAlerts => self == Coordinator,
            ManageCases => self == Coordinator,
            ScreenSuppliers => matches!(self, Coordinator | Analyst | Partner),
        }
    }

    /// The role's name as typed on the command line and stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Analyst => "analyst",
            Role::Partner => "partner",
            Role::Viewer => "viewer",
        }
    }
}

impl Permission {
    /// All permissions, in the order of the documented table.
    pub const ALL: [Permission; 11] = [
        Permission::ManageUsers,
        Permission::ManageOrganisations,
        Permission::ViewAudit,
        Permission::ManageSettings,
        Permission::ViewDirectory,
        Permission::ManageOwnTokens,
        Permission::ViewLists,
        Permission::ReportCases,
        Permission::TriageAlerts,
        Permission::ManageCases,
        Permission::ScreenSuppliers,
    ];

    /// The permission's name in the documented table.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ManageUsers => "manage users",
            Permission::ManageOrganisations => "manage organisations",
            Permission::ViewAudit => "view audit trail",
            Permission::ManageSettings => "manage settings",
            Permission::ViewDirectory => "view organisation directory",
            Permission::ManageOwnTokens => "manage own API tokens",
            Permission::ViewLists => "view official lists",
            Permission::ReportCases => "report and work on cases",
            Permission::TriageAlerts => "triage public alerts",
            Permission::ScreenSuppliers => "screen suppliers and keep registries",
            Permission::ManageCases => "triage, edit and delete cases",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| CoreError::InvalidRole { value: s.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The documented table must say exactly what the code enforces.
    #[test]
    fn documented_permission_table_matches_the_code() {
        let doc = include_str!("../../../docs/permissions.md");
        let mut rows = 0;
        for line in doc.lines().filter(|l| l.starts_with('|')) {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let Some(permission) = Permission::ALL.iter().find(|p| p.as_str() == cells[0]) else {
                continue;
            };
            rows += 1;
            for (i, role) in Role::ALL.iter().enumerate() {
                let documented = cells.get(i + 1).is_some_and(|c| *c == "yes");
                assert_eq!(
                    documented,
                    role.can(*permission),
                    "docs/permissions.md says {role} {} '{}'",
                    if documented { "may" } else { "may not" },
                    permission.as_str()
                );
            }
        }
        assert_eq!(rows, Permission::ALL.len(), "every permission is documented");
    }

    #[test]
    fn roles_parse_case_insensitively_and_reject_others() {
        assert_eq!("Coordinator".parse::<Role>(), Ok(Role::Coordinator));
        assert!("root".parse::<Role>().is_err());
    }
}
