//! Trust and TLS diagnosis, shared by both probes.
//!
//! Certificates are always verified: against the system's CAs, plus the CAs of
//! `--ca-file` when given. There is deliberately no way to turn verification off. This
//! module also turns the TLS library's error text into something a person can act on.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::config::store::{ReadProblem, read_regular_file};
use crate::mail::tls_backend::Connector;
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

/// What a TLS library error means for the person. OpenSSL (Linux), Secure Transport
/// (macOS) and SChannel (Windows) word these differently; the common phrases are matched.
pub(crate) fn classify_tls_error(message: &str) -> FailureKind {
    let text = message.to_ascii_lowercase();
    let has = |needles: &[&str]| needles.iter().any(|n| text.contains(n));
    if has(&[
        "wrong version number",
        "unknown protocol",
        "packet length too long",
        "record layer failure",
    ]) {
        FailureKind::WrongTlsMode
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
    } else if has(&["unexpected eof", "connection reset", "broken pipe"]) {
        FailureKind::Dropped
    } else {
        FailureKind::TlsFailure
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

    #[test]
    fn every_certificate_in_a_bundle_is_found() {
        let one = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----";
        let bundle = format!("# comment\n{one}\n\n{one}\ntrailing");
        assert_eq!(split_pem_certificates(&bundle).len(), 2);
    }
}
