### icloud-setup: jeder Satz, den die Person liest, auf Deutsch.
###
### Dieselben Nachrichten mit denselben Argumenten wie i18n/en/icloud_setup.ftl
### (tests/language.rs prüft es). Anrede „Sie“; Apples Begriffe wie auf Apples deutschen
### Seiten; deutsche Anführungszeichen. Host-Namen, Pfade, Befehle, Konfigurationsschlüssel
### und die Worte des Servers kommen als Argumente und werden nicht übersetzt.

-apple-page = account.apple.com → „Anmeldung und Sicherheit“ → „App-spezifische Passwörter“

app-password-page = account.apple.com → „Anmeldung und Sicherheit“ → „App-spezifische Passwörter“

## Adressen

address-empty = Bitte geben Sie Ihre E-Mail-Adresse ein.
address-has-spaces = „{ $input }“ enthält Leerzeichen; eine E-Mail-Adresse hat keine.
address-without-at = „{ $input }“ ist keine E-Mail-Adresse: Es fehlt ein @, wie in johnappleseed@icloud.com.
address-bad-local-part = „{ $input }“ ist keine E-Mail-Adresse: Vor dem @ muss etwas stehen.
address-bad-domain = „{ $input }“ ist keine E-Mail-Adresse: Nach dem @ muss eine Domain wie icloud.com stehen.
login-not-icloud = { $input } ist keine iCloud-Adresse. Zum Anmelden brauchen Sie Ihre Adresse, die auf @icloud.com, @me.com oder @mac.com endet (auf einem iPhone unter Einstellungen → Ihr Name → iCloud → iCloud Mail).
server-address-without-port = „{ $input }“ braucht einen Port, etwa imap.mail.me.com:993
server-address-bad-port = „{ $input }“ hat keinen gültigen Port (1–65535)
server-address-without-host = „{ $input }“ hat keinen Host-Namen
ca-file-has-no-certificates = Sie enthält kein PEM-Zertifikat (-----BEGIN CERTIFICATE-----)

## die Fragen des Assistenten

welcome = Hiermit richten Sie Ihr iCloud-Mail-Konto für ein E-Mail-Programm ein: Zuerst wird geprüft, ob Ihr Passwort funktioniert, dann werden die Einstellungen gespeichert (das Passwort kommt in den Schlüsselbund Ihres Systems).
ask-email = Ihre iCloud-E-Mail-Adresse
custom-domain-explained = { $email } ist keine Adresse mit @icloud.com, @me.com oder @mac.com. Eigene Domains (iCloud+) und Apple-IDs bei anderen Anbietern senden mit dieser Adresse, melden sich aber mit der iCloud-Adresse des Kontos an.
ask-login = Ihre iCloud-Adresse zum Anmelden (endet auf @icloud.com, @me.com oder @mac.com)
ask-name = Ihr Name, wie ihn die Empfänger Ihrer E-Mails sehen (optional, Eingabetaste zum Überspringen)
password-guidance = iCloud akzeptiert in E-Mail-Programmen nicht das Passwort Ihrer Apple-ID, sondern ein anwendungsspezifisches Passwort. Erstellen Sie eines unter { -apple-page } (es sieht aus wie abcd-efgh-ijkl-mnop). Ihre Eingabe wird nicht angezeigt.
ask-password = Anwendungsspezifisches Passwort
ask-new-password = Neues anwendungsspezifisches Passwort
password-empty-try-again = Es wurde nichts eingegeben. Fügen Sie das anwendungsspezifische Passwort ein und drücken Sie die Eingabetaste.
password-unusual-shape = Das sieht nicht wie ein anwendungsspezifisches Passwort aus (vier Gruppen aus je vier Kleinbuchstaben, etwa abcd-efgh-ijkl-mnop). Vermutlich ist es das Passwort Ihrer Apple-ID, das iCloud hier ablehnt, und einige abgelehnte Versuche können das Konto eine Weile sperren.
ask-unusual-password = Wie möchten Sie fortfahren?
option-reenter-password = Passwort erneut eingeben
option-use-anyway = Trotzdem verwenden
warning-unusual-password-flag = Warnung: { password-unusual-shape }

## der Plan

plan-heading = Diese Einstellungen werden getestet:
plan-imap = Posteingang (IMAP)  { $host } Port { $port }  SSL/TLS   Benutzername { $username }
plan-imap-fallback = {"                    "}(falls abgelehnt: { $username })
plan-smtp = Postausgang (SMTP)  { $host } Port { $port }  STARTTLS  Benutzername { $username }

