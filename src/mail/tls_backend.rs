//! The TLS client of the live test: one [`Connector`] per run, and the stream it makes.
//!
//! On Linux and the BSDs the connector is built on OpenSSL directly. The system's CAs are
//! exactly what OpenSSL's default paths hold, as for curl, msmtp and mbsync: the hashed
//! directory (`SSL_CERT_DIR`, else OpenSSL's own, e.g. `/etc/ssl/certs`) and the bundle
//! file (`SSL_CERT_FILE`, else OpenSSL's own, e.g. `/etc/ssl/certs/ca-certificates.crt`).
//! Only the directory is consulted up front, lazily by hash, because parsing the bundle
//! (~150 certificates) takes OpenSSL 3 tens of milliseconds, more than a loopback login.
//! When a chain reaches no CA there, the verify callback loads the full default paths
//! once (file and directory, plus the `--ca-file` CAs) and verifies the chain against
//! them; only then is the "no trusted issuer" verdict lifted. Everything else (the host
//! name, the dates, the purpose) stays OpenSSL's own check of the handshake, so a CA that
//! is only in the bundle (appended by hand, without a hash link) is trusted, and nothing
//! else is. Elsewhere (macOS, Windows) native-tls and the platform's verifier are used.

use std::fmt;
use std::io::{Read, Write};

/// Why a handshake did not complete.
pub(crate) enum Handshake {
    /// A read or write ran out of time.
    WouldBlock,
    /// The TLS library's words (with the certificate verdict's words when there is one),
    /// and what the certificate check said, as far as the platform tells.
    Failed {
        words: String,
        certificate: CertificateCheck,
    },
}

/// What the certificate check said about a failed handshake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertificateCheck {
    /// The platform's verifier gives no result of its own (native-tls on macOS and
    /// Windows): only its words tell.
    Unreported,
    /// The check refused nothing (it passed, or the handshake failed before it).
    NotRefused,
    /// The certificate was refused, for this reason.
    Refused(CertificateVerdict),
}

/// Why a certificate was refused, from the verifier's result code rather than its words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertificateVerdict {
    Expired,
    NotYetValid,
    /// Not valid for the host name (or address) connected to.
    WrongHost,
    /// Signed by itself, as the server's own certificate or at the top of its chain.
    SelfSigned,
    /// No trusted authority vouches for it.
    UnknownIssuer,
    /// Any other refusal (a bad signature, a wrong purpose, revoked, ...).
    Other,
}

impl CertificateVerdict {
    /// The verdict for OpenSSL's verify result code (`X509_V_ERR_*`, as
    /// `X509VerifyResult::as_raw` gives it); `None` for `X509_V_OK`.
    #[cfg(all(unix, not(target_vendor = "apple")))]
    pub fn from_openssl(code: i32) -> Option<CertificateVerdict> {
        use openssl_sys as ffi;
        Some(match code {
            ffi::X509_V_OK => return None,
            ffi::X509_V_ERR_CERT_HAS_EXPIRED => CertificateVerdict::Expired,
            ffi::X509_V_ERR_CERT_NOT_YET_VALID => CertificateVerdict::NotYetValid,
            ffi::X509_V_ERR_HOSTNAME_MISMATCH | ffi::X509_V_ERR_IP_ADDRESS_MISMATCH => {
                CertificateVerdict::WrongHost
            }
            ffi::X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
            | ffi::X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN => CertificateVerdict::SelfSigned,
            ffi::X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT
            | ffi::X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
            | ffi::X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE
            | ffi::X509_V_ERR_CERT_UNTRUSTED => CertificateVerdict::UnknownIssuer,
            _ => CertificateVerdict::Other,
        })
    }
}

#[cfg(all(unix, not(target_vendor = "apple")))]
mod imp {
    use std::io::{Read, Write};
    use std::net::IpAddr;
    use std::sync::{Arc, OnceLock};

    use openssl::ssl::{
        HandshakeError, Ssl, SslContext, SslFiletype, SslMethod, SslOptions, SslVerifyMode,
        SslVersion,
    };
    use openssl::stack::Stack;
    use openssl::x509::store::{X509Lookup, X509Store, X509StoreBuilder};
    use openssl::x509::verify::X509CheckFlags;
    use openssl::x509::{X509, X509StoreContext, X509StoreContextRef, X509VerifyResult};

