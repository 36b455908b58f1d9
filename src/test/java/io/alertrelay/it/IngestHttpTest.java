package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import io.alertrelay.RelayProperties;
import org.springframework.beans.factory.annotation.Autowired;

/** What the webhook answers: 2xx once accepted, a clear JSON 4xx for bad input, never a stack trace. */
class IngestHttpTest extends RelayIntegrationTest {

    @Autowired
    RelayProperties properties;

    @Test
    void acceptsTheSeedPayload() throws Exception {
        HttpResponse<String> response = post("/webhook/alertmanager", payload("seed-001-firing.json"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"accepted\"").contains("\"alerts\":1");
    }

    @Test
    void acceptsBasicAuthAsAlertmanagerSendsIt() throws Exception {
        HttpResponse<String> response = send(request("/webhook/alertmanager", payload("seed-001-firing.json"))
                .header("Authorization", basicAuth("am", BASIC_PASSWORD)));
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void missingOrWrongCredentialsGet401() throws Exception {
        HttpResponse<String> none = send(request("/webhook/alertmanager", payload("seed-001-firing.json")));
        HttpResponse<String> wrongBearer = send(request("/webhook/alertmanager", payload("seed-001-firing.json"))
                .header("Authorization", "Bearer " + TOKEN + "x"));
        HttpResponse<String> wrongBasic = send(request("/webhook/alertmanager", payload("seed-001-firing.json"))
                .header("Authorization", basicAuth("am", "nope")));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(wrongBearer.statusCode()).isEqualTo(401);
        assertThat(wrongBasic.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("credentials").doesNotContain(TOKEN);
    }

    @Test
    void wrongContentTypeGets415() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url("/webhook/alertmanager")))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=b")));
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.body()).contains("application/json");
    }

    @Test
    void oversizedBodyGets413() throws Exception {
        String huge = "{\"pad\":\"" + "x".repeat((int) properties.getIngest().getMaxBodySize().toBytes()) + "\"}";
        HttpResponse<String> response = post("/webhook/alertmanager", huge);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("relay.ingest.max-body-size");
    }

    @Test
    void malformedJsonGets400WithWhere() throws Exception {
        HttpResponse<String> response = post("/webhook/alertmanager", "{\"alerts\": [");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("malformed JSON").contains("line 1");
    }

    @Test
    void missingFieldGets400NamingIt() throws Exception {
        String noLabels = payload("seed-001-firing.json").replaceFirst("\"labels\"", "\"labelz\"");
        HttpResponse<String> response = post("/webhook/alertmanager", noLabels);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("alerts[0].labels");
        HttpResponse<String> noAlerts = post("/webhook/alertmanager", "{\"version\":\"4\"}");
        assertThat(noAlerts.statusCode()).isEqualTo(400);
        assertThat(noAlerts.body()).contains("alerts: required");
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        String extra = payload("seed-001-firing.json").replaceFirst("\\{", "{\"someFutureField\": {\"x\": [1,2]},");
        assertThat(post("/webhook/alertmanager", extra).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownReceiverInPathGets404() throws Exception {
        HttpResponse<String> response = post("/webhook/alertmanager/no-such-receiver", payload("seed-001-firing.json"));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("no-such-receiver");
    }

    @Test
    void getIsNotAllowed() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url("/webhook/alertmanager")))
                .header("Authorization", "Bearer " + TOKEN).GET());
        assertThat(response.statusCode()).isEqualTo(405);
    }

    private HttpRequest.Builder request(String path, String json) {
        return HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }
}
