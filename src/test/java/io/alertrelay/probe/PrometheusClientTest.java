package io.alertrelay.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Prometheus's query API answers, as its documentation shows them. */
class PrometheusClientTest {

    @Test
    void aVectorBecomesSamplesWithoutTheMetricName() {
        var samples = PrometheusClient.parse("http://p", 200, """
                {"status":"success","data":{"resultType":"vector","result":[
                  {"metric":{"__name__":"up","job":"node","instance":"h1:9100"},"value":[1700000000.1,"0"]},
                  {"metric":{"__name__":"up","job":"node","instance":"h2:9100"},"value":[1700000000.1,"+Inf"]}]}}
                """);
        assertThat(samples).hasSize(2);
        assertThat(samples.get(0).labels()).containsOnlyKeys("job", "instance");
        assertThat(samples.get(0).value()).isZero();
        assertThat(samples.get(1).value()).isInfinite();
    }

    @Test
    void aScalarIsOneSampleWithoutLabels() {
        var samples = PrometheusClient.parse("http://p", 200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000,\"42.5\"]}}");
        assertThat(samples).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(42.5));
    }

    @Test
    void aUrlIsShownWithoutItsCredentials() {
        assertThat(PrometheusClient.shown("https://user:s3cr3t@prometheus.example:9090/prom"))
                .isEqualTo("https://prometheus.example:9090/prom");
        assertThat(PrometheusClient.shown("http://prometheus:9090")).isEqualTo("http://prometheus:9090");
    }

    @Test
    void errorsSayWhatPrometheusSaid() {
        assertThatThrownBy(() -> PrometheusClient.parse("http://p", 400,
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: unexpected\"}"))
                .hasMessage("http://p answered HTTP 400: bad_data: 1:5: parse error: unexpected");
        assertThatThrownBy(() -> PrometheusClient.parse("http://p", 502, "<html>Bad Gateway</html>"))
                .hasMessageContaining("HTTP 502 with a body that is not Prometheus's JSON");
        assertThatThrownBy(() -> PrometheusClient.parse("http://p", 200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"))
                .hasMessageContaining("gives a matrix; a probe needs an instant vector or a scalar");
    }
}
