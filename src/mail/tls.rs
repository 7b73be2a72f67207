//! Trust and TLS diagnosis, shared by both probes.
//!
//! Certificates are always verified: against the system's CAs, plus the CAs of
//! `--ca-file` when given. There is deliberately no way to turn verification off. This
//! module also turns a failed handshake into something a person can act on: a refused
//! certificate by the verifier's own verdict where the platform gives one (OpenSSL's result
//! code), by the library's words only where it does not (native-tls on macOS and Windows).

use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::config::store::{ReadProblem, read_regular_file};
use crate::mail::tls_backend::{CertificateCheck, CertificateVerdict, Connector};
use crate::mail::{FailureKind, ProbeFailure, Stage};

/// Extra certificate authorities to trust besides the system's.
///
/// Clones share one TLS connector, built once on first use (or ahead of time by
/// [`TrustAnchors::prepare`]): loading the system's CA store is the slow part, and one
/// run needs it once, for both probes and every retry.
#[derive(Clone, Debug, Default)]
pub struct TrustAnchors {
    /// Each CA certificate as its own PEM block.
    pem_blocks: Vec<String>,
    shared: Arc<OnceLock<Result<Connector, String>>>,
}

/// Largest `--ca-file` read: a few hundred CA certificates (the whole system bundle of a
/// Linux distribution is about 220 KiB). Anything larger is not read at all.
pub(crate) const MAX_CA_FILE_BYTES: u64 = 1024 * 1024;

/// Why a `--ca-file` cannot be used; `messages` words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaFileProblem {
    /// It could not be read: the system's words.
    Unreadable(String),
    /// It is a device, a FIFO, a directory or anything else that is not a regular file
    /// (`/dev/zero` never ends; a FIFO waits for a writer): refused before a byte is read.
    NotAFile,
    /// It is larger than `limit` bytes.
    TooLarge { limit: u64 },
    /// It holds no `-----BEGIN CERTIFICATE-----` block.
    NoCertificates,
    /// A block is not a certificate: the TLS library's words.
    BadCertificate(String),
}

impl TrustAnchors {
    /// The system's CAs only.
    pub(crate) fn system() -> TrustAnchors {
        TrustAnchors::default()
    }

    /// The system's CAs plus every certificate in the PEM file at `path`, which is read as
    /// the config is: a regular file of at most [`MAX_CA_FILE_BYTES`], opened without
    /// blocking, so that neither a device nor a FIFO can hold the run.
    pub fn with_ca_file(path: &Path) -> Result<TrustAnchors, CaFileProblem> {
        let bytes =
            read_regular_file(path, MAX_CA_FILE_BYTES).map_err(|problem| match problem {
                ReadProblem::Io(e) => CaFileProblem::Unreadable(e.to_string()),
                ReadProblem::NotRegular => CaFileProblem::NotAFile,
                ReadProblem::TooLarge => CaFileProblem::TooLarge {
                    limit: MAX_CA_FILE_BYTES,
                },
            })?;
        // PEM is ASCII: anything else (a DER file, say) holds no PEM block and is said so.
        let text = String::from_utf8_lossy(&bytes);
        let pem_blocks = split_pem_certificates(&text);
        if pem_blocks.is_empty() {
            return Err(CaFileProblem::NoCertificates);
        }
        for block in &pem_blocks {
            native_tls::Certificate::from_pem(block.as_bytes())
                .map_err(|e| CaFileProblem::BadCertificate(e.to_string()))?;
        }
        Ok(TrustAnchors {
            pem_blocks,
            shared: Arc::default(),
        })
    }

    /// Starts building the shared connector on a helper thread, so that it is ready by
    /// the time the first connection needs it. Does nothing if it is built already.
    pub(crate) fn prepare(&self) {
        if self.shared.get().is_some() {
            return;
        }
        let anchors = self.clone();
        std::thread::spawn(move || {
            let _ = anchors.shared_connector();
        });
    }

