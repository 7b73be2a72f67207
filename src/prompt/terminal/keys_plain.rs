//! Without raw termios there is no watching the keyboard during the live test.

#[derive(Default)]
pub(crate) struct LiveTestKeys;

impl LiveTestKeys {
    pub(crate) fn spinner_started(&mut self) {}
    pub(crate) fn spinner_stopped(&mut self) {}
}
