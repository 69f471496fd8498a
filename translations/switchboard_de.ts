<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Announcement</name>
    <message>
        <source>Write the announcement's text.</source>
        <translation>Schreiben Sie den Text der Ankündigung.</translation>
    </message>
    <message>
        <source>The text is %1 bytes; announcements are limited to %2 bytes.</source>
        <translation>Der Text hat %1 Bytes; Ankündigungen sind auf %2 Bytes begrenzt.</translation>
    </message>
    <message>
        <source>Name at least one room, or send to broadcast.</source>
        <translation>Nennen Sie mindestens einen Raum oder senden Sie an alle (broadcast).</translation>
    </message>
    <message>
        <source>Room id "%1" is invalid: use 1-128 characters of A-Z a-z 0-9 _ . : -</source>
        <translation>Raum-ID „%1“ ist ungültig: 1–128 Zeichen aus A-Z a-z 0-9 _ . : -</translation>
    </message>
    <message>
        <source>rooms %1</source>
        <translation>Räume %1</translation>
    </message>
</context>
<context>
    <name>AnnouncementController</name>
    <message>
        <source>This profile is read-only: announcements are disabled.</source>
        <translation>Dieses Profil ist schreibgeschützt: Ankündigungen sind deaktiviert.</translation>
    </message>
    <message>
        <source>Not connected to Redis.</source>
        <translation>Nicht mit Redis verbunden.</translation>
    </message>
</context>
<context>
    <name>AnnouncementView</name>
    <message>
        <source>Save template</source>
        <translation>Vorlage speichern</translation>
    </message>
    <message>
        <source>Template name:</source>
        <translation>Name der Vorlage:</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>Vorlage</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <source>Audience</source>
        <translation>Empfänger</translation>
    </message>
    <message>
        <source>Maintenance starts in 10 minutes. Save your work.</source>
        <translation>Die Wartung beginnt in 10 Minuten. Bitte speichern Sie Ihre Arbeit.</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>Kritisch</translation>
    </message>
    <message>
        <source>Everyone (broadcast)</source>
        <translation>Alle (broadcast)</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>Räume</translation>
    </message>
    <message>
        <source>lobby, 42, support</source>
        <translation>lobby, 42, support</translation>
    </message>
    <message>
        <source>Send…</source>
        <translation>Senden…</translation>
    </message>
    <message>
        <source>Preview, confirm and publish (Ctrl+Return)</source>
        <translation>Vorschau, bestätigen und veröffentlichen (Strg+Eingabe)</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>(no template)</source>
        <translation>(keine Vorlage)</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%1 auf %2</translation>
    </message>
    <message numerus="yes">
        <source>%n subscriber(s) on Redis</source>
        <translation><numerusform>%n Abonnent auf Redis</numerusform><numerusform>%n Abonnenten auf Redis</numerusform></translation>
    </message>
    <message>
        <source> · relays report %1 WebSocket clients</source>
        <translation> · Relays melden %1 WebSocket-Clients</translation>
    </message>
    <message>
        <source>Send announcement</source>
        <translation>Ankündigung senden</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>Veröffentlichen</translation>
    </message>
    <message>
        <source>Publish this %1 announcement to %2?

"%3"

Channels: %4
Reaches about %5 subscribers.</source>
        <translation>Diese Ankündigung (%1) an %2 veröffentlichen?

„%3“

Kanäle: %4
Erreicht etwa %5 Abonnenten.</translation>
    </message>
    <message>
        <source>
Relays report %1 WebSocket clients.</source>
        <translation>
Relays melden %1 WebSocket-Clients.</translation>
    </message>
    <message>
        <source>Not sent.</source>
        <translation>Nicht gesendet.</translation>
    </message>
    <message>
        <source>Not published: %1</source>
        <translation>Nicht veröffentlicht: %1</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>Published %1 at %2: PUBLISH returned %3 (%4 in all).</source>
        <translation>%1 um %2 veröffentlicht: PUBLISH ergab %3 (insgesamt %4).</translation>
    </message>
    <message>
        <source>%1 on %2: %3 sharded + %4 classic, by %5</source>
        <translation>%1 auf %2: %3 sharded + %4 klassisch, per %5</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Published %1 at %2: %3 (%4 in all; on a Cluster PUBLISH counts only the subscribers of the node that took it, the message reaches every node).</source>
        <translation>%1 um %2 veröffentlicht: %3 (insgesamt %4; in einem Cluster zählt PUBLISH nur die Abonnenten des Knotens, der es angenommen hat, die Nachricht erreicht jeden Knoten).</translation>
    </message>
</context>
<context>
    <name>AuditLog</name>
    <message>
        <source>failed: %1</source>
        <translation>fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n subscriber(s) received it</source>
        <translation><numerusform>%n Abonnent hat sie erhalten</numerusform><numerusform>%n Abonnenten haben sie erhalten</numerusform></translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
</context>
<context>
    <name>AuditLogView</name>
    <message>
        <source>Filter announcements</source>
        <translation>Ankündigungen filtern</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Audit log: %1</source>
        <translation>Protokoll der Ankündigungen: %1</translation>
    </message>
    <message>
        <source>not written</source>
        <translation>wird nicht geschrieben</translation>
    </message>
    <message numerus="yes">
        <source> · %n malformed line(s) skipped</source>
        <translation><numerusform> · %n fehlerhafte Zeile übersprungen</numerusform><numerusform> · %n fehlerhafte Zeilen übersprungen</numerusform></translation>
    </message>
    <message>
        <source>Export audit log</source>
        <translation>Protokoll exportieren</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>%1 konnte nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>CanaryClient</name>
    <message>
        <source>the join was not confirmed within 10 s</source>
        <translation>der Beitritt wurde nicht innerhalb von 10 s bestätigt</translation>
    </message>
    <message>
        <source>no answer within 10 s</source>
        <translation>keine Antwort innerhalb von 10 s</translation>
    </message>
    <message>
        <source>closed (%1)</source>
        <translation>geschlossen (%1)</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>geschlossen</translation>
    </message>
    <message>
        <source> (the relay wants a token)</source>
        <translation> (das Relay verlangt ein Token)</translation>
    </message>
    <message>
        <source>connection failed</source>
        <translation>Verbindung fehlgeschlagen</translation>
    </message>
    <message>
        <source>join refused: %1</source>
        <translation>Beitritt abgelehnt: %1</translation>
    </message>
</context>
<context>
    <name>CanaryMonitor</name>
    <message>
        <source>Canaries are stopped.</source>
        <translation>Die Canaries sind gestoppt.</translation>
    </message>
    <message>
        <source>The profile "%1" is read-only: canaries would publish probes to it, so they are off.</source>
        <translation>Das Profil „%1“ ist schreibgeschützt: Canaries würden Probes dorthin veröffentlichen und sind deshalb aus.</translation>
    </message>
    <message>
        <source>Not connected to Redis.</source>
        <translation>Nicht mit Redis verbunden.</translation>
    </message>
    <message>
        <source>no heartbeat: the relay left the directory</source>
        <translation>kein Heartbeat: das Relay hat das Verzeichnis verlassen</translation>
    </message>
    <message>
        <source>the relay advertises no WebSocket URL</source>
        <translation>das Relay meldet keine WebSocket-URL</translation>
    </message>
    <message numerus="yes">
        <source>%n probe(s) lost in the last minute</source>
        <translation><numerusform>%n Probe in der letzten Minute verloren</numerusform><numerusform>%n Probes in der letzten Minute verloren</numerusform></translation>
    </message>
    <message>
        <source>a probe is overdue</source>
        <translation>eine Probe ist überfällig</translation>
    </message>
</context>
<context>
    <name>CanaryStatus</name>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>Verbindet</translation>
    </message>
    <message>
        <source>Ok</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>Fehlt</translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation>Nicht erreichbar</translation>
    </message>
</context>
<context>
    <name>CanaryStatusModel</name>
    <message>
        <source>last probe received %1</source>
        <translation>letzte Probe empfangen: %1</translation>
    </message>
    <message>
        <source>Relay</source>
        <translation>Relay</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>p50 ms</source>
        <translation>p50 ms</translation>
    </message>
    <message>
        <source>p99 ms</source>
        <translation>p99 ms</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>Verloren</translation>
    </message>
    <message>
        <source>Loss %</source>
        <translation>Verlust %</translation>
    </message>
</context>
<context>
    <name>CanaryView</name>
    <message>
        <source>&amp;Interval:</source>
        <translation>&amp;Intervall:</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Start when relays are listed</source>
        <translation>Starten, sobald Relays gelistet sind</translation>
    </message>
    <message>
        <source>Start the canaries by themselves whenever the console lists relays (remembered)</source>
        <translation>Die Canaries von selbst starten, sobald die Konsole Relays auflistet (wird gemerkt)</translation>
    </message>
    <message>
        <source>Delivery latency per relay (p50 solid, p99 dashed, each over the last minute)</source>
        <translation>Zustelllatenz je Relay (p50 durchgezogen, p99 gestrichelt, jeweils über die letzte Minute)</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>Stop canaries</source>
        <translation>Canaries stoppen</translation>
    </message>
    <message>
        <source>Start canaries</source>
        <translation>Canaries starten</translation>
    </message>
    <message>
        <source>Redis refused the probe: %1</source>
        <translation>Redis hat die Probe abgelehnt: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n relay(s) not followed (at most %1).</source>
        <translation><numerusform>%n Relay nicht verfolgt (höchstens %1).</numerusform><numerusform>%n Relays nicht verfolgt (höchstens %1).</numerusform></translation>
    </message>
    <message>
        <source>No relay is listed: relays appear once their heartbeat arrives.</source>
        <translation>Kein Relay gelistet: Relays erscheinen, sobald ihr Heartbeat eintrifft.</translation>
    </message>
