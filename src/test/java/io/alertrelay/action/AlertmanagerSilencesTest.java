package io.alertrelay.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.action.AlertmanagerSilences.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which Alertmanager a group is silenced in, chosen by the externalURL its webhook carried. */
class AlertmanagerSilencesTest {

    private static final Target PROD = new Target("https://am.example.com/", "http://alertmanager.monitoring:9093", "Bearer prod");
    private static final Target DEFAULT = new Target("", "", "");

    @Test
    void aListedAlertmanagerIsReachedAtItsUrlWithItsCredentials() {
        AlertmanagerSilences silences = new AlertmanagerSilences(List.of(PROD), DEFAULT);
        assertThat(silences.target("https://am.example.com")).hasValue(PROD);
        assertThat(silences.target("https://am.example.com/").orElseThrow().authorization()).isEqualTo("Bearer prod");
    }

    @Test
    void anyOtherAtItsOwnExternalUrlOrTheConfiguredDefault() {
        assertThat(new AlertmanagerSilences(List.of(PROD), DEFAULT).target("http://10.0.0.5:9093/").orElseThrow())
                .isEqualTo(new Target("http://10.0.0.5:9093", "http://10.0.0.5:9093", ""));
        Target configured = new Target("", "http://am:9093", "Basic eDp5");
        assertThat(new AlertmanagerSilences(List.of(PROD), configured).target("http://10.0.0.5:9093")).hasValue(configured);
    }

    @Test
    void withoutAnHttpAddressThereIsNoAlertmanagerToSilenceIn() {
        AlertmanagerSilences silences = new AlertmanagerSilences(List.of(), DEFAULT);
        assertThat(silences.target("")).isEmpty();
        assertThat(silences.target("javascript:alert(1)")).isEmpty();
    }

    @Test
    void credentialsAreNeverPrinted() {
        assertThat(PROD.toString()).doesNotContain("prod").isEqualTo("http://alertmanager.monitoring:9093");
    }
}
