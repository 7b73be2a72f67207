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
    {"  "}Passwort: { $store } (auslesen mit: { $command })
    {"  "}Einstellungen: { $path }
# Mit der Präposition („im Schlüsselbund“): die Sätze setzen den Ort ohne „in“ ein.
store-macos-keychain = in der macOS-Schlüsselbundverwaltung
store-windows-credential-manager = in der Windows-Anmeldeinformationsverwaltung
store-secret-service = im Schlüsselbund (Secret Service)
store-pass = im Passwortspeicher (pass)
store-memory = im Arbeitsspeicher (nur für Tests)
next-steps = Als Nächstes: Zeigen Sie das gespeicherte Konto mit `icloud-setup status` an, schreiben Sie die Konfiguration Ihres E-Mail-Programms mit `icloud-setup export { $clients }`, oder tragen Sie in jedem anderen Programm `icloud-setup password { $email }` als Passwortbefehl ein.

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
hint-name-an-account = Hängen Sie die Adresse an den Befehl an, etwa `icloud-setup { $command } { $email }`
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
status-password-present = Passwort:            { $store }
status-password-missing = Passwort:            FEHLT { $store } – führen Sie `icloud-setup rotate { $email }` aus
status-password-unknown = Passwort:            unbekannt: { $problem }
status-read-with = Auslesen mit:        { $command }
status-mail-programs = E-Mail-Programme:    icloud-setup export { $clients } { $email }

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
    Die iCloud-Ordner erscheinen darin als Unterordner unter ihren iCloud-Namen: der Posteingang als INBOX, dazu Sent Messages, Drafts, Junk, Archive und Deleted Messages.
    Jeder Ordner des Kontos erscheint darin als Unterordner mit demselben Namen, außer Notes (Apple Notizen, keine E-Mail).
export-mbsync-steps-older =
    Speichern Sie sie als ~/.mbsyncrc, oder hängen Sie sie an das Ende Ihrer vorhandenen an (eine Leerzeile beendet jeden Abschnitt). Legen Sie den lokalen Maildir-Ordner an und synchronisieren Sie dann:
    {"  "}{ $mkdir_command }
    {"  "}{ $sync_command }
    Die iCloud-Ordner erscheinen darin als Unterordner unter ihren iCloud-Namen: der Posteingang als INBOX, dazu Sent Messages, Drafts, Junk, Archive und Deleted Messages.
    Jeder Ordner des Kontos erscheint darin als Unterordner mit demselben Namen, außer Notes (Apple Notizen, keine E-Mail).
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
cli-export = Gibt eine fertige Konfiguration für msmtp, mbsync, neomutt, aerc, himalaya oder git send-email aus
cli-export-long =
    Gibt eine fertige Konfiguration für msmtp, mbsync, neomutt, aerc, himalaya oder git send-email aus

    Sie geht auf die Standardausgabe, mit einem Kommentarblock am Anfang, der sagt, wo sie zu speichern ist und was danach zu tun ist. Das Programm holt das Passwort über `icloud-setup password EMAIL`; die Datei enthält also kein Geheimnis, und ein gewechseltes Passwort erreicht das Programm von selbst (git send-email fragt stattdessen seinen Credential-Helper, `icloud-setup git-credential`). Mit --ca-file kommt die CA in die eigene Vertrauenseinstellung des Programms.
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

## Passwortspeicher: pass (Issue 15)

pass-not-installed = `pass` (der Standard-Passwortspeicher unter Unix) ist nicht installiert
pass-not-initialised = Der Passwortspeicher { $store_dir } ist nicht eingerichtet: `pass init` wurde für ihn nie ausgeführt
pass-no-usable-key = Der Passwortspeicher ist für den GPG-Schlüssel { $key_ids } eingerichtet, und dieser Computer kann ihn nicht verwenden (hier gibt es keinen geheimen Schlüssel, oder der öffentliche Schlüssel fehlt oder gilt nicht als vertrauenswürdig)
pass-passphrase-no-terminal = gpg-agent braucht die Passphrase Ihres GPG-Schlüssels und hatte kein Terminal, um danach zu fragen
pass-passphrase-unavailable = gpg-agent konnte die Passphrase Ihres GPG-Schlüssels nicht erhalten (die Abfrage konnte nicht angezeigt werden, oder sie wurde abgebrochen)
pass-timed-out = `pass` wurde nicht innerhalb von { $secs } Sekunden fertig und wurde beendet
pass-failed = `pass` ist fehlgeschlagen: { $detail }
-never-in-clear-text = Das Passwort wird nie ersatzweise im Klartext in einer Datei gespeichert.
hint-pass-not-installed = Installieren Sie es (Debian/Ubuntu: `sudo apt install pass`; macOS: `brew install pass`) und richten Sie es mit `pass init IHRE-GPG-SCHLÜSSEL-ID` ein. { -never-in-clear-text }
hint-pass-init-for-key = Richten Sie ihn für Ihren GPG-Schlüssel ein: `pass init { $key }`. { -never-in-clear-text }
hint-pass-init-without-key = Dieser Computer hat noch keinen GPG-Schlüssel: Erstellen Sie einen mit `gpg --quick-gen-key 'Ihr Name <sie@example.org>'` und führen Sie dann `pass init` mit seinem Fingerabdruck aus (`gpg --list-secret-keys` zeigt ihn). { -never-in-clear-text }
hint-pass-reinit-for-key = Richten Sie den Speicher neu für einen Schlüssel ein, den dieser Computer hat: `pass init { $key }` (das verschlüsselt den vorhandenen Inhalt neu). { -never-in-clear-text }
hint-pass-reinit-without-key = Richten Sie den Speicher neu für einen Schlüssel ein, den dieser Computer hat: `pass init IHRE-GPG-SCHLÜSSEL-ID` (`gpg --list-secret-keys` listet sie auf; gibt es keinen, erstellen Sie einen mit `gpg --quick-gen-key 'Ihr Name <sie@example.org>'`). { -never-in-clear-text }
hint-pass-passphrase-no-terminal = Starten Sie icloud-setup in einem Terminal (über SSH vorher `export GPG_TTY=$(tty)`), damit pinentry nach der Passphrase fragen kann; für den unbeaufsichtigten Betrieb (cron) geben Sie dem Speicher einen Schlüssel ohne Passphrase oder halten ihn in gpg-agent entsperrt. { -never-in-clear-text }
hint-pass-passphrase-unavailable = Versuchen Sie es erneut und geben Sie die Passphrase ein, wenn pinentry danach fragt (Debian/Ubuntu: `sudo apt install pinentry-curses`, falls keine Abfrage erscheint). { -never-in-clear-text }
hint-pass-timed-out = gpg-agent hat vielleicht auf die Passphrase Ihres Schlüssels gewartet; versuchen Sie es erneut und geben Sie ihm mehr Zeit, etwa mit --timeout { $longer }.
hint-pass-failed = Führen Sie `pass ls` aus, um zu sehen, was pass selbst über den Speicher sagt. { -never-in-clear-text }
unknown-store = Laut Konfiguration liegt das Passwort in { $value }, einem Ort, den diese Version von icloud-setup nicht kennt
hint-unknown-store = Für ein Konto in pass lautet die Zeile `secret = "pass:icloud-setup/EMAIL"`; ohne die Zeile liegt das Passwort im Schlüsselbund des Systems. Korrigieren Sie die Zeile oder aktualisieren Sie icloud-setup.
offer-pass-instead =
    Der Schlüsselbund des Systems kann hier nicht verwendet werden ({ $problem }).
    Das Passwort kann stattdessen in pass kommen, den Standard-Passwortspeicher unter Unix, verschlüsselt mit Ihrem GPG-Schlüssel; jedes E-Mail-Programm liest es weiterhin über `icloud-setup password`.
