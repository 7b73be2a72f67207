//! The sections of `man icloud-setup` that `--help` does not have (the rest of the page is
//! the `--help` text itself). In English, whatever the language of the run.

pub fn manpage_heading_exit_status() -> &'static str {
    "EXIT STATUS"
}

pub fn manpage_heading_files() -> &'static str {
    "FILES"
}

pub fn manpage_heading_environment() -> &'static str {
    "ENVIRONMENT"
}

pub fn manpage_heading_examples() -> &'static str {
    "EXAMPLES"
}

pub fn manpage_heading_see_also() -> &'static str {
    "SEE ALSO"
}

/// The heading of the commands other programs run (`git-credential`).
pub fn manpage_heading_for_programs() -> &'static str {
    "FOR OTHER PROGRAMS"
}

pub fn manpage_exit_status_intro() -> String {
    "The exit codes follow sysexits(3), as mail programs use them, so a script can tell a \
     wrong password from a network problem."
        .into()
}

/// Each exit code and what it means.
pub fn manpage_exit_codes() -> Vec<(u8, String)> {
    vec![
        (0, "Done.".into()),
        (
            1,
            "Standard output could not be written (a full disk, a closed file); nothing else \
             went wrong."
                .into(),
        ),
        (2, "The command line is wrong.".into()),
        (
            64,
            "A question would have to be asked but there is no terminal and the flag for it \
             is missing, or it is not clear which saved account is meant."
                .into(),
        ),
        (
            65,
            "Invalid input: an address, an empty password, unreadable standard input.".into(),
        ),
        (67, "No saved account matches.".into()),
        (
            69,
            "A server cannot be reached: its name did not resolve or the connection was \
             refused."
                .into(),
        ),
        (74, "The config file could not be read or written.".into()),
        (
            75,
            "Try again later: a time limit passed, the connection dropped or the server was \
             busy."
                .into(),
        ),
        (
            76,
            "TLS or protocol failure: the certificate, its host name, the handshake, STARTTLS \
             not offered, or the wrong kind of TLS for the port."
                .into(),
        ),
        (
            77,
            "The login was rejected: a wrong password, or not an app-specific one.".into(),
        ),
        (
            78,
            "The config file cannot be parsed, or the keyring is missing, locked or not \
             answering, or pass is missing, not set up, or its GPG key cannot be used."
                .into(),
        ),
        (
            130,
            "Cancelled (Ctrl-C, Esc, SIGTERM, SIGHUP): the terminal is restored and nothing is \
             saved (or, when the signal came after the last step of a save, all is saved and \
             said so)."
                .into(),
        ),
    ]
}

/// The files and the keyring entry the program uses, with what each holds.
pub fn manpage_files() -> Vec<(String, String)> {
    vec![
        (
            "$XDG_CONFIG_HOME/icloud-setup/config.toml".into(),
            "The saved accounts (default ~/.config/icloud-setup/config.toml, or the file \
             --config names): addresses, usernames, servers and the time of the last \
             successful test, never the password. Readable by its owner only, in a directory \
             only its owner can enter. Comments and keys added by hand are kept when it is \
             rewritten."
                .into(),
        ),
        (
            "$XDG_CONFIG_HOME/icloud-setup/.config.toml.lock".into(),
            "Held while the config is changed, so two runs at once cannot lose each other's \
             accounts."
                .into(),
        ),
        (
            "Secret Service item: service icloud-setup, username EMAIL".into(),
            "The app-specific password, in the system keyring (GNOME Keyring, KeePassXC …). \
             Other programs read it with: secret-tool lookup service icloud-setup username \
             EMAIL"
                .into(),
        ),
        (
            "$PASSWORD_STORE_DIR/icloud-setup/EMAIL.gpg".into(),
            "The app-specific password of an account set up with --store pass, encrypted \
             with the password store's GPG key (default ~/.password-store). Read it with: \
             pass show icloud-setup/EMAIL"
                .into(),
        ),
    ]
}

/// The environment variables the program reads, with what each does.
pub fn manpage_environment() -> Vec<(String, String)> {
    vec![
        (
            "ICLOUD_SETUP_CONFIG".into(),
            "The config file to use, as --config.".into(),
        ),
        (
            "ICLOUD_SETUP_IMAP_SERVER, ICLOUD_SETUP_SMTP_SERVER".into(),
            "The servers to test (HOST:PORT), as --imap-server and --smtp-server.".into(),
        ),
        (
            "ICLOUD_SETUP_CA_FILE".into(),
            "Certificate authorities to trust as well as the system's, as --ca-file.".into(),
        ),
        (
            "XDG_CONFIG_HOME".into(),
            "Where the config directory is (default ~/.config).".into(),
        ),
        (
            "NO_COLOR".into(),
            "Turns colors off with --color auto.".into(),
        ),
        (
            "DBUS_SESSION_BUS_ADDRESS".into(),
            "The session bus on which the Secret Service keyring is found.".into(),
        ),
    ]
}

/// Example uses: what it does, then the command.
pub fn manpage_examples() -> Vec<(String, String)> {
    vec![
        (
            "Set up an account with the wizard:".into(),
            "icloud-setup".into(),
        ),
        (
            "Set up an account from a script, the password on standard input:".into(),
            "icloud-setup setup --email john@icloud.com --password-stdin < password-file".into(),
        ),
        (
            "Put a new app-specific password in place:".into(),
            "icloud-setup rotate john@icloud.com".into(),
        ),
        (
            "Check every saved account against Apple's servers:".into(),
            "icloud-setup check".into(),
        ),
        (
            "Write a configuration for msmtp:".into(),
            "icloud-setup export msmtp >> ~/.msmtprc".into(),
        ),
        (
            "Send patches with git send-email, the password from the keyring:".into(),
            "icloud-setup export git >> ~/.gitconfig".into(),
        ),
    ]
}
