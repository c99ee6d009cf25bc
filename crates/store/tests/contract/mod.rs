//! The contract every `Store` backend must keep, as plain functions over `&dyn Store`.
//!
//! A backend's test file runs all of them with `contract_tests!(make_fixture)`, where
//! `make_fixture()` returns `Option<F>` for some `F: Fixture` holding a fresh, migrated,
//! empty store (None skips the test, e.g. when no PostgreSQL URL is configured).
//! Each function states one rule in its name.

#![allow(dead_code)] // each backend's test binary uses the whole suite through the macro

mod collection;
mod debtor_contact;
pub mod fixtures;
mod import;
mod isolation;
mod letter;
mod negotiation;
pub mod outbox;
mod payment;
mod portfolio;
mod reversal;
mod run;
mod scoring;
mod search;
mod template;
mod tenant;
pub mod workbench;

pub use collection::*;
pub use debtor_contact::*;
pub use import::*;
pub use isolation::*;
pub use letter::*;
pub use negotiation::*;
pub use outbox::*;
pub use payment::*;
pub use portfolio::*;
pub use reversal::*;
pub use run::*;
pub use scoring::*;
pub use search::*;
pub use template::*;
pub use tenant::*;
pub use workbench::*;

use sepakat_store::Store;

/// Something holding a fresh store for one test (and whatever keeps it alive).
pub trait Fixture {
    /// The store under test.
    fn store(&self) -> &dyn Store;
}