ask-use-pass = Wohin soll das Passwort?
option-use-pass = In pass (mit GPG verschlüsselt)
option-stop-no-keyring = Nirgendwohin: beenden, ich richte zuerst einen Schlüsselbund ein
secret-missing-from-pass = { $email } ist gespeichert, aber sein Passwort fehlt in pass (kein Eintrag { $entry })
rotating-in-pass = Neues anwendungsspezifisches Passwort für { $email }. Es wird zuerst getestet; das alte bleibt in pass, bis das neue den Test bestanden hat.
rotated-in-pass =
    Das neue Passwort für { $email } ist in pass, und jedes E-Mail-Programm, das `icloud-setup password { $email }` verwendet, übernimmt es.
    Widerrufen Sie jetzt das alte anwendungsspezifische Passwort unter { -apple-page }, damit es nicht mehr verwendet werden kann.
removed-from-pass =
    { $email } wurde aus den Einstellungen entfernt und sein Passwort aus pass.
    Das anwendungsspezifische Passwort funktioniert weiter, bis Sie es unter { -apple-page } widerrufen.

## Sendetest (Issue 13)

# Die Testnachricht selbst: Die Person liest sie in ihrem Postfach.
send-test-subject = Testnachricht von icloud-setup – kann gelöscht werden
send-test-body =
    Diese Nachricht hat icloud-setup gesendet, um zu prüfen, ob { $email } über iCloud E-Mails senden kann.

    Sie wird wieder entfernt, sobald sie ankommt. Sollten Sie sie trotzdem sehen, können Sie sie bedenkenlos löschen.