    use super::{CertificateCheck, CertificateVerdict, Handshake};

    pub(super) type Stream<S> = openssl::ssl::SslStream<S>;

    #[derive(Clone)]
    pub(super) struct Inner(SslContext);

    /// `X509_FILETYPE_DEFAULT`: a lookup's default place, honoring its variable
    /// (`SSL_CERT_DIR` for the directory).
    const X509_FILETYPE_DEFAULT: i32 = 3;

    /// The verdicts of a chain that reached no trusted CA (x509_vfy.h): unable to get the
    /// issuer (2), locally (20); self-signed leaf (18) or root (19) not trusted; unable to
    /// verify the leaf's signature (21, a chain of one). Only these may be lifted.
    const NO_TRUSTED_ISSUER: [i32; 5] = [2, 18, 19, 20, 21];

    /// All of OpenSSL's default paths, the bundle file included, plus the `--ca-file` CAs:
    /// built the first time a chain is not trusted through the directory alone.
    struct DefaultPaths {
        extra: Vec<X509>,
        store: OnceLock<Option<X509Store>>,
    }

    impl DefaultPaths {
        fn store(&self) -> Option<&X509Store> {
            self.store
                .get_or_init(|| {
                    let mut store = X509StoreBuilder::new().ok()?;
                    store.set_default_paths().ok()?;
                    for certificate in &self.extra {
                        store.add_cert(certificate.clone()).ok()?;
                    }
                    Some(store.build())
                })
                .as_ref()
        }

        /// The verdict on the peer's chain against every default path (chain, signatures,
        /// dates): `OK` when it verifies. The handshake's own check goes on after an `OK`
        /// for the host name and the rest. `None` when it could not be checked at all.
        fn verdict_on_the_chain_of(&self, check: &X509StoreContextRef) -> Option<X509VerifyResult> {
            let store = self.store()?;
            // What the server sent (the leaf first); failing that, the chain built so far.
            let sent = X509StoreContext::ssl_idx()
                .ok()
                .and_then(|index| check.ex_data(index))
                .and_then(|ssl| ssl.peer_cert_chain());
            let chain = sent.or_else(|| check.chain())?;
            let leaf = chain.iter().next()?;
            let mut untrusted = Stack::new().ok()?;
            for certificate in chain {
                untrusted.push(certificate.to_owned()).ok()?;
            }
            let mut again = X509StoreContext::new().ok()?;
            again
                .init(store, leaf, &untrusted, |context| {
                    let verified = context.verify_cert()?;
                    Ok(if verified {
                        X509VerifyResult::OK
                    } else {
                        context.error()
                    })
                })
                .ok()
        }
    }