## der Live-Test

testing = { $role } { $server }
role-imap = Posteingang (IMAP)
role-smtp = Postausgang (SMTP)
probe-signed-in = { $role }: angemeldet als { $username }
probe-failed = { $role }: Schritt „{ $stage }“ fehlgeschlagen – { $summary }
stage-name-lookup = Namensauflösung
stage-connect = Verbindungsaufbau
stage-tls = TLS
stage-greeting = Begrüßung
stage-starttls = STARTTLS
stage-login = Anmeldung
kind-unresolvable = der Servername wurde nicht gefunden
kind-unreachable = der Server war nicht erreichbar
kind-timed-out = der Server hat nicht rechtzeitig geantwortet
kind-dropped = der Server hat die Verbindung getrennt
kind-unavailable = der Dienst ist vorübergehend nicht verfügbar
kind-wrong-tls-mode = der Port verwendet nicht die erwartete Art der Verschlüsselung
kind-certificate-wrong-host = das Zertifikat gehört zu einem anderen Server
kind-certificate-expired = das Zertifikat ist abgelaufen oder noch nicht gültig
kind-certificate-untrusted = das Zertifikat stammt nicht von einer vertrauenswürdigen Stelle
kind-tls-failure = die verschlüsselte Verbindung kam nicht zustande
kind-starttls-missing = der Server hat keine Verschlüsselung (STARTTLS) angeboten
kind-protocol = der Server hat unerwartet geantwortet
kind-bad-credentials = Benutzername oder Passwort wurden abgelehnt
explain-failure-heading = { $role } auf { $server }: Der Schritt „{ $stage }“ ist fehlgeschlagen: { $summary }.
explain-server-said = Der Server antwortete: { $words }
explain-details = Einzelheiten: { $detail }
explain-usernames-tried = Versuchte Benutzernamen: { $usernames }
explain-what-to-do = Was Sie tun können: { $fix }
fix-unresolvable = Prüfen Sie, ob dieser Computer online ist und ob { $host } richtig geschrieben ist; auch ein Netzwerk, das eine Anmeldeseite im Browser verlangt, kann das verursachen.
fix-unreachable = Etwas zwischen diesem Computer und dem Server sperrt Port { $port } (eine Firewall oder ein Firmen-, Schul- oder Hotelnetz). Versuchen Sie es in einem anderen Netzwerk.
fix-dropped = Das ist meist vorübergehend: Versuchen Sie es in ein paar Minuten erneut.
fix-unavailable = iCloud meldet, dass der Dienst vorübergehend nicht verfügbar ist. Das liegt nicht am Passwort: Versuchen Sie es in ein paar Minuten erneut.
fix-wrong-tls-mode-smtp = Port { $port } erwartet STARTTLS (erst Klartext, dann Verschlüsselung), aber der Server sprach TLS ab dem ersten Byte. Prüfen Sie --smtp-server.
fix-wrong-tls-mode-imap = Port { $port } antwortete im Klartext, wie ein STARTTLS- oder unverschlüsselter Port, aber das IMAP von iCloud verwendet SSL/TLS ab dem ersten Byte auf Port 993. Prüfen Sie --imap-server.
fix-certificate-wrong-host = Der Server zeigte ein Zertifikat für einen anderen Namen als { $host }. Etwas in diesem Netzwerk fängt sichere Verbindungen ab (ein Captive Portal, ein Proxy oder eine Antivirensoftware). Melden Sie sich in diesem Netzwerk nicht an.
fix-certificate-expired = Prüfen Sie, ob Datum und Uhrzeit dieses Computers stimmen; wenn ja, fängt etwas in diesem Netzwerk sichere Verbindungen ab.
fix-certificate-untrusted = Dieser Computer vertraut der Stelle nicht, die das Zertifikat unterschrieben hat. Wenn Ihr Netzwerk verschlüsselten Verkehr absichtlich prüft, geben Sie dessen Zertifizierungsstelle mit --ca-file an; andernfalls melden Sie sich in diesem Netzwerk nicht an.
fix-tls-failure = Die sichere Verbindung kam nicht zustande. Prüfen Sie, ob die Zertifikate des Systems installiert sind (unter Debian und Ubuntu: das Paket ca-certificates), und versuchen Sie es in einem anderen Netzwerk.
fix-starttls-missing = Ihr Passwort wurde NICHT gesendet. Etwas in diesem Netzwerk entfernt möglicherweise die Verschlüsselung von E-Mail-Verbindungen; versuchen Sie es in einem anderen Netzwerk.
fix-protocol = Prüfen Sie, ob { $server } der Server von iCloud ist; die Antwort sah nicht danach aus.
fix-bad-credentials = Vergewissern Sie sich, dass Sie ein anwendungsspezifisches Passwort verwendet haben, nicht das Passwort Ihrer Apple-ID, und dass es nicht widerrufen wurde. Erstellen Sie ein neues unter { -apple-page }. Liegt Ihre Adresse auf einer eigenen Domain, melden Sie sich mit der @icloud.com-Adresse des Kontos an.
fix-timed-out-secs = Der Server hat nicht innerhalb von { $secs } Sekunden geantwortet. Versuchen Sie es erneut; in einem langsamen Netzwerk geben Sie ihm mit --timeout { $longer } mehr Zeit.
fix-timed-out = Der Server hat nicht rechtzeitig geantwortet. Versuchen Sie es erneut; in einem langsamen Netzwerk geben Sie ihm mehr Zeit, etwa mit --timeout 60.
ask-after-failure = Der Test ist fehlgeschlagen. Es wurde nichts gespeichert. Wie möchten Sie fortfahren?
option-retry = Mit demselben Passwort erneut versuchen
option-quit = Beenden

