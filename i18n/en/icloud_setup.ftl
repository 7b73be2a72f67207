### icloud-setup: every sentence the person reads, in English (the fallback language).
###
### One message per function of src/messages.rs, named like the function with dashes.
### Arguments ($name) are filled in by that function; host names, paths, commands and the
### server's own words arrive as arguments and are never translated.
### A line of a message that starts with spaces keeps them through {"  "}.
### i18n/de/icloud_setup.ftl must have exactly these ids with the same arguments
### (tests/language.rs checks it).

-apple-page = account.apple.com → Sign-In and Security → App-Specific Passwords

app-password-page = account.apple.com → Sign-In and Security → App-Specific Passwords

## addresses

address-empty = Please type your e-mail address.
address-has-spaces = "{ $input }" contains spaces; an e-mail address has none.
address-without-at = "{ $input }" is not an e-mail address: it needs an @, like johnappleseed@icloud.com.
address-bad-local-part = "{ $input }" is not an e-mail address: something must come before the @.
address-bad-domain = "{ $input }" is not an e-mail address: the part after the @ must be a domain like icloud.com.
login-not-icloud = { $input } is not an iCloud address. Signing in needs your address ending in @icloud.com, @me.com or @mac.com (find it on an iPhone in Settings → your name → iCloud → iCloud Mail).
server-address-without-port = "{ $input }" needs a port, like imap.mail.me.com:993
server-address-bad-port = "{ $input }" has no valid port (1-65535)
server-address-without-host = "{ $input }" has no host name
ca-file-has-no-certificates = it holds no PEM certificate (-----BEGIN CERTIFICATE-----)

## the wizard's questions