</context>
<context>
    <name>ChannelColumns</name>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>Subscribers</source>
        <translation>Abonnenten</translation>
    </message>
    <message>
        <source>Relays</source>
        <translation>Relays</translation>
    </message>
    <message>
        <source>Bytes/s</source>
        <translation>Bytes/s</translation>
    </message>
    <message>
        <source>Last message</source>
        <translation>Letzte Nachricht</translation>
    </message>
    <message>
        <source>Relay clients</source>
        <translation>Relay-Clients</translation>
    </message>
    <message>
        <source>Messages/s</source>
        <translation>Nachrichten/s</translation>
    </message>
    <message>
        <source>The Redis Pub/Sub channel (PUBSUB CHANNELS).</source>
        <translation>Der Redis-Pub/Sub-Kanal (PUBSUB CHANNELS).</translation>
    </message>
    <message>
        <source>Connections subscribed to the channel by name (PUBSUB NUMSUB); pattern subscriptions are not counted.</source>
        <translation>Verbindungen, die den Kanal namentlich abonniert haben (PUBSUB NUMSUB); Muster-Abonnements zählen nicht.</translation>
    </message>
    <message>
        <source>Of the subscribers, how many are Switchboard relays (from their heartbeats on switchboard:relays, under any channel prefix).</source>
        <translation>Wie viele der Abonnenten Switchboard-Relays sind (aus ihren Heartbeats auf switchboard:relays, unter jedem Kanalpräfix).</translation>
    </message>
    <message>
        <source>WebSocket clients the relays serve on this channel.</source>
        <translation>WebSocket-Clients, die die Relays auf diesem Kanal bedienen.</translation>
    </message>
    <message>
        <source>Messages per second while the channel is tapped.</source>
        <translation>Nachrichten pro Sekunde, solange der Kanal mitgeschnitten wird.</translation>
    </message>
    <message>
        <source>Payload bytes per second while the channel is tapped.</source>
        <translation>Nutzlast-Bytes pro Sekunde, solange der Kanal mitgeschnitten wird.</translation>
    </message>
    <message>
        <source>When the tap last saw a message on the channel.</source>
        <translation>Wann der Mitschnitt zuletzt eine Nachricht auf dem Kanal sah.</translation>
    </message>
    <message>
        <source>classic</source>
        <translation>klassisch</translation>
    </message>
    <message>
        <source>sharded · shard %1</source>
        <translation>sharded · Shard %1</translation>
    </message>
    <message>
        <source>classic + sharded (%1) · shard %2</source>
        <translation>klassisch + sharded (%1) · Shard %2</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Classic (SUBSCRIBE, counted on every node) or sharded (SSUBSCRIBE, on the shard that owns the channel's hash slot; shards are numbered as in the Nodes view).</source>
        <translation>Klassisch (SUBSCRIBE, auf jedem Knoten gezählt) oder sharded (SSUBSCRIBE, auf dem Shard, dem der Hash-Slot des Kanals gehört; Shards nummeriert wie in der Knotenansicht).</translation>
    </message>
</context>
<context>
    <name>ChannelNotes</name>
    <message>
        <source>1 channel</source>
        <translation>1 Kanal</translation>
    </message>
    <message>
        <source>%1 channels</source>
        <translation>%1 Kanäle</translation>
    </message>
    <message>
        <source>1 client</source>
        <translation>1 Client</translation>
    </message>
    <message>
        <source>%1 clients</source>
        <translation>%1 Clients</translation>
    </message>
    <message>
        <source>No channel list: no channels and no subscriber counts are shown.</source>
        <translation>Keine Kanalliste: weder Kanäle noch Abonnentenzahlen werden angezeigt.</translation>
    </message>
    <message>
        <source>No subscriber count for %1 (shown as –).</source>
        <translation>Keine Abonnentenzahl für %1 (als – angezeigt).</translation>
    </message>
    <message>
        <source>The number of pattern subscriptions is unknown.</source>
        <translation>Die Zahl der Muster-Abonnements ist unbekannt.</translation>
    </message>
    <message>
        <source>No client list: Patterns &amp; clients shows no connections and relays on Redis are not counted.</source>
        <translation>Keine Client-Liste: Muster &amp; Clients zeigt keine Verbindungen, und Relays auf Redis werden nicht gezählt.</translation>
    </message>
    <message>
        <source>The ACL rule %1 for this Redis user allows it.</source>
        <translation>Die ACL-Regel %1 für diesen Redis-Benutzer erlaubt es.</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>it took %1 ms</source>
        <translation>sie dauerte %1 ms</translation>
    </message>
    <message>
        <source>the channel list every %1: %2</source>
        <translation>die Kanalliste alle %1: %2</translation>
    </message>
    <message>
        <source>the client list every %1: %2</source>
        <translation>die Client-Liste alle %1: %2</translation>
    </message>
    <message>
        <source>Large Redis: refreshing %1 · F5 refreshes now</source>
        <translation>Großes Redis: aktualisiert %1 · F5 aktualisiert sofort</translation>
    </message>
    <message>
        <source> · </source>
        <translation> · </translation>
    </message>
    <message>
        <source>%1: %2, %3, %4 ms</source>
        <translation>%1: %2, %3, %4 ms</translation>
    </message>
    <message>
        <source>Rules: what a part takes stays under %1 % of its interval; one second of interval per %2 channels or %3 clients; never more often than the chosen interval, and at least every %4.</source>
        <translation>Regeln: Ein Teil braucht höchstens %1 % seines Intervalls; eine Sekunde Intervall je %2 Kanäle oder %3 Clients; nie öfter als das gewählte Intervall und mindestens alle %4.</translation>
    </message>
    <message>
        <source>Redis refused %1 (%2).</source>
        <translation>Redis hat %1 abgelehnt (%2).</translation>
    </message>
    <message>
        <source>%1 failed (%2).</source>
        <translation>%1 ist fehlgeschlagen (%2).</translation>
    </message>
    <message>
        <source>Slow Redis: refreshing %1 · F5 refreshes now</source>
        <translation>Langsames Redis: aktualisiert %1 · F5 aktualisiert sofort</translation>
    </message>
    <message>
        <source>No sharded channel list: sharded channels are not shown.</source>
        <translation>Keine Liste der Sharded-Kanäle: Sharded-Kanäle werden nicht angezeigt.</translation>
    </message>
    <message>
        <source>No subscriber count for some sharded channels (shown as –).</source>
        <translation>Für einige Sharded-Kanäle keine Abonnentenzahl (als – angezeigt).</translation>
    </message>
    <message>
        <source>Redis Cluster, %1 nodes summed: each node counts only the connections subscribed on it, so classic subscribers are added up over every node; sharded channels are counted on the primary and replicas of the shard that owns them.</source>
        <translation>Redis Cluster, %1 Knoten addiert: Jeder Knoten zählt nur die bei ihm abonnierten Verbindungen, daher werden klassische Abonnenten über alle Knoten addiert; Sharded-Kanäle werden auf Primary und Replicas des Shards gezählt, dem sie gehören.</translation>
    </message>
    <message>
        <source>Left out (not reachable): %1; their subscribers are missing from the counts.</source>
        <translation>Ausgelassen (nicht erreichbar): %1; deren Abonnenten fehlen in den Zahlen.</translation>
    </message>
</context>
<context>
    <name>ChannelTreeModel</name>
    <message>
        <source> Groups add up their channels.</source>
        <translation> Gruppen summieren ihre Kanäle.</translation>
    </message>
    <message numerus="yes">
        <source>%n channel(s)</source>
        <translation><numerusform>%n Kanal</numerusform><numerusform>%n Kanäle</numerusform></translation>
    </message>
    <message>
        <source>%1 — a channel with %2 own subscribers, and a group of %3</source>
        <translation>%1 — ein Kanal mit %2 eigenen Abonnenten und eine Gruppe aus %3</translation>
    </message>
    <message>
        <source>%1:* — a group of %2</source>
        <translation>%1:* — eine Gruppe aus %2</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Channel name segments separated by ':'; a group adds up the channels below it.</source>
        <translation>Durch „:“ getrennte Teile des Kanalnamens; eine Gruppe summiert die Kanäle darunter.</translation>
    </message>
</context>
<context>
    <name>ChannelsView</name>
    <message>
        <source>Refresh failed: %1</source>
        <translation>Aktualisierung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Ask Redis now (F5)</source>
        <translation>Redis jetzt abfragen (F5)</translation>
    </message>
    <message>
        <source>Tap</source>
        <translation>Mitschneiden</translation>
    </message>
    <message>
        <source>Tree</source>
        <translation>Baum</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Tabelle</translation>
    </message>
    <message>
        <source>Patterns &amp;&amp; clients</source>
        <translation>Muster &amp;&amp; Clients</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Kanäle</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>Tap pattern %1</source>
        <translation>Muster %1 mitschneiden</translation>
    </message>
    <message>
        <source>Copy name</source>
        <translation>Name kopieren</translation>
    </message>
    <message>
        <source>Pattern subscriptions (PUBSUB NUMPAT): %1. PUBSUB NUMSUB leaves them out of the channels' subscriber counts; the clients holding them are those with patterns below.</source>
        <translation>Muster-Abonnements (PUBSUB NUMPAT): %1. PUBSUB NUMSUB zählt sie bei den Abonnenten der Kanäle nicht mit; sie gehören den Clients mit Mustern unten.</translation>
    </message>
    <message>
        <source>Waiting for the first refresh…</source>
        <translation>Warte auf die erste Aktualisierung…</translation>
    </message>
    <message>
        <source> · %1 shown</source>
        <translation> · %1 angezeigt</translation>
    </message>
    <message>
        <source>Filter channels: text or glob (room:*)</source>
        <translation>Kanäle filtern: Text oder Muster (room:*)</translation>
    </message>
    <message>
        <source>Text matches anywhere in the name, ignoring case; *, ? or [ make it a glob on the whole name, as PSUBSCRIBE matches (Ctrl+F)</source>
        <translation>Text passt irgendwo im Namen, ohne Groß-/Kleinschreibung; *, ? oder [ machen daraus ein Muster über den ganzen Namen wie bei PSUBSCRIBE (Strg+F)</translation>
    </message>
    <message>
        <source>Refresh:</source>
        <translation>Aktualisieren:</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>1 s</source>
        <translation>1 s</translation>
    </message>
    <message>
        <source>2 s</source>
        <translation>2 s</translation>
    </message>
    <message>
        <source>5 s</source>
        <translation>5 s</translation>
    </message>
    <message>
        <source>10 s</source>
        <translation>10 s</translation>
    </message>
    <message>
        <source>How often Redis is asked for its channels and subscribers</source>
        <translation>Wie oft Redis nach Kanälen und Abonnenten gefragt wird</translation>
    </message>
    <message>
        <source>Group channels by their ':' segments</source>
        <translation>Kanäle nach ihren „:“-Teilen gruppieren</translation>
    </message>
    <message>
        <source>One sortable row per channel</source>
        <translation>Eine sortierbare Zeile pro Kanal</translation>
    </message>
    <message>
        <source>Watch the messages on the selected channels, or a group's pattern (Ctrl+T)</source>
        <translation>Nachrichten der ausgewählten Kanäle oder des Musters einer Gruppe beobachten (Strg+T)</translation>
    </message>
    <message>
        <source>Find channel</source>
        <translation>Kanal suchen</translation>
    </message>
    <message>
        <source>Only clients with pattern subscriptions</source>
        <translation>Nur Clients mit Muster-Abonnements</translation>
    </message>
    <message>
        <source>refreshed in %1 ms</source>
        <translation>aktualisiert in %1 ms</translation>
    </message>
    <message>
        <source>channel list from %1</source>
        <translation>Kanalliste von %1</translation>
    </message>
    <message>
        <source>%1 channels · %2 subscriptions · %3 pattern subscriptions · %4</source>
        <translation>%1 Kanäle · %2 Abonnements · %3 Muster-Abonnements · %4</translation>
    </message>
    <message>
        <source>Room detail</source>
        <translation>Raumdetails</translation>
    </message>
</context>
<context>
    <name>ChartFeeder</name>
    <message>
        <source>relays on Redis</source>
        <translation>Relays auf Redis</translation>
    </message>
    <message>
        <source>embedded relay clients</source>
        <translation>Clients des eingebetteten Relays</translation>
    </message>
</context>
<context>
    <name>ChartsView</name>
    <message>
        <source>Messages per second (tapped channels: total and busiest)</source>
        <translation>Nachrichten pro Sekunde (mitgeschnittene Kanäle: gesamt und die aktivsten)</translation>
    </message>
    <message>
        <source>Subscribers</source>
        <translation>Abonnenten</translation>
    </message>
    <message>
        <source>Relay connections</source>
        <translation>Relay-Verbindungen</translation>
    </message>
</context>
<context>
    <name>ClusterAnnouncer</name>
    <message>
        <source>the Cluster's topology is not known yet</source>
        <translation>die Topologie des Clusters ist noch nicht bekannt</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>nicht verbunden</translation>
    </message>
</context>
<context>
    <name>ClusterChannelMonitor</name>
    <message>
        <source>the Cluster's topology is not known yet</source>
        <translation>die Topologie des Clusters ist noch nicht bekannt</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>nicht verbunden</translation>
    </message>
    <message>
        <source>no answer within %1 ms</source>
        <translation>keine Antwort innerhalb von %1 ms</translation>
    </message>
    <message>
        <source>no node of the Cluster answered (%1)</source>
        <translation>kein Knoten des Clusters hat geantwortet (%1)</translation>
    </message>
</context>
<context>
    <name>ClusterNodesModel</name>
    <message>
        <source>%1 primaries / %2 nodes</source>
        <translation>%1 Primaries / %2 Knoten</translation>
    </message>
    <message numerus="yes">
        <source>%n not reachable</source>
        <translation><numerusform>%n nicht erreichbar</numerusform><numerusform>%n nicht erreichbar</numerusform></translation>
    </message>
    <message>
        <source>%1 (%2 slots)</source>
        <translation>%1 (%2 Slots)</translation>
    </message>
    <message>
        <source>primary</source>
        <translation>Primary</translation>
    </message>
    <message>
        <source>replica</source>
        <translation>Replica</translation>
    </message>
    <message>
        <source>no: %1</source>
        <translation>nein: %1</translation>
    </message>
    <message>
        <source>yes · %1 ms</source>
        <translation>ja · %1 ms</translation>
    </message>
    <message>
        <source>yes · the Cluster marks it failing</source>
        <translation>ja · der Cluster meldet ihn als ausgefallen</translation>
    </message>
    <message>
        <source>Node id %1</source>
        <translation>Knoten-ID %1</translation>
    </message>
    <message>
        <source>Replica of %1</source>
        <translation>Replica von %1</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Shard</source>
        <translation>Shard</translation>
    </message>
    <message>
        <source>Slots</source>
        <translation>Slots</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>Clients</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Kanäle</translation>
    </message>
    <message>
        <source>Sharded</source>
        <translation>Sharded</translation>
    </message>
    <message>
        <source>Patterns</source>
        <translation>Muster</translation>
    </message>
    <message>
        <source>Output buffers</source>
        <translation>Ausgabepuffer</translation>
    </message>
    <message>
        <source>Reachable</source>
        <translation>Erreichbar</translation>
    </message>
    <message>
        <source>host:port as the Cluster announces it (CLUSTER SHARDS)</source>
        <translation>host:port, wie der Cluster ihn meldet (CLUSTER SHARDS)</translation>
    </message>
    <message>
        <source>Primary, or the primary a replica follows</source>
        <translation>Primary, oder Replica eines Primary</translation>
    </message>
    <message>
        <source>The shard, numbered in the order the Cluster lists them</source>
        <translation>Der Shard, nummeriert in der Reihenfolge des Clusters</translation>
    </message>
    <message>
        <source>Hash slots the shard serves</source>
        <translation>Hash-Slots, die der Shard bedient</translation>
    </message>
    <message>
        <source>Connections in Pub/Sub mode on this node (CLIENT LIST TYPE pubsub)</source>
        <translation>Verbindungen im Pub/Sub-Modus auf diesem Knoten (CLIENT LIST TYPE pubsub)</translation>
    </message>
    <message>
        <source>Classic channels with subscribers on this node (PUBSUB CHANNELS)</source>
        <translation>Klassische Kanäle mit Abonnenten auf diesem Knoten (PUBSUB CHANNELS)</translation>
    </message>
    <message>
        <source>Sharded channels with subscribers on this node (PUBSUB SHARDCHANNELS)</source>
        <translation>Sharded-Kanäle mit Abonnenten auf diesem Knoten (PUBSUB SHARDCHANNELS)</translation>
    </message>
    <message>
        <source>Pattern subscriptions on this node (PUBSUB NUMPAT)</source>
        <translation>Muster-Abonnements auf diesem Knoten (PUBSUB NUMPAT)</translation>
    </message>
    <message>
        <source>Output-buffer memory of its pub/sub clients (omem in CLIENT LIST)</source>
        <translation>Ausgabepuffer-Speicher seiner Pub/Sub-Clients (omem in CLIENT LIST)</translation>
    </message>
    <message>
        <source>Whether the node answered the last round, and its slowest reply</source>
        <translation>Ob der Knoten in der letzten Runde geantwortet hat, und seine langsamste Antwort</translation>
    </message>
</context>
<context>
    <name>ConnectionController</name>
    <message>
        <source>Redis Cluster · %1</source>
        <translation>Redis Cluster · %1</translation>
    </message>
    <message>
        <source>Redis Cluster · %1 primaries / %2 nodes</source>
        <translation>Redis Cluster · %1 Primaries / %2 Knoten</translation>
    </message>
    <message>
        <source>Sentinel '%1' · looking for the primary</source>
        <translation>Sentinel '%1' · sucht den Primary</translation>
    </message>
    <message>
        <source>Sentinel '%1' · primary %2</source>
        <translation>Sentinel '%1' · Primary %2</translation>
    </message>
</context>
<context>
    <name>ConnectionDialog</name>
    <message>
        <source>Choose a file</source>
        <translation>Datei wählen</translation>
    </message>
    <message>
        <source>New profile</source>
        <translation>Neues Profil</translation>
    </message>
    <message>
        <source>Connection profiles</source>
        <translation>Verbindungsprofile</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>ACL user</source>
        <translation>ACL-Benutzer</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>TLS CA file</source>
        <translation>TLS-CA-Datei</translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation>Client-Zertifikat</translation>
    </message>
    <message>
        <source>Client key</source>
        <translation>Client-Schlüssel</translation>
    </message>
    <message>
        <source>default</source>
        <translation>default</translation>
    </message>
    <message>
        <source>Password: %1. Never written to the settings file.</source>
        <translation>Passwort: %1. Wird nie in die Einstellungsdatei geschrieben.</translation>
    </message>
    <message>
        <source>Skip TLS certificate verification</source>
        <translation>TLS-Zertifikatsprüfung überspringen</translation>
    </message>
    <message>
        <source>Warning: without verification anyone on the network path can impersonate this server and read everything, including the password.</source>
        <translation>Warnung: Ohne Prüfung kann sich jeder auf dem Netzwerkpfad als dieser Server ausgeben und alles mitlesen, auch das Passwort.</translation>
    </message>
    <message>
        <source>Read-only: no announcements, no kicking</source>
        <translation>Schreibgeschützt: keine Ankündigungen, kein Hinauswerfen</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Neu</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Testen</translation>
    </message>
    <message>
        <source>Save and connect</source>
        <translation>Speichern und verbinden</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Teste…</translation>
    </message>
    <message>
        <source>Connected: Redis %1.</source>
        <translation>Verbunden: Redis %1.</translation>
    </message>
    <message>
        <source>Cannot connect: %1</source>
        <translation>Keine Verbindung: %1</translation>
    </message>
    <message>
        <source>Connected: Redis %1, Cluster node %2.</source>
        <translation>Verbunden: Redis %1, Cluster-Knoten %2.</translation>
    </message>
    <message>
        <source>Sentinel user</source>
        <translation>Sentinel-Benutzer</translation>
    </message>
    <message>
        <source>Sentinel password</source>
        <translation>Sentinel-Passwort</translation>
    </message>
    <message>
        <source>default (the Sentinels' own ACL user)</source>
        <translation>default (der eigene ACL-Benutzer der Sentinels)</translation>
    </message>
    <message>
        <source>only when the Sentinels require one; kept in the keychain</source>
        <translation>nur wenn die Sentinels eines verlangen; im Schlüsselbund gespeichert</translation>
    </message>
</context>
<context>
    <name>ConnectionProfile</name>
    <message>
        <source>The profile needs a name.</source>
        <translation>Das Profil braucht einen Namen.</translation>
    </message>
    <message>
        <source>A profile name cannot contain '/' or '\'.</source>
        <translation>Ein Profilname darf weder „/“ noch „\“ enthalten.</translation>
    </message>
    <message>
        <source>Keep the password out of the URL: enter it in the password field, it is stored in the system keychain.</source>
        <translation>Das Passwort gehört nicht in die URL: Geben Sie es im Passwortfeld ein, es wird im Schlüsselbund des Systems gespeichert.</translation>
    </message>
    <message>
        <source>Cannot read %1.</source>
        <translation>%1 kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>A client certificate needs both the certificate and the key file.</source>
        <translation>Ein Client-Zertifikat braucht Zertifikats- und Schlüsseldatei.</translation>
    </message>
    <message>
        <source>TLS settings need a rediss:// URL.</source>
        <translation>TLS-Einstellungen brauchen eine rediss://-URL.</translation>
    </message>
    <message>
        <source>TLS settings need a rediss-cluster:// URL (TLS to every node of the Cluster).</source>
        <translation>TLS-Einstellungen brauchen eine rediss-cluster://-URL (TLS zu jedem Knoten des Clusters).</translation>
    </message>
    <message>
        <source>TLS settings need a rediss-sentinel:// URL (TLS to the Sentinels and the primary).</source>
        <translation>TLS-Einstellungen brauchen eine rediss-sentinel://-URL (TLS zu den Sentinels und zum Primary).</translation>
    </message>
    <message>
        <source>A Sentinel user needs a redis-sentinel:// URL.</source>
        <translation>Ein Sentinel-Benutzer braucht eine redis-sentinel://-URL.</translation>
    </message>
    <message>
        <source>Keep the Sentinels' password out of the URL (sentinel-password=): enter it in the Sentinel password field, it is stored in the system keychain.</source>
        <translation>Lassen Sie das Passwort der Sentinels aus der URL (sentinel-password=): Geben Sie es im Feld Sentinel-Passwort ein, es wird im Schlüsselbund des Systems gespeichert.</translation>
    </message>
</context>
<context>
    <name>EmbeddedRelay</name>
    <message>
        <source>The relay is already running.</source>
        <translation>Das Relay läuft bereits.</translation>
    </message>
</context>
<context>
    <name>FleetChartsView</name>
    <message>
        <source>select a relay</source>
        <translation>Relay auswählen</translation>
    </message>
    <message>
        <source>Frames per second: %1</source>
        <translation>Frames pro Sekunde: %1</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>Clients</translation>
    </message>
    <message>
        <source>Bytes queued for clients</source>
        <translation>Für Clients wartende Bytes</translation>
    </message>
    <message>
        <source>in</source>
        <translation>ein</translation>
    </message>
    <message>
        <source>out</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>clients</source>
        <translation>Clients</translation>
    </message>
    <message>
        <source>queued bytes</source>
        <translation>wartende Bytes</translation>
    </message>
</context>
<context>
    <name>FleetClientsModel</name>
    <message>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Of limit</source>
        <translation>Vom Limit</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>Räume</translation>
    </message>
    <message>
        <source>Frames in</source>
        <translation>Frames ein</translation>
    </message>
    <message>
        <source>Frames out</source>
        <translation>Frames aus</translation>
    </message>
    <message>
        <source>Connected for</source>
        <translation>Verbindungsdauer</translation>
    </message>
</context>
<context>
    <name>FleetModel</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 d %2 h</translation>
    </message>
    <message>
        <source>in-process</source>
        <translation>prozessintern</translation>
    </message>
    <message numerus="yes">
        <source>outage, %n queued</source>
        <translation><numerusform>Ausfall, %n wartet</numerusform><numerusform>Ausfall, %n warten</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>up, %n queued</source>
        <translation><numerusform>verbunden, %n wartet</numerusform><numerusform>verbunden, %n warten</numerusform></translation>
    </message>
    <message>
        <source>up</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <source>%1 ago (stale)</source>
        <translation>vor %1 (veraltet)</translation>
    </message>
    <message>
        <source>%1 ago</source>
        <translation>vor %1</translation>
    </message>
    <message>
        <source>No heartbeat for %1 intervals: stale. Dropped after %2 intervals.</source>
        <translation>Seit %1 Intervallen kein Heartbeat: veraltet. Wird nach %2 Intervallen entfernt.</translation>
    </message>
    <message>
        <source>Instance id; channel prefix: %1</source>
        <translation>Instanz-ID; Kanalpräfix: %1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keines</translation>
    </message>
    <message>
        <source>Advertised: %1
Listening: %2</source>
        <translation>Gemeldet: %1
Lauscht auf: %2</translation>
    </message>
    <message>
        <source>%1 clients, %2 canary connections not counted</source>
        <translation>%1 Clients, %2 Canary-Verbindungen nicht mitgezählt</translation>
    </message>
    <message>
        <source>Client frames per second between the last two heartbeats
In: %1 frames, %2; out: %3 frames, %4; bus messages: %5/s</source>
        <translation>Client-Frames pro Sekunde zwischen den letzten beiden Heartbeats
Ein: %1 Frames, %2; aus: %3 Frames, %4; Bus-Nachrichten: %5/s</translation>
    </message>
    <message>
        <source>Bytes waiting for slow clients; one client is closed past %1 (--max-outbound-bytes)</source>
        <translation>Bytes, die auf langsame Clients warten; ein Client wird geschlossen, sobald er %1 überschreitet (--max-outbound-bytes)</translation>
    </message>
    <message>
        <source>Bytes waiting for slow clients</source>
        <translation>Bytes, die auf langsame Clients warten</translation>
    </message>
    <message>
        <source>In-process bus: no Redis</source>
        <translation>Prozessinterner Bus: kein Redis</translation>
    </message>
    <message>
        <source>Every %1 ms; relay clock %2</source>
        <translation>Alle %1 ms; Uhr des Relays %2</translation>
    </message>
    <message>
        <source>Relay</source>
        <translation>Relay</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>Laufzeit</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>Clients</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>Räume</translation>
    </message>
    <message>
        <source>In/s</source>
        <translation>Ein/s</translation>
    </message>
    <message>
        <source>Out/s</source>
        <translation>Aus/s</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Bus</source>
        <translation>Bus</translation>
    </message>
    <message>
        <source>Protection</source>
        <translation>Schutz</translation>
    </message>
    <message>
        <source>Canary</source>
        <translation>Canary</translation>
    </message>
    <message>
        <source>Heartbeat</source>
        <translation>Heartbeat</translation>
    </message>
    <message>
        <source>Instance id (channel prefix)</source>
        <translation>Instanz-ID (Kanalpräfix)</translation>
    </message>
    <message>
        <source>Host name and process id</source>
        <translation>Hostname und Prozess-ID</translation>
    </message>
    <message>
        <source>The URL clients reach it at (--advertise-url)</source>
        <translation>Die URL, unter der Clients es erreichen (--advertise-url)</translation>
    </message>
    <message>
        <source>switchboard-relay version</source>
        <translation>Version von switchboard-relay</translation>
    </message>
    <message>
        <source>Since the relay started</source>
        <translation>Seit dem Start des Relays</translation>
    </message>
    <message>
        <source>Connected WebSocket clients</source>
        <translation>Verbundene WebSocket-Clients</translation>
    </message>
    <message>
        <source>Rooms with local members</source>
        <translation>Räume mit lokalen Mitgliedern</translation>
    </message>
    <message>
        <source>Frames from clients per second</source>
        <translation>Frames von Clients pro Sekunde</translation>
    </message>
    <message>
        <source>Frames to clients per second</source>
        <translation>Frames an Clients pro Sekunde</translation>
    </message>
    <message>
        <source>Bytes queued for slow clients</source>
        <translation>Für langsame Clients wartende Bytes</translation>
    </message>
    <message>
        <source>Redis connection and outage queue</source>
        <translation>Redis-Verbindung und Ausfall-Warteschlange</translation>
    </message>
    <message>
        <source>Frames dropped and connections closed or refused by the relay's limits</source>
        <translation>Durch die Limits des Relays verworfene Frames und geschlossene oder abgelehnte Verbindungen</translation>
    </message>
    <message>
        <source>Delivery canary: latency p50 / p99, or why it fails</source>
        <translation>Zustellungs-Canary: Latenz p50 / p99 oder der Grund des Fehlschlags</translation>
    </message>
    <message>
        <source>Since the last heartbeat</source>
        <translation>Seit dem letzten Heartbeat</translation>
    </message>
</context>
<context>
    <name>FleetRoomsModel</name>
    <message>
        <source>(broadcast)</source>
        <translation>(broadcast)</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Raum</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>Local clients</source>
        <translation>Lokale Clients</translation>
    </message>
</context>
<context>
    <name>FleetView</name>
    <message>
        <source>Load</source>
        <translation>Last</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>Räume</translation>
    </message>
    <message>
        <source>Busiest clients</source>
        <translation>Aktivste Clients</translation>
    </message>
    <message>
        <source>Counters</source>
        <translation>Zähler</translation>
    </message>
    <message>
        <source>Not listening to relay heartbeats: Redis refused the subscription (%1).</source>
        <translation>Relay-Heartbeats werden nicht empfangen: Redis hat das Abonnement abgelehnt (%1).</translation>
    </message>
    <message>
        <source>No relay heartbeats yet. Relays publish one every --stats-interval on &lt;prefix&gt;switchboard:relays.</source>
        <translation>Noch keine Relay-Heartbeats. Relays veröffentlichen alle --stats-interval einen auf &lt;prefix&gt;switchboard:relays.</translation>
    </message>
    <message numerus="yes">
        <source>%n relay(s)</source>
        <translation><numerusform>%n Relay</numerusform><numerusform>%n Relays</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n need(s) attention (stale, bus down or canary failing)</source>
        <translation><numerusform>%n braucht Aufmerksamkeit (veraltet, Bus ausgefallen oder Canary schlägt fehl)</numerusform><numerusform>%n brauchen Aufmerksamkeit (veraltet, Bus ausgefallen oder Canary schlägt fehl)</numerusform></translation>
    </message>
    <message>
        <source>Select a relay.</source>
        <translation>Wählen Sie ein Relay.</translation>
    </message>
    <message>
        <source>This relay is gone.</source>
        <translation>Dieses Relay ist nicht mehr da.</translation>
    </message>
    <message>
        <source>Bus</source>
        <translation>Bus</translation>
    </message>
    <message>
        <source>Protection</source>
        <translation>Schutz</translation>
    </message>
    <message>
        <source>State beside Pub/Sub</source>
        <translation>Zustand neben Pub/Sub</translation>
    </message>
</context>
<context>
    <name>HistoryKeyScanner</name>
    <message>
        <source>the Cluster's topology is not known yet</source>
        <translation>die Topologie des Clusters ist noch nicht bekannt</translation>
    </message>
    <message>
        <source>%1: connection closed</source>
        <translation>%1: Verbindung geschlossen</translation>
    </message>
    <message>
        <source>unexpected SCAN reply</source>
        <translation>unerwartete Antwort auf SCAN</translation>
    </message>
    <message>
        <source>stopped at the limit of %1 channels</source>
        <translation>beim Limit von %1 Kanälen angehalten</translation>
    </message>
    <message>
        <source>stopped at the limit of %1 SCAN calls per node</source>
        <translation>beim Limit von %1 SCAN-Aufrufen je Knoten angehalten</translation>
    </message>
</context>
<context>
    <name>HistoryMarkerProxyModel</name>
    <message>
        <source>Has a history stream (Room detail shows it)</source>
        <translation>Hat einen Verlaufs-Stream (Raumdetails zeigen ihn)</translation>
    </message>
</context>
<context>
    <name>KeychainSecretStore</name>
    <message>
        <source>The system keychain is not available (%1): the password is kept for this session only.</source>
        <translation>Der Schlüsselbund des Systems ist nicht verfügbar (%1): Das Passwort gilt nur für diese Sitzung.</translation>
    </message>
    <message>
        <source>system keychain unavailable: kept for this session only</source>
        <translation>Schlüsselbund nicht verfügbar: nur für diese Sitzung gespeichert</translation>
    </message>
    <message>
        <source>stored in the system keychain</source>
        <translation>im Schlüsselbund des Systems gespeichert</translation>
    </message>
</context>
<context>
    <name>LogModel</name>
    <message>
        <source>debug</source>
        <translation>Debug</translation>
    </message>
    <message>
        <source>info</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>kritisch</translation>
    </message>
    <message>
        <source>fatal</source>
        <translation>fatal</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
</context>
<context>
    <name>LogView</name>
    <message>
        <source>Debug and above</source>
        <translation>Debug und höher</translation>
    </message>
    <message>
        <source>Info and above</source>
        <translation>Info und höher</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>Warnungen und Fehler</translation>
    </message>
    <message>
        <source>Filter log messages</source>
        <translation>Meldungen filtern</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>Mitlaufen</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>About Switchboard</source>
        <translation>Über Switchboard</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Switchboard %1&lt;/h3&gt;&lt;p&gt;An operator console and WebSocket relay for real-time systems built on Redis Pub/Sub.&lt;/p&gt;&lt;p&gt;Qt %2&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Switchboard %1&lt;/h3&gt;&lt;p&gt;Eine Betriebskonsole und ein WebSocket-Relay für Echtzeitsysteme auf Basis von Redis Pub/Sub.&lt;/p&gt;&lt;p&gt;Qt %2&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Connection</source>
        <translation>&amp;Verbindung</translation>
    </message>
    <message>
        <source>&amp;Profiles…</source>
        <translation>&amp;Profile…</translation>
    </message>
    <message>
        <source>Choose, edit and connect a Redis profile (Ctrl+Shift+O)</source>
        <translation>Redis-Profil wählen, bearbeiten und verbinden (Strg+Umschalt+O)</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Trennen</translation>
    </message>
    <message>
        <source>Start a &amp;private redis-server</source>
        <translation>&amp;Privaten redis-server starten</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;Farbschema</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation>Anordnung &amp;zurücksetzen</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Switchboard</source>
        <translation>Ü&amp;ber Switchboard</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Kanäle</translation>
    </message>
    <message>
        <source>Live tap</source>
        <translation>Live-Mitschnitt</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>Diagramme</translation>
    </message>
    <message>
        <source>Embedded relay</source>
        <translation>Eingebettetes Relay</translation>
    </message>
    <message>
        <source>Announcements</source>
        <translation>Ankündigungen</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Meldungen</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>Verbunden mit %1</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbinde mit %1…</translation>
    </message>
    <message>
        <source>Reconnecting to %1: %2</source>
        <translation>Verbinde erneut mit %1: %2</translation>
    </message>
    <message>
        <source>Disconnected: %1</source>
        <translation>Getrennt: %1</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>Redis %1 (%2)</source>
        <translation>Redis %1 (%2)</translation>
    </message>
    <message>
        <source>RTT %1 ms</source>
        <translation>RTT %1 ms</translation>
    </message>
    <message>
        <source>Relay %1</source>
        <translation>Relay %1</translation>
    </message>
    <message>
        <source>Relay stopped</source>
        <translation>Relay gestoppt</translation>
    </message>
    <message>
        <source>Switchboard — %1 (%2)</source>
        <translation>Switchboard — %1 (%2)</translation>
    </message>
    <message>
        <source>Switchboard</source>
        <translation>Switchboard</translation>
    </message>
    <message>
        <source>private</source>
        <translation>privat</translation>
    </message>
    <message>
        <source>Started a private redis-server at %1; it stops when the console closes.</source>
        <translation>Privater redis-server unter %1 gestartet; er endet mit der Konsole.</translation>
    </message>
    <message>
        <source>Private redis-server</source>
        <translation>Privater redis-server</translation>
    </message>
    <message>
        <source>Could not start redis-server: %1</source>
        <translation>redis-server konnte nicht gestartet werden: %1</translation>
    </message>
    <message>
        <source>Nothing answers at %1 (%2).</source>
        <translation>Unter %1 antwortet nichts (%2).</translation>
    </message>
    <message>
        <source>No Redis found</source>
        <translation>Kein Redis gefunden</translation>
    </message>
    <message>
        <source>Start a private redis-server on a free loopback port? It lives as long as the console.</source>
        <translation>Einen privaten redis-server auf einem freien Loopback-Port starten? Er läuft, solange die Konsole läuft.</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Room detail</source>
        <translation>Raumdetails</translation>
    </message>
</context>
<context>
    <name>MemorySecretStore</name>
    <message>
        <source>kept in memory for this session only</source>
        <translation>nur für diese Sitzung im Speicher</translation>
    </message>
</context>
<context>
    <name>NodesView</name>
    <message>
        <source>Not connected to a Redis Cluster: the nodes of a Cluster show here (a redis-cluster:// profile).</source>
        <translation>Nicht mit einem Redis Cluster verbunden: Hier erscheinen die Knoten eines Clusters (ein redis-cluster://-Profil).</translation>
    </message>
    <message>
        <source>Redis Cluster: %1</source>
        <translation>Redis Cluster: %1</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Ask every node again (F5)</source>
        <translation>Alle Knoten erneut fragen (F5)</translation>
    </message>
</context>
<context>
    <name>OperationsDocks</name>
    <message>
        <source>Fleet</source>
        <translation>Flotte</translation>
    </message>
    <message>
        <source>Canaries</source>
        <translation>Canaries</translation>
    </message>
    <message>
        <source>%1 / %2 ms</source>
        <translation>%1 / %2 ms</translation>
    </message>
    <message numerus="yes">
        <source>%n lost</source>
        <translation><numerusform>%n verloren</numerusform><numerusform>%n verloren</numerusform></translation>
    </message>
    <message>
        <source>%1: %2 sent, %3 lost (%4 %)</source>
        <translation>%1: %2 gesendet, %3 verloren (%4 %)</translation>
    </message>
    <message numerus="yes">
        <source>%n relay(s) need attention</source>
        <translation><numerusform>%n Relay braucht Aufmerksamkeit</numerusform><numerusform>%n Relays brauchen Aufmerksamkeit</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n slow consumer(s)</source>
        <translation><numerusform>%n langsamer Abonnent</numerusform><numerusform>%n langsame Abonnenten</numerusform></translation>
    </message>
</context>
<context>
    <name>PlumbingSwitch</name>
    <message>
        <source>Show &amp;plumbing channels</source>
        <translation>&amp;Interne Kanäle anzeigen</translation>
    </message>
    <message>
        <source>Relay heartbeats (switchboard:relays), subscriber probes (switchboard:probe:*) and delivery canaries (room:switchboard-canary) in channels, taps, charts and recordings</source>
        <translation>Relay-Heartbeats (switchboard:relays), Abonnenten-Probes (switchboard:probe:*) und Zustellungs-Canaries (room:switchboard-canary) in Kanälen, Mitschnitten, Diagrammen und Aufnahmen</translation>
    </message>
</context>
<context>
    <name>PrivateRedisServer</name>
    <message>
        <source>redis-server did not become ready within 10 s</source>
        <translation>redis-server war nach 10 s nicht bereit</translation>
    </message>
    <message>
        <source>cannot start redis-server: %1</source>
        <translation>redis-server kann nicht gestartet werden: %1</translation>
    </message>
    <message>
        <source>the private redis-server exited with code %1</source>
        <translation>der private redis-server endete mit Code %1</translation>
    </message>
    <message>
        <source>redis-server exited with code %1: %2</source>
        <translation>redis-server endete mit Code %1: %2</translation>
    </message>
    <message>
        <source>redis-server is not installed</source>
        <translation>redis-server ist nicht installiert</translation>
    </message>
    <message>
        <source>cannot create a private directory: %1</source>
        <translation>privates Verzeichnis kann nicht angelegt werden: %1</translation>
    </message>
    <message>
        <source>no free loopback port</source>
        <translation>kein freier Loopback-Port</translation>
    </message>
</context>
<context>
    <name>PubSubClientModel</name>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>A Switchboard relay (client name switchboard-relay:&lt;instance&gt;)</source>
        <translation>Ein Switchboard-Relay (Clientname switchboard-relay:&lt;instance&gt;)</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Kanäle</translation>
    </message>
    <message>
        <source>Patterns</source>
        <translation>Muster</translation>
    </message>
    <message>
        <source>Relay</source>
        <translation>Relay</translation>
    </message>
    <message>
        <source>Redis client id (CLIENT LIST)</source>
        <translation>Redis-Client-ID (CLIENT LIST)</translation>
    </message>
    <message>
        <source>Client name set with CLIENT SETNAME</source>
        <translation>Mit CLIENT SETNAME gesetzter Clientname</translation>
    </message>
    <message>
        <source>Channels this connection is subscribed to (sub=)</source>
        <translation>Von dieser Verbindung abonnierte Kanäle (sub=)</translation>
    </message>
    <message>
        <source>Pattern subscriptions of this connection (psub=); PUBSUB NUMSUB does not count them</source>
        <translation>Muster-Abonnements dieser Verbindung (psub=); PUBSUB NUMSUB zählt sie nicht</translation>
    </message>
    <message>
        <source>Whether the client is a Switchboard relay (name switchboard-relay:*)</source>
        <translation>Ob der Client ein Switchboard-Relay ist (Name switchboard-relay:*)</translation>
    </message>
</context>
<context>
    <name>RecordBar</name>
    <message>
        <source>Record the tap to</source>
        <translation>Mitschnitt des Abhörens speichern unter</translation>
    </message>
    <message>
        <source>Newline-delimited JSON (*.ndjson *.jsonl)</source>
        <translation>Zeilenweises JSON (*.ndjson *.jsonl)</translation>
    </message>
    <message>
        <source>Recording file (empty: a new file in %1)</source>
        <translation>Datei für den Mitschnitt (leer: eine neue Datei in %1)</translation>
    </message>
    <message>
        <source>Choose the recording file</source>
        <translation>Datei für den Mitschnitt wählen</translation>
    </message>
    <message>
        <source>Replay…</source>
        <translation>Abspielen…</translation>
    </message>
    <message>
        <source>Publish a recording into Redis or the embedded relay</source>
        <translation>Einen Mitschnitt in Redis oder das eingebettete Relay veröffentlichen</translation>
    </message>
    <message>
        <source>■ Stop recording</source>
        <translation>■ Mitschnitt beenden</translation>
    </message>
    <message>
        <source>● Record</source>
        <translation>● Aufnehmen</translation>
    </message>
    <message>
        <source>Stop and close the file</source>
        <translation>Beenden und die Datei schließen</translation>
    </message>
    <message>
        <source>Append every message the tap receives to the file</source>
        <translation>Jede Nachricht, die beim Abhören ankommt, an die Datei anhängen</translation>
    </message>
    <message>
        <source>%1 messages · %2 · %3</source>
        <translation>%1 Nachrichten · %2 · %3</translation>
    </message>
    <message>
        <source>Last: %1</source>
        <translation>Zuletzt: %1</translation>
    </message>
</context>
<context>
    <name>RecordingActions</name>
    <message>
        <source>Redis</source>
        <translation>Redis</translation>
    </message>
    <message>
        <source>Redis: %1</source>
        <translation>Redis: %1</translation>
    </message>
    <message>
        <source>Embedded relay (%1, %2)</source>
        <translation>Eingebettetes Relay (%1, %2)</translation>
    </message>
    <message>
        <source>in-process bus</source>
        <translation>prozessinterner Bus</translation>
    </message>
    <message>
        <source>Redis bus</source>
        <translation>Redis-Bus</translation>
    </message>
    <message>
        <source>Embedded relay (stopped)</source>
        <translation>Eingebettetes Relay (gestoppt)</translation>
    </message>
    <message>
        <source>&amp;Replay a recording…</source>
        <translation>Mitschnitt &amp;abspielen…</translation>
    </message>
    <message>
        <source>Publish a recording of the tap into Redis or the embedded relay (Ctrl+Shift+R)</source>
        <translation>Einen Mitschnitt in Redis oder das eingebettete Relay veröffentlichen (Strg+Umschalt+R)</translation>
    </message>
</context>
<context>
    <name>RecordingReader</name>
    <message>
        <source>both "%1" and "%2"</source>
        <translation>sowohl „%1“ als auch „%2“</translation>
    </message>
    <message>
        <source>no "%1" (or "%2")</source>
        <translation>kein „%1“ (oder „%2“)</translation>
    </message>
    <message>
        <source>"%1" is not a string</source>
        <translation>„%1“ ist keine Zeichenkette</translation>
    </message>
    <message>
        <source>"%1" is not valid base64</source>
        <translation>„%1“ ist kein gültiges Base64</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>not JSON (%1 at column %2)</source>
        <translation>kein JSON (%1 in Spalte %2)</translation>
    </message>
    <message>
        <source>not a JSON object</source>
        <translation>kein JSON-Objekt</translation>
    </message>
    <message>
        <source>no "ts"</source>
        <translation>kein „ts“</translation>
    </message>
    <message>
        <source>"ts" is not a whole number of milliseconds &gt;= 0</source>
        <translation>„ts“ ist keine ganze Zahl von Millisekunden &gt;= 0</translation>
    </message>
    <message>
        <source>"channel" is empty</source>
        <translation>„channel“ ist leer</translation>
    </message>
    <message>
        <source>longer than %1 bytes (%2)</source>
        <translation>länger als %1 Bytes (%2)</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
</context>
<context>
    <name>RecordingReplayer</name>
    <message>
        <source>The profile "%1" is read-only: replay would publish to it, so it is disabled.</source>
        <translation>Das Profil „%1“ ist schreibgeschützt: Abspielen würde dorthin veröffentlichen und ist deshalb deaktiviert.</translation>
    </message>
    <message>
        <source>Not connected to Redis.</source>
        <translation>Nicht mit Redis verbunden.</translation>
    </message>
    <message>
        <source>the connection to Redis is gone</source>
        <translation>die Verbindung zu Redis besteht nicht mehr</translation>
    </message>
    <message>
        <source>The embedded relay runs on the read-only profile's Redis: replay into it is disabled.</source>
        <translation>Das eingebettete Relay läuft auf dem Redis des schreibgeschützten Profils: Abspielen dorthin ist deaktiviert.</translation>
    </message>
    <message>
        <source>The embedded relay is not running.</source>
        <translation>Das eingebettete Relay läuft nicht.</translation>
    </message>
    <message>
        <source>the embedded relay stopped</source>
        <translation>das eingebettete Relay wurde gestoppt</translation>
    </message>
    <message>
        <source>No target to replay into.</source>
        <translation>Kein Ziel zum Abspielen.</translation>
    </message>
    <message>
        <source>Stopped after %1 of the recording's messages.</source>
        <translation>Nach %1 Nachrichten des Mitschnitts gestoppt.</translation>
    </message>
    <message>
        <source>Reading the recording failed: %1</source>
        <translation>Lesen des Mitschnitts fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Replayed %1 messages into %2.</source>
        <translation>%1 Nachrichten in %2 abgespielt.</translation>
    </message>
    <message>
        <source>%1 refused a publish to %2 after %3 messages: %4</source>
        <translation>%1 hat nach %3 Nachrichten eine Veröffentlichung auf %2 abgelehnt: %4</translation>
    </message>
    <message numerus="yes">
        <source>%n relay heartbeat(s) and probe(s) left out.</source>
        <translation><numerusform>%n Relay-Heartbeat bzw. -Probe ausgelassen.</numerusform><numerusform>%n Relay-Heartbeats und -Probes ausgelassen.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n malformed line(s) skipped.</source>
        <translation><numerusform>%n fehlerhafte Zeile übersprungen.</numerusform><numerusform>%n fehlerhafte Zeilen übersprungen.</numerusform></translation>
    </message>
</context>
<context>
    <name>RelayClientsModel</name>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>Räume</translation>
    </message>
    <message>
        <source>Messages in</source>
        <translation>Nachrichten ein</translation>
    </message>
    <message>
        <source>Messages out</source>
        <translation>Nachrichten aus</translation>
    </message>
    <message>
        <source>Queued bytes</source>
        <translation>Wartende Bytes</translation>
    </message>
    <message>
        <source>Connected since</source>
        <translation>Verbunden seit</translation>
    </message>
</context>
<context>
    <name>RelayPanel</name>
    <message>
        <source>Start the relay first.</source>
        <translation>Starten Sie zuerst das Relay.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>on</source>
        <translation>auf</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Bus</source>
        <translation>Bus</translation>
    </message>
    <message>
        <source>Channel prefix</source>
        <translation>Kanalpräfix</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>Clients</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>Räume</translation>
    </message>
    <message>
        <source>Messages/s</source>
        <translation>Nachrichten/s</translation>
    </message>
    <message>
        <source>In-process (this console only)</source>
        <translation>Im Prozess (nur diese Konsole)</translation>
    </message>
    <message>
        <source>Redis: %1</source>
        <translation>Redis: %1</translation>
    </message>
    <message>
        <source>none (broadcast, room:&lt;id&gt;)</source>
        <translation>keines (broadcast, room:&lt;id&gt;)</translation>
    </message>
    <message>
        <source>Watch traffic</source>
        <translation>Verkehr beobachten</translation>
    </message>
    <message>
        <source>Tap the relay's channels in the live tap</source>
        <translation>Die Kanäle des Relays im Live-Mitschnitt beobachten</translation>
    </message>
    <message>
        <source>Kick</source>
        <translation>Hinauswerfen</translation>
    </message>
    <message>
        <source>Close the selected clients with 1008 (Delete)</source>
        <translation>Ausgewählte Clients mit 1008 schließen (Entf)</translation>
    </message>
    <message>
        <source>Simulator</source>
        <translation>Simulator</translation>
    </message>
    <message>
        <source> msg/s</source>
        <translation> Nachr./s</translation>
    </message>
    <message>
        <source>Stop relay</source>
        <translation>Relay stoppen</translation>
    </message>
    <message>
        <source>Start relay</source>
        <translation>Relay starten</translation>
    </message>
    <message>
        <source>&lt;span style="color:#1a7f37"&gt;●&lt;/span&gt; Listening on &lt;b&gt;%1&lt;/b&gt; · %2 clients · %3 rooms</source>
        <translation>&lt;span style="color:#1a7f37"&gt;●&lt;/span&gt; Lauscht auf &lt;b&gt;%1&lt;/b&gt; · %2 Clients · %3 Räume</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird gestoppt…</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <source>Read-only profile: kicking is disabled</source>
        <translation>Schreibgeschütztes Profil: Hinauswerfen ist deaktiviert</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>%1 connected · %2 joined · %3 sent · %4 received · %5 errors</source>
        <translation>%1 verbunden · %2 beigetreten · %3 gesendet · %4 empfangen · %5 Fehler</translation>
    </message>
    <message>
        <source>Development page (browser)</source>
        <translation>Entwicklungsseite (Browser)</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source> messages per room</source>
        <translation> Nachrichten je Raum</translation>
    </message>
    <message>
        <source>Keep each room's last messages so that clients that join with "since" (or resume their session) get what they missed; sessions come with it</source>
        <translation>Die letzten Nachrichten jedes Raums aufbewahren, damit Clients, die mit „since“ beitreten (oder ihre Sitzung fortsetzen), bekommen, was sie verpasst haben; Sitzungen gehören dazu</translation>
    </message>
    <message>
        <source>Presence</source>
        <translation>Anwesenheit</translation>
    </message>
    <message>
        <source>Answer {"type":"presence"} with who is in a room and send presence_join / presence_leave to its members</source>
        <translation>{"type":"presence"} mit den Anwesenden eines Raums beantworten und presence_join / presence_leave an seine Mitglieder senden</translation>
    </message>
</context>
<context>
    <name>RelayRoomsModel</name>
    <message>
        <source>Room</source>
        <translation>Raum</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Mitglieder</translation>
    </message>
</context>
<context>
    <name>RelaySimulator</name>
    <message>
        <source>The simulator runs 1 to %1 clients.</source>
        <translation>Der Simulator betreibt 1 bis %1 Clients.</translation>
    </message>
    <message>
        <source>The simulator needs at least one room.</source>
        <translation>Der Simulator braucht mindestens einen Raum.</translation>
    </message>
    <message>
        <source>The rate must be between 0 and 100,000 messages per second.</source>
        <translation>Die Rate muss zwischen 0 und 100.000 Nachrichten pro Sekunde liegen.</translation>
    </message>
    <message>
        <source>The simulator needs a ws:// or wss:// URL.</source>
        <translation>Der Simulator braucht eine ws://- oder wss://-URL.</translation>
    </message>
</context>
<context>
    <name>ReplayDialog</name>
    <message>
        <source>Recording</source>
        <translation>Mitschnitt</translation>
    </message>
    <message>
        <source>Into</source>
        <translation>Nach</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Geschwindigkeit</translation>
    </message>
    <message>
        <source>Choose a target to replay into.</source>
        <translation>Wählen Sie ein Ziel zum Abspielen.</translation>
    </message>
    <message>
        <source>Replay a recording</source>
        <translation>Mitschnitt abspielen</translation>
    </message>
    <message>
        <source>Newline-delimited JSON (*.ndjson *.jsonl);;All files (*)</source>
        <translation>Zeilenweises JSON (*.ndjson *.jsonl);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>An NDJSON recording of the tap</source>
        <translation>Ein NDJSON-Mitschnitt des Abhörens</translation>
    </message>
    <message>
        <source>Choose the recording</source>
        <translation>Mitschnitt wählen</translation>
    </message>
    <message>
        <source>1× (recorded timing)</source>
        <translation>1× (aufgezeichnetes Timing)</translation>
    </message>
    <message>
        <source>2×</source>
        <translation>2×</translation>
    </message>
    <message>
        <source>10×</source>
        <translation>10×</translation>
    </message>
    <message>
        <source>As fast as possible</source>
        <translation>So schnell wie möglich</translation>
    </message>
    <message>
        <source>Leave out relay heartbeats and probes</source>
        <translation>Relay-Heartbeats und -Probes auslassen</translation>
    </message>
    <message>
        <source>switchboard:relays and switchboard:probe:* are the relays' own traffic; replayed, an old heartbeat brings back a relay that is gone</source>
        <translation>switchboard:relays und switchboard:probe:* sind der eigene Verkehr der Relays; abgespielt bringt ein alter Heartbeat ein Relay zurück, das nicht mehr da ist</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>%1 published into %2 · %3 of the recording's time</source>
        <translation>%1 in %2 veröffentlicht · %3 der Zeit des Mitschnitts</translation>
    </message>
    <message>
        <source> · %1 heartbeats left out</source>
        <translation> · %1 Heartbeats ausgelassen</translation>
    </message>
    <message>
        <source> · %1 malformed lines skipped</source>
        <translation> · %1 fehlerhafte Zeilen übersprungen</translation>
    </message>
    <message>
        <source> · paused</source>
        <translation> · pausiert</translation>
    </message>
</context>
<context>
    <name>RoomDetailController</name>
    <message>
        <source>unexpected reply: %1</source>
        <translation>unerwartete Antwort: %1</translation>
    </message>
    <message>
        <source>%1 is a %2, not a hash</source>
        <translation>%1 ist ein %2, kein Hash</translation>
    </message>
    <message>
        <source>Entries not in the documented format: %1, e.g. %2</source>
        <translation>Einträge nicht im dokumentierten Format: %1, z. B. %2</translation>
    </message>
    <message>
        <source>%1 is a %2, not a stream</source>
        <translation>%1 ist ein %2, kein Stream</translation>
    </message>
</context>
<context>
    <name>RoomDetailView</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>Newest</source>
        <translation>Neueste</translation>
    </message>
    <message>
        <source>◀ Newer</source>
        <translation>◀ Neuere</translation>
    </message>
    <message>
        <source>Older ▶</source>
        <translation>Ältere ▶</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>The newest messages</source>
        <translation>Die neuesten Nachrichten</translation>
    </message>
    <message>
        <source>The page of newer messages</source>
        <translation>Die Seite mit neueren Nachrichten</translation>
    </message>
    <message>
        <source>The page of older messages</source>
        <translation>Die Seite mit älteren Nachrichten</translation>
    </message>
    <message>
        <source>No room chosen</source>
        <translation>Kein Raum gewählt</translation>
    </message>
    <message>
        <source>Room %1</source>
        <translation>Raum %1</translation>
    </message>
    <message>
        <source>Double-click a room in the Channels view, or choose Room detail in its context menu.</source>
        <translation>Doppelklicken Sie einen Raum in der Kanalansicht oder wählen Sie Raumdetails in seinem Kontextmenü.</translation>
    </message>
    <message>
        <source>Channel %1 · keys %2, %3</source>
        <translation>Kanal %1 · Schlüssel %2, %3</translation>
    </message>
    <message>
        <source>Presence (%1)</source>
        <translation>Anwesenheit (%1)</translation>
    </message>
    <message>
        <source>Presence</source>
        <translation>Anwesenheit</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Wird gelesen…</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>No presence key: nobody is in this room, or its relays do not run with --presence.</source>
        <translation>Kein Anwesenheitsschlüssel: Niemand ist in diesem Raum, oder seine Relays laufen ohne --presence.</translation>
    </message>
    <message>
        <source>Could not read presence: %1</source>
        <translation>Anwesenheit konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Members: %1</source>
        <translation>Mitglieder: %1</translation>
    </message>
    <message>
        <source>relays: %1</source>
        <translation>Relays: %1</translation>
    </message>
    <message>
        <source>entries of dead relays skipped: %1</source>
        <translation>übersprungene Einträge ausgefallener Relays: %1</translation>
    </message>
    <message>
        <source>only the first %1 entries read</source>
        <translation>nur die ersten %1 Einträge gelesen</translation>
    </message>
    <message>
        <source>No history stream: the relays run without --history-size, or nothing was said here within --history-ttl.</source>
        <translation>Kein Verlaufs-Stream: Die Relays laufen ohne --history-size, oder hier wurde innerhalb von --history-ttl nichts gesagt.</translation>
    </message>
    <message>
        <source>Could not read the history: %1</source>
        <translation>Der Verlauf konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Messages in the stream: %1</source>
        <translation>Nachrichten im Stream: %1</translation>
    </message>
    <message>
        <source>memory: %1</source>
        <translation>Speicher: %1</translation>
    </message>
    <message>
        <source>expires in %1 without new messages</source>
        <translation>läuft ohne neue Nachrichten in %1 ab</translation>
    </message>
    <message>
        <source>no expiry</source>
        <translation>läuft nicht ab</translation>
    </message>
    <message>
        <source>History (%1)</source>
        <translation>Verlauf (%1)</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Newest %1: %2 … %3</source>
        <translation>Neueste %1: %2 … %3</translation>
    </message>
    <message>
        <source>%1 shown: %2 … %3</source>
        <translation>%1 angezeigt: %2 … %3</translation>
    </message>
</context>
<context>
    <name>RoomHistoryModel</name>
    <message>
        <source>Not JSON (%1):
%2</source>
        <translation>Kein JSON (%1):
%2</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>Offset</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
</context>
<context>
    <name>RoomPresenceModel</name>
    <message>
        <source>(anonymous)</source>
        <translation>(anonym)</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message>
        <source>in %1 s</source>
        <translation>in %1 s</translation>
    </message>
    <message>
        <source>in %1 min</source>
        <translation>in %1 min</translation>
    </message>
    <message>
        <source>Hash field %1</source>
        <translation>Hash-Feld %1</translation>
    </message>
    <message>
        <source>The relay rewrites the entry's expiry while it lives; by Redis's clock</source>
        <translation>Das Relay erneuert den Ablauf des Eintrags, solange es läuft; nach der Uhr von Redis</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Seit</translation>
    </message>
    <message>
        <source>Relay</source>
        <translation>Relay</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Läuft ab</translation>
    </message>
</context>
<context>
    <name>SlowConsumerModel</name>
    <message>
        <source>(console)</source>
        <translation>(Konsole)</translation>
    </message>
    <message numerus="yes">
        <source>%n room(s)</source>
        <translation><numerusform>%n Raum</numerusform><numerusform>%n Räume</numerusform></translation>
    </message>
    <message>
        <source>Relay %1, client %2 from %3: %4 queued of --max-outbound-bytes %5, above the share since %6</source>
        <translation>Relay %1, Client %2 von %3: %4 wartend bei --max-outbound-bytes %5, über dem Warnanteil seit %6</translation>
    </message>
    <message>
        <source>Redis client id %1 from %2 (%3): output buffer %4, soft limit %5, hard limit %6; above the share since %7</source>
        <translation>Redis-Client-ID %1 von %2 (%3): Ausgabepuffer %4, Soft-Limit %5, Hard-Limit %6; über dem Warnanteil seit %7</translation>
    </message>
    <message>
        <source>no name</source>
        <translation>kein Name</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keines</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Relay</source>
        <translation>Relay</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Output buffer</source>
        <translation>Ausgabepuffer</translation>
    </message>
    <message>
        <source>Of soft</source>
        <translation>Vom Soft-Limit</translation>
    </message>
    <message>
        <source>Of hard</source>
        <translation>Vom Hard-Limit</translation>
    </message>
    <message>
        <source>Above for</source>
        <translation>Darüber seit</translation>
    </message>
    <message>
        <source>Total memory</source>
        <translation>Speicher gesamt</translation>
    </message>
    <message>
        <source>Query buffer</source>
        <translation>Abfragepuffer</translation>
    </message>
    <message>
        <source>sub / psub / ssub</source>
        <translation>sub / psub / ssub</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Alter</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
</context>
<context>
    <name>SlowConsumerMonitor</name>
    <message>
        <source>Waiting for CONFIG GET client-output-buffer-limit.</source>
        <translation>Warte auf CONFIG GET client-output-buffer-limit.</translation>
    </message>
    <message>
        <source>pubsub 0 0 0: no limit, Redis never disconnects a slow subscriber (nothing to warn about)</source>
        <translation>pubsub 0 0 0: kein Limit, Redis trennt nie einen langsamen Abonnenten (keine Warnungen nötig)</translation>
    </message>
    <message>
        <source>Redis's pubsub limit: hard %1 at once, no soft limit (warnings are a share of the hard one)</source>
        <translation>pubsub-Limit von Redis: Hard-Limit %1 sofort, kein Soft-Limit (Warnungen beziehen sich auf einen Anteil des Hard-Limits)</translation>
    </message>
    <message>
        <source>Redis's pubsub limit: no hard limit, soft %1 for %2 s</source>
        <translation>pubsub-Limit von Redis: kein Hard-Limit, Soft-Limit %1 für %2 s</translation>
    </message>
    <message>
        <source>Redis's pubsub limit: hard %1 at once, soft %2 for %3 s</source>
        <translation>pubsub-Limit von Redis: Hard-Limit %1 sofort, Soft-Limit %2 für %3 s</translation>
    </message>
    <message>
        <source>CONFIG refused (%1): Redis's defaults assumed; %2</source>
        <translation>CONFIG abgelehnt (%1): Standardwerte von Redis angenommen; %2</translation>
    </message>
    <message>
        <source>CONFIG GET did not report the limit (%1): Redis's defaults assumed; %2</source>
        <translation>CONFIG GET hat das Limit nicht gemeldet (%1): Standardwerte von Redis angenommen; %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>every node</source>
        <translation>alle Knoten</translation>
    </message>
    <message>
        <source>client %1 (%2)</source>
        <translation>Client %1 (%2)</translation>
    </message>
    <message>
        <source>id %1 (%2)</source>
        <translation>ID %1 (%2)</translation>
    </message>
    <message>
        <source>above the warning share</source>
        <translation>über dem Warnanteil</translation>
    </message>
    <message>
        <source>back below the warning share</source>
        <translation>wieder unter dem Warnanteil</translation>
    </message>
    <message>
        <source>gone (likely closed by its relay: queued bytes over --max-outbound-bytes)</source>
        <translation>verschwunden (vermutlich von seinem Relay geschlossen: wartende Bytes über --max-outbound-bytes)</translation>
    </message>
    <message>
        <source>disconnected (likely by Redis: output buffer over limit)</source>
        <translation>getrennt (vermutlich von Redis: Ausgabepuffer über dem Limit)</translation>
    </message>
    <message>
        <source>the Cluster's topology is not known yet</source>
        <translation>die Topologie des Clusters ist noch nicht bekannt</translation>
    </message>
    <message>
        <source>CONFIG GET client-output-buffer-limit did not report the pubsub class</source>
        <translation>CONFIG GET client-output-buffer-limit hat die Klasse pubsub nicht gemeldet</translation>
    </message>
    <message numerus="yes">
        <source>%n node(s) did not answer CLIENT LIST</source>
        <translation><numerusform>%n Knoten hat nicht auf CLIENT LIST geantwortet</numerusform><numerusform>%n Knoten haben nicht auf CLIENT LIST geantwortet</numerusform></translation>
    </message>
</context>
<context>
    <name>SlowConsumersView</name>
    <message>
        <source>Slow consumers (%1)</source>
        <translation>Langsame Abonnenten (%1)</translation>
    </message>
    <message>
        <source>Slow consumers</source>
        <translation>Langsame Abonnenten</translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation>Nicht verbunden.</translation>
    </message>
    <message>
        <source>No Pub/Sub connection or relay client above %1 % of its limit.</source>
        <translation>Keine Pub/Sub-Verbindung und kein Relay-Client über %1 % ihres Limits.</translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s) above %1 % of their limit.</source>
        <translation><numerusform>%n Verbindung über %1 % ihres Limits.</numerusform><numerusform>%n Verbindungen über %1 % ihres Limits.</numerusform></translation>
    </message>
    <message>
        <source>CLIENT LIST every %1 s.</source>
        <translation>CLIENT LIST alle %1 s.</translation>
    </message>
    <message>
        <source>Last poll: %1</source>
        <translation>Letzte Abfrage: %1</translation>
    </message>
    <message>
        <source>%1 (%2 % of soft)</source>
        <translation>%1 (%2 % des Soft-Limits)</translation>
    </message>
    <message>
        <source>%1 (%2 % of hard)</source>
        <translation>%1 (%2 % des Hard-Limits)</translation>
    </message>
    <message>
        <source>node %1</source>
        <translation>Knoten %1</translation>
    </message>
    <message>
        <source>Warn at</source>
        <translation>Warnen ab</translation>
    </message>
    <message>
        <source>Share of the soft limit (of the hard one when there is no soft limit, of --max-outbound-bytes for relay clients) that warns</source>
        <translation>Anteil des Soft-Limits (des Hard-Limits, wenn es kein Soft-Limit gibt, von --max-outbound-bytes bei Relay-Clients), ab dem gewarnt wird</translation>
    </message>
    <message>
        <source>Recent events</source>
        <translation>Letzte Ereignisse</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Relay</source>
        <translation>Relay</translation>
    </message>
    <message>
        <source>Output buffer</source>
        <translation>Ausgabepuffer</translation>
    </message>
</context>
<context>
    <name>TapController</name>
    <message>
        <source>Receiving %1 msg/s: keeping 1 in %2 to stay responsive (rates and counts stay exact).</source>
        <translation>Empfange %1 Nachr./s: behalte 1 von %2, um reaktionsfähig zu bleiben (Raten und Zähler bleiben exakt).</translation>
    </message>
    <message>
        <source>Receiving %1 msg/s, far beyond what can be shown: buffering paused until traffic calms down (rates and counts stay exact).</source>
        <translation>Empfange %1 Nachr./s, weit mehr als sich anzeigen lässt: Puffern pausiert, bis der Verkehr nachlässt (Raten und Zähler bleiben exakt).</translation>
    </message>
</context>
<context>
    <name>TapModel</name>
    <message>
        <source>Payload of %1 bytes, kept up to %2 bytes</source>
        <translation>Nutzlast von %1 Bytes, davon %2 Bytes behalten</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>Pattern</source>
        <translation>Muster</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Payload</source>
        <translation>Nutzlast</translation>
    </message>
</context>
<context>
    <name>TapRecorder</name>
    <message>
        <source>Cannot record to %1: %2</source>
        <translation>Aufnahme nach %1 nicht möglich: %2</translation>
    </message>
    <message>
        <source>Recording to %1 stopped: %2. The file keeps the %3 messages (%4) written before; %5 more were not written.</source>
        <translation>Aufnahme nach %1 gestoppt: %2. Die Datei behält die %3 zuvor geschriebenen Nachrichten (%4); %5 weitere wurden nicht geschrieben.</translation>
    </message>
</context>
<context>
    <name>TapView</name>
    <message>
        <source>Shown rows as NDJSON…</source>
        <translation>Angezeigte Zeilen als NDJSON…</translation>
    </message>
    <message>
        <source>Shown rows as CSV…</source>
        <translation>Angezeigte Zeilen als CSV…</translation>
    </message>
    <message>
        <source>Selection as NDJSON…</source>
        <translation>Auswahl als NDJSON…</translation>
    </message>
    <message>
        <source>Selection as CSV…</source>
        <translation>Auswahl als CSV…</translation>
    </message>
    <message>
        <source>Channel or pattern to tap (room:* subscribes a pattern)</source>
        <translation>Kanal oder Muster zum Mitschneiden (room:* abonniert ein Muster)</translation>
    </message>
    <message>
        <source>Tap</source>
        <translation>Mitschneiden</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Stop buffering new messages; rates and counts keep going (Ctrl+P, Space)</source>
        <translation>Neue Nachrichten nicht mehr puffern; Raten und Zähler laufen weiter (Strg+P, Leertaste)</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Empty the buffer (Ctrl+L)</source>
        <translation>Puffer leeren (Strg+L)</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>Mitlaufen</translation>
    </message>
    <message>
        <source>Channel filter</source>
        <translation>Kanalfilter</translation>
    </message>
    <message>
        <source>Payload filter</source>
        <translation>Nutzlastfilter</translation>
    </message>
    <message>
        <source>Regex</source>
        <translation>Regex</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Pattern subscription (PSUBSCRIBE)</source>
        <translation>Muster-Abonnement (PSUBSCRIBE)</translation>
    </message>
    <message>
        <source>Channel subscription (SUBSCRIBE)</source>
        <translation>Kanal-Abonnement (SUBSCRIBE)</translation>
    </message>
    <message>
        <source>%1 shown of %2 buffered · %3 msg/s · %4 received</source>
        <translation>%1 von %2 gepufferten angezeigt · %3 Nachr./s · %4 empfangen</translation>
    </message>
    <message>
        <source> · %1 missed while paused</source>
        <translation> · %1 während der Pause verpasst</translation>
    </message>
    <message>
        <source> · %1 sampled away</source>
        <translation> · %1 durch Stichprobe ausgelassen</translation>
    </message>
    <message>
        <source> · not connected</source>
        <translation> · nicht verbunden</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; · %2 · %3 bytes</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; · %2 · %3 Bytes</translation>
    </message>
    <message>
        <source> · pattern %1</source>
        <translation> · Muster %1</translation>
    </message>
    <message>
        <source> · truncated to %1 bytes</source>
        <translation> · gekürzt auf %1 Bytes</translation>
    </message>
    <message>
        <source>Export tap</source>
        <translation>Mitschnitt exportieren</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Newline-delimited JSON (*.ndjson *.jsonl)</source>
        <translation>Zeilenweises JSON (*.ndjson *.jsonl)</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>%1 konnte nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Select a message to see it here; JSON is pretty-printed.</source>
        <translation>Wählen Sie eine Nachricht, um sie hier zu sehen; JSON wird formatiert angezeigt.</translation>
    </message>
    <message>
        <source>pattern %1</source>
        <translation>Muster %1</translation>
    </message>
    <message>
        <source>sharded %1</source>
        <translation>sharded %1</translation>
    </message>
    <message>
        <source>Sharded channel subscription (SSUBSCRIBE on the shard that owns it)</source>
        <translation>Sharded-Kanal-Abonnement (SSUBSCRIBE auf dem Shard, dem er gehört)</translation>
    </message>
</context>
<context>
    <name>TextFilter</name>
    <message>
        <source>Invalid expression: %1</source>
        <translation>Ungültiger Ausdruck: %1</translation>
    </message>
</context>
</TS>