package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.WECOM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.silence.Silences;
import io.alertrelay.testing.AlertmanagerProcess;
import io.alertrelay.testing.BotRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Relay silences through the real amtool: made, listed and expired with {@code amtool silence},
 * muting pushed alerts in the mute stage (a silenced group is not sent, the others are; once the
 * silence is expired it is), and {@code amtool alert query} listing the relay's alerts with their state.
 */
class SilencesAmtoolTest extends RelayIntegrationTest {

    @TempDir
    Path dir;

    @Autowired
    Silences silences;

    @Autowired
    MeterRegistry registry;

    private Path amtool;
    private Path adminConfig;
    private Path ingestConfig;

    @BeforeEach
    void amtool() throws Exception {
        AlertmanagerProcess.assumeAvailable();
        amtool = AlertmanagerProcess.findAmtool().orElseThrow(() -> new AssertionError("amtool not found"));
        adminConfig = Files.writeString(dir.resolve("admin.yml"), "authorization:\n  credentials: " + ADMIN_TOKEN + "\n");
        ingestConfig = Files.writeString(dir.resolve("ingest.yml"), "authorization:\n  credentials: " + TOKEN + "\n");
    }

    /** Silences are shared by every test of this context: none of these may mute another test's alerts. */
    @AfterEach
    void expireTheSilences() {
        silences.list().forEach(s -> silences.expire(s.id()));
        jdbc.update("DELETE FROM relay_silences");
    }