    /// The one connector of this run (built now if no one has yet).
    pub(crate) fn shared_connector(&self) -> Result<Connector, ProbeFailure> {
        self.shared
            .get_or_init(|| Connector::build(&self.pem_blocks))
            .clone()
            .map_err(|detail| ProbeFailure::new(Stage::Tls, FailureKind::TlsFailure, detail))
    }
}

fn split_pem_certificates(text: &str) -> Vec<String> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(BEGIN) {
        let Some(length) = rest[start..].find(END) else {
            break;
        };
        let end = start + length + END.len();
        blocks.push(format!("{}\n", &rest[start..end]));
        rest = &rest[end..];
    }
    blocks
}

/// What a failed handshake means for the person: the certificate verdict when there is
/// one, else the library's words.
pub fn classify_handshake(words: &str, certificate: CertificateCheck) -> FailureKind {
    match certificate {
        CertificateCheck::Refused(verdict) => certificate_kind(verdict),
        CertificateCheck::NotRefused => connection_kind(words).unwrap_or(FailureKind::TlsFailure),
        CertificateCheck::Unreported => classify_tls_error(words),
    }
}

/// The failure kind of a refused certificate.
pub fn certificate_kind(verdict: CertificateVerdict) -> FailureKind {
    match verdict {
        CertificateVerdict::Expired | CertificateVerdict::NotYetValid => {
            FailureKind::CertificateExpired
        }
        CertificateVerdict::WrongHost => FailureKind::CertificateWrongHost,
        CertificateVerdict::SelfSigned | CertificateVerdict::UnknownIssuer => {
            FailureKind::CertificateUntrusted
        }
        CertificateVerdict::Other => FailureKind::TlsFailure,
    }
}

/// A failure of the connection itself, not of the certificate, by the library's words:
/// TLS spoken to a plain-text port (or the other way round), or the line dropped.
fn connection_kind(message: &str) -> Option<FailureKind> {
    let text = message.to_ascii_lowercase();
    let has = |needles: &[&str]| needles.iter().any(|n| text.contains(n));
    if has(&[
        "wrong version number",
        "unknown protocol",
        "packet length too long",
        "record layer failure",
    ]) {
        Some(FailureKind::WrongTlsMode)
    } else if has(&["unexpected eof", "connection reset", "broken pipe"]) {
        Some(FailureKind::Dropped)
    } else {
        None
    }
}