send-test-intro = Sendetest: Eine kurze Nachricht von { $email } an sich selbst wird gesendet, ihr Eintreffen abgewartet (höchstens { $wait_secs } Sekunden) und danach wieder entfernt.
send-test-signing-in = Posteingang (IMAP) { $server }: Anmeldung, um den Posteingang zu beobachten
send-test-watching = Posteingang (IMAP): angemeldet als { $username }, der Posteingang wird beobachtet
send-test-submitting = Postausgang (SMTP) { $server }: Die Testnachricht wird gesendet
send-test-submitted = Postausgang (SMTP): Die Testnachricht wurde angenommen. Der Server antwortete: { $server_said }
send-test-waiting = Warten auf die Testnachricht (höchstens { $wait_secs } Sekunden)
send-test-arrived-inbox = Die Testnachricht ist nach { $after_secs } Sekunden im Posteingang angekommen
send-test-arrived-junk = Die Testnachricht ist nach { $after_secs } Sekunden angekommen, aber im Ordner „Werbung“ (Junk), nicht im Posteingang
send-test-in-junk = Das Senden funktioniert, aber iCloud hat die Nachricht von { $email } in den Ordner „Werbung“ (Junk) gelegt. E-Mails, die Sie von dieser Adresse senden, könnten auch bei anderen als Spam gelten; prüfen Sie bei einer eigenen Domain deren SPF- und DKIM-Einträge so, wie die Einstellungen für eigene E-Mail-Domains von iCloud Mail sie zeigen.
send-test-expunged = Die Testnachricht wurde aus { $folder } entfernt; sonst wurde nichts angerührt.
send-test-flagged-deleted = Die Testnachricht in { $folder } wurde als gelöscht und gelesen markiert; Ihr E-Mail-Programm entfernt sie, wenn es das nächste Mal gelöschte Nachrichten bereinigt. (Dieser Server kann keine einzelne Nachricht allein entfernen, und alle gelöschten Nachrichten zu entfernen, träfe auch jene, die Sie selbst als gelöscht markiert haben.)
send-test-passed = Das Senden funktioniert: E-Mails von { $email } gehen hinaus und kommen an.
# Der Schritt des Sendetests, der fehlschlug, wie er in „Schritt „…““ von send-refused und send-step-failed-* passt.
send-step-mail-from = Absender (MAIL FROM)
send-step-rcpt-to = Empfänger (RCPT TO)
send-step-data = Beginn der Nachricht (DATA)
send-step-end-of-data = Ende der Nachricht (nach DATA)
send-step-select = Öffnen des Postfachs (SELECT)
send-step-watch = Suche nach der Testnachricht
send-step-remove = Entfernen der Testnachricht
send-refused = Der Server hat Sie angemeldet, aber das Senden von { $email } beim Schritt „{ $step }“ abgelehnt; es wurde nichts gespeichert oder geändert. Der Server antwortete: { $server_said }
hint-send-refused-alias = { $email } ist eine eigene Domain oder ein Alias: Prüfen Sie, ob die Adresse in den Einstellungen von iCloud Mail als Adresse dieses Kontos eingerichtet und aktiviert ist (icloud.com/mail → Einstellungen → Accounts, oder „Eigene E-Mail-Domain“ auf iCloud.com), und starten Sie den Sendetest dann erneut.
hint-send-refused-own-address = iCloud hat die eigene Adresse { $email } des Kontos als Absender abgelehnt. Prüfen Sie, ob iCloud Mail für diesen Apple Account aktiviert ist (icloud.com/mail), und versuchen Sie es später erneut.
send-step-failed-server-said = Der Sendetest ist beim Schritt „{ $step }“ ({ $protocol }) fehlgeschlagen: { $summary }; es wurde nichts gespeichert oder geändert. Der Server antwortete: { $words }
send-step-failed-detail = Der Sendetest ist beim Schritt „{ $step }“ ({ $protocol }) fehlgeschlagen: { $summary } ({ $detail }); es wurde nichts gespeichert oder geändert
hint-send-step-temporary = Das ist meist vorübergehend: Versuchen Sie den Sendetest in ein paar Minuten erneut.
hint-send-step-verbose = Starten Sie ihn erneut mit --verbose, um das Gespräch mit dem Server zu sehen.
send-not-arrived = Die Testnachricht wurde zum Senden angenommen, ist aber nicht innerhalb von { $waited_secs } Sekunden im Posteingang oder im Ordner „Werbung“ (Junk) von { $email } angekommen
hint-send-not-arrived = Sie kann noch ankommen; sehen Sie auch im Ordner „Werbung“ (Junk) nach, und löschen Sie sie, wenn sie da ist. Um länger zu warten, geben Sie --wait SEKUNDEN an.
ask-send-test = Eine Testnachricht an sich selbst senden? (Sie wird wieder entfernt, sobald sie ankommt)
option-skip-send-test = Nein
option-send-test = Ja, eine Testnachricht senden

## feindliche Eingaben, Signale und Versehen (Issue 9)

address-control-character = „{ $input }“ enthält einen Zeilenumbruch oder ein anderes Steuerzeichen; eine E-Mail-Adresse enthält keine.
address-several-ats = „{ $input }“ ist keine E-Mail-Adresse: Sie enthält mehr als ein @.
address-near-miss = { $input } ist keine iCloud-Adresse. Meinten Sie { $suggestion }?
hint-address-near-miss = Wenn Sie { $suggestion } meinten, geben Sie --email { $suggestion } an; eine eigene Domain, die nur so aussieht wie die von iCloud, braucht zusätzlich --login mit der iCloud-Adresse des Kontos
option-use-suggestion = Ja, { $suggestion } verwenden
option-keep-typed = Nein, { $typed } stimmt (eine eigene Domain)
name-control-character = Der Name „{ $input }“ enthält einen Zeilenumbruch oder ein anderes Steuerzeichen; ein Name ist eine Zeile einfacher Text.
name-looks-like-password = Das sieht wie das anwendungsspezifische Passwort aus, nicht wie ein Name. Der Name wird in der Konfigurationsdatei gespeichert und allen gezeigt, denen Sie schreiben.
hint-name-problem = Geben Sie Ihren Namen so an, wie Empfänger ihn sehen sollen, etwa --name "Erika Mustermann", oder lassen Sie --name weg
ask-name-keeping = Ihr Name, wie ihn die Empfänger Ihrer E-Mails sehen (Eingabetaste behält „{ $saved }“)
already-saved = { $email } ist bereits gespeichert. Wenn Sie fortfahren, werden Passwort und Einstellungen ersetzt; der Name bleibt, sofern Sie keinen neuen angeben.
rotating-to-same-password = Warnung: Das ist das Passwort, das für { $email } bereits gespeichert ist. Wechseln bedeutet ein neues anwendungsspezifisches Passwort: Erstellen Sie eines unter { -apple-page } und widerrufen Sie dann das alte.
password-stdin-is-terminal = Die Standardeingabe ist ein Terminal, daher liest --password-stdin das Passwort verdeckt, hier:
server-options-do-not-apply = Hinweis: --imap-server und --smtp-server gelten nicht für `{ $command }`: Dieser Befehl verwendet die Server, die mit jedem Konto gespeichert sind.
orphaned-secret = Der Schlüsselbund enthält ein Passwort für { $email }, das kein gespeichertes Konto aufführt (übrig geblieben von einem unterbrochenen Lauf).
orphaned-secret-removed = Das Passwort für { $email } wurde aus dem Schlüsselbund entfernt; es gehörte zu keinem gespeicherten Konto.
status-orphans-heading = Im Schlüsselbund, aber in keinem gespeicherten Konto (entfernen mit `icloud-setup remove EMAIL`):
check-summary-passed = ✓ { $email }: Beide Server haben das gespeicherte Passwort angenommen
check-summary-secret-missing = ✗ { $email }: kein gespeichertes Passwort im Schlüsselbund – führen Sie `icloud-setup rotate { $email }` aus
check-summary-failed = ✗ { $email }: { $problem }
check-summary-heading = Zusammenfassung:
check-failed = Die Prüfung ist bei { $failed_count } von { $total } { $total ->
        [one] Konto
       *[other] Konten
    } fehlgeschlagen: { $failed }
