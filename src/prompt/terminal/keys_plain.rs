//! Without raw termios there is no watching the keyboard during the live test.

#[derive(Default)]
pub struct LiveTestKeys;

impl LiveTestKeys {
    pub fn spinner_started(&mut self) {}
    pub fn spinner_stopped(&mut self) {}
}