## Speichern

saved =
    { $email } gespeichert.
    {"  "}Passwort: in { $store } (auslesen mit: { $command })
    {"  "}Einstellungen: { $path }
store-macos-keychain = der macOS-Schlüsselbundverwaltung
store-windows-credential-manager = der Windows-Anmeldeinformationsverwaltung
store-secret-service = dem Schlüsselbund (Secret Service)
store-pass = dem Passwortspeicher (pass)
store-memory = memory
next-steps = Als Nächstes: Zeigen Sie das gespeicherte Konto mit `icloud-setup status` an, schreiben Sie die Konfiguration Ihres E-Mail-Programms mit `icloud-setup export msmtp|mbsync|neomutt|aerc|himalaya`, oder tragen Sie in jedem anderen Programm `icloud-setup password { $email }` als Passwortbefehl ein.

## die Einstellungstabelle

settings-title = iCloud-Mail-Einstellungen für jedes E-Mail-Programm
settings-incoming = Posteingang (IMAP)
settings-outgoing = Postausgang (SMTP)
settings-server = Server:        { $host }
settings-port = Port:          { $port }
settings-security-imap = Sicherheit:    SSL/TLS
settings-security-smtp = Sicherheit:    STARTTLS (erforderlich)
settings-username = Benutzername:  { $username }
settings-password-imap = Passwort:      ein anwendungsspezifisches Passwort
settings-password-smtp = Passwort:      dasselbe anwendungsspezifische Passwort
settings-no-pop = POP wird von iCloud Mail nicht unterstützt.
settings-make-password = Erstellen Sie ein anwendungsspezifisches Passwort unter { -apple-page }.
settings-imap-user-generic = der Teil Ihrer iCloud-Adresse vor dem @ (falls abgelehnt: die vollständige Adresse)
settings-smtp-user-generic = Ihre vollständige iCloud-Adresse
settings-imap-user-icloud = { $local } (falls abgelehnt: { $address })
settings-imap-user-custom = der Teil vor dem @ der iCloud-Adresse von { $address } (eigene Domains melden sich mit der @icloud.com-Adresse an)
settings-smtp-user-custom = die vollständige iCloud-Adresse (nicht die Adresse der eigenen Domain)

## Fehler

needs-terminal = Hier können keine Fragen gestellt werden: Es gibt kein Terminal, und { $count ->
        [one] es fehlt
       *[other] es fehlen
    } { $flags }
