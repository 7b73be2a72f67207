//! One test's set of real peers: Dovecot (IMAP and submission) and a private Secret
//! Service, a sandbox for the binary wired to both, and the flags that point it at them.

use std::path::Path;
use std::process::Command;

use super::binary::Sandbox;
use super::certs::TestCa;
use super::dovecot::{self, Dovecot};
use super::secret_service::SecretService;

pub struct PeerWorld {
    // Drop order: the binary's world first, the daemons after, the directory last.
    pub sandbox: Sandbox,
    pub keyring: SecretService,
    pub dovecot: Dovecot,
    /// Held for the world's lifetime: the certificates Dovecot serves are its.
    _ca: TestCa,
    pub dir: tempfile::TempDir,
}

impl PeerWorld {
    /// Starts both peers, or `None` (skip) when one is not installed and
    /// `ICLOUD_SETUP_REQUIRE_PEERS` is not set.
    pub fn start() -> Option<PeerWorld> {
        PeerWorld::start_with(&dovecot::Options::default())
    }

    /// [`PeerWorld::start`] with Dovecot's relay and capabilities of the test's choice.
    pub fn start_with(options: &dovecot::Options) -> Option<PeerWorld> {
        let dir = tempfile::tempdir().expect("temp dir");
        let ca = TestCa::new(dir.path());
        let dovecot = Dovecot::start_with(dir.path(), &ca, options)?;
        let keyring = SecretService::start(dir.path())?;
        let sandbox = Sandbox::with_keyring(dir.path(), &keyring);
        Some(PeerWorld {
            sandbox,
            keyring,
            dovecot,
            _ca: ca,
            dir,
        })
    }

    /// The binary, pointed at Dovecot, trusting the test CA.
    pub fn command(&self) -> Command {
        let mut command = self.sandbox.command();
        command
            .arg("--imap-server")
            .arg(self.dovecot.imap_addr())
            .arg("--smtp-server")
            .arg(self.dovecot.submission_addr())
            .arg("--ca-file")
            .arg(self.dovecot.ca_file())
            .args(["--timeout", "10"]);
        command
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }
}