welcome = This sets up your iCloud Mail account for a mail program: it checks that your password works, then saves the settings (the password goes into your system's keyring).
ask-email = Your iCloud e-mail address
custom-domain-explained = { $email } is not an @icloud.com, @me.com or @mac.com address. Custom domains (iCloud+) and Apple IDs at other providers send mail with that address but sign in with the iCloud address of the account.
ask-login = Your iCloud address for signing in (ends in @icloud.com, @me.com or @mac.com)
ask-name = Your name, as people who get your mail will see it (optional, Enter to skip)
password-guidance = iCloud does not accept your Apple ID password in mail programs; it needs an app-specific password. Make one at { -apple-page } (it looks like abcd-efgh-ijkl-mnop). What you type is not shown.
ask-password = App-specific password
ask-new-password = New app-specific password
password-empty-try-again = Nothing was typed. Paste the app-specific password and press Enter.
password-unusual-shape = That does not look like an app-specific password (four groups of four lowercase letters, like abcd-efgh-ijkl-mnop). It is probably your Apple ID password, which iCloud refuses here, and a few refused tries can lock the account for a while.
ask-unusual-password = What now?
option-reenter-password = Type the password again
option-use-anyway = Use it anyway
warning-unusual-password-flag = warning: { password-unusual-shape }

## the plan

plan-heading = These settings will be tested:
plan-imap = Incoming (IMAP)  { $host } port { $port }  SSL/TLS   username { $username }
plan-imap-fallback = {"                 "}(if that is refused: { $username })
plan-smtp = Outgoing (SMTP)  { $host } port { $port }  STARTTLS  username { $username }

## the live test

testing = { $role } { $server }
role-imap = Incoming mail (IMAP)
role-smtp = Outgoing mail (SMTP)
probe-signed-in = { $role }: signed in as { $username }
probe-failed = { $role }: { $stage } failed — { $summary }
stage-name-lookup = name lookup
stage-connect = connect
stage-tls = TLS
stage-greeting = greeting
stage-starttls = STARTTLS
stage-login = login
kind-unresolvable = the server name could not be found
kind-unreachable = the server could not be reached
kind-timed-out = the server did not answer in time
kind-dropped = the server closed the connection
kind-unavailable = the service is temporarily unavailable
kind-wrong-tls-mode = the port does not speak the expected kind of encryption
kind-certificate-wrong-host = the certificate belongs to another server
kind-certificate-expired = the certificate has expired or is not valid yet
kind-certificate-untrusted = the certificate is not from a trusted authority
kind-tls-failure = the encrypted connection could not be set up
kind-starttls-missing = the server did not offer encryption (STARTTLS)
kind-protocol = the server gave an unexpected answer
kind-bad-credentials = the username or password was refused
explain-failure-heading = { $role } at { $server }: the { $stage } step failed: { $summary }.
explain-server-said = The server said: { $words }
explain-details = Details: { $detail }
explain-usernames-tried = Usernames tried: { $usernames }
explain-what-to-do = What to do: { $fix }
fix-unresolvable = check that this computer is online and that { $host } is spelled right; a network that needs a sign-in page in the browser can also cause this.
fix-unreachable = something between this computer and the server blocks port { $port } (a firewall, or a company, school or hotel network). Try another network.
fix-dropped = this is usually temporary: try again in a few minutes.
fix-unavailable = iCloud says the service is temporarily unavailable. This is not a password problem: try again in a few minutes.
fix-wrong-tls-mode-smtp = port { $port } expects STARTTLS (plain text first, then encryption), but the server spoke TLS from the first byte. Check --smtp-server.
fix-wrong-tls-mode-imap = port { $port } answered in plain text, as a STARTTLS or unencrypted port does, but iCloud's IMAP uses SSL/TLS from the first byte on port 993. Check --imap-server.
fix-certificate-wrong-host = the server presented a certificate for another name than { $host }. Something on this network is intercepting secure connections (a captive portal, a proxy or antivirus software). Do not sign in on this network.
fix-certificate-expired = check that this computer's date and time are right; if they are, something on this network is intercepting secure connections.
fix-certificate-untrusted = this computer does not trust who signed the certificate. If your network inspects encrypted traffic on purpose, give its certificate authority with --ca-file; otherwise do not sign in on this network.
fix-tls-failure = the secure connection could not be set up. Check that the system's certificates are installed (on Debian and Ubuntu: the ca-certificates package) and try another network.
fix-starttls-missing = your password was NOT sent. Something on this network may be removing encryption from mail connections; try another network.
fix-protocol = check that { $server } is iCloud's server; the answer did not look like one.
fix-bad-credentials = make sure you used an app-specific password, not your Apple ID password, and that it has not been revoked. Make a new one at { -apple-page }. If your address is on a custom domain, sign in with the account's @icloud.com address.
fix-timed-out-secs = the server did not answer within { $secs } seconds. Try again; on a slow network give it longer with --timeout { $longer }.
fix-timed-out = the server did not answer in time. Try again; on a slow network give it longer, e.g. --timeout 60.
ask-after-failure = The test did not pass. Nothing was saved. What now?
option-retry = Try again with the same password
option-quit = Quit

## saving

saved =
    Saved { $email }.
    {"  "}Password: in { $store } (read it with: { $command })
    {"  "}Settings: { $path }
store-macos-keychain = the macOS Keychain
store-windows-credential-manager = the Windows Credential Manager
store-secret-service = the Secret Service keyring
store-pass = the password store (pass)
store-memory = memory
next-steps = Next: see the saved account with `icloud-setup status`, write your mail program's configuration with `icloud-setup export { $clients }`, or point any other program at `icloud-setup password { $email }` as its password command.

## settings table

settings-title = iCloud Mail settings for any mail program
settings-incoming = Incoming mail (IMAP)
settings-outgoing = Outgoing mail (SMTP)
settings-server = Server:    { $host }
settings-port = Port:      { $port }
settings-security-imap = Security:  SSL/TLS
settings-security-smtp = Security:  STARTTLS (required)
settings-username = Username:  { $username }
settings-password-imap = Password:  an app-specific password
settings-password-smtp = Password:  the same app-specific password
settings-no-pop = POP is not supported by iCloud Mail.
settings-make-password = Make an app-specific password at { -apple-page }.
settings-imap-user-generic = the part of your iCloud address before the @ (if refused: the full address)
settings-smtp-user-generic = your full iCloud address
settings-imap-user-icloud = { $local } (if refused: { $address })
settings-imap-user-custom = the part before the @ of the iCloud address of { $address } (custom domains sign in with the @icloud.com address)
settings-smtp-user-custom = the full iCloud address (not the custom-domain address)

## errors

needs-terminal = cannot ask questions here: there is no terminal, and { $flags } { $count ->
        [one] is
       *[other] are
    } missing
hint-needs-terminal = run it in a terminal, or give every answer as a flag, e.g. `echo "$APP_PASSWORD" | icloud-setup setup --email you@icloud.com --password-stdin`
hint-needs-terminal-yes = run it in a terminal to be asked, or add --yes to remove without a question
ambiguous-account = several accounts are saved ({ $saved }); say which one
hint-name-an-account = add the address to the command, e.g. `icloud-setup { $command } { $email }`
hint-invalid-address = an iCloud address looks like johnappleseed@icloud.com
empty-password = the app-specific password is empty
stdin-unreadable = could not read the app-specific password from standard input: { $detail }
hint-password-stdin = with --password-stdin, pipe the password in as one line, e.g. `pass show icloud | icloud-setup setup --email you@icloud.com --password-stdin`
ca-file-unusable = cannot use the CA file { $path }: { $problem }
hint-ca-file = --ca-file takes a PEM file with one or more CA certificates
no-such-account = no saved account is called { $email }
no-account-saved = no account is saved yet
ask-which-account = Which account?
hint-no-account-saved = add one with `icloud-setup` (or `icloud-setup setup --email ADDR --password-stdin` in a script)
hint-saved-accounts = saved accounts: { $saved }
live-test-failed-item = { $protocol } ({ $summary })
live-test-failed = the live test failed: { $failed }; nothing was saved
hint-try-again = try again
config-unreadable = cannot read the config file { $path }: { $source }
config-unwritable = cannot write the config file { $path }: { $source }
hint-config-io = check that the folder exists and is writable by you, or choose another file with --config PATH
config-unparseable-line = the config file { $path }, line { $line }, cannot be read: { $problem }
config-unparseable = the config file { $path } cannot be read: { $problem }
config-version = the config file { $path } has version { $found }, which this icloud-setup does not know
hint-config-unparseable = the file was left exactly as it is. Fix it by hand, or move it away (mv { $path } { $path }.bak) and run icloud-setup again
keyring-unavailable = no usable keyring: { $detail }
keyring-not-answering = the keyring did not answer in time
keyring-failed = the keyring refused: { $detail }
keyring-locked = the keyring is locked and could not ask to be unlocked ({ $detail })
hint-keyring-not-answering = the keyring may be locked and waiting for a password on another screen: unlock it (log in to the desktop, or run `gnome-keyring-daemon --unlock`) and try again; a keyring that is just slow can be given longer with --timeout. The password is never saved in a file instead.
hint-keyring-locked = unlock it and try again: log in to the desktop (or unlock it in Passwords and Keys / Seahorse); on a server or over SSH, `echo -n 'keyring password' | gnome-keyring-daemon --unlock`. The password is never saved in a file instead.
hint-keyring-missing = on a Linux desktop, start the keyring (GNOME Keyring or KWallet) and log in again; on a server or over SSH, run `dbus-run-session -- sh` and inside it `echo -n PASSWORD | gnome-keyring-daemon --unlock --components=secrets` before icloud-setup (Debian/Ubuntu: apt install gnome-keyring dbus-user-session). The password is never saved in a file instead.
keyring-read-back-mismatch = the keyring accepted the password but returned something else when read back
hint-keyring-read-back = the keyring may be a placeholder that does not really store anything; nothing was saved
output-failed = could not write the output: { $source }
terminal-failed = the terminal stopped working: { $source }
cancelled = Cancelled. Nothing was saved.
no-config-directory = there is no home directory to keep the config in; give a path with --config
# The labels in front of an error and its hint on standard error.
label-error = error:
label-hint = hint:

## living with the account

rotating = New app-specific password for { $email }. It is tested first; the old one stays in the keyring until the new one has passed.
rotated =
    The new password for { $email } is in the keyring, and every mail program that uses `icloud-setup password { $email }` picks it up.
    Now revoke the old app-specific password at { -apple-page }, so it can no longer be used.
checking = Checking { $email } with the saved password:
confirm-remove = Remove { $email } from icloud-setup (settings and the saved password)?
option-remove = Remove it
option-keep = Keep it
nothing-removed = Nothing was removed.
removed =
    Removed { $email } from the settings and its password from the keyring.
    The app-specific password still works until you revoke it at { -apple-page }.
saved-accounts-heading = Saved accounts:
saved-account-line = { $email }  (last verified { $verified })
never-verified = never
ask-menu = What would you like to do?
menu-rotate = Rotate the password (you made a new app-specific password)
menu-check = Check that the saved password still works
menu-add = Add another account
menu-remove = Remove an account
needs-command = accounts are saved and there is no terminal to ask what to do
hint-needs-command = name a command: `icloud-setup rotate --password-stdin`, `icloud-setup check`, `icloud-setup status`, `icloud-setup setup --email … --password-stdin` or `icloud-setup remove EMAIL --yes`
password-to-terminal = not printing the password on a terminal screen
hint-password-to-terminal = this command is for a mail program's password command; add --reveal to show it anyway
secret-missing = { $email } is saved, but its password is not in the keyring
hint-secret-missing = store a new app-specific password with `icloud-setup rotate { $email }`

## status

status-empty = No account is saved yet (config: { $path }). Run `icloud-setup` to add one.
status-config = Config: { $path }
status-name = Name:           { $name }
status-signs-in-as = Signs in as:    { $login }
status-imap = Incoming IMAP:  { $host }:{ $port }  username { $username }
status-smtp = Outgoing SMTP:  { $host }:{ $port }  username { $username }
status-verified = Last verified:  { $verified }
status-password-present = Password:       in { $store }
status-password-missing = Password:       MISSING from { $store } — run `icloud-setup rotate { $email }`
status-password-unknown = Password:       unknown: { $problem }
status-read-with = Read it with:   { $command }
status-mail-programs = Mail programs:  icloud-setup export { $clients } { $email }

## export: the comment blocks at the top of exported client files

export-title = { $client } configuration for { $email }, written by `{ $command }`.
export-password-per-use = The password is not in this file: { $client } runs `{ $command }`, which reads it from where icloud-setup keeps it (your system's keyring, or pass), so a new password saved by `icloud-setup rotate` reaches { $client } by itself.
export-password-at-start = The password is not in this file: { $client } runs `{ $command }`, which reads it from where icloud-setup keeps it (your system's keyring, or pass), so after `icloud-setup rotate`, restart { $client } to use the new password.
export-password-absolute = The command names icloud-setup by the absolute path it was run from, { $path }, so it works without icloud-setup on the PATH, from cron or a systemd unit too. If icloud-setup moves, change that path here (or export this file again).
export-password-on-path = icloud-setup must be on { $client }'s PATH.
export-ca-added = It trusts the certificate authorities in { $path } (from --ca-file) as well as the system's.
export-ca-neomutt = It trusts the certificate authorities in { $path } (from --ca-file) as well as the system's. NeoMutt also adds to that file the certificates you tell it to accept always.
export-ca-msmtp = It trusts only the certificate authorities in { $path } (from --ca-file), not the system's: msmtp takes a single trust file.
export-ca-aerc =
    aerc has no setting for extra certificate authorities. To trust those in { $path } (from --ca-file), start it as
    {"  "}SSL_CERT_FILE={ $quoted_path } aerc
export-msmtp-steps =
    Save it as ~/.msmtprc (or $XDG_CONFIG_HOME/msmtp/config). If you have one already, add this to its end instead, and drop the last line if your file names a default account already. Then send yourself a test message:
    {"  "}{ $test_command }
    Programs that send through msmtp pick this account with `-a { $account }`, or get it as the default.
export-isync-flag = Written in the syntax of isync { $syntax } (--isync { $syntax }).
export-isync-installed = Written in the syntax of isync { $syntax }, as the installed mbsync is isync { $version }.
export-isync-too-old = The installed mbsync is isync { $version }, but this file needs isync 1.4 or newer (Far and Near): upgrade isync. It is written in the syntax of isync { $syntax }.
export-isync-unrecognized = `mbsync --version` answered { $answer }, which has no version this knows, so this is written in the syntax of isync { $syntax }, the newest; choose another with --isync 1.4.
export-isync-not-installed = mbsync is not installed here, so this is written in the syntax of the newest isync, { $syntax }. For isync 1.4 (Debian 12), run `icloud-setup export mbsync --isync 1.4`.
export-mbsync-steps-newest =
    Save it as ~/.mbsyncrc (or $XDG_CONFIG_HOME/isyncrc), or add it to the end of the one you have (a blank line ends each section). Make the local Maildir folder, then sync:
    {"  "}{ $mkdir_command }
    {"  "}{ $sync_command }
    Every folder of the account appears in it as a sub-folder of the same name, except Notes (Apple Notes, not mail).
export-mbsync-steps-older =
    Save it as ~/.mbsyncrc, or add it to the end of the one you have (a blank line ends each section). Make the local Maildir folder, then sync:
    {"  "}{ $mkdir_command }
    {"  "}{ $sync_command }
    Every folder of the account appears in it as a sub-folder of the same name, except Notes (Apple Notes, not mail).
export-neomutt-steps = Save it as ~/.config/neomutt/neomuttrc, or as a file of its own that your neomuttrc reads with a `source` line. Then run `neomutt`.
export-aerc-steps =
    Add it to ~/.config/aerc/accounts.conf, which aerc only reads when no one else can:
    {"  "}chmod 600 ~/.config/aerc/accounts.conf
    Then run `aerc`.
export-aerc-starttls = smtp-starttls makes aerc 0.14 (Debian 12) use STARTTLS; aerc 0.15 and newer always do, and warn that the line is no longer needed: delete it there.
export-himalaya-steps = This is the format of himalaya 2; himalaya 1 reads another one. Save it as ~/.config/himalaya/config.toml, or add this table to the one you have (only one account may say `default = true`). Then run `himalaya envelope list`.
export-unrepresentable = cannot write { $what } { $value } into a mail program's configuration: it holds a line break or another control character, or is not valid UTF-8
export-config-path = the config file path
export-ca-file-path = the --ca-file path
hint-export-unrepresentable = correct the value in the config file (or use a path without such characters) and run the export again

## faults

transcript-no-greeting = no greeting yet; checking whether the port speaks TLS from the first byte
transcript-tls-first = the server answered a TLS hello: it speaks TLS from the first byte, not STARTTLS
no-greeting-detail = the server accepted the connection but sent no greeting
tls-first-detail = no plain-text greeting; the server answered a TLS hello instead
no-answer-in-time-detail = no answer before the time limit

## the command line: --help texts

cli-about = Set up an iCloud Mail account for any IMAP/SMTP mail program: the address and an app-specific password go in, the logins are tested live against Apple's servers, and a profile is saved with the password in the system keyring
cli-long-about =
    Set up an iCloud Mail account for any IMAP/SMTP mail program: the address and an app-specific password go in, the logins are tested live against Apple's servers, and a profile is saved with the password in the system keyring.

    Run without a command for the wizard.
cli-config = Config file to use (default: icloud-setup/config.toml in the system's config directory)
cli-timeout = Seconds to wait for each server (and for the keyring) before giving up
cli-color = When to use colors (NO_COLOR is honoured with auto)
cli-verbose = Show the conversation with the servers (the password is always masked)
cli-imap-server = IMAP server to test, for testing and unusual networks
cli-smtp-server = SMTP submission server to test, for testing and unusual networks
cli-ca-file = Also trust the CA certificates in this PEM file (certificates are always checked)
cli-heading-advanced = Advanced
cli-help = Print help
cli-help-long = Print help (see a summary with '-h')
cli-help-short = Print help (see more with '--help')
cli-version = Print version
cli-help-command = Print this message or the help of the given subcommand(s)
cli-help-command-args = Print help for the subcommand(s)
cli-setup = Add (or update) an account; every question has a flag, so it can run with none
cli-setup-email = The address mail is sent from
cli-setup-login = The @icloud.com, @me.com or @mac.com address used to sign in, when --email is on a custom domain (iCloud+) or is an Apple ID at another provider
cli-setup-name = Your name as recipients see it (optional)
cli-setup-password-stdin = Read the app-specific password as one line from standard input
cli-rotate = Put a new app-specific password in place for a saved account (tested live first)
cli-rotate-email = The account (may be left out when only one is saved)
cli-rotate-password-stdin = Read the new app-specific password as one line from standard input
cli-check = Live-test saved accounts with the stored password (all of them unless one is named)
cli-check-email = The account to check
cli-status = Show saved accounts, their usernames, last verification and where the password is
cli-status-email = The account to show (all when left out)
cli-status-json = Machine-readable output
cli-password = Print the app-specific password on standard output, for a mail program's password command
cli-password-email = The account (may be left out when only one is saved)
cli-password-reveal = Print it even when standard output is a terminal
cli-remove = Delete an account from the config and its password from the keyring
cli-remove-email = The account to remove
cli-remove-yes = Do not ask for confirmation
cli-settings = Print iCloud's server settings (hosts, ports, security, usernames); saves nothing
cli-settings-email = Show the usernames for this address
cli-export = Print a ready configuration for msmtp, mbsync, neomutt, aerc, himalaya or git send-email
cli-export-long =
    Print a ready configuration for msmtp, mbsync, neomutt, aerc, himalaya or git send-email

    It goes to standard output, with a comment block on top saying where to save it and what to run next. The client gets the password by running `icloud-setup password EMAIL`, so the file holds no secret and a rotated password reaches the client by itself (git send-email asks its credential helper, `icloud-setup git-credential`, instead). With --ca-file, the CA goes into the client's own trust setting.
cli-export-client = The mail program to write the configuration for
cli-export-email = The saved account (may be left out when only one is saved)
cli-export-isync = For mbsync: write isync 1.4 (Debian 12) or 1.5 syntax [default: what the installed mbsync reports; the newest when it is not installed]
cli-completions = Print shell completions
cli-completions-shell = The shell to complete for
cli-value-msmtp = sends mail (a sendmail replacement)
cli-value-mbsync = isync: keeps a local Maildir in sync with iCloud over IMAP
cli-value-neomutt = reads over IMAP and sends over SMTP by itself
cli-value-aerc = reads over IMAP and sends over SMTP by itself, in a terminal
cli-value-himalaya = version 2: reads over IMAP and sends over SMTP from the command line
cli-value-isync-1-4 = isync 1.4 (Debian 12 ships 1.4.4): `SSLType`
cli-value-isync-1-5 = isync 1.5: `TLSType`
# clap's own headings; English keeps clap's built-in ones.
cli-usage-heading = Usage:
cli-heading-commands = Commands
cli-heading-arguments = Arguments
cli-heading-options = Options

## secret stores: pass (issue 15)

pass-not-installed = `pass` (the standard Unix password store) is not installed
pass-not-initialised = the password store { $store_dir } is not set up: `pass init` was never run for it
pass-no-usable-key = the password store is set up for the GPG key { $key_ids }, and this machine cannot use it (no secret key here, or the public key is missing or not trusted)
pass-passphrase-no-terminal = gpg-agent needs the passphrase of your GPG key and had no terminal to ask on
pass-passphrase-unavailable = gpg-agent could not get the passphrase of your GPG key (the question could not be shown, or it was cancelled)
pass-timed-out = `pass` did not finish within { $secs } seconds and was stopped
pass-failed = `pass` failed: { $detail }
-never-in-clear-text = The password is never saved in a file in clear text instead.
hint-pass-not-installed = install it (Debian/Ubuntu: `sudo apt install pass`; macOS: `brew install pass`) and set it up with `pass init YOUR-GPG-KEY-ID`. { -never-in-clear-text }
hint-pass-init-for-key = set it up for your GPG key: `pass init { $key }`. { -never-in-clear-text }
hint-pass-init-without-key = this machine has no GPG key yet: make one with `gpg --quick-gen-key 'Your Name <you@example.org>'`, then run `pass init` with its fingerprint (`gpg --list-secret-keys` shows it). { -never-in-clear-text }
hint-pass-reinit-for-key = set the store up again for a key this machine has: `pass init { $key }` (it re-encrypts what is there). { -never-in-clear-text }
hint-pass-reinit-without-key = set the store up again for a key this machine has: `pass init YOUR-GPG-KEY-ID` (`gpg --list-secret-keys` lists them; make one with `gpg --quick-gen-key 'Your Name <you@example.org>'` if there is none). { -never-in-clear-text }
hint-pass-passphrase-no-terminal = run icloud-setup in a terminal (over SSH: `export GPG_TTY=$(tty)` first), so that pinentry can ask for the passphrase; for unattended use (cron), give the store a key without a passphrase or keep it unlocked in gpg-agent. { -never-in-clear-text }
hint-pass-passphrase-unavailable = try again and type the passphrase when pinentry asks (Debian/Ubuntu: `sudo apt install pinentry-curses` if no question appears). { -never-in-clear-text }
hint-pass-timed-out = gpg-agent may have been waiting for your key's passphrase; try again and give it longer, e.g. --timeout { $longer }.
hint-pass-failed = run `pass ls` to see what pass itself says about the store. { -never-in-clear-text }
unknown-store = the config says the password is in { $value }, a place this version of icloud-setup does not know
hint-unknown-store = for an account kept in pass the line reads `secret = "pass:icloud-setup/EMAIL"`; without the line the password is in the system keyring. Fix the line, or update icloud-setup.
offer-pass-instead =
    The system keyring cannot be used here ({ $problem }).
    The password can go into pass, the standard Unix password store, instead, encrypted with your GPG key; every mail program keeps reading it through `icloud-setup password`.
ask-use-pass = Where should the password go?
option-use-pass = Into pass (GPG-encrypted)
option-stop-no-keyring = Nowhere: stop, and I will set up a keyring first
secret-missing-from-pass = { $email } is saved, but its password is not in pass (no entry { $entry })
rotating-in-pass = New app-specific password for { $email }. It is tested first; the old one stays in pass until the new one has passed.
rotated-in-pass =
    The new password for { $email } is in pass, and every mail program that uses `icloud-setup password { $email }` picks it up.
    Now revoke the old app-specific password at { -apple-page }, so it can no longer be used.
removed-from-pass =
    Removed { $email } from the settings and its password from pass.
    The app-specific password still works until you revoke it at { -apple-page }.

## send test (issue 13)

# The test message itself: the person reads it in their mailbox.
send-test-subject = icloud-setup test message — safe to delete
send-test-body =
    This message was sent by icloud-setup to check that { $email } can send mail through iCloud.

    It is removed again as soon as it arrives. If you see it anyway, you can safely delete it.
send-test-intro = Send test: one short message from { $email } to itself, watched for (at most { $wait_secs } seconds) and then removed again.
send-test-signing-in = Incoming mail (IMAP) { $server }: signing in to watch the inbox
send-test-watching = Incoming mail (IMAP): signed in as { $username }, watching the inbox
send-test-submitting = Outgoing mail (SMTP) { $server }: sending the test message
send-test-submitted = Outgoing mail (SMTP): the test message was accepted — the server said: { $server_said }
send-test-waiting = Waiting for the test message to arrive (at most { $wait_secs } seconds)
send-test-arrived-inbox = The test message arrived in the inbox after { $after_secs } seconds
send-test-arrived-junk = The test message arrived after { $after_secs } seconds, but in Junk, not in the inbox
send-test-in-junk = Sending works, but iCloud put the message from { $email } into Junk. Mail you send from this address may be treated as spam by others too; for a custom domain, check its SPF and DKIM records as iCloud Mail's custom domain settings show them.
send-test-expunged = Removed the test message from { $folder }; nothing else was touched.
send-test-flagged-deleted = Marked the test message in { $folder } as deleted and read; your mail program will remove it the next time it cleans up deleted messages. (This server cannot remove one message alone, and removing all deleted messages would also take those you marked deleted yourself.)
send-test-passed = Sending works: mail from { $email } goes out and arrives.
# The step of the send test that failed, as it fits in send-refused and send-step-failed-*.
send-step-mail-from = the sender (MAIL FROM)
send-step-rcpt-to = the recipient (RCPT TO)
send-step-data = the start of the message (DATA)
send-step-end-of-data = the end of the message (after DATA)
send-step-select = opening the mailbox (SELECT)
send-step-watch = looking for the test message
send-step-remove = removing the test message
send-refused = the server signed you in but refused to send mail from { $email } at { $step }: { $server_said }; nothing was saved or changed
hint-send-refused-alias = { $email } is a custom domain or an alias: check that it is set up and turned on as an address of this account in iCloud Mail's settings (icloud.com/mail → Settings → Accounts, or Custom Email Domain on iCloud.com), then run the send test again.
hint-send-refused-own-address = iCloud refused the account's own address { $email } as the sender. Check that iCloud Mail is turned on for this Apple Account (icloud.com/mail), and try again later.
send-step-failed-server-said = the send test failed at { $step } ({ $protocol }): { $summary } — the server said: { $words }; nothing was saved or changed
send-step-failed-detail = the send test failed at { $step } ({ $protocol }): { $summary } ({ $detail }); nothing was saved or changed
hint-send-step-temporary = this is usually temporary: try the send test again in a few minutes.
hint-send-step-verbose = run it again with --verbose to see the conversation with the server.
send-not-arrived = the test message was accepted for sending but did not arrive in the inbox or Junk of { $email } within { $waited_secs } seconds
hint-send-not-arrived = it may still arrive; look in Junk too, and delete it when it does. To wait longer, give --wait SECONDS.
ask-send-test = Send a test message to yourself? (it is removed again once it arrives)
option-skip-send-test = No
option-send-test = Yes, send a test message

## hostile input, signals and slips (issue 9)

address-control-character = "{ $input }" contains a line break or another control character; an e-mail address has none.
address-several-ats = "{ $input }" is not an e-mail address: it has more than one @.
address-near-miss = { $input } is not an iCloud address. Did you mean { $suggestion }?
hint-address-near-miss = if you meant { $suggestion }, give --email { $suggestion }; a custom domain that only looks like iCloud's also needs --login with the account's iCloud address
option-use-suggestion = Yes, use { $suggestion }
option-keep-typed = No, { $typed } is right (a custom domain)
name-control-character = the name "{ $input }" contains a line break or another control character; a name is one line of plain text.
name-looks-like-password = that looks like the app-specific password, not a name. The name is saved in the config file and shown to everyone you write to.
hint-name-problem = give your name as recipients should see it, e.g. --name "John Appleseed", or leave --name out
ask-name-keeping = Your name, as people who get your mail will see it (Enter keeps "{ $saved }")
already-saved = { $email } is saved already. Going on replaces its password and settings; its name is kept unless you give a new one.
rotating-to-same-password = warning: this is the password already saved for { $email }. Rotating means a new app-specific password: make one at { -apple-page }, then revoke the old one.
password-stdin-is-terminal = Standard input is a terminal, so --password-stdin reads the password hidden, here:
server-options-do-not-apply = note: --imap-server and --smtp-server do not apply to `{ $command }`: it uses the servers saved with each account.
orphaned-secret = The keyring holds a password for { $email } that no saved account lists (left behind by an interrupted run).
orphaned-secret-removed = Removed the password for { $email } from the keyring; it was in no saved account.
status-orphans-heading = In the keyring but in no saved account (remove with `icloud-setup remove EMAIL`):
check-summary-passed = ✓ { $email }: both servers accepted the saved password
check-summary-secret-missing = ✗ { $email }: no saved password in the keyring — run `icloud-setup rotate { $email }`
check-summary-failed = ✗ { $email }: { $problem }
check-summary-heading = Summary:
check-failed = the check failed for { $failed_count } of { $total } { $total ->
        [one] account
       *[other] accounts
    }: { $failed }
check-live-test-failed = the live test failed: { $failed }
config-not-a-file = the config file { $path } is not a regular file (it is a device, a pipe or a directory)
hint-config-not-a-file = point --config (or ICLOUD_SETUP_CONFIG) at a regular file, or leave it out to use the default
config-too-large = the config file { $path } is larger than { $limit_kib } KiB, far more than any icloud-setup config; it is not read
config-not-utf8 = the config file { $path } cannot be read: it is not UTF-8 text
config-symlink-unusable = the config file { $path } is a symbolic link to { $target }, which cannot be written through
hint-output-failed = standard output could not be written (a full disk, or a closed file or pipe); nothing else went wrong
stopped-after-saving = Stopped. The save had finished: the account is saved completely.
# The label of the keyring entry, as Seahorse (Passwords and Keys) and KWallet show it.
keyring-label = iCloud Mail app-specific password for { $email }

## the live test's own words: details, transcript, addresses (issues 9 and 10)

detail-no-addresses = the name has no address
detail-lookup-timed-out = the name lookup did not finish in time
detail-server-closed = the server closed the connection
detail-not-imap-greeting = the first thing the server said is not an IMAP greeting
detail-not-accepting = the server is not accepting connections now
detail-login-refused = the login was not accepted
detail-starttls-not-offered = the server did not offer STARTTLS, so the password was not sent
detail-no-usable-login-method = the server offers no login method this program uses (AUTH PLAIN or LOGIN); the password was not sent
detail-data-before-tls = the server sent data in plain text where encryption had to start; the connection was dropped before anything secret was sent
detail-malformed-reply = the reply does not have the form the protocol requires
detail-line-too-long = the server sent a line longer than { $limit_kib } KiB; the connection was dropped
detail-response-too-long = the server's answer ran past { $limit_kib } KiB without ending; the connection was dropped
detail-no-address-tried = no address could be tried in the time allowed
detail-addresses-tried = addresses tried: { $attempts }
attempt-connected = { $address } connected
attempt-failed = { $address } failed ({ $words })
attempt-timed-out = { $address } did not answer in time
attempt-abandoned = { $address } had not answered when another address did; closed
# --verbose lines about the connection; the conversation itself (C: and S:) is not translated.
transcript-attempt = connect { $attempt }
transcript-tls-established = TLS established, certificate valid for { $host }
transcript-starttls-missing = STARTTLS is not offered; not sending the password
transcript-using-preconnected = using the connection opened ahead of time
transcript-preconnection-redone = the connection opened ahead of time was closed or failed before it was needed; opening a new one

## --help texts of the options added since (issues 13 and 15)

cli-setup-store = Where the password goes: the system keyring (default), or pass, the standard Unix password store (GPG-encrypted), for servers and other machines without a keyring. When left out, an account already saved keeps its store
cli-value-store-keyring = The system keyring (Secret Service, macOS Keychain, Windows Credential Manager)
cli-value-store-pass = pass, the standard Unix password store: entry icloud-setup/EMAIL
cli-send-test = Also send a test message from the account's address to itself, wait for it to arrive over IMAP and remove it again (only the test message is removed)
cli-wait = With --send-test: the most seconds to wait for the message to arrive [default: 120]

## send test details

send-detail-command-refused = the server refused the command
send-detail-unexpected-reply = the server's reply is neither the go-ahead for this step nor a refusal
send-detail-address-unusable = the sending address cannot be used as an SMTP envelope address
send-detail-session-ended = the server ended the session
send-test-phase-failed-because = { $role }: { $why }

## git

cli-value-git = git send-email: sends patches over SMTP, the password from icloud-setup's credential helper
export-git-steps =
    Append it to ~/.gitconfig:
    {"  "}icloud-setup export git >> ~/.gitconfig
    or save it as a file of its own and include it with `git config --global include.path FILE`. Then send a patch, e.g. `git send-email --to=ADDRESS -1`.
export-git-credential = The helper answers only when git asks for smtp to { $server } as { $username }; for any other server (GitHub over https, say) it answers nothing, and git asks its other helpers.
export-git-starttls = tls is git's word for STARTTLS (port 587); ssl would mean TLS from the first byte (port 465), and any other value would send in the clear.
export-git-ssl = ssl is git's word for TLS from the first byte (port 465); tls would mean STARTTLS, and any other value would send in the clear.
export-git-helper-reset = The empty helper first: helpers set elsewhere (such as store) are not asked for this server, so none of them is handed the password to keep.
export-ca-git = It trusts only the certificate authorities in { $path } (from --ca-file), not the system's: git send-email takes a single file or directory (smtpSSLCertPath).
cli-git-credential = For git: answer git's requests for a saved account's SMTP password (set up by `icloud-setup export git`)
cli-git-credential-long =
    For git: answer git's requests for a saved account's SMTP password (set up by `icloud-setup export git`)

    git's credential-helper protocol (gitcredentials(7)). With get, it reads git's request from standard input and prints username= and password= only when the protocol is smtp, the host is a saved account's SMTP server and port, and the username, if git sent one, is that account's SMTP username; for anything else it prints nothing, so git asks its other helpers. store and erase change nothing: the password stays where icloud-setup keeps it, and a new one comes with `icloud-setup rotate`. It never asks anything; --verbose says on standard error what it did and why.
cli-git-credential-operation = What git asks: get, store or erase (others are ignored)
git-credential-store-ignored = git-credential: store ignored: the password stays where icloud-setup keeps it; a new one comes with `icloud-setup rotate`.
git-credential-erase-ignored = git-credential: erase ignored: the password stays where icloud-setup keeps it; if the server refused it, make a new app-specific password and run `icloud-setup rotate`.
git-credential-unknown-operation = git-credential: “{ $operation }” is not an operation this helper knows; ignored.
git-credential-too-long = git-credential: nothing answered: git's request ran past { $bytes } bytes or { $lines } lines.
git-credential-malformed = git-credential: nothing answered: git's request has a line that is not key=value text.
git-credential-malformed-io = git-credential: nothing answered: standard input could not be read ({ $detail }).
git-credential-not-smtp = git-credential: nothing answered: git asked for { $protocol }, and only smtp is answered.
git-credential-no-protocol = git-credential: nothing answered: git named no protocol, and only smtp is answered.
git-credential-no-host = git-credential: nothing answered: git named no host.
git-credential-no-account = git-credential: nothing answered: no saved account sends through { $server }.
git-credential-other-username = git-credential: nothing answered: no saved account sending through { $server } has the SMTP username { $username }.
git-credential-several = git-credential: nothing answered: several saved accounts send through { $server }; set sendemail.smtpUser so git names the one to use.
git-credential-answered = git-credential: answered with the password of { $email } (SMTP username { $username }).
git-credential-uncarriable = git-credential: nothing answered: the username or password of { $email } holds a line break, which git's protocol cannot carry.
git-credential-terminal = git-credential: standard output is a terminal, so the password is not printed; git reads it through a pipe. To see it, run `icloud-setup password --reveal`.
## input

password-stdin-too-long = the password from standard input is longer than { $limit_kib } KiB, which no app-specific password is (it has 19 characters); nothing was sent to any server
address-looks-like-password = that looks like the app-specific password, not an e-mail address, so it is not shown here. Type the address (like johnappleseed@icloud.com); the password is asked for after it.
address-local-part-characters = "{ $input }" is not an address iCloud Mail can use: before the @ it may have only letters a-z, digits and the characters . _ - +
export-line-too-long = cannot write the { $client } configuration: one of its lines would be { $length } bytes long, and { $client } reads lines of at most { $limit } bytes (it would refuse the whole file)
hint-export-line-too-long = shorten the long value in the config file (a name, username or host), or keep the config at a shorter path, and run the export again
## stores

removed-kept-for-other-configs =
    Removed { $email } from these settings. Its password stays in the keyring: another settings file saved it too and still uses it.
    Once no settings file uses it, revoke the app-specific password at { -apple-page }.
pass-no-home = there is no home folder to find the password store in: HOME is not set and the user database names none
hint-pass-no-home = set HOME, or PASSWORD_STORE_DIR to the store's folder, and try again.
pass-key-sign-only = pass is set up for the GPG key { $key_ids }, which can only sign: nothing can be encrypted to it
hint-pass-key-sign-only = give the key an encryption subkey (`gpg --quick-add-key { $key } default encr`) and try again; `pass init` with the same key would not help.
## terminal
# A panic (a bug) ended the run. The panic's own text is never shown: it can quote what was
# typed. The next line, printed after this one, gives the place in the code and the version.
internal-error = icloud-setup stopped because of a bug, not because of anything you did. Please report it at { $url } with the command you ran and the line below — never your password.
# `--help` notes beside an option, as clap writes them in English.
help-env = [env: { $name }]
help-default = [default: { $value }]
help-possible-values = [possible values: { $values }]
help-possible-values-heading = Possible values:
## mail-imap

send-test-expunged-copies = The test message arrived { $copies } times; removed every copy from { $folder }; nothing else was touched.
send-test-flagged-deleted-copies = The test message arrived { $copies } times; marked every copy in { $folder } as deleted and read; your mail program will remove them the next time it cleans up deleted messages. Nothing else was touched.
send-test-nothing-left = When it was to be removed, no copy of the test message in { $folder } could be proven to be it any more, so nothing was touched; if you find it, you can safely delete it.
send-test-not-ours-there-before = The server's search also named message { $uid } in { $folder }, which was there before the test began; it is not the test message and was left untouched.
send-test-not-ours-renumbered = The server's search also named message { $uid } in { $folder }, but the folder's message numbers changed during the test (UIDVALIDITY), so it cannot be proven to be the test message; it was left untouched.
send-test-not-ours-no-baseline = The server's search named message { $uid } in { $folder }, but the server did not say the folder's message numbers before the test (UIDNEXT, UIDVALIDITY), so it cannot be proven to be the test message; it was left untouched.
send-test-not-ours-other-message-id = The server's search also named message { $uid } in { $folder }, whose Message-ID is not the test message's; it was left untouched.
## watch

# status and rotate: the password's age (issue 23)
status-password-saved = Password saved:  { $date } ({ $days ->
    [0] today
    [one] 1 day ago
   *[other] { $days } days ago
})
status-password-saved-at = Password saved:  { $date }
rotated-old-password-saved = The old password was saved on { $date } ({ $days ->
    [0] today
    [one] 1 day ago
   *[other] { $days } days ago
}): in Apple's list, it is the one created that day.
rotated-old-password-saved-at = The old password was saved on { $date }: in Apple's list, it is the one created that day.
# check --quiet: what happened to one account, and the fix
quiet-password-refused =
    { $email }: iCloud refused the saved password (revoked, or the Apple ID password changed).
    {"  "}Fix: make a new app-specific password at { -apple-page }, then run `icloud-setup rotate { $email }`
quiet-sender-refused =
    { $email }: the test message's sending address was refused.
    {"  "}Fix: set the address up in iCloud Mail, then run `icloud-setup check { $email } --send-test`
quiet-password-missing =
    { $email }: the password is missing from { $store }.
    {"  "}Fix: run `icloud-setup rotate { $email }`
quiet-store-keyring = the keyring
quiet-store-pass = pass
quiet-store-unusable =
    { $email }: the password could not be read: { $problem }
    {"  "}Fix: run `icloud-setup check { $email }` in your desktop session to see what the password store needs
quiet-temporary = { $email }: iCloud did not answer in time; the next check tries again.
quiet-unreachable = { $email }: iCloud could not be reached (offline?); the next check tries again.
quiet-other =
    { $email }: { $problem }
    {"  "}Fix: run `icloud-setup check { $email }` to see the details
# check --notify: the desktop notification
notify-refused-summary = iCloud Mail stopped accepting your password
notify-refused-body = Mail for { $email } can no longer be fetched or sent. Make a new app-specific password at account.apple.com, then run: icloud-setup rotate { $email }
notify-store-summary = iCloud Mail: the saved password cannot be read
notify-store-body = The password for { $email } could not be read from where icloud-setup keeps it. Run: icloud-setup check { $email }
notify-unsupported = (no desktop notification: not available on this system)
notify-timed-out = (no desktop notification: the notification service did not answer in time)
notify-failed = (no desktop notification: { $problem })
# watch on|off|status
watch-service-description = icloud-setup: check that iCloud Mail still accepts the saved passwords
watch-timer-description = icloud-setup: daily check of the saved iCloud Mail passwords
watch-file-comment = Written by `icloud-setup watch on`; remove with `icloud-setup watch off`.
watch-on = The watch is on: every day, `icloud-setup check --quiet --notify` tests the saved accounts and shows a desktop notification when iCloud refuses a password ({ $timer }).
watch-on-next = The watch is on: every day, `icloud-setup check --quiet --notify` tests the saved accounts and shows a desktop notification when iCloud refuses a password ({ $timer }). Next run: { $next }.
watch-no-user-manager = the watch's units are written to { $dir }, but no systemd user service manager answered, so they are not enabled yet
hint-watch-no-user-manager = in a session with a user manager, run `{ $enable }`; on a server, run `loginctl enable-linger` once first, so your timers run without a login
watch-systemctl-failed = `{ $command }` failed: { $problem }
hint-watch-systemctl-failed = the units are written; run `{ $command }` yourself to see what systemd says
watch-files-failed = the watch's file { $path } could not be written or removed: { $problem }
watch-path-unusable = { $path } cannot go into a unit file or a crontab line (it contains a line break or a control character)
hint-watch-path-unusable = move icloud-setup or the config to a path without control characters, then run `icloud-setup watch on` again
watch-crontab =
    There is no systemd here. To have the check run daily, add this line with `crontab -e`:

    {"  "}{ $line }
watch-launchd =
    The launchd agent is written to { $path } (untested on macOS so far). Load it with:

    {"  "}{ $load }
watch-off = The watch is off: { $count ->
    [one] its file is removed.
   *[other] its { $count } files are removed.
}
watch-was-off = The watch was not on; nothing to remove.
watch-off-manager-not-told = The files are removed, but no systemd user service manager answered; it forgets the timer at its next start (or run `{ $disable }`).
watch-status-on = Watch: on ({ $timer })
watch-status-written-not-enabled = Watch: written but not enabled ({ $timer }); run `icloud-setup watch on` to enable it
watch-status-off = Watch: off. Turn it on with `icloud-setup watch on`.
watch-status-next = Next run:  { $next }
watch-status-last-run = Last run:  { $when }, exit code { $code }
watch-status-account-passed = { $email }: last passed { $date } ({ $days ->
    [0] today
    [one] 1 day ago
   *[other] { $days } days ago
})
watch-status-account-passed-at = { $email }: last passed { $date }
watch-status-account-never = { $email }: never passed a check
watch-off-crontab = There is no systemd here, so the watch runs from cron if you added its line: remove it with `crontab -e`.
watch-status-no-systemd = Watch: no systemd here; if you added the crontab line of `icloud-setup watch on`, cron runs it (see `crontab -l`).
watch-launchd-unload = If launchd had loaded it, unload it with: { $unload }
# --help
cli-check-quiet = For cron and timers: nothing on success; one or two lines per failing account, with the fix, on standard error
cli-check-notify = Also show a desktop notification when you must act (password refused, password store unusable)
cli-watch = A daily `check --quiet --notify`, as a systemd user timer (a crontab line where there is no systemd)
cli-watch-action = on: write and enable the timer; off: disable and remove it; status: whether it is on, its next run, what it last found
cli-value-watch-on = write the systemd user service and timer and enable them
cli-value-watch-off = disable the timer and remove both files
cli-value-watch-status = whether the watch is on, when it runs next and what it last found
## mail-smtp

ca-file-not-a-file = it is not a regular file (it is a device, a pipe or a directory), so it is not read
ca-file-too-large = it is larger than { $limit_kib } KiB, far more than any set of CA certificates; it is not read
hint-ca-file-not-a-file = point --ca-file (or ICLOUD_SETUP_CA_FILE) at a regular PEM file with the CA certificates, or leave it out to trust the system's CAs alone
hint-ca-file-too-large = --ca-file (or ICLOUD_SETUP_CA_FILE) takes a PEM file with only the CA certificates to trust besides the system's; the system's own CAs are trusted without it
## bounds
config-lock-waiting = Another icloud-setup run is changing { $path } right now; waiting for it to finish (at most { $secs } seconds)…
config-locked = another icloud-setup run kept the config file { $path } locked for { $secs } seconds; nothing was changed
hint-config-locked = let the other run finish (or end it) and try again; `fuser -v { $lock }` shows which process holds the lock
verification-not-recorded = The account works, but the time of this check could not be recorded in the config file: { $why }
export-isync-no-answer = `mbsync --version` did not answer within { $secs } seconds and was stopped, so this is written in the syntax of isync { $syntax }, the newest; choose another with --isync 1.4.
fix-tls-version = { $host } offers only an old TLS version (1.0 or 1.1) that this system refuses; iCloud speaks TLS 1.2 and newer, so check that the server setting really is iCloud's, and otherwise ask the server's operator for TLS 1.2. Installing certificates does not help here.
password-caps-lock = That looks like an app-specific password, but with capital letters: is Caps Lock on? Apple's app-specific passwords are all lowercase (like abcd-efgh-ijkl-mnop), and with capitals iCloud refuses it; a few refused tries can lock the account for a while.
warning-caps-lock-password-flag = warning: { password-caps-lock }
send-test-may-still-arrive = A test message was already sent to { $email } and may still arrive, with the subject "{ $subject }". You can safely delete it.

## folders
transcript-folder-list-given-up = the folder list was given up (the sign-in stands); the folders saved before are kept
status-folder = { $role ->
        [sent] Sent folder:    “{ $folder }”
        [drafts] Drafts folder:  “{ $folder }”
        [trash] Deleted folder: “{ $folder }”
        [junk] Junk folder:    “{ $folder }”
        [archive] Archive folder: “{ $folder }”
       *[other] { $role }: “{ $folder }”
    }
status-folders-not-learned = Folders:        not learned yet; exports use iCloud's usual names (`icloud-setup check { $email }` learns them)
status-folders-none = Folders:        the last check found no sent, drafts, deleted, junk or archive folder

## api

stage-mail-from = MAIL FROM
stage-rcpt-to = RCPT TO
stage-data = DATA
stage-end-of-data = end of the message
stage-capability = CAPABILITY
stage-folder-status = folder status
stage-select = SELECT
stage-noop = NOOP
stage-search = SEARCH
stage-fetch = FETCH
stage-idle = IDLE
stage-store = STORE
stage-expunge = EXPUNGE
attempt-pending = { $address } has not answered yet
