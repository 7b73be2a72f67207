//! What the fuzz targets share: a loopback peer that plays one fuzz input to every
//! connection (as plain TCP or after a TLS handshake with a CA made at start-up), and a
//! splitter that turns one input into several fields.
//!
//! The targets call the library's highest public entry points (`imap_probe::probe`,
//! `Watcher`, `smtp_probe::probe`, `config::store::parse`, `app::run`), so they keep
//! working when the readers behind them are restructured.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};

/// The password every target signs in with; no transcript may show it.
pub const PASSWORD: &str = "kqzt-bnrw-hjcp-vxma";

/// A server on 127.0.0.1 that answers every connection with the current script: it writes
/// the script at once (the client reads it as if pipelined), ends its side, and reads what
/// the client says until the client hangs up, so no reset discards unread bytes.
pub struct Peer {
    pub port: u16,
    script: Arc<Mutex<Vec<u8>>>,
    /// The CA's PEM file, for `TrustAnchors::with_ca_file` (TLS peers only).
    pub ca_file: Option<PathBuf>,
    _dir: tempfile::TempDir,
}

impl Peer {
    /// A peer speaking plain TCP (SMTP before STARTTLS).
    pub fn plain() -> Peer {
        Peer::start(None)
    }

    /// A peer speaking TLS from the first byte (IMAP on 993), with a certificate for
    /// 127.0.0.1 signed by a CA made now.
    pub fn tls() -> Peer {
        Peer::start(Some(()))
    }

    fn start(tls: Option<()>) -> Peer {
        let dir = tempfile::tempdir().expect("temp dir");
        let (acceptor, ca_file) = match tls {
            Some(()) => {
                let (acceptor, ca) = tls_acceptor(&dir);
                (Some(Arc::new(acceptor)), Some(ca))
            }
            None => (None, None),
        };
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("local address").port();
        let script: Arc<Mutex<Vec<u8>>> = Arc::default();
        let shared = Arc::clone(&script);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let bytes = shared.lock().expect("script").clone();
                let acceptor = acceptor.clone();
                std::thread::spawn(move || serve(stream, &bytes, acceptor.as_deref()));
            }
        });
        Peer {
            port,
            script,
            ca_file,
            _dir: dir,
        }
    }

    /// What every following connection is told.
    pub fn play(&self, bytes: &[u8]) {
        *self.script.lock().expect("script") = bytes.to_vec();
    }
}

fn serve(stream: TcpStream, bytes: &[u8], acceptor: Option<&native_tls::TlsAcceptor>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(3)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(3)));
    match acceptor {
        None => {
            let mut stream = stream;
            let _ = stream.write_all(bytes);
            let _ = stream.shutdown(Shutdown::Write);
            drain(&mut stream);
        }
        Some(acceptor) => {
            let Ok(mut tls) = acceptor.accept(stream) else {
                return;
            };
            let _ = tls.write_all(bytes);
            let _ = tls.flush();
            let _ = tls.shutdown();
            drain(&mut tls);
        }
    }
}

fn drain(stream: &mut impl Read) {
    let mut sink = [0u8; 4096];
    while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
}

fn tls_acceptor(dir: &tempfile::TempDir) -> (native_tls::TlsAcceptor, PathBuf) {
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "icloud-setup fuzz CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca.self_signed(&ca_key).expect("self-sign CA");
    let ca_path = dir.path().join("ca.pem");
    std::fs::write(&ca_path, ca_cert.pem()).expect("write CA");
    let issuer = Issuer::new(ca, ca_key);
    let key = KeyPair::generate().expect("server key");
    let mut params = CertificateParams::new(vec!["127.0.0.1".to_string()]).expect("params");
    params
        .distinguished_name
        .push(DnType::CommonName, "127.0.0.1");
    let cert = params.signed_by(&key, &issuer).expect("sign server cert");
    let identity =
        native_tls::Identity::from_pkcs8(cert.pem().as_bytes(), key.serialize_pem().as_bytes())
            .expect("identity");
    let acceptor = native_tls::TlsAcceptor::new(identity).expect("acceptor");
    (acceptor, ca_path)
}

/// Splits `data` at 0 bytes into `n` fields (missing ones empty, the rest in the last),
/// each as text (invalid UTF-8 replaced, as a lossy reader would).
pub fn fields(data: &[u8], n: usize) -> Vec<String> {
    let mut out: Vec<String> = data
        .splitn(n, |b| *b == 0)
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    out.resize(n, String::new());
    out
}
