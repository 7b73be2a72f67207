//! A desktop notification service for `check --notify` tests: a thread of the test process
//! that owns `org.freedesktop.Notifications` on a private session bus (the one a
//! [`super::secret_service::SecretService`] or [`super::secret_service::BareBus`] runs) and
//! records the summary and body of every `Notify` call, as a notification daemon would show
//! them. Served with zbus, the D-Bus crate the product already builds.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zbus::zvariant::OwnedValue;

/// One notification as the service received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    pub app_name: String,
    pub replaces_id: u32,
    pub app_icon: String,
    pub actions: Vec<String>,
    pub expire_timeout: i32,
    pub summary: String,
    pub body: String,
    pub urgency: Option<u8>,
}

struct Recorder {
    received: Arc<Mutex<Vec<Received>>>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Recorder {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        app_name: String,
        replaces_id: u32,
        app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        hints: HashMap<String, OwnedValue>,
        expire_timeout: i32,
    ) -> u32 {
        let urgency = hints.get("urgency").and_then(|v| u8::try_from(v).ok());
        let mut received = self.received.lock().unwrap();
        received.push(Received {
            app_name,
            replaces_id,
            app_icon,
            actions,
            expire_timeout,
            summary,
            body,
            urgency,
        });
        u32::try_from(received.len()).unwrap()
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "icloud-setup-test".into(),
            "icloud-setup".into(),
            "1".into(),
            "1.2".into(),
        )
    }
}

/// The running service; dropping it leaves the bus.
pub struct NotificationService {
    _connection: zbus::blocking::Connection,
    received: Arc<Mutex<Vec<Received>>>,
}

impl NotificationService {
    /// Owns the name on the bus at `address` (a `DBUS_SESSION_BUS_ADDRESS` value).
    pub fn start(address: &str) -> NotificationService {
        let received = Arc::new(Mutex::new(Vec::new()));
        let recorder = Recorder {
            received: Arc::clone(&received),
        };
        let connection = zbus::blocking::connection::Builder::address(address)
            .expect("a D-Bus address")
            .serve_at("/org/freedesktop/Notifications", recorder)
            .expect("serve the notification interface")
            .name("org.freedesktop.Notifications")
            .expect("a well-known name")
            .build()
            .expect("connect the notification service to the private bus");
        NotificationService {
            _connection: connection,
            received,
        }
    }

    /// Every notification received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until `count` notifications arrived (the binary's call is synchronous, so they
    /// are there when it exits; this only covers the service thread's bookkeeping).
    pub fn wait_for(&self, count: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let received = self.received();
            if received.len() >= count || Instant::now() >= deadline {
                return received;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