check-live-test-failed = Der Live-Test ist fehlgeschlagen: { $failed }
config-not-a-file = Die Konfigurationsdatei { $path } ist keine normale Datei (sondern ein Gerät, eine Pipe oder ein Verzeichnis)
hint-config-not-a-file = Lassen Sie --config (oder ICLOUD_SETUP_CONFIG) auf eine normale Datei zeigen, oder lassen Sie die Option weg, um die Standarddatei zu verwenden
config-too-large = Die Konfigurationsdatei { $path } ist größer als { $limit_kib } KiB, weit mehr als jede Konfiguration von icloud-setup; sie wird nicht gelesen
config-not-utf8 = Die Konfigurationsdatei { $path } kann nicht gelesen werden: Sie ist kein UTF-8-Text
config-symlink-unusable = Die Konfigurationsdatei { $path } ist ein symbolischer Link auf { $target }, durch den nicht geschrieben werden kann
hint-output-failed = Die Standardausgabe konnte nicht geschrieben werden (eine volle Festplatte oder eine geschlossene Datei oder Pipe); sonst ist nichts schiefgegangen
stopped-after-saving = Angehalten. Das Speichern war abgeschlossen: Das Konto ist vollständig gespeichert.
# Die Bezeichnung des Schlüsselbund-Eintrags, wie Seahorse („Passwörter und Verschlüsselung“) und KWallet sie zeigen.
keyring-label = Anwendungsspezifisches Passwort von iCloud Mail für { $email }

## die eigenen Worte des Live-Tests: Einzelheiten, Protokoll, Adressen (Issues 9 und 10)

detail-no-addresses = Der Name hat keine Adresse
detail-lookup-timed-out = Die Namensauflösung wurde nicht rechtzeitig fertig
detail-server-closed = Der Server hat die Verbindung geschlossen
detail-not-imap-greeting = Das Erste, was der Server sagte, ist keine IMAP-Begrüßung
detail-not-accepting = Der Server nimmt gerade keine Verbindungen an
detail-login-refused = Die Anmeldung wurde nicht angenommen
detail-starttls-not-offered = Der Server hat kein STARTTLS angeboten, daher wurde das Passwort nicht gesendet
detail-no-usable-login-method = Der Server bietet kein Anmeldeverfahren an, das dieses Programm verwendet (AUTH PLAIN oder LOGIN); das Passwort wurde nicht gesendet
detail-data-before-tls = Der Server sandte Klartext, wo die Verschlüsselung beginnen musste; die Verbindung wurde getrennt, bevor etwas Geheimes gesendet wurde
detail-malformed-reply = Die Antwort hat nicht die Form, die das Protokoll verlangt
detail-line-too-long = Der Server sandte eine Zeile, die länger als { $limit_kib } KiB ist; die Verbindung wurde getrennt
detail-response-too-long = Die Antwort des Servers lief über { $limit_kib } KiB hinaus, ohne zu enden; die Verbindung wurde getrennt
detail-no-address-tried = In der verfügbaren Zeit konnte keine Adresse versucht werden
detail-addresses-tried = Versuchte Adressen: { $attempts }
attempt-connected = { $address } verbunden
attempt-failed = { $address } fehlgeschlagen ({ $words })
attempt-timed-out = { $address } hat nicht rechtzeitig geantwortet
attempt-abandoned = { $address } hatte noch nicht geantwortet, als eine andere Adresse antwortete; geschlossen
# Zeilen von --verbose über die Verbindung; das Gespräch selbst (C: und S:) wird nicht übersetzt.
transcript-attempt = Verbindungsaufbau: { $attempt }
transcript-tls-established = TLS aufgebaut, Zertifikat gültig für { $host }
transcript-starttls-missing = STARTTLS wird nicht angeboten; das Passwort wird nicht gesendet
transcript-using-preconnected = Die vorab geöffnete Verbindung wird verwendet
transcript-preconnection-redone = Die vorab geöffnete Verbindung wurde geschlossen oder ist fehlgeschlagen, bevor sie gebraucht wurde; eine neue wird geöffnet

## --help-Texte der seither hinzugekommenen Optionen (Issues 13 und 15)

cli-setup-store = Wohin das Passwort kommt: in den Schlüsselbund des Systems (Standard) oder in pass, den Standard-Passwortspeicher unter Unix (mit GPG verschlüsselt), für Server und andere Rechner ohne Schlüsselbund. Fehlt die Option, behält ein bereits gespeichertes Konto seinen Speicher
cli-value-store-keyring = Der Schlüsselbund des Systems (Secret Service, macOS-Schlüsselbundverwaltung, Windows-Anmeldeinformationsverwaltung)
cli-value-store-pass = pass, der Standard-Passwortspeicher unter Unix: Eintrag icloud-setup/EMAIL
cli-send-test = Sendet zusätzlich eine Testnachricht von der Adresse des Kontos an sich selbst, wartet, bis sie per IMAP ankommt, und entfernt sie wieder (nur die Testnachricht wird entfernt)
cli-wait = Mit --send-test: wie viele Sekunden höchstens auf das Eintreffen der Nachricht gewartet wird [Standard: 120]

## Einzelheiten des Sendetests

send-detail-command-refused = der Server hat den Befehl abgelehnt
send-detail-unexpected-reply = die Antwort des Servers ist weder die Freigabe für diesen Schritt noch eine Ablehnung
send-detail-address-unusable = die Absenderadresse kann nicht als SMTP-Umschlagadresse verwendet werden
send-detail-session-ended = der Server hat die Sitzung beendet
send-test-phase-failed-because = { $role }: { $why }

