//! The roles of Sepakat's users and what each may do.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A user's role; permissions widen from collector to admin except where noted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Desk or field collector: works a worklist.
    Collector,
    /// Team leader: approves offers, reassigns work.
    Supervisor,
    /// Collection manager: strategies, authority limits, reports.
    Manager,
    /// Compliance officer or auditor: reads trails and refusals; changes no debt.
    Compliance,
    /// Administrator: users, creditors, templates, calendars.
    Admin,
}

impl Role {
    /// Every role.
    pub const ALL: &'static [Role] = &[
        Role::Collector,
        Role::Supervisor,
        Role::Manager,
        Role::Compliance,
        Role::Admin,
    ];

    /// The stable code (`collector`, …).
    pub const fn code(self) -> &'static str {
        match self {
            Role::Collector => "collector",
            Role::Supervisor => "supervisor",
            Role::Manager => "manager",
            Role::Compliance => "compliance",
            Role::Admin => "admin",
        }
    }

    /// The Indonesian name.
    pub const fn label(self) -> &'static str {
        match self {
            Role::Collector => "Kolektor",
            Role::Supervisor => "Supervisor",
            Role::Manager => "Manajer",
            Role::Compliance => "Kepatuhan",
            Role::Admin => "Admin",
        }
    }

    /// Parses a code.
    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL
            .iter()
            .copied()
            .find(|r| r.code() == text.trim().to_lowercase())
    }

    /// May see portfolio-wide figures (overview, reports).
    pub const fn sees_portfolio(self) -> bool {
        !matches!(self, Role::Collector)
    }

    /// May read the audit trail.
    pub const fn reads_audit(self) -> bool {
        matches!(
            self,
            Role::Supervisor | Role::Manager | Role::Compliance | Role::Admin
        )
    }

    /// May manage users, creditors and calendars.
    pub const fn administers(self) -> bool {
        matches!(self, Role::Admin)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
