//! Evidence a collector attaches to an interaction (call recording, screenshot, visit
//! photo): which file types are accepted, how large they may be, and the checks every
//! file passes before anything is stored.
//!
//! The policy is data with defaults (`EvidencePolicy::default()`): a creditor may accept
//! larger recordings or fewer types. The declared media type is never trusted on its
//! own: the first bytes of the content must match it, so a renamed executable is not a
//! "photo". GPS coordinates, when given, must be a real place on Earth.

use serde::{Deserialize, Serialize};

/// One accepted media type and its size limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceType {
    /// The media type, e.g. `audio/mpeg`.
    pub media_type: String,
    /// The largest accepted file, in bytes.
    pub max_bytes: u64,
}

/// Which evidence files are accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidencePolicy {
    /// The accepted types with their limits.
    pub types: Vec<EvidenceType>,
}

/// 20 MB, the default limit for recordings.
pub const AUDIO_LIMIT: u64 = 20 * 1024 * 1024;
/// 10 MB, the default limit for images and PDF.
pub const DOCUMENT_LIMIT: u64 = 10 * 1024 * 1024;

impl Default for EvidencePolicy {
    /// Call recordings (MP3, Ogg, WAV, M4A) up to 20 MB; photos and screenshots (JPEG,
    /// PNG) and PDF up to 10 MB.
    fn default() -> EvidencePolicy {
        let t = |media_type: &str, max_bytes| EvidenceType {
            media_type: media_type.to_string(),
            max_bytes,
        };
        EvidencePolicy {
            types: vec![
                t("audio/mpeg", AUDIO_LIMIT),
                t("audio/ogg", AUDIO_LIMIT),
                t("audio/wav", AUDIO_LIMIT),
                t("audio/mp4", AUDIO_LIMIT),
                t("image/jpeg", DOCUMENT_LIMIT),
                t("image/png", DOCUMENT_LIMIT),
                t("application/pdf", DOCUMENT_LIMIT),
            ],
        }
    }
}

/// Why a file is refused; every variant names the file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvidenceError {
    /// The media type is not accepted.
    #[error("file {file:?}: type {media_type:?} is not accepted (accepted: {accepted})")]
    TypeNotAccepted {
        /// The file name.
        file: String,
        /// The declared type.
        media_type: String,
        /// The accepted types, comma-separated.
        accepted: String,
    },
    /// The file is larger than its type allows.
    #[error("file {file:?} is {size} bytes, more than the {limit} bytes allowed for {media_type}")]
    TooLarge {
        /// The file name.
        file: String,
        /// The declared type.
        media_type: String,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file is empty.
    #[error("file {file:?} is empty")]
    Empty {
        /// The file name.
        file: String,
    },
    /// The content does not look like the declared type.
    #[error("file {file:?} is declared {media_type} but its content is not")]
    ContentMismatch {
        /// The file name.
        file: String,
        /// The declared type.
        media_type: String,
    },
    /// Latitude or longitude out of range.
    #[error("file {file:?}: GPS position ({lat}, {lon}) is not on Earth (latitude -90..90, longitude -180..180)")]
    GpsOutOfRange {
        /// The file name.
        file: String,
        /// Latitude.
        lat: f64,
        /// Longitude.
        lon: f64,
    },
}