## git

cli-value-git = git send-email: versendet Patches per SMTP, das Passwort vom Credential-Helper von icloud-setup
export-git-steps =
    Hängen Sie sie an ~/.gitconfig an:
    {"  "}icloud-setup export git >> ~/.gitconfig
    oder speichern Sie sie als eigene Datei und binden Sie sie mit `git config --global include.path DATEI` ein. Senden Sie dann einen Patch, z. B. `git send-email --to=ADRESSE -1`.
export-git-credential = Der Helper antwortet nur, wenn git nach smtp zu { $server } als { $username } fragt; für jeden anderen Server (etwa GitHub über https) antwortet er nichts, und git fragt seine anderen Helper.
export-git-starttls = tls ist gits Wort für STARTTLS (Port 587); ssl hieße TLS vom ersten Byte an (Port 465), und jeder andere Wert würde unverschlüsselt senden.
export-git-ssl = ssl ist gits Wort für TLS vom ersten Byte an (Port 465); tls hieße STARTTLS, und jeder andere Wert würde unverschlüsselt senden.
export-git-helper-reset = Zuerst der leere Helper: anderswo eingetragene Helper (etwa store) werden für diesen Server nicht gefragt, und keiner von ihnen bekommt das Passwort zum Aufbewahren.
export-ca-git = Sie vertraut nur den Zertifizierungsstellen in { $path } (aus --ca-file), nicht denen des Systems: git send-email nimmt nur eine Datei oder ein Verzeichnis (smtpSSLCertPath).
cli-git-credential = Für git: beantwortet gits Fragen nach dem SMTP-Passwort eines gespeicherten Kontos (eingerichtet mit `icloud-setup export git`)
cli-git-credential-long =
    Für git: beantwortet gits Fragen nach dem SMTP-Passwort eines gespeicherten Kontos (eingerichtet mit `icloud-setup export git`)

    Das Credential-Helper-Protokoll von git (gitcredentials(7)). Mit get liest es gits Anfrage von der Standardeingabe und gibt username= und password= nur aus, wenn das Protokoll smtp ist, der Host der SMTP-Server samt Port eines gespeicherten Kontos und der Benutzername, falls git einen schickt, dessen SMTP-Benutzername; auf alles andere gibt es nichts aus, damit git seine anderen Helper fragt. store und erase ändern nichts: Das Passwort bleibt, wo icloud-setup es aufbewahrt, und ein neues kommt mit `icloud-setup rotate`. Es fragt nie etwas; --verbose sagt auf der Standardfehlerausgabe, was es getan hat und warum.
cli-git-credential-operation = Was git verlangt: get, store oder erase (andere werden übergangen)
git-credential-store-ignored = git-credential: store übergangen: Das Passwort bleibt, wo icloud-setup es aufbewahrt; ein neues kommt mit `icloud-setup rotate`.
git-credential-erase-ignored = git-credential: erase übergangen: Das Passwort bleibt, wo icloud-setup es aufbewahrt; hat der Server es abgelehnt, erstellen Sie ein neues app-spezifisches Passwort und führen Sie `icloud-setup rotate` aus.
git-credential-unknown-operation = git-credential: „{ $operation }“ ist keine Operation, die dieser Helper kennt; übergangen.
git-credential-too-long = git-credential: keine Antwort: gits Anfrage ist länger als { $bytes } Bytes oder { $lines } Zeilen.
git-credential-malformed = git-credential: keine Antwort: gits Anfrage hat eine Zeile, die kein Text der Form key=value ist.
git-credential-malformed-io = git-credential: keine Antwort: Die Standardeingabe konnte nicht gelesen werden ({ $detail }).
git-credential-not-smtp = git-credential: keine Antwort: git fragt nach { $protocol }, beantwortet wird nur smtp.
git-credential-no-protocol = git-credential: keine Antwort: git nennt kein Protokoll, beantwortet wird nur smtp.
git-credential-no-host = git-credential: keine Antwort: git nennt keinen Host.
git-credential-no-account = git-credential: keine Antwort: Kein gespeichertes Konto sendet über { $server }.
git-credential-other-username = git-credential: keine Antwort: Kein gespeichertes Konto, das über { $server } sendet, hat den SMTP-Benutzernamen { $username }.
git-credential-several = git-credential: keine Antwort: Mehrere gespeicherte Konten senden über { $server }; setzen Sie sendemail.smtpUser, damit git das gemeinte nennt.
git-credential-answered = git-credential: mit dem Passwort von { $email } geantwortet (SMTP-Benutzername { $username }).
git-credential-uncarriable = git-credential: keine Antwort: Benutzername oder Passwort von { $email } enthält einen Zeilenumbruch, den gits Protokoll nicht übertragen kann.
git-credential-terminal = git-credential: Die Standardausgabe ist ein Terminal, daher wird das Passwort nicht ausgegeben; git liest es über eine Pipe. Um es zu sehen, führen Sie `icloud-setup password --reveal` aus.
## input

password-stdin-too-long = Das Passwort von der Standardeingabe ist länger als { $limit_kib } KiB, was kein anwendungsspezifisches Passwort ist (es hat 19 Zeichen); an keinen Server wurde etwas gesendet
address-looks-like-password = Das sieht wie das anwendungsspezifische Passwort aus, nicht wie eine E-Mail-Adresse, und wird deshalb hier nicht gezeigt. Geben Sie die Adresse ein (wie johnappleseed@icloud.com); das Passwort wird danach abgefragt.
address-local-part-characters = „{ $input }“ ist keine Adresse, die iCloud Mail verwenden kann: Vor dem @ darf sie nur Buchstaben a–z, Ziffern und die Zeichen . _ - + enthalten
export-line-too-long = Die { $client }-Konfiguration kann nicht geschrieben werden: Eine ihrer Zeilen wäre { $length } Byte lang, und { $client } liest Zeilen von höchstens { $limit } Byte (es würde die ganze Datei ablehnen)
hint-export-line-too-long = Kürzen Sie den langen Wert in der Konfigurationsdatei (einen Namen, Benutzernamen oder Host) oder legen Sie die Konfiguration unter einem kürzeren Pfad ab, und exportieren Sie dann erneut
## stores