/// What a TLS library error means for the person, by its words alone: for the platforms
/// whose verifier gives no verdict of its own. OpenSSL (Linux), Secure Transport (macOS)
/// and SChannel (Windows) word these differently; the common phrases are matched.
pub fn classify_tls_error(message: &str) -> FailureKind {
    let text = message.to_ascii_lowercase();
    let has = |needles: &[&str]| needles.iter().any(|n| text.contains(n));
    if let Some(kind) = connection_kind(message).filter(|k| *k == FailureKind::WrongTlsMode) {
        kind
    } else if has(&[
        "hostname mismatch",
        "host name mismatch",
        "not valid for",
        "cn_no_match",
        "does not match",
    ]) {
        FailureKind::CertificateWrongHost
    } else if has(&["expired", "not yet valid", "cert_date_invalid"]) {
        FailureKind::CertificateExpired
    } else if has(&[
        "self-signed",
        "self signed",
        "unable to get local issuer",
        "unknown ca",
        "untrusted",
        "not trusted",
        "unable to verify",
    ]) {
        FailureKind::CertificateUntrusted
    } else {
        connection_kind(message).unwrap_or(FailureKind::TlsFailure)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openssl_messages_are_classified() {
        let cases = [
            (
                "error:0A00010B:SSL routines:ssl3_get_record:wrong version number",
                FailureKind::WrongTlsMode,
            ),
            (
                "certificate verify failed: (hostname mismatch)",
                FailureKind::CertificateWrongHost,
            ),
            (
                "certificate verify failed: (certificate has expired)",
                FailureKind::CertificateExpired,
            ),
            (
                "certificate verify failed: (self-signed certificate)",
                FailureKind::CertificateUntrusted,
            ),
            (
                "certificate verify failed: (unable to get local issuer certificate)",
                FailureKind::CertificateUntrusted,
            ),
            ("unexpected EOF while reading", FailureKind::Dropped),
            ("handshake failure", FailureKind::TlsFailure),
        ];
        for (message, kind) in cases {
            assert_eq!(classify_tls_error(message), kind, "{message}");
        }
    }

    /// OpenSSL's verify result codes decide, whatever the words say: a verdict is
    /// classified by its code even when the text would say something else or nothing.
    #[cfg(all(unix, not(target_vendor = "apple")))]
    #[test]
    fn openssl_verify_codes_are_classified_without_the_words() {
        use openssl_sys as ffi;
        let cases = [
            (
                ffi::X509_V_ERR_CERT_HAS_EXPIRED,
                FailureKind::CertificateExpired,
            ),
            (
                ffi::X509_V_ERR_CERT_NOT_YET_VALID,
                FailureKind::CertificateExpired,
            ),
            (
                ffi::X509_V_ERR_HOSTNAME_MISMATCH,
                FailureKind::CertificateWrongHost,
            ),
            (
                ffi::X509_V_ERR_IP_ADDRESS_MISMATCH,
                FailureKind::CertificateWrongHost,
            ),
            (
                ffi::X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT,
                FailureKind::CertificateUntrusted,
            ),
            (
                ffi::X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN,
                FailureKind::CertificateUntrusted,
            ),
            (
                ffi::X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
                FailureKind::CertificateUntrusted,
            ),
            (
                ffi::X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE,
                FailureKind::CertificateUntrusted,
            ),
            (
                ffi::X509_V_ERR_CERT_SIGNATURE_FAILURE,
                FailureKind::TlsFailure,
            ),
        ];
        for (code, kind) in cases {
            let verdict = CertificateVerdict::from_openssl(code).expect("a refusal");
            let refused = CertificateCheck::Refused(verdict);
            // Words in another language, misleading words, or none at all.
            for words in [
                "",
                "Zertifikatsprüfung fehlgeschlagen",
                "certificate verify failed: (self-signed certificate)",
            ] {
                assert_eq!(classify_handshake(words, refused), kind, "{code} {words:?}");
            }
        }
        assert_eq!(CertificateVerdict::from_openssl(ffi::X509_V_OK), None);
        assert_eq!(
            CertificateVerdict::from_openssl(ffi::X509_V_ERR_CERT_HAS_EXPIRED),
            Some(CertificateVerdict::Expired)
        );
        assert_eq!(
            CertificateVerdict::from_openssl(ffi::X509_V_ERR_CERT_NOT_YET_VALID),
            Some(CertificateVerdict::NotYetValid)
        );
    }

    /// Where the check refused nothing, words about certificates do not make it a
    /// certificate failure; the connection's own failures are still told apart.
    #[test]
    fn without_a_refusal_no_certificate_kind_comes_from_the_words() {
        let passed = CertificateCheck::NotRefused;
        assert_eq!(
            classify_handshake("certificate has expired", passed),
            FailureKind::TlsFailure
        );
        assert_eq!(
            classify_handshake("tlsv1 alert unknown ca", passed),
            FailureKind::TlsFailure
        );
        assert_eq!(
            classify_handshake("ssl3_get_record:wrong version number", passed),
            FailureKind::WrongTlsMode
        );
        assert_eq!(
            classify_handshake("unexpected EOF while reading", passed),
            FailureKind::Dropped
        );
        // A platform that gives no verdict: its words are all there is.
        assert_eq!(
            classify_handshake("certificate has expired", CertificateCheck::Unreported),
            FailureKind::CertificateExpired
        );
    }

    #[test]
    fn every_certificate_in_a_bundle_is_found() {
        let one = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----";
        let bundle = format!("# comment\n{one}\n\n{one}\ntrailing");
        assert_eq!(split_pem_certificates(&bundle).len(), 2);
    }
}