impl EvidencePolicy {
    /// Checks one file: accepted type, not empty, within the type's limit, content
    /// matching the type, GPS (if any) in range.
    pub fn check(
        &self,
        file: &str,
        media_type: &str,
        bytes: &[u8],
        gps: Option<(f64, f64)>,
    ) -> Result<(), EvidenceError> {
        let declared = media_type.trim().to_ascii_lowercase();
        let Some(accepted) = self.types.iter().find(|t| t.media_type == declared) else {
            return Err(EvidenceError::TypeNotAccepted {
                file: file.to_string(),
                media_type: media_type.to_string(),
                accepted: self
                    .types
                    .iter()
                    .map(|t| t.media_type.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        };
        if bytes.is_empty() {
            return Err(EvidenceError::Empty {
                file: file.to_string(),
            });
        }
        let size = bytes.len() as u64;
        if size > accepted.max_bytes {
            return Err(EvidenceError::TooLarge {
                file: file.to_string(),
                media_type: declared,
                size,
                limit: accepted.max_bytes,
            });
        }
        if !content_matches(&declared, bytes) {
            return Err(EvidenceError::ContentMismatch {
                file: file.to_string(),
                media_type: declared,
            });
        }
        if let Some((lat, lon)) = gps {
            let on_earth = (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
            if !on_earth {
                return Err(EvidenceError::GpsOutOfRange {
                    file: file.to_string(),
                    lat,
                    lon,
                });
            }
        }
        Ok(())
    }
}

/// Whether the first bytes are those of the media type (the file signatures of each
/// format). A type this function does not know is never matched, so adding a type to a
/// policy without a signature here refuses its files rather than trusting them.
pub fn content_matches(media_type: &str, bytes: &[u8]) -> bool {
    let at = |offset: usize, magic: &[u8]| bytes.get(offset..offset + magic.len()) == Some(magic);
    match media_type {
        // An ID3 tag, or an MPEG audio frame sync (11 set bits).
        "audio/mpeg" => {
            at(0, b"ID3") || (bytes.len() >= 2 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0)
        }
        "audio/ogg" => at(0, b"OggS"),
        "audio/wav" => at(0, b"RIFF") && at(8, b"WAVE"),
        // ISO base media (M4A): a `ftyp` box after the 4-byte size.
        "audio/mp4" => at(4, b"ftyp"),
        "image/jpeg" => at(0, &[0xFF, 0xD8, 0xFF]),
        "image/png" => at(0, &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]),
        "application/pdf" => at(0, b"%PDF-"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0];

    #[test]
    fn accepted_files_with_matching_content_pass() {
        let p = EvidencePolicy::default();
        assert_eq!(
            p.check("foto.png", "image/png", PNG, Some((-6.2, 106.8))),
            Ok(())
        );
        assert_eq!(
            p.check("rekaman.mp3", "audio/mpeg", b"ID3\x04rest", None),
            Ok(())
        );
        assert_eq!(
            p.check("a.wav", "audio/wav", b"RIFF\0\0\0\0WAVEfmt ", None),
            Ok(())
        );
        assert_eq!(
            p.check("a.m4a", "audio/mp4", b"\0\0\0\x20ftypM4A ", None),
            Ok(())
        );
        assert_eq!(
            p.check("surat.pdf", "Application/PDF", b"%PDF-1.7", None),
            Ok(())
        );
    }

    #[test]
    fn an_unaccepted_type_is_refused_naming_file_and_accepted_types() {
        let err = EvidencePolicy::default()
            .check("setup.exe", "application/x-msdownload", b"MZ", None)
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("setup.exe") && text.contains("image/png"),
            "{text}"
        );
    }

    #[test]
    fn a_file_over_its_types_limit_is_refused_naming_the_limit() {
        let mut big = PNG.to_vec();
        big.resize(DOCUMENT_LIMIT as usize + 1, 0);
        let err = EvidencePolicy::default()
            .check("besar.png", "image/png", &big, None)
            .unwrap_err();
        assert!(matches!(
            err,
            EvidenceError::TooLarge {
                limit: DOCUMENT_LIMIT,
                ..
            }
        ));
        assert!(err.to_string().contains("10485760"), "{err}");
    }

    #[test]
    fn content_that_does_not_match_the_declared_type_is_refused() {
        let err = EvidencePolicy::default()
            .check("foto.jpg", "image/jpeg", PNG, None)
            .unwrap_err();
        assert!(
            matches!(err, EvidenceError::ContentMismatch { .. }),
            "{err}"
        );
        let err = EvidencePolicy::default()
            .check("kosong.pdf", "application/pdf", b"", None)
            .unwrap_err();
        assert!(matches!(err, EvidenceError::Empty { .. }), "{err}");
    }

    #[test]
    fn gps_off_the_planet_is_refused() {
        for gps in [(91.0, 0.0), (0.0, -180.5), (f64::NAN, 0.0)] {
            let err = EvidencePolicy::default()
                .check("foto.png", "image/png", PNG, Some(gps))
                .unwrap_err();
            assert!(
                matches!(err, EvidenceError::GpsOutOfRange { .. }),
                "{gps:?}"
            );
        }
    }
}