removed-kept-for-other-configs =
    { $email } wurde aus diesen Einstellungen entfernt. Sein Passwort bleibt im Schlüsselbund: Eine andere Einstellungsdatei hat es ebenfalls gespeichert und verwendet es noch.
    Sobald keine Einstellungsdatei es mehr verwendet, widerrufen Sie das anwendungsspezifische Passwort unter { -apple-page }.
pass-no-home = es gibt keinen Benutzerordner für den Passwortspeicher: HOME ist nicht gesetzt und die Benutzerdatenbank nennt keinen
hint-pass-no-home = Setzen Sie HOME oder PASSWORD_STORE_DIR auf den Ordner des Speichers und versuchen Sie es erneut.
pass-key-sign-only = pass ist für den GPG-Schlüssel { $key_ids } eingerichtet, der nur signieren kann: Es kann nichts an ihn verschlüsselt werden
hint-pass-key-sign-only = Geben Sie dem Schlüssel einen Unterschlüssel zum Verschlüsseln (`gpg --quick-add-key { $key } default encr`) und versuchen Sie es erneut; `pass init` mit demselben Schlüssel hilft nicht.
## terminal
# Ein Panic (ein Programmfehler) hat den Lauf beendet. Sein eigener Text wird nie gezeigt.
internal-error = icloud-setup wurde wegen eines Programmfehlers beendet, nicht wegen Ihrer Eingabe. Bitte melden Sie ihn unter { $url } mit dem Befehl, den Sie ausgeführt haben, und der Zeile darunter – niemals mit Ihrem Passwort.
# `--help`-Hinweise neben einer Option, wie clap sie auf Englisch schreibt.
help-env = [Umgebungsvariable: { $name }]
help-default = [Standard: { $value }]
help-possible-values = [mögliche Werte: { $values }]
help-possible-values-heading = Mögliche Werte:
## mail-imap

send-test-expunged-copies = Die Testnachricht ist { $copies }-mal angekommen; jede Kopie wurde aus { $folder } entfernt; sonst wurde nichts angerührt.
send-test-flagged-deleted-copies = Die Testnachricht ist { $copies }-mal angekommen; jede Kopie in { $folder } wurde als gelöscht und gelesen markiert; Ihr E-Mail-Programm entfernt sie, wenn es das nächste Mal gelöschte Nachrichten bereinigt. Sonst wurde nichts angerührt.
send-test-nothing-left = Beim Entfernen ließ sich keine Kopie der Testnachricht in { $folder } mehr als diese nachweisen, daher wurde nichts angerührt; wenn Sie sie finden, können Sie sie bedenkenlos löschen.
send-test-not-ours-there-before = Die Suche des Servers nannte auch die Nachricht { $uid } in { $folder }, die schon vor dem Test dort war; sie ist nicht die Testnachricht und wurde nicht angerührt.
send-test-not-ours-renumbered = Die Suche des Servers nannte auch die Nachricht { $uid } in { $folder }, aber die Nachrichtennummern des Ordners haben sich während des Tests geändert (UIDVALIDITY), daher lässt sich nicht nachweisen, dass sie die Testnachricht ist; sie wurde nicht angerührt.
send-test-not-ours-no-baseline = Die Suche des Servers nannte die Nachricht { $uid } in { $folder }, aber der Server hat die Nachrichtennummern des Ordners vor dem Test nicht genannt (UIDNEXT, UIDVALIDITY), daher lässt sich nicht nachweisen, dass sie die Testnachricht ist; sie wurde nicht angerührt.
send-test-not-ours-other-message-id = Die Suche des Servers nannte auch die Nachricht { $uid } in { $folder }, deren Message-ID nicht die der Testnachricht ist; sie wurde nicht angerührt.
send-test-may-still-arrive = Eine Testnachricht wurde bereits an { $email } gesendet und kann noch ankommen, mit dem Betreff „{ $subject }“. Sie können sie bedenkenlos löschen.
## watch

# status und rotate: das Alter des Passworts (Issue 23)
status-password-saved = Passwort gespeichert: { $date } ({ $days ->
    [0] heute
    [one] vor 1 Tag
   *[other] vor { $days } Tagen
})
status-password-saved-at = Passwort gespeichert: { $date }
rotated-old-password-saved = Das alte Passwort wurde am { $date } gespeichert ({ $days ->
    [0] heute
    [one] vor 1 Tag
   *[other] vor { $days } Tagen
}): In Apples Liste ist es das an diesem Tag erstellte.
rotated-old-password-saved-at = Das alte Passwort wurde am { $date } gespeichert: In Apples Liste ist es das an diesem Tag erstellte.
# check --quiet
quiet-password-refused =
    { $email }: iCloud hat das gespeicherte Passwort abgelehnt (widerrufen, oder das Apple-ID-Passwort wurde geändert).
    {"  "}Abhilfe: Erstellen Sie ein neues anwendungsspezifisches Passwort unter { -apple-page } und führen Sie dann `icloud-setup rotate { $email }` aus
quiet-sender-refused =
    { $email }: Die Absenderadresse der Testnachricht wurde abgelehnt.
    {"  "}Abhilfe: Richten Sie die Adresse in iCloud Mail ein und führen Sie dann `icloud-setup check { $email } --send-test` aus
