//! stub
use super::PostgresStore;
use crate::*;
use chrono::{DateTime, Duration, NaiveDate, Utc};
impl WorkbenchStore for PostgresStore {
    fn collector_worklist(
        &self,
        _: CreditorId,
        _: UserId,
        _: DateTime<Utc>,
        _: u32,
    ) -> StoreResult<Vec<WorkItem>> {
        unimplemented!()
    }
    fn next_account(
        &self,
        _: CreditorId,
        _: UserId,
        _: DateTime<Utc>,
        _: Duration,
        _: &Actor,
    ) -> StoreResult<Option<Claim>> {
        unimplemented!()
    }
    fn claim_account(
        &self,
        _: CreditorId,
        _: UserId,
        _: AccountId,
        _: DateTime<Utc>,
        _: Duration,
        _: &Actor,
    ) -> StoreResult<Claim> {
        unimplemented!()
    }
    fn release_claim(
        &self,
        _: CreditorId,
        _: UserId,
        _: AccountId,
        _: DateTime<Utc>,
        _: &Actor,
    ) -> StoreResult<()> {
        unimplemented!()
    }
    fn claim(&self, _: CreditorId, _: AccountId, _: DateTime<Utc>) -> StoreResult<Option<Claim>> {
        unimplemented!()
    }
    fn holders(&self, _: CreditorId, _: AccountId, _: DateTime<Utc>) -> StoreResult<Holders> {
        unimplemented!()
    }
    fn record_contact(
        &self,
        _: CreditorId,
        _: &NewContact,
        _: NaiveDate,
        _: DateTime<Utc>,
        _: &Actor,
    ) -> StoreResult<ContactIds> {
        unimplemented!()
    }
    fn evidence(&self, _: CreditorId, _: AccountId) -> StoreResult<Vec<EvidenceInfo>> {
        unimplemented!()
    }
    fn evidence_content(
        &self,
        _: CreditorId,
        _: EvidenceId,
    ) -> StoreResult<Option<(EvidenceInfo, Vec<u8>)>> {
        unimplemented!()
    }
    fn create_follow_up(
        &self,
        _: CreditorId,
        _: &NewFollowUp,
        _: DateTime<Utc>,
        _: &Actor,
    ) -> StoreResult<FollowUpId> {
        unimplemented!()
    }
    fn complete_follow_up(
        &self,
        _: CreditorId,
        _: FollowUpId,
        _: DateTime<Utc>,
        _: &Actor,
    ) -> StoreResult<()> {
        unimplemented!()
    }
    fn follow_ups(&self, _: CreditorId, _: AccountId) -> StoreResult<Vec<FollowUp>> {
        unimplemented!()
    }
    fn team_activity(
        &self,
        _: CreditorId,
        _: DateTime<Utc>,
        _: DateTime<Utc>,
        _: DateTime<Utc>,
    ) -> StoreResult<Vec<CollectorActivity>> {
        unimplemented!()
    }
}