hint-needs-terminal = Starten Sie es in einem Terminal, oder geben Sie jede Antwort als Option an, etwa `echo "$APP_PASSWORD" | icloud-setup setup --email you@icloud.com --password-stdin`
hint-needs-terminal-yes = Starten Sie es in einem Terminal, um gefragt zu werden, oder fügen Sie --yes hinzu, um ohne Rückfrage zu entfernen
ambiguous-account = Mehrere Konten sind gespeichert ({ $saved }); geben Sie an, welches gemeint ist
hint-name-an-account = Hängen Sie die Adresse an den Befehl an, etwa `icloud-setup check you@icloud.com`
hint-invalid-address = Eine iCloud-Adresse sieht aus wie johnappleseed@icloud.com
empty-password = Das anwendungsspezifische Passwort ist leer
stdin-unreadable = Das anwendungsspezifische Passwort konnte nicht von der Standardeingabe gelesen werden: { $detail }
hint-password-stdin = Leiten Sie mit --password-stdin das Passwort als eine Zeile ein, etwa `pass show icloud | icloud-setup setup --email you@icloud.com --password-stdin`
ca-file-unusable = Die CA-Datei { $path } ist nicht verwendbar: { $problem }
hint-ca-file = --ca-file erwartet eine PEM-Datei mit einem oder mehreren CA-Zertifikaten
no-such-account = Kein gespeichertes Konto heißt { $email }
no-account-saved = Es ist noch kein Konto gespeichert
ask-which-account = Welches Konto?
hint-no-account-saved = Fügen Sie eines mit `icloud-setup` hinzu (oder in einem Skript mit `icloud-setup setup --email ADRESSE --password-stdin`)
hint-saved-accounts = Gespeicherte Konten: { $saved }
live-test-failed-item = { $protocol } ({ $summary })
live-test-failed = Der Live-Test ist fehlgeschlagen: { $failed }; es wurde nichts gespeichert
hint-try-again = Versuchen Sie es erneut
config-unreadable = Die Konfigurationsdatei { $path } kann nicht gelesen werden: { $source }
config-unwritable = Die Konfigurationsdatei { $path } kann nicht geschrieben werden: { $source }
hint-config-io = Prüfen Sie, ob der Ordner existiert und Sie darin schreiben dürfen, oder wählen Sie mit --config PATH eine andere Datei
config-unparseable-line = Die Konfigurationsdatei { $path } ist in Zeile { $line } nicht lesbar: { $problem }
config-unparseable = Die Konfigurationsdatei { $path } ist nicht lesbar: { $problem }
config-version = Die Konfigurationsdatei { $path } hat Version { $found }, die dieses icloud-setup nicht kennt
hint-config-unparseable = Die Datei wurde genau so gelassen, wie sie ist. Korrigieren Sie sie von Hand, oder verschieben Sie sie (mv { $path } { $path }.bak) und starten Sie icloud-setup erneut
keyring-unavailable = Kein nutzbarer Schlüsselbund: { $detail }
keyring-not-answering = Der Schlüsselbund hat nicht rechtzeitig geantwortet
keyring-failed = Der Schlüsselbund hat abgelehnt: { $detail }
keyring-locked = Der Schlüsselbund ist gesperrt und konnte nicht zum Entsperren auffordern ({ $detail })
hint-keyring-not-answering = Der Schlüsselbund ist vielleicht gesperrt und wartet auf einem anderen Bildschirm auf ein Passwort: Entsperren Sie ihn (melden Sie sich am Desktop an, oder führen Sie `gnome-keyring-daemon --unlock` aus) und versuchen Sie es erneut; einem langsamen Schlüsselbund geben Sie mit --timeout mehr Zeit. Das Passwort wird nie ersatzweise in einer Datei gespeichert.
hint-keyring-locked = Entsperren Sie ihn und versuchen Sie es erneut: Melden Sie sich am Desktop an (oder entsperren Sie ihn in „Passwörter und Verschlüsselung“ / Seahorse); auf einem Server oder über SSH: `echo -n 'keyring password' | gnome-keyring-daemon --unlock`. Das Passwort wird nie ersatzweise in einer Datei gespeichert.
hint-keyring-missing = Starten Sie auf einem Linux-Desktop den Schlüsselbund (GNOME Keyring oder KWallet) und melden Sie sich erneut an; auf einem Server oder über SSH führen Sie `dbus-run-session -- sh` aus und darin vor icloud-setup `echo -n PASSWORD | gnome-keyring-daemon --unlock --components=secrets` (Debian/Ubuntu: apt install gnome-keyring dbus-user-session). Das Passwort wird nie ersatzweise in einer Datei gespeichert.
keyring-read-back-mismatch = Der Schlüsselbund hat das Passwort angenommen, beim Zurücklesen aber etwas anderes geliefert
hint-keyring-read-back = Der Schlüsselbund ist vielleicht nur ein Platzhalter, der nichts wirklich speichert; es wurde nichts gespeichert
output-failed = Die Ausgabe konnte nicht geschrieben werden: { $source }
terminal-failed = Das Terminal funktioniert nicht mehr: { $source }
cancelled = Abgebrochen. Es wurde nichts gespeichert.
no-config-directory = Es gibt kein Home-Verzeichnis für die Konfiguration; geben Sie mit --config einen Pfad an
# Die Bezeichnungen vor einem Fehler und seinem Hinweis auf der Standardfehlerausgabe.
label-error = Fehler:
label-hint = Hinweis:

