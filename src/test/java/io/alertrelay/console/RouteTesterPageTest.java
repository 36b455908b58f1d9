package io.alertrelay.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.config.Secret;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The route tester's reading of a typed label set, and addresses shown without what may be a token. */
class RouteTesterPageTest {

    @Test
    void readsPairsPerLineOrCommaSeparatedQuotedOrNotInBracesOrNot() {
        assertThat(RouteTesterPage.parse("alertname=\"DiskFull\", severity=critical")).containsExactly(
                Map.entry("alertname", "DiskFull"), Map.entry("severity", "critical"));
        assertThat(RouteTesterPage.parse("{team=\"db, main\",\ninstance=\"a\\\"b\"}")).containsExactly(
                Map.entry("team", "db, main"), Map.entry("instance", "a\"b"));
        assertThat(RouteTesterPage.parse("a=\n\nb=\"\"")).containsEntry("a", "").containsEntry("b", "");
    }

    @Test
    void anythingElseIsNotALabelSet() {
        assertThat(RouteTesterPage.parse("just words")).isNull();
        assertThat(RouteTesterPage.parse("1abc=\"x\"")).isNull();
        assertThat(RouteTesterPage.parse("a=\"unterminated")).isNull();
    }

    @Test
    void anAddressIsShownByItsHostOnly() {
        assertThat(RouteTesterPage.host(new Secret("https://oapi.dingtalk.com/robot/send?access_token=abc123")))
                .isEqualTo("https://oapi.dingtalk.com/…");
        assertThat(RouteTesterPage.host(new Secret("https://hooks.slack.com/services/T0/B0/XyZsecret"))).doesNotContain("XyZsecret");
        assertThat(RouteTesterPage.host(new Secret("http://10.0.0.1:8080/hook"))).isEqualTo("http://10.0.0.1:8080/…");
        assertThat(RouteTesterPage.host(new Secret("not a url with token"))).isEqualTo(Secret.MASK);
    }
}
