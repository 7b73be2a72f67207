//! The TLS client of the live test: one [`Connector`] per run, and the stream it makes.
//!
//! On Linux and the BSDs the connector is built on OpenSSL directly. The system's CAs are
//! exactly what OpenSSL's default paths hold, as for curl, msmtp and mbsync: the bundle file
//! (`SSL_CERT_FILE`, else OpenSSL's own, e.g. `/etc/ssl/certs/ca-certificates.crt`) and the
//! hashed directory (`SSL_CERT_DIR`, else OpenSSL's own, e.g. `/etc/ssl/certs`), so a CA
//! appended to the bundle without a hash link is trusted too. Reading the bundle takes tens
//! of milliseconds with OpenSSL 3; `TrustAnchors::prepare` does it on a helper thread while
//! the connections are being opened, so a handshake rarely waits for it. What is checked is
//! the same as with native-tls: the chain up to a system CA or a `--ca-file` CA, and the host
//! name. Elsewhere (macOS, Windows) native-tls and the platform's verifier are used.

use std::fmt;
use std::io::{Read, Write};

/// Why a handshake did not complete.
pub enum Handshake {
    /// A read or write ran out of time.
    WouldBlock,
    /// The TLS library's words (with the certificate verdict when there is one).
    Failed(String),
}

#[cfg(all(unix, not(target_vendor = "apple")))]
mod imp {
    use std::io::{Read, Write};
    use std::net::IpAddr;

    use openssl::ssl::{
        HandshakeError, Ssl, SslContext, SslMethod, SslOptions, SslVerifyMode, SslVersion,
    };
    use openssl::x509::verify::X509CheckFlags;
    use openssl::x509::{X509, X509VerifyResult};

    use super::Handshake;

    pub(super) type Stream<S> = openssl::ssl::SslStream<S>;

    #[derive(Clone)]
    pub(super) struct Inner(SslContext);

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
        context.set_verify(SslVerifyMode::PEER);
        // OpenSSL's default paths, its own way: the file's certificates are loaded now, the
        // directory's looked up by hash when a chain needs one; both honor `SSL_CERT_FILE`
        // and `SSL_CERT_DIR`.
        context.set_default_verify_paths().map_err(text)?;
        for block in pem_blocks {
            let certificate = X509::from_pem(block.as_bytes()).map_err(text)?;
            context
                .cert_store_mut()
                .add_cert(certificate)
                .map_err(text)?;
        }
        Ok(Inner(context.build()))
    }

    pub(super) fn connect<S: Read + Write>(
        inner: &Inner,
        host: &str,
        stream: S,
    ) -> Result<Stream<S>, Handshake> {
        let text = |e: openssl::error::ErrorStack| Handshake::Failed(e.to_string());
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
            Err(HandshakeError::SetupFailure(error)) => Err(Handshake::Failed(error.to_string())),
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
                Err(Handshake::Failed(words))
            }
        }
    }
}

#[cfg(not(all(unix, not(target_vendor = "apple"))))]
mod imp {
    use std::io::{Read, Write};

    use super::Handshake;

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
            Err(native_tls::HandshakeError::Failure(error)) => {
                Err(Handshake::Failed(error.to_string()))
            }
        }
    }
}

/// A TLS stream over `S`, as the connector made it.
pub type TlsStream<S> = imp::Stream<S>;

/// The TLS client of one run; clones share it.
#[derive(Clone)]
pub struct Connector(imp::Inner);

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
    pub fn connect<S: Read + Write>(
        &self,
        host: &str,
        stream: S,
    ) -> Result<TlsStream<S>, Handshake> {
        imp::connect(&self.0, host, stream)
    }
}