## Leben mit dem Konto

rotating = Neues anwendungsspezifisches Passwort für { $email }. Es wird zuerst getestet; das alte bleibt im Schlüsselbund, bis das neue den Test bestanden hat.
rotated =
    Das neue Passwort für { $email } ist im Schlüsselbund, und jedes E-Mail-Programm, das `icloud-setup password { $email }` verwendet, übernimmt es.
    Widerrufen Sie jetzt das alte anwendungsspezifische Passwort unter { -apple-page }, damit es nicht mehr verwendet werden kann.
checking = { $email } wird mit dem gespeicherten Passwort geprüft:
confirm-remove = { $email } aus icloud-setup entfernen (Einstellungen und das gespeicherte Passwort)?
option-remove = Entfernen
option-keep = Behalten
nothing-removed = Es wurde nichts entfernt.
removed =
    { $email } wurde aus den Einstellungen entfernt und sein Passwort aus dem Schlüsselbund.
    Das anwendungsspezifische Passwort funktioniert weiter, bis Sie es unter { -apple-page } widerrufen.
saved-accounts-heading = Gespeicherte Konten:
saved-account-line = { $email }  (zuletzt bestätigt: { $verified })
never-verified = nie
ask-menu = Was möchten Sie tun?
menu-rotate = Passwort wechseln (Sie haben ein neues anwendungsspezifisches Passwort erstellt)
menu-check = Prüfen, ob das gespeicherte Passwort noch funktioniert
menu-add = Ein weiteres Konto hinzufügen
menu-remove = Ein Konto entfernen
needs-command = Es sind Konten gespeichert, und es gibt kein Terminal, um zu fragen, was geschehen soll
hint-needs-command = Geben Sie einen Befehl an: `icloud-setup rotate --password-stdin`, `icloud-setup check`, `icloud-setup status`, `icloud-setup setup --email … --password-stdin` oder `icloud-setup remove EMAIL --yes`
password-to-terminal = Das Passwort wird nicht auf einem Terminal-Bildschirm ausgegeben
hint-password-to-terminal = Dieser Befehl ist für den Passwortbefehl eines E-Mail-Programms gedacht; mit --reveal wird es trotzdem angezeigt
secret-missing = { $email } ist gespeichert, aber sein Passwort fehlt im Schlüsselbund
hint-secret-missing = Speichern Sie ein neues anwendungsspezifisches Passwort mit `icloud-setup rotate { $email }`

## Status

status-empty = Es ist noch kein Konto gespeichert (Konfiguration: { $path }). Führen Sie `icloud-setup` aus, um eines hinzuzufügen.
status-config = Konfiguration: { $path }
status-name = Name:                { $name }
status-signs-in-as = Meldet sich an als:  { $login }
status-imap = Posteingang IMAP:    { $host }:{ $port }  Benutzername { $username }
status-smtp = Postausgang SMTP:    { $host }:{ $port }  Benutzername { $username }
status-verified = Zuletzt bestätigt:   { $verified }
status-password-present = Passwort:            in { $store }
status-password-missing = Passwort:            FEHLT in { $store } – führen Sie `icloud-setup rotate { $email }` aus
status-password-unknown = Passwort:            unbekannt: { $problem }
status-read-with = Auslesen mit:        { $command }
status-mail-programs = E-Mail-Programme:    icloud-setup export msmtp|mbsync|neomutt|aerc|himalaya { $email }

## Export: die Kommentarblöcke am Anfang exportierter Dateien