/// Generates one `#[test]` per contract function, each on a fresh fixture from `$make`.
#[macro_export]
macro_rules! contract_tests {
    ($make:path) => {
        $crate::contract_tests!(@each $make;
            migrate_twice_is_harmless,
            creditor_is_created_and_found_by_code_and_id,
            duplicate_creditor_code_is_a_conflict,
            creditors_are_listed_by_code,
            creditor_creation_is_audited,
            user_is_created_with_credentials_and_creditors,
            duplicate_username_is_a_conflict,
            user_without_creditor_is_refused,
            unknown_username_has_no_credentials,
            failed_logins_count_up_and_lock_and_success_resets,
            logins_are_audited_for_the_users_creditors_only,
            session_is_found_until_it_expires,
            deleted_session_is_gone,
            session_for_unknown_user_is_refused,
            api_token_finds_its_user,
            duplicate_api_token_is_a_conflict,
            import_inserts_then_reimport_updates_without_duplicates,
            reimport_writes_changed_fields_and_counts_unchanged_rows_as_updated,
            import_counts_a_repeated_account_number_in_one_file_as_an_update,
            first_import_across_batches_dedupes_debtors_and_counts_repeats,
            import_keeps_every_field_of_account_and_debtor,
            import_joins_accounts_with_the_same_debtor_key,
            import_without_commit_writes_nothing,
            import_is_audited_once_with_counts_and_no_personal_data,
            empty_import_commits_with_zero_counts,
            payment_import_rejects_unknown_accounts_and_skips_known_references,
            payment_import_without_commit_writes_nothing,
            post_payment_allocates_fees_penalty_interest_principal_and_audits,
            post_payment_follows_a_custom_allocation_order,
            duplicate_payment_reference_is_a_conflict,
            non_positive_payment_is_refused_and_stores_nothing,
            payment_of_everything_owed_marks_the_account_paid_off,
            reversal_restores_the_balance_and_points_at_the_original,
            double_reversal_and_reversing_a_reversal_are_conflicts,
            reversing_a_payoff_reopens_the_account,
            reversing_an_unknown_payment_is_not_found,
            search_finds_by_name_part_in_any_case,
            search_finds_by_account_number_prefix,
            search_finds_by_full_nik,
            search_finds_by_nik_a_debtor_keyed_by_it_and_one_keyed_otherwise,
            search_finds_by_phone_in_any_format,
            search_masks_nik_and_phone,
            search_orders_most_overdue_first_and_undated_last,
            search_filters_by_product_and_open_status,
            search_caps_limit_and_pages_with_offset,
            search_treats_wildcards_in_text_literally,
            creditor_cannot_read_another_creditors_account,
            creditor_cannot_touch_another_creditors_payments,
            creditor_cannot_see_another_creditors_audit_or_search_results,
            same_account_number_and_reference_may_exist_under_two_creditors,
            portfolio_groups_open_accounts_by_product_and_dpd,
            audit_trail_of_an_account_lists_newest_first_within_limit,
            team_is_created_listed_and_a_duplicate_code_is_a_conflict,
            collector_is_upserted_and_a_user_of_another_creditor_is_not_found,
            accounts_are_assigned_all_or_nothing_and_audited_per_account,
            same_idempotency_key_stores_one_interaction,
            correction_must_point_to_an_interaction_of_the_same_account,
            bad_promises_are_refused_and_store_nothing,
            resolved_promise_frees_the_account_for_a_new_one,
            another_creditors_account_is_not_found_for_collection_writes,
            pause_and_consent_are_stored_audited_and_read_back,
            begin_run_refuses_a_second_run_of_the_creditor_while_the_lease_is_live,
            a_run_whose_lease_expired_or_whose_holder_died_is_taken_over,
            an_abandoned_or_crashed_run_leaves_the_previous_queue_in_force,
            written_actions_come_back_exactly_from_the_queue_and_the_worklists,
            prune_runs_keeps_the_queue_in_force_and_a_running_one,
            a_run_that_breaks_a_promise_files_the_next_day_call_once,
            a_reversal_request_waits_for_a_second_person_who_reverses_or_rejects_it,
            history_counts_what_happened_before_the_instant_and_leaves_reversed_payments_out,
            a_past_state_adds_back_later_payments_and_takes_the_due_date_they_found,
            models_are_versioned_per_creditor_with_one_active_and_every_change_audited,
            a_debtors_other_contacts_are_kept_and_corrected_by_replacement,
            an_import_adds_named_contacts_once_corrects_imported_ones_and_keeps_manual_ones,
            the_scan_hands_over_every_open_account_in_id_order_and_lets_the_sink_write,
            worklist_ranks_follow_ups_first_then_priority_and_holds_each_account_once,
            worklist_leaves_out_paused_accounts_and_accounts_contacted_today,
            next_account_releases_the_earlier_claim_and_skips_accounts_others_hold,
            a_live_claim_of_another_is_a_conflict_naming_the_holder_and_an_own_claim_extends,
            holders_name_the_claim_sticky_collector_allocation_and_team,
            a_contact_stores_interaction_promise_evidence_and_follow_ups_together,
            a_promise_due_tomorrow_gets_no_reminder_in_the_past,
            bad_contacts_are_refused_and_store_nothing,
            follow_ups_are_completed_once_and_the_team_view_counts_the_period,
            assessment_and_offer_are_saved_together_audited_and_read_back,
            offer_beyond_authority_waits_in_the_queue_until_another_person_approves,
            nobody_decides_their_own_offer_and_bad_decisions_change_nothing,
            offers_that_are_not_ready_cannot_be_accepted_and_nothing_is_written,
            accepting_an_offer_creates_the_arrangement_with_its_schedule_once,
            a_paused_account_gets_no_offer_and_accepts_none,
            bad_offers_are_refused_and_store_nothing,
            expire_offers_marks_only_open_offers_past_their_expiry,
            another_creditors_offers_and_arrangements_are_not_found,
            tracking_writes_changes_once_and_a_default_returns_the_account_to_collection,
            a_tracking_verdict_must_cover_exactly_the_stored_instalments,
            a_repeated_key_queues_one_message_and_another_creditor_is_apart,
            bad_messages_are_refused_naming_the_field_and_store_nothing,
            a_blocked_message_keeps_its_rule_and_is_never_leased,
            a_message_waiting_for_the_gate_keeps_its_rule_until_it_is_due,
            a_due_message_is_leased_to_one_dispatcher_until_its_lease_expires,
            a_send_is_recorded_before_and_after_the_provider_call,
            a_retry_or_a_wait_returns_the_message_to_the_queue_until_its_time,
            a_send_interrupted_by_a_crash_comes_back_in_doubt,
            receipts_move_a_message_once_by_provider_id_or_reference,
            template_versions_need_a_compliance_decision_by_someone_other_than_the_author,
            letter_and_email_versions_keep_their_subject,
            printed_letters_are_recorded_once_per_tracking_number_and_audited,
            a_batch_with_another_creditors_account_records_nothing,
            another_creditors_letter_is_invisible_and_its_proof_refused,
            proof_for_an_unknown_tracking_number_is_refused,
            a_letter_is_sent_then_delivered_once_with_its_proof_file,
            a_returned_letter_is_final_and_bad_proofs_store_nothing,
        );
    };
    (@each $make:path; $($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            match $make() {
                Some(fixture) => contract::$name(contract::Fixture::store(&fixture)),
                None => eprintln!("skipped: no store configured for this backend"),
            }
        }
    )*};
}