    pub(super) fn build(pem_blocks: &[String]) -> Result<Inner, String> {
        let text = |e: openssl::error::ErrorStack| e.to_string();
        let mut context = SslContext::builder(SslMethod::tls_client()).map_err(text)?;
        context.set_options(SslOptions::NO_COMPRESSION);
        context
            .set_min_proto_version(Some(SslVersion::TLS1_2))
            .map_err(text)?;
        context
            .set_cipher_list(
                "DEFAULT:!aNULL:!eNULL:!MD5:!3DES:!DES:!RC4:!IDEA:!SEED:!aDSS:!SRP:!PSK",
            )
            .map_err(text)?;
        let extra = pem_blocks
            .iter()
            .map(|block| X509::from_pem(block.as_bytes()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(text)?;
        // Up front: OpenSSL's default directory (or `SSL_CERT_DIR`), looked up by hash when
        // a chain needs a CA, and the `--ca-file` CAs.
        let mut store = X509StoreBuilder::new().map_err(text)?;
        store
            .add_lookup(X509Lookup::hash_dir())
            .map_err(text)?
            .add_dir("", SslFiletype::from_raw(X509_FILETYPE_DEFAULT))
            .map_err(text)?;
        for certificate in &extra {
            store.add_cert(certificate.clone()).map_err(text)?;
        }
        context.set_cert_store(store.build());
        let everything = Arc::new(DefaultPaths {
            extra,
            store: OnceLock::new(),
        });
        context.set_verify_callback(SslVerifyMode::PEER, move |verified, check| {
            if verified || !NO_TRUSTED_ISSUER.contains(&check.error().as_raw()) {
                return verified;
            }
            match everything.verdict_on_the_chain_of(check) {
                Some(verdict) if verdict == X509VerifyResult::OK => true,
                // Refused against every path too: its own reason (expired, say) is the
                // handshake's verdict.
                Some(verdict) => {
                    check.set_error(verdict);
                    false
                }
                None => false,
            }
        });
        Ok(Inner(context.build()))
    }

    pub(super) fn connect<S: Read + Write>(
        inner: &Inner,
        host: &str,
        stream: S,
    ) -> Result<Stream<S>, Handshake> {
        let text = |e: openssl::error::ErrorStack| Handshake::Failed {
            words: e.to_string(),
            certificate: CertificateCheck::NotRefused,
        };
        let mut ssl = Ssl::new(&inner.0).map_err(text)?;
        let param = ssl.param_mut();
        param.set_hostflags(X509CheckFlags::NO_PARTIAL_WILDCARDS);
        if let Ok(ip) = host.parse::<IpAddr>() {
            param.set_ip(ip).map_err(text)?;
        } else {
            param.set_host(host).map_err(text)?;
            ssl.set_hostname(host).map_err(text)?;
        }
        match ssl.connect(stream) {
            Ok(stream) => Ok(stream),
            Err(HandshakeError::WouldBlock(_)) => Err(Handshake::WouldBlock),
            Err(HandshakeError::SetupFailure(error)) => Err(text(error)),
            Err(HandshakeError::Failure(midway)) => {
                let mut words = midway.error().to_string();
                let verdict = midway.ssl().verify_result();
                if verdict != X509VerifyResult::OK {
                    words = format!("{words} ({})", verdict.error_string());
                }
                if midway
                    .error()
                    .io_error()
                    .is_some_and(crate::mail::endpoint::is_timeout)
                {
                    return Err(Handshake::WouldBlock);
                }
                // The verdict by its code, so that no wording of OpenSSL's decides.
                let certificate = CertificateVerdict::from_openssl(verdict.as_raw())
                    .map_or(CertificateCheck::NotRefused, CertificateCheck::Refused);
                Err(Handshake::Failed { words, certificate })
            }
        }
    }
}

#[cfg(not(all(unix, not(target_vendor = "apple"))))]
mod imp {
    use std::io::{Read, Write};

    use super::{CertificateCheck, Handshake};

    pub(super) type Stream<S> = native_tls::TlsStream<S>;

    #[derive(Clone)]
    pub(super) struct Inner(native_tls::TlsConnector);

    pub(super) fn build(pem_blocks: &[String]) -> Result<Inner, String> {
        let mut builder = native_tls::TlsConnector::builder();
        for block in pem_blocks {
            let certificate =
                native_tls::Certificate::from_pem(block.as_bytes()).map_err(|e| e.to_string())?;
            builder.add_root_certificate(certificate);
        }
        builder.build().map(Inner).map_err(|e| e.to_string())
    }

    pub(super) fn connect<S: Read + Write>(
        inner: &Inner,
        host: &str,
        stream: S,
    ) -> Result<Stream<S>, Handshake> {
        match inner.0.connect(host, stream) {
            Ok(stream) => Ok(stream),
            Err(native_tls::HandshakeError::WouldBlock(_)) => Err(Handshake::WouldBlock),
            Err(native_tls::HandshakeError::Failure(error)) => Err(Handshake::Failed {
                words: error.to_string(),
                certificate: CertificateCheck::Unreported,
            }),
        }
    }
}

/// A TLS stream over `S`, as the connector made it.
pub(crate) type TlsStream<S> = imp::Stream<S>;

/// The TLS client of one run; clones share it.
#[derive(Clone)]
pub(crate) struct Connector(imp::Inner);

impl fmt::Debug for Connector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Connector")
    }
}

impl Connector {
    /// Trusts the system's CAs and the given PEM certificates.
    pub(super) fn build(pem_blocks: &[String]) -> Result<Connector, String> {
        imp::build(pem_blocks).map(Connector)
    }

    /// The handshake, verifying the certificate chain and that it is valid for `host`.
    pub(crate) fn connect<S: Read + Write>(
        &self,
        host: &str,
        stream: S,
    ) -> Result<TlsStream<S>, Handshake> {
        imp::connect(&self.0, host, stream)
    }
}