export-title = { $client }-Konfiguration für { $email }, geschrieben von `{ $command }`.
export-password-per-use = Das Passwort steht nicht in dieser Datei: { $client } führt `{ $command }` aus, das es dort liest, wo icloud-setup es aufbewahrt (im Schlüsselbund Ihres Systems oder in pass); ein neues, mit `icloud-setup rotate` gespeichertes Passwort erreicht { $client } deshalb von selbst.
export-password-at-start = Das Passwort steht nicht in dieser Datei: { $client } führt `{ $command }` aus, das es dort liest, wo icloud-setup es aufbewahrt (im Schlüsselbund Ihres Systems oder in pass); starten Sie { $client } deshalb nach `icloud-setup rotate` neu, damit es das neue Passwort verwendet.
export-password-absolute = Der Befehl nennt icloud-setup mit dem absoluten Pfad, von dem aus es gestartet wurde, { $path }; so funktioniert er auch ohne icloud-setup im PATH, etwa aus cron oder einer systemd-Unit. Wenn icloud-setup verschoben wird, ändern Sie den Pfad hier (oder exportieren Sie diese Datei erneut).
export-password-on-path = icloud-setup muss im PATH von { $client } liegen.
export-ca-added = Diese Konfiguration vertraut den Zertifizierungsstellen in { $path } (aus --ca-file) zusätzlich zu denen des Systems.
export-ca-neomutt = Diese Konfiguration vertraut den Zertifizierungsstellen in { $path } (aus --ca-file) zusätzlich zu denen des Systems. NeoMutt fügt dieser Datei außerdem die Zertifikate hinzu, die Sie dauerhaft akzeptieren.
export-ca-msmtp = Diese Konfiguration vertraut nur den Zertifizierungsstellen in { $path } (aus --ca-file), nicht denen des Systems: msmtp nimmt nur eine einzige Vertrauensdatei.
export-ca-aerc =
    aerc hat keine Einstellung für zusätzliche Zertifizierungsstellen. Um denen in { $path } (aus --ca-file) zu vertrauen, starten Sie es so:
    {"  "}SSL_CERT_FILE={ $quoted_path } aerc
export-msmtp-steps =
    Speichern Sie sie als ~/.msmtprc (oder $XDG_CONFIG_HOME/msmtp/config). Haben Sie schon eine, hängen Sie dies stattdessen an deren Ende an, und lassen Sie die letzte Zeile weg, wenn Ihre Datei bereits ein Standardkonto nennt. Senden Sie sich dann eine Testnachricht:
    {"  "}{ $test_command }
    Programme, die über msmtp senden, wählen dieses Konto mit `-a { $account }` oder bekommen es als Standardkonto.
export-isync-flag = Geschrieben in der Syntax von isync { $syntax } (--isync { $syntax }).
export-isync-installed = Geschrieben in der Syntax von isync { $syntax }, da das installierte mbsync isync { $version } ist.
export-isync-too-old = Das installierte mbsync ist isync { $version }, aber diese Datei braucht isync 1.4 oder neuer (Far und Near): Aktualisieren Sie isync. Sie ist in der Syntax von isync { $syntax } geschrieben.
export-isync-unrecognized = `mbsync --version` antwortete { $answer }, worin keine bekannte Version steht; deshalb ist dies in der Syntax von isync { $syntax } geschrieben, der neuesten. Eine andere wählen Sie mit --isync 1.4.
export-isync-not-installed = mbsync ist hier nicht installiert; deshalb ist dies in der Syntax des neuesten isync geschrieben, { $syntax }. Für isync 1.4 (Debian 12) führen Sie `icloud-setup export mbsync --isync 1.4` aus.
export-mbsync-steps-newest =
    Speichern Sie sie als ~/.mbsyncrc (oder $XDG_CONFIG_HOME/isyncrc), oder hängen Sie sie an das Ende Ihrer vorhandenen an (eine Leerzeile beendet jeden Abschnitt). Legen Sie den lokalen Maildir-Ordner an und synchronisieren Sie dann:
    {"  "}{ $mkdir_command }
    {"  "}{ $sync_command }
    Die iCloud-Ordner (INBOX, Sent Messages, Drafts, Junk, Archive, Deleted Messages) erscheinen darin als Unterordner mit denselben Namen.
export-mbsync-steps-older =
    Speichern Sie sie als ~/.mbsyncrc, oder hängen Sie sie an das Ende Ihrer vorhandenen an (eine Leerzeile beendet jeden Abschnitt). Legen Sie den lokalen Maildir-Ordner an und synchronisieren Sie dann:
    {"  "}{ $mkdir_command }
    {"  "}{ $sync_command }
    Die iCloud-Ordner (INBOX, Sent Messages, Drafts, Junk, Archive, Deleted Messages) erscheinen darin als Unterordner mit denselben Namen.
