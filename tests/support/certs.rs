//! Certificates made at test time: a throwaway CA and server certificates it signs.
//!
//! Nothing here is committed to the repository; every test run makes its own keys. The CA
//! is written to a PEM file so the binary can be pointed at it with `--ca-file`.

use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    date_time_ymd,
};

/// A server certificate and its private key, both PEM.
pub struct ServerCert {
    pub cert_pem: String,
    pub key_pem: String,
    pub cert_path: PathBuf,
    pub key_path: PathBuf,
}

impl ServerCert {
    /// The identity a native-tls acceptor serves.
    pub fn identity(&self) -> native_tls::Identity {
        native_tls::Identity::from_pkcs8(self.cert_pem.as_bytes(), self.key_pem.as_bytes())
            .expect("test certificate is a valid PKCS#8 identity")
    }
}

/// A certificate authority that exists only for one test run.
pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
    /// The CA certificate, PEM, for `--ca-file`.
    pub ca_path: PathBuf,
    dir: PathBuf,
}

impl TestCa {
    /// Makes a new CA and writes its certificate to `dir/ca.pem`.
    pub fn new(dir: &Path) -> TestCa {
        let key = KeyPair::generate().expect("generate CA key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(DnType::CommonName, "icloud-setup test CA");
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let cert = params.self_signed(&key).expect("self-sign CA");
        let ca_path = dir.join("ca.pem");
        std::fs::write(&ca_path, cert.pem()).expect("write CA PEM");
        TestCa {
            issuer: Issuer::new(params, key),
            ca_path,
            dir: dir.to_path_buf(),
        }
    }

    /// A currently valid certificate for `host` (a DNS name or an IP address).
    pub fn server_cert(&self, host: &str) -> ServerCert {
        self.make_cert(host, false)
    }

    /// A certificate for `host` whose validity ended in 2001.
    pub fn expired_server_cert(&self, host: &str) -> ServerCert {
        self.make_cert(host, true)
    }

    fn make_cert(&self, host: &str, expired: bool) -> ServerCert {
        let key = KeyPair::generate().expect("generate server key");
        let mut params = CertificateParams::new(vec![host.to_string()]).expect("server params");
        params.distinguished_name.push(DnType::CommonName, host);
        if expired {
            params.not_before = date_time_ymd(2000, 1, 1);
            params.not_after = date_time_ymd(2001, 1, 1);
        }
        let cert = params
            .signed_by(&key, &self.issuer)
            .expect("sign server cert");
        let stem = format!(
            "{}{}",
            host.replace(['.', ':'], "_"),
            if expired { "-expired" } else { "" }
        );
        let cert_path = self.dir.join(format!("{stem}.crt"));
        let key_path = self.dir.join(format!("{stem}.key"));
        std::fs::write(&cert_path, cert.pem()).expect("write server cert");
        std::fs::write(&key_path, key.serialize_pem()).expect("write server key");
        ServerCert {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
            cert_path,
            key_path,
        }
    }
}

/// A self-signed certificate for `host` that no test CA vouches for.
pub fn untrusted_server_cert(dir: &Path, host: &str) -> ServerCert {
    let key = KeyPair::generate().expect("generate key");
    let mut params = CertificateParams::new(vec![host.to_string()]).expect("params");
    params.distinguished_name.push(DnType::CommonName, host);
    let cert = params.self_signed(&key).expect("self-sign");
    let cert_path = dir.join("untrusted.crt");
    let key_path = dir.join("untrusted.key");
    std::fs::write(&cert_path, cert.pem()).expect("write cert");
    std::fs::write(&key_path, key.serialize_pem()).expect("write key");
    ServerCert {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
        cert_path,
        key_path,
    }
}