quiet-password-missing =
    { $email }: Das Passwort fehlt { $store }.
    {"  "}Abhilfe: Führen Sie `icloud-setup rotate { $email }` aus
quiet-store-keyring = im Schlüsselbund
quiet-store-pass = im Passwortspeicher (pass)
quiet-store-unusable =
    { $email }: Das Passwort konnte nicht gelesen werden: { $problem }
    {"  "}Abhilfe: Führen Sie `icloud-setup check { $email }` in Ihrer Desktop-Sitzung aus, um zu sehen, was der Passwortspeicher braucht
quiet-temporary = { $email }: iCloud hat nicht rechtzeitig geantwortet; die nächste Prüfung versucht es erneut.
quiet-unreachable = { $email }: iCloud war nicht erreichbar (offline?); die nächste Prüfung versucht es erneut.
quiet-other =
    { $email }: { $problem }
    {"  "}Abhilfe: Führen Sie `icloud-setup check { $email }` aus, um die Einzelheiten zu sehen
# check --notify
notify-refused-summary = iCloud Mail nimmt Ihr Passwort nicht mehr an
notify-refused-body = E-Mails für { $email } können nicht mehr abgerufen oder gesendet werden. Erstellen Sie ein neues anwendungsspezifisches Passwort unter account.apple.com und führen Sie dann aus: icloud-setup rotate { $email }
notify-store-summary = iCloud Mail: Das gespeicherte Passwort kann nicht gelesen werden
notify-store-body = Das Passwort für { $email } konnte nicht gelesen werden. Führen Sie aus: icloud-setup check { $email }
notify-unsupported = (keine Desktop-Benachrichtigung: auf diesem System nicht verfügbar)
notify-timed-out = (keine Desktop-Benachrichtigung: der Benachrichtigungsdienst hat nicht rechtzeitig geantwortet)
notify-failed = (keine Desktop-Benachrichtigung: { $problem })
# watch on|off|status
watch-service-description = icloud-setup: prüft, ob iCloud Mail die gespeicherten Passwörter noch annimmt
watch-timer-description = icloud-setup: tägliche Prüfung der gespeicherten iCloud-Mail-Passwörter
watch-file-comment = Geschrieben von `icloud-setup watch on`; entfernen mit `icloud-setup watch off`.
watch-on = Die Überwachung ist an: Jeden Tag prüft `icloud-setup check --quiet --notify` die gespeicherten Konten und zeigt eine Desktop-Benachrichtigung, wenn iCloud ein Passwort ablehnt ({ $timer }).
watch-on-next = Die Überwachung ist an: Jeden Tag prüft `icloud-setup check --quiet --notify` die gespeicherten Konten und zeigt eine Desktop-Benachrichtigung, wenn iCloud ein Passwort ablehnt ({ $timer }). Nächster Lauf: { $next }.
watch-no-user-manager = Die Units der Überwachung sind in { $dir } geschrieben, aber kein systemd-Benutzerdienstverwalter hat geantwortet; sie sind daher noch nicht aktiviert
hint-watch-no-user-manager = Führen Sie in einer Sitzung mit Benutzerdienstverwalter `{ $enable }` aus; auf einem Server zuerst einmal `loginctl enable-linger`, damit Ihre Timer auch ohne Anmeldung laufen
watch-systemctl-failed = `{ $command }` ist fehlgeschlagen: { $problem }
hint-watch-systemctl-failed = Die Units sind geschrieben; führen Sie `{ $command }` selbst aus, um zu sehen, was systemd sagt
watch-files-failed = Die Datei { $path } der Überwachung konnte nicht geschrieben oder entfernt werden: { $problem }
watch-path-unusable = { $path } kann nicht in einer Unit-Datei oder einer crontab-Zeile stehen (es enthält einen Zeilenumbruch oder ein Steuerzeichen)
hint-watch-path-unusable = Verschieben Sie icloud-setup oder die Konfiguration an einen Pfad ohne Steuerzeichen und führen Sie dann `icloud-setup watch on` erneut aus
watch-crontab =
    Hier gibt es kein systemd. Damit die Prüfung täglich läuft, fügen Sie mit `crontab -e` diese Zeile hinzu:

    {"  "}{ $line }
watch-launchd =
    Der launchd-Agent ist in { $path } geschrieben (unter macOS bisher ungetestet). Laden Sie ihn mit:

    {"  "}{ $load }