export-neomutt-steps = Speichern Sie sie als ~/.config/neomutt/neomuttrc oder als eigene Datei, die Ihre neomuttrc mit einer `source`-Zeile einliest. Starten Sie dann `neomutt`.
export-aerc-steps =
    Fügen Sie sie in ~/.config/aerc/accounts.conf ein; aerc liest diese Datei nur, wenn niemand sonst sie lesen kann:
    {"  "}chmod 600 ~/.config/aerc/accounts.conf
    Starten Sie dann `aerc`.
export-aerc-starttls = smtp-starttls lässt aerc 0.14 (Debian 12) STARTTLS verwenden; aerc 0.15 und neuer tun das immer und warnen, dass die Zeile nicht mehr nötig ist: Löschen Sie sie dort.
export-himalaya-steps = Dies ist das Format von himalaya 2; himalaya 1 liest ein anderes. Speichern Sie sie als ~/.config/himalaya/config.toml, oder fügen Sie diese Tabelle Ihrer vorhandenen hinzu (nur ein Konto darf `default = true` haben). Starten Sie dann `himalaya envelope list`.
export-unrepresentable = { $what } { $value } kann nicht in die Konfiguration eines E-Mail-Programms geschrieben werden: Der Wert enthält einen Zeilenumbruch oder ein anderes Steuerzeichen oder ist kein gültiges UTF-8
export-config-path = Der Pfad der Konfigurationsdatei
export-ca-file-path = Der Pfad aus --ca-file
hint-export-unrepresentable = Korrigieren Sie den Wert in der Konfigurationsdatei (oder verwenden Sie einen Pfad ohne solche Zeichen) und exportieren Sie erneut

## Störungen

transcript-no-greeting = noch keine Begrüßung; es wird geprüft, ob der Port ab dem ersten Byte TLS spricht
transcript-tls-first = Der Server beantwortete ein TLS-Hello: Er spricht TLS ab dem ersten Byte, nicht STARTTLS
no-greeting-detail = Der Server nahm die Verbindung an, sendete aber keine Begrüßung
tls-first-detail = keine Klartext-Begrüßung; der Server beantwortete stattdessen ein TLS-Hello
no-answer-in-time-detail = keine Antwort vor Ablauf der Zeit

## die Befehlszeile: Texte für --help

cli-about = Richtet ein iCloud-Mail-Konto für jedes IMAP/SMTP-E-Mail-Programm ein: Sie geben die Adresse und ein anwendungsspezifisches Passwort an, die Anmeldungen werden live gegen Apples Server getestet, und ein Profil wird gespeichert, das Passwort im Schlüsselbund des Systems
cli-long-about =
    Richtet ein iCloud-Mail-Konto für jedes IMAP/SMTP-E-Mail-Programm ein: Sie geben die Adresse und ein anwendungsspezifisches Passwort an, die Anmeldungen werden live gegen Apples Server getestet, und ein Profil wird gespeichert, das Passwort im Schlüsselbund des Systems.

    Ohne Befehl startet der Assistent.
