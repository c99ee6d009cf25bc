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

    /// Works accounts: logs contacts, records promises, claims from a worklist.
    /// Compliance reads and changes nothing; admins run the system, not the desk.
    pub const fn works_accounts(self) -> bool {
        matches!(self, Role::Collector | Role::Supervisor | Role::Manager)
    }

    /// May work any account of the creditor, not only those they hold (claimed, assigned
    /// or allocated to them): team leaders and managers.
    pub const fn works_any_account(self) -> bool {
        matches!(self, Role::Supervisor | Role::Manager)
    }

    /// Leads teams: the team view, reassigning accounts, pausing collection.
    pub const fn supervises(self) -> bool {
        matches!(self, Role::Supervisor | Role::Manager)
    }

    /// Posts and reverses payments (money moves): supervisors, managers and admins;
    /// collectors record contacts, they do not post money.
    pub const fn posts_payments(self) -> bool {
        matches!(self, Role::Supervisor | Role::Manager | Role::Admin)
    }

    /// Prints warning letters in batches and records their delivery proof: supervisors,
    /// managers and admins.
    pub const fn prints_letters(self) -> bool {
        matches!(self, Role::Supervisor | Role::Manager | Role::Admin)
    }

    /// Reads the outbox (every message of the creditor): supervisors, managers,
    /// compliance and admins.
    pub const fn reads_outbox(self) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn with(permission: fn(Role) -> bool) -> Vec<Role> {
        Role::ALL
            .iter()
            .copied()
            .filter(|r| permission(*r))
            .collect()
    }

    #[test]
    fn money_is_moved_by_supervisors_managers_and_admins_only() {
        assert_eq!(
            with(Role::posts_payments),
            [Role::Supervisor, Role::Manager, Role::Admin]
        );
    }

    #[test]
    fn compliance_and_admins_do_not_work_accounts() {
        assert_eq!(
            with(Role::works_accounts),
            [Role::Collector, Role::Supervisor, Role::Manager]
        );
        assert_eq!(
            with(Role::works_any_account),
            [Role::Supervisor, Role::Manager]
        );
        assert_eq!(with(Role::supervises), [Role::Supervisor, Role::Manager]);
    }
}