    private String amtool(Path httpConfig, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(amtool.toString(), "--alertmanager.url=" + url(""),
                "--http.config.file=" + httpConfig));
        command.addAll(List.of(args));
        Process run = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).as("amtool " + String.join(" ", args) + " ended").isTrue();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.exitValue()).as("amtool " + String.join(" ", args) + ": " + output).isZero();
        return output;
    }

    private void push(String alertname, String instance) throws Exception {
        assertThat(post("/api/v2/alerts", "[{\"labels\": {\"alertname\": \"" + alertname + "\", \"source\": \"amtool\", "
                + "\"instance\": \"" + instance + "\"}}]").statusCode()).isEqualTo(200);
    }

    private double silenced() {
        Counter counter = registry.find("relay.alerts.silenced").tag("receiver", "ops-wecom").counter();
        return counter == null ? 0 : counter.count();
    }

    private static boolean anyMentions(List<BotRequest> messages, String text) {
        return messages.stream().anyMatch(m -> m.bodyText().contains(text));
    }

    @Test
    void aSilenceMadeWithAmtoolMutesItsAlertsUntilAmtoolExpiresIt() throws Exception {
        String id = amtool(adminConfig, "silence", "add", "alertname=SilencedByAmtool", "--comment=maintenance window",
                "--author=tester", "--duration=1h").strip();
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(amtool(adminConfig, "silence", "query", "-q")).contains(id);
        assertThat(amtool(adminConfig, "silence", "query", "-q", "alertname=SilencedByAmtool")).contains(id);
        assertThat(amtool(adminConfig, "silence", "query", "-q", "alertname=Other")).doesNotContain(id);
        assertThat(amtool(adminConfig, "silence", "query")).contains(id).contains("alertname=\"SilencedByAmtool\"")
                .contains("tester").contains("maintenance window");

        double before = silenced();
        push("SilencedByAmtool", "db1");
        push("NotSilenced", "db1");
        WECOM.awaitAccepted(1, Duration.ofSeconds(15));
        // the silenced group is flushed with the other (same group_wait): once the mute stage counted it, it was dropped
        await("the silenced alert muted").atMost(Duration.ofSeconds(15)).until(() -> silenced() > before);
        assertThat(anyMentions(WECOM.accepted(), "NotSilenced")).isTrue();
        assertThat(anyMentions(WECOM.accepted(), "SilencedByAmtool")).as("the silenced alert was sent").isFalse();

        assertThat(amtool(ingestConfig, "alert", "query")).contains("NotSilenced").doesNotContain("SilencedByAmtool");
        assertThat(amtool(ingestConfig, "alert", "query", "--silenced")).contains("SilencedByAmtool").doesNotContain("NotSilenced");

        amtool(adminConfig, "silence", "expire", id);
        assertThat(amtool(adminConfig, "silence", "query", "-q")).doesNotContain(id);
        assertThat(amtool(adminConfig, "silence", "query", "--expired", "-q")).contains(id);
        assertThat(silences.get(id).orElseThrow().state(java.time.Instant.now())).isEqualTo(io.alertrelay.silence.Silence.State.EXPIRED);

        push("SilencedByAmtool", "db1");
        await("the alert sent once its silence is expired").atMost(Duration.ofSeconds(15))
                .until(() -> anyMentions(WECOM.accepted(), "SilencedByAmtool"));
    }

    @Test
    void aPartlySilencedGroupListsOnlyTheAlertsNotSilenced() throws Exception {
        String silence = """
                {"matchers": [{"name": "alertname", "value": "PartlySilenced", "isRegex": false},
                              {"name": "instance", "value": "muted-.*", "isRegex": true, "isEqual": true}],
                 "startsAt": "2020-01-01T00:00:00Z", "endsAt": "2099-01-01T00:00:00Z",
                 "createdBy": "tester", "comment": "one host down for maintenance"}
                """;
        var made = admin("POST", "/api/v2/silences", silence, ADMIN_TOKEN);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
        assertThat(made.body()).contains("silenceID");

        push("PartlySilenced", "muted-host-1");
        push("PartlySilenced", "kept-host-2");
        String body = WECOM.awaitAccepted(1, Duration.ofSeconds(15)).get(0).bodyText();
        assertThat(body).contains("PartlySilenced").contains("kept-host-2").doesNotContain("muted-host-1");
    }

    @Test
    void theSilencesTakeTheAdminTokenAndNothingElse() throws Exception {
        String silence = "{\"matchers\": [{\"name\": \"alertname\", \"value\": \"AuthCheck\", \"isRegex\": false}], "
                + "\"startsAt\": \"2020-01-01T00:00:00Z\", \"endsAt\": \"2099-01-01T00:00:00Z\", \"createdBy\": \"t\", \"comment\": \"c\"}";
        for (String token : new String[] {null, TOKEN, "wrong"}) {
            assertThat(admin("GET", "/api/v2/silences", null, token).statusCode()).as("GET with " + token).isEqualTo(401);
            assertThat(admin("POST", "/api/v2/silences", silence, token).statusCode()).as("POST with " + token).isEqualTo(401);
            assertThat(admin("GET", "/api/v2/silence/x", null, token).statusCode()).as("GET one with " + token).isEqualTo(401);
            assertThat(admin("DELETE", "/api/v2/silence/x", null, token).statusCode()).as("DELETE with " + token).isEqualTo(401);
        }
        assertThat(count("relay_silences")).isZero();
        var made = admin("POST", "/api/v2/silences", silence, ADMIN_TOKEN);
        assertThat(made.statusCode()).isEqualTo(200);
        String id = made.body().replaceAll(".*\"silenceID\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        assertThat(admin("GET", "/api/v2/silences", null, ADMIN_TOKEN).body()).contains(id).contains("\"state\":\"active\"");
        assertThat(admin("GET", "/api/v2/silence/" + id, null, ADMIN_TOKEN).body()).contains(id).contains("AuthCheck");
        assertThat(admin("DELETE", "/api/v2/silence/" + id, null, ADMIN_TOKEN).statusCode()).isEqualTo(200);
        assertThat(admin("GET", "/api/v2/silence/" + id, null, ADMIN_TOKEN).body()).contains("\"state\":\"expired\"");
        // the rest of /api/v2 keeps the ingest credentials
        assertThat(admin("GET", "/api/v2/alerts", null, ADMIN_TOKEN).statusCode()).isEqualTo(401);
        assertThat(admin("GET", "/api/v2/alerts", null, TOKEN).statusCode()).isEqualTo(200);
    }

    private java.net.http.HttpResponse<String> admin(String method, String path, String body, String token) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url(path)))
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }
}