cli-config = Zu verwendende Konfigurationsdatei (Standard: icloud-setup/config.toml im Konfigurationsverzeichnis des Systems)
cli-timeout = Sekunden, die auf jeden Server (und auf den Schlüsselbund) gewartet wird, bevor aufgegeben wird
cli-color = Wann Farben verwendet werden (NO_COLOR wird bei auto beachtet)
cli-verbose = Zeigt das Gespräch mit den Servern (das Passwort wird immer maskiert)
cli-imap-server = Zu testender IMAP-Server, für Tests und ungewöhnliche Netzwerke
cli-smtp-server = Zu testender SMTP-Server für den Versand, für Tests und ungewöhnliche Netzwerke
cli-ca-file = Vertraut zusätzlich den CA-Zertifikaten in dieser PEM-Datei (Zertifikate werden immer geprüft)
cli-heading-advanced = Erweitert
cli-help = Hilfe anzeigen
cli-help-long = Hilfe anzeigen (Zusammenfassung mit „-h“)
cli-help-short = Hilfe anzeigen (mehr mit „--help“)
cli-version = Version anzeigen
cli-help-command = Zeigt diese Hilfe oder die Hilfe der angegebenen Befehle
cli-help-command-args = Zeigt die Hilfe der Befehle
cli-setup = Ein Konto hinzufügen (oder aktualisieren); jede Frage hat eine Option, daher geht es auch ganz ohne Fragen
cli-setup-email = Die Adresse, von der E-Mails gesendet werden
cli-setup-login = Die Adresse mit @icloud.com, @me.com oder @mac.com zum Anmelden, wenn --email auf einer eigenen Domain (iCloud+) liegt oder eine Apple-ID bei einem anderen Anbieter ist
cli-setup-name = Ihr Name, wie ihn Empfänger sehen (optional)
cli-setup-password-stdin = Liest das anwendungsspezifische Passwort als eine Zeile von der Standardeingabe
cli-rotate = Ein neues anwendungsspezifisches Passwort für ein gespeichertes Konto einsetzen (vorher live getestet)
cli-rotate-email = Das Konto (darf fehlen, wenn nur eines gespeichert ist)
cli-rotate-password-stdin = Liest das neue anwendungsspezifische Passwort als eine Zeile von der Standardeingabe
cli-check = Gespeicherte Konten mit dem gespeicherten Passwort live testen (alle, außer eines wird genannt)
cli-check-email = Das zu prüfende Konto
cli-status = Zeigt gespeicherte Konten, ihre Benutzernamen, die letzte Bestätigung und wo das Passwort liegt
cli-status-email = Das anzuzeigende Konto (alle, wenn es fehlt)
cli-status-json = Maschinenlesbare Ausgabe
cli-password = Gibt das anwendungsspezifische Passwort auf der Standardausgabe aus, für den Passwortbefehl eines E-Mail-Programms
cli-password-email = Das Konto (darf fehlen, wenn nur eines gespeichert ist)
cli-password-reveal = Auch ausgeben, wenn die Standardausgabe ein Terminal ist
cli-remove = Ein Konto aus der Konfiguration und sein Passwort aus dem Schlüsselbund löschen
cli-remove-email = Das zu entfernende Konto
cli-remove-yes = Nicht nachfragen
cli-settings = Zeigt die Servereinstellungen von iCloud (Hosts, Ports, Sicherheit, Benutzernamen); speichert nichts
cli-settings-email = Zeigt die Benutzernamen für diese Adresse
cli-export = Gibt eine fertige Konfiguration für msmtp, mbsync, neomutt, aerc oder himalaya aus
cli-export-long =
    Gibt eine fertige Konfiguration für msmtp, mbsync, neomutt, aerc oder himalaya aus

    Sie geht auf die Standardausgabe, mit einem Kommentarblock am Anfang, der sagt, wo sie zu speichern ist und was danach zu tun ist. Das Programm holt das Passwort über `icloud-setup password EMAIL`; die Datei enthält also kein Geheimnis, und ein gewechseltes Passwort erreicht das Programm von selbst. Mit --ca-file kommt die CA in die eigene Vertrauenseinstellung des Programms.
cli-export-client = Das E-Mail-Programm, für das die Konfiguration geschrieben wird
cli-export-email = Das gespeicherte Konto (darf fehlen, wenn nur eines gespeichert ist)
cli-export-isync = Für mbsync: Syntax von isync 1.4 (Debian 12) oder 1.5 schreiben [Standard: was das installierte mbsync meldet; die neueste, wenn es nicht installiert ist]
cli-completions = Gibt Shell-Vervollständigungen aus
cli-completions-shell = Die Shell, für die vervollständigt wird
cli-value-msmtp = versendet E-Mails (ein Ersatz für sendmail)
cli-value-mbsync = isync: hält ein lokales Maildir per IMAP mit iCloud synchron
cli-value-neomutt = liest per IMAP und sendet selbst per SMTP
cli-value-aerc = liest per IMAP und sendet selbst per SMTP, im Terminal
cli-value-himalaya = Version 2: liest per IMAP und sendet per SMTP von der Befehlszeile
cli-value-isync-1-4 = isync 1.4 (Debian 12 liefert 1.4.4): `SSLType`
cli-value-isync-1-5 = isync 1.5: `TLSType`
# Die Überschriften von clap.
cli-usage-heading = Aufruf:
cli-heading-commands = Befehle
cli-heading-arguments = Argumente
cli-heading-options = Optionen