watch-off = Die Überwachung ist aus: { $count ->
    [one] Ihre Datei ist entfernt.
   *[other] Ihre { $count } Dateien sind entfernt.
}
watch-was-off = Die Überwachung war nicht an; es gibt nichts zu entfernen.
watch-off-manager-not-told = Die Dateien sind entfernt, aber kein systemd-Benutzerdienstverwalter hat geantwortet; er vergisst den Timer bei seinem nächsten Start (oder führen Sie `{ $disable }` aus).
watch-status-on = Überwachung: an ({ $timer })
watch-status-written-not-enabled = Überwachung: geschrieben, aber nicht aktiviert ({ $timer }); führen Sie `icloud-setup watch on` aus, um sie zu aktivieren
watch-status-off = Überwachung: aus. Schalten Sie sie mit `icloud-setup watch on` ein.
watch-status-next = Nächster Lauf:  { $next }
watch-status-last-run = Letzter Lauf:   { $when }, Exit-Code { $code }
watch-status-account-passed = { $email }: zuletzt bestanden am { $date } ({ $days ->
    [0] heute
    [one] vor 1 Tag
   *[other] vor { $days } Tagen
})
watch-status-account-passed-at = { $email }: zuletzt bestanden am { $date }
watch-status-account-never = { $email }: hat noch keine Prüfung bestanden
watch-off-crontab = Hier gibt es kein systemd; die Überwachung läuft also über cron, falls Sie ihre Zeile hinzugefügt haben: Entfernen Sie sie mit `crontab -e`.
watch-status-no-systemd = Überwachung: Hier gibt es kein systemd; falls Sie die crontab-Zeile von `icloud-setup watch on` hinzugefügt haben, führt cron sie aus (siehe `crontab -l`).
watch-launchd-unload = Falls launchd ihn geladen hatte, entladen Sie ihn mit: { $unload }
# --help
cli-check-quiet = Für cron und Timer: nichts bei Erfolg; ein oder zwei Zeilen je fehlgeschlagenem Konto, mit der Abhilfe, auf der Standardfehlerausgabe
cli-check-notify = Zusätzlich eine Desktop-Benachrichtigung zeigen, wenn Sie handeln müssen (Passwort abgelehnt, Passwortspeicher unbrauchbar)
cli-watch = Ein täglicher `check --quiet --notify` als systemd-Benutzer-Timer (eine crontab-Zeile, wo es kein systemd gibt)
cli-watch-action = on: den Timer schreiben und aktivieren; off: ihn deaktivieren und entfernen; status: ob er an ist, sein nächster Lauf, was er zuletzt fand
cli-value-watch-on = den systemd-Benutzerdienst und -Timer schreiben und aktivieren
cli-value-watch-off = den Timer deaktivieren und beide Dateien entfernen
cli-value-watch-status = ob die Überwachung an ist, wann sie als Nächstes läuft und was sie zuletzt fand
## mail-smtp

ca-file-not-a-file = Sie ist keine normale Datei (sondern ein Gerät, eine Pipe oder ein Verzeichnis) und wird nicht gelesen
ca-file-too-large = Sie ist größer als { $limit_kib } KiB, weit mehr als jede Sammlung von CA-Zertifikaten; sie wird nicht gelesen
hint-ca-file-not-a-file = Lassen Sie --ca-file (oder ICLOUD_SETUP_CA_FILE) auf eine normale PEM-Datei mit den CA-Zertifikaten zeigen, oder lassen Sie die Option weg, um nur den CAs des Systems zu vertrauen
hint-ca-file-too-large = --ca-file (oder ICLOUD_SETUP_CA_FILE) erwartet eine PEM-Datei nur mit den CA-Zertifikaten, denen zusätzlich zu denen des Systems vertraut werden soll; den CAs des Systems wird auch ohne sie vertraut
## bounds
config-lock-waiting = Ein anderer icloud-setup-Lauf ändert gerade { $path }; es wird gewartet, bis er fertig ist (höchstens { $secs } Sekunden) …
config-locked = Ein anderer icloud-setup-Lauf hielt die Konfigurationsdatei { $path } { $secs } Sekunden lang gesperrt; es wurde nichts geändert
hint-config-locked = Lassen Sie den anderen Lauf zu Ende gehen (oder beenden Sie ihn) und versuchen Sie es erneut; „fuser -v { $lock }“ zeigt, welcher Prozess die Sperre hält
verification-not-recorded = Das Konto funktioniert, aber der Zeitpunkt dieser Prüfung konnte nicht in der Konfigurationsdatei vermerkt werden: { $why }
export-isync-no-answer = `mbsync --version` antwortete nicht innerhalb von { $secs } Sekunden und wurde beendet; deshalb ist dies in der Syntax von isync { $syntax } geschrieben, der neuesten. Eine andere wählen Sie mit --isync 1.4.
fix-tls-version = { $host } bietet nur eine alte TLS-Version (1.0 oder 1.1) an, die dieses System ablehnt; iCloud spricht TLS 1.2 und neuer. Prüfen Sie daher, ob die Servereinstellung wirklich die von iCloud ist, und bitten Sie sonst den Betreiber des Servers um TLS 1.2. Zertifikate zu installieren hilft hier nicht.
password-caps-lock = Das sieht wie ein anwendungsspezifisches Passwort aus, aber mit Großbuchstaben: Ist die Feststelltaste aktiv? Anwendungsspezifische Passwörter von Apple bestehen nur aus Kleinbuchstaben (etwa abcd-efgh-ijkl-mnop), und mit Großbuchstaben lehnt iCloud es ab; einige abgelehnte Versuche können das Konto eine Weile sperren.
warning-caps-lock-password-flag = Warnung: { password-caps-lock }

## folders
transcript-folder-list-given-up = die Ordnerliste wurde aufgegeben (die Anmeldung gilt); die zuvor gespeicherten Ordner bleiben
status-folder = { $role ->
        [sent] Ordner Gesendet:     „{ $folder }“
        [drafts] Ordner Entwürfe:     „{ $folder }“
        [trash] Ordner Papierkorb:   „{ $folder }“
        [junk] Ordner Werbung:      „{ $folder }“
        [archive] Ordner Archiv:       „{ $folder }“
       *[other] { $role }: „{ $folder }“
    }
status-folders-not-learned = Ordner:              noch nicht ermittelt; Exporte verwenden die üblichen Namen von iCloud (`icloud-setup check { $email }` ermittelt sie)
status-folders-none = Ordner:              die letzte Prüfung fand keinen Ordner für Gesendete, Entwürfe, Gelöschte, Werbung oder Archiv

## api

stage-mail-from = MAIL FROM
stage-rcpt-to = RCPT TO
stage-data = DATA
stage-end-of-data = Ende der Nachricht
stage-capability = CAPABILITY
stage-folder-status = Ordnerstatus
stage-select = SELECT
stage-noop = NOOP
stage-search = SEARCH
stage-fetch = FETCH
stage-idle = IDLE
stage-store = STORE
stage-expunge = EXPUNGE
attempt-pending = { $address } hat noch nicht geantwortet
