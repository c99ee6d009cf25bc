//! Champion/challenger: each account falls in an arm by a stable hash of its creditor's
//! code and its account number, so the same account lands in the same arm on every run and
//! every machine (ids differ between databases; the account number does not).
//!
//! The hash is 64-bit FNV-1a: tiny, fixed, and well spread over short keys. It is not a
//! secret-keyed hash on purpose: anyone can recompute an account's arm from the report.

/// FNV-1a 64-bit offset basis.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
/// FNV-1a 64-bit prime.
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Hashes account numbers of one creditor; the creditor prefix is hashed once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArmHasher {
    prefix: u64,
}

impl ArmHasher {
    /// A hasher for the accounts of the creditor with this code.
    pub fn new(creditor_code: &str) -> ArmHasher {
        let mut h = fnv(FNV_OFFSET, creditor_code.as_bytes());
        // A separator, so ("AB", "C1") and ("A", "BC1") differ.
        h = fnv(h, &[0x1f]);
        ArmHasher { prefix: h }
    }

    /// The stable key of an account number.
    pub fn key(&self, account_no: &[u8]) -> u64 {
        fnv(self.prefix, account_no)
    }
}

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The arm of a key under a challenger share of `percent` (0..=100): 1 = challenger.
pub fn arm_of(key: u64, percent: u32) -> u8 {
    u8::from(key % 100 < u64::from(percent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_the_published_fnv1a_of_creditor_separator_and_number() {
        // FNV-1a("") is the offset basis; FNV-1a("a") = 0xaf63dc4c8601ec8c (reference value).
        assert_eq!(fnv(FNV_OFFSET, b""), FNV_OFFSET);
        assert_eq!(fnv(FNV_OFFSET, b"a"), 0xaf63_dc4c_8601_ec8c);
        let h = ArmHasher::new("NUSABANK");
        assert_eq!(h.key(b"NB-1"), fnv(FNV_OFFSET, b"NUSABANK\x1fNB-1"));
        assert_ne!(
            ArmHasher::new("AB").key(b"C1"),
            ArmHasher::new("A").key(b"BC1")
        );
    }

    #[test]
    fn a_ten_percent_challenger_gets_about_a_tenth_of_the_accounts() {
        let h = ArmHasher::new("NUSABANK");
        let challengers: u32 = (0..10_000)
            .map(|i| u32::from(arm_of(h.key(format!("NB-{i:08}").as_bytes()), 10)))
            .sum();
        assert!((800..1200).contains(&challengers), "{challengers}");
        assert_eq!(arm_of(12345, 0), 0);
        assert_eq!(arm_of(12345, 100), 1);
    }
}
