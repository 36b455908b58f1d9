package io.alertrelay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelayConfigLoaderTest {

    /** What the environment holds; the values are secrets that no error message may show. */
    private static final Map<String, String> ENV = Map.of(
            "FEISHU_TOKEN", "feishu-token-s3cr3t",
            "FEISHU_SECRET", "feishu-sign-s3cr3t",
            "WMS_TOKEN", "wms-token-s3cr3t",
            "DING_SECRET", "ding-sign-s3cr3t",
            "WECOM_KEY", "wecom-key-s3cr3t",
            "SMTP_PASSWORD", "smtp-pass-s3cr3t",
            "SMTP_HOST", "smtp.example.com");

    private static final List<String> SECRET_VALUES = List.copyOf(ENV.values());

    private final RelayConfigLoader loader = new RelayConfigLoader(
            new PlaceholderResolver(ENV::get), new RelayConfigValidator(name -> { }, io.alertrelay.testing.TestChannels.all().all()));

    private static final String VALID = """
            receivers:
              - name: lark
                type: feishu
                url: https://open.feishu.cn/open-apis/bot/v2/hook/${FEISHU_TOKEN}
                secret: ${FEISHU_SECRET}
                language: en
                mentions:
                  user_ids: [ou_1]
                  all: true
              - name: ding-wms
                type: dingtalk
                url: https://oapi.dingtalk.com/robot/send?access_token=${WMS_TOKEN}
                secret: ${DING_SECRET}
                format: actionCard
                mentions:
                  mobiles: ["13800000000"]
              - name: wecom
                type: WeCom
                url: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${WECOM_KEY}
                format: text
                send_resolved: false
              - name: mail
                type: email
                to: [ops@example.com, dba@example.com]
                from: relay@example.com
                smarthost: ${SMTP_HOST}:465
                username: relay@example.com
                password: ${SMTP_PASSWORD}
                require_tls: true
                subject_template: my-subject.txt.vm
              - name: log
                type: log
            route:
              receiver: log
              routes:
                - matchers: ['project="wms"']
                  receiver: ding-wms
                - matchers:
                    - severity=~"critical|page"
                    - team!="dev"
                  receivers: [lark, mail]
                  continue: true
                - matchers: [team="ops"]
                  receiver: wecom
            """;

    private ConfigException failure(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("relay.yaml", yaml));
        assertThat(e).as("must be rejected").isNotNull();
        for (String secret : SECRET_VALUES) {
            assertThat(e.getMessage()).as("never shows a secret").doesNotContain(secret);
        }
        return e;
    }

    @Test
    void validFileParses() {
        RelayConfig config = loader.parse("relay.yaml", VALID);

        assertThat(config.receivers()).extracting(ReceiverConfig::name)
                .containsExactly("lark", "ding-wms", "wecom", "mail", "log");
        assertThat(config.receivers()).extracting(ReceiverConfig::type).containsExactly(
                ReceiverType.FEISHU, ReceiverType.DINGTALK, ReceiverType.WECOM, ReceiverType.EMAIL, ReceiverType.LOG);

        ReceiverConfig lark = config.receiver("lark").orElseThrow();
        assertThat(lark.url().reveal()).isEqualTo("https://open.feishu.cn/open-apis/bot/v2/hook/feishu-token-s3cr3t");
        assertThat(lark.secret().reveal()).isEqualTo("feishu-sign-s3cr3t");
        assertThat(lark.format()).isEqualTo("interactive");
        assertThat(lark.language()).isEqualTo("en");
        assertThat(lark.mentions()).isEqualTo(new Mentions(List.of(), List.of("ou_1"), true));
        assertThat(lark.wantsResolved()).isTrue();

        ReceiverConfig ding = config.receiver("ding-wms").orElseThrow();
        assertThat(ding.url().reveal()).isEqualTo("https://oapi.dingtalk.com/robot/send?access_token=wms-token-s3cr3t");
        assertThat(ding.secret().reveal()).isEqualTo("ding-sign-s3cr3t");
        assertThat(ding.format()).isEqualTo("actionCard");
        assertThat(ding.mentions().mobiles()).containsExactly("13800000000");

        ReceiverConfig wecom = config.receiver("wecom").orElseThrow();
        assertThat(wecom.url().reveal()).endsWith("key=wecom-key-s3cr3t");
        assertThat(wecom.format()).isEqualTo("text");
        assertThat(wecom.wantsResolved()).isFalse();
        assertThat(wecom.secret().isEmpty()).isTrue();

        ReceiverConfig mail = config.receiver("mail").orElseThrow();
        assertThat(mail.to()).containsExactly("ops@example.com", "dba@example.com");
        assertThat(mail.from()).isEqualTo("relay@example.com");
        assertThat(mail.smarthost()).isEqualTo("smtp.example.com:465");
        assertThat(mail.username().reveal()).isEqualTo("relay@example.com");
        assertThat(mail.password().reveal()).isEqualTo("smtp-pass-s3cr3t");
        assertThat(mail.tlsRequired()).isTrue();
        assertThat(mail.subjectTemplate()).isEqualTo("my-subject.txt.vm");
        assertThat(mail.format()).isEqualTo("html");

        assertThat(config.defaultReceiver()).isEqualTo("log");
        List<RouteRule> rules = config.route().routes();
        assertThat(rules).hasSize(3);
        assertThat(rules.get(0).matchers()).containsExactly("project=\"wms\"");
        assertThat(rules.get(0).allReceivers()).containsExactly("ding-wms");
        assertThat(rules.get(0).continueMatching()).isFalse();
        assertThat(rules.get(1).matchers()).containsExactly("severity=~\"critical|page\"", "team!=\"dev\"");
        assertThat(rules.get(1).allReceivers()).containsExactly("lark", "mail");
        assertThat(rules.get(1).continueMatching()).isTrue();
        assertThat(rules.get(2).matchers()).containsExactly("team=\"ops\"");

        // the config's text form never reveals a secret
        for (String secret : SECRET_VALUES.stream().filter(s -> !s.equals("smtp.example.com")).toList()) {
            assertThat(config.toString()).doesNotContain(secret);
        }
    }

    @Test
    void placeholderDefaultsApplyWhenUnset() {
        RelayConfig config = loader.parse("relay.yaml", """
                receivers:
                  - name: ding
                    type: dingtalk
                    url: https://oapi.dingtalk.com/robot/send?access_token=${DING_TOKEN:fallback-token}
                    secret: ${DING_SECRET:unused}
                """);
        assertThat(config.receivers().get(0).url().reveal()).endsWith("access_token=fallback-token");
        assertThat(config.receivers().get(0).secret().reveal()).isEqualTo("ding-sign-s3cr3t");
        assertThat(config.defaultReceiver()).isEqualTo("ding");
    }

    @Test
    void emptyFileIsTheEmptyConfiguration() {
        // RelayConfigLoader.parse maps a null document to the empty configuration
        for (String empty : List.of("", "# nothing configured yet\n")) {
            RelayConfig config = loader.parse("relay.yaml", empty);
            assertThat(config.receivers()).isEmpty();
            assertThat(config.defaultReceiver()).isEqualTo(RelayConfig.DEFAULT_RECEIVER);
        }
    }

    @Test
    void escalateTakesOneStepOrAList() {
        RelayConfig config = loader.parse("relay.yaml", """
                receivers:
                  - name: log
                    type: log
                  - name: lead
                    type: log
                  - name: manager
                    type: log
                route:
                  receiver: log
                  routes:
                    - matchers: [team="ops"]
                      receiver: log
                      escalate: {after: 15m, receiver: lead}
                    - matchers: [team="db"]
                      receiver: log
                      escalate:
                        - after: 10m
                          receivers: [lead]
                        - after: 1h
                          receivers: [lead, manager]
                """);
        assertThat(config.route().routes().get(0).escalate()).singleElement()
                .satisfies(step -> assertThat(step.delay()).isEqualTo(java.time.Duration.ofMinutes(15)))
                .satisfies(step -> assertThat(step.allReceivers()).containsExactly("lead"));
        assertThat(config.route().routes().get(1).escalate()).extracting(EscalationStep::delay)
                .containsExactly(java.time.Duration.ofMinutes(10), java.time.Duration.ofHours(1));
    }

    @Test
    void escalationStepsMustComeLaterEachAndNameReceivers() {
        ConfigException e = failure("""
                receivers:
                  - name: log
                    type: log
                route:
                  receiver: log
                  routes:
                    - matchers: [team="ops"]
                      receiver: log
                      escalate:
                        - after: 30m
                          receiver: log
                        - after: 10m
                          receiver: nobody
                        - after: soon
                """);
        assertThat(e.getMessage()).contains("later than the step before").contains("receiver 'nobody'")
                .contains("'soon' is not a duration").contains("needs 'receiver' or 'receivers'");
    }

    @Test
    void unsetPlaceholderNamesItAndItsLineButNoSecret() {
        ConfigException e = failure("""
                receivers:
                  - name: lark
                    type: feishu
                    url: https://open.feishu.cn/open-apis/bot/v2/hook/${FEISHU_TOKEN}
                    secret: ${FEISHU_SECRET}
                  - name: ding
                    type: dingtalk
                    url: https://oapi.dingtalk.com/robot/send?access_token=${WMS_TOKEN}
                    secret: ${NOT_SET_ANYWHERE}
                """);
        assertThat(e.line()).isEqualTo(9);
        assertThat(e.getMessage()).startsWith("relay.yaml:9:").contains("${NOT_SET_ANYWHERE}");
    }

    @Test
    void unsetPlaceholderInsideAUrlWithASetOneShowsNeitherValue() {
        ConfigException e = failure("""
                receivers:
                  - name: ding
                    type: dingtalk
                    url: https://oapi.dingtalk.com/robot/send?access_token=${WMS_TOKEN}&x=${NOPE}
                """);
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.getMessage()).startsWith("relay.yaml:4:").contains("${NOPE}");
    }

    @Test
    void unsetPlaceholderInPasswordAndSmarthost() {
        ConfigException password = failure("""
                receivers:
                  - name: mail
                    type: email
                    to: [ops@example.com]
                    from: relay@example.com
                    smarthost: smtp.example.com:587
                    username: relay
                    password: ${MAIL_PASSWORD}
                """);
        assertThat(password.line()).isEqualTo(8);
        assertThat(password.getMessage()).contains("${MAIL_PASSWORD}");

        ConfigException host = failure("""
                receivers:
                  - name: mail
                    type: email
                    to: [ops@example.com]
                    from: relay@example.com
                    smarthost: ${MAIL_HOST}:587
                """);
        assertThat(host.line()).isEqualTo(6);
        assertThat(host.getMessage()).contains("${MAIL_HOST}");
    }

    @Test
    void unknownKeyIsReportedWithItsLine() {
        ConfigException e = failure("""
                receivers:
                  - name: lark
                    type: feishu
                    colour: red
                    url: https://open.feishu.cn/open-apis/bot/v2/hook/${FEISHU_TOKEN}

                  - name: log
                    type: log
                """);
        assertThat(e.getMessage()).contains("colour");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.getMessage()).startsWith("relay.yaml:4:");
    }

    @Test
    void unknownTopLevelKeyIsReportedWithItsLine() {
        ConfigException e = failure("""
                receivers:
                  - name: log
                    type: log
                routes:
                  - receiver: log
                """);
        assertThat(e.getMessage()).contains("routes");
        assertThat(e.line()).isEqualTo(4);
    }

    @Test
    void unknownTypeListsTheTypes() {
        ConfigException e = failure("""
                receivers:
                  - name: log
                    type: log
                  - name: chat
                    type: pagerduty
                    url: https://events.pagerduty.com/x
                """);
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.getMessage()).contains("slack").contains("feishu").contains("dingtalk").contains("wecom")
                .contains("email").contains("log");
    }

    @Test
    void receiverWithoutUrlIsReportedAtThatReceiver() {
        ConfigException e = failure("""
                receivers:
                  - name: log
                    type: log

                  - name: ding
                    type: dingtalk
                    secret: ${DING_SECRET}
                """);
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.getMessage()).startsWith("relay.yaml:5:").contains("ding").contains("url is required");
    }

    @Test
    void receiverWithoutTypeIsReportedAtThatReceiver() {
        ConfigException e = failure("""
                receivers:
                  - name: log
                    type: log
                  - name: mystery
                    url: https://x.example/hook
                """);
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.getMessage()).contains("mystery").contains("type is required");
    }

    @Test
    void nonHttpUrlIsReportedWithoutShowingIt() {
        ConfigException e = failure("""
                receivers:
                  - name: ding
                    type: dingtalk
                    url: ftp://oapi.dingtalk.com/robot/send?access_token=${WMS_TOKEN}
                """);
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.getMessage()).contains("http(s)").doesNotContain("ftp://");
    }

    @Test
    void unknownFormatListsTheFormatsOfTheType() {
        ConfigException e = failure("""
                receivers:
                  - name: ding
                    type: dingtalk
                    url: https://oapi.dingtalk.com/robot/send?access_token=${WMS_TOKEN}
                    format: interactive
                """);
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.getMessage()).contains("interactive").contains("markdown").contains("actionCard");
    }

    @Test
    void routeNamingAnUnknownReceiverIsReportedAtThatName() {
        ConfigException e = failure("""
                receivers:
                  - name: log
                    type: log
                route:
                  receiver: log
                  routes:
                    - matchers: ['team="ops"']
                      receiver: log
                    - matchers: ['team="db"']
                      receivers:
                        - log
                        - dba
                """);
        assertThat(e.line()).isEqualTo(12);
        assertThat(e.getMessage()).startsWith("relay.yaml:12:").contains("dba");
    }

    @Test
    void routeShorthandNamingAnUnknownReceiverIsReportedAtThatName() {
        ConfigException e = failure("""
                receivers:
                  - name: log
                    type: log
                route:
                  routes:
                    - matchers: ['team="ops"']
                      receiver: opsbot
                """);
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.getMessage()).contains("opsbot");
    }

    @Test
    void unknownDefaultReceiverIsReportedAtItsLine() {
        ConfigException e = failure("""
                receivers:
                  - name: log
                    type: log
                route:
                  receiver: nobody
                """);
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.getMessage()).contains("nobody");
    }

    @Test
    void badMatcherIsReportedAtItsLine() {
        ConfigException e = failure("""
                receivers:
                  - name: log
                    type: log
                route:
                  routes:
                    - matchers:
                        - team="ops"
                        - severity=~"(crit"
                      receiver: log
                """);
        assertThat(e.line()).isEqualTo(8);
        assertThat(e.getMessage()).startsWith("relay.yaml:8:").contains("bad regex").contains("severity");
    }

    @Test
    void unterminatedMatcherQuoteIsReportedAtItsLine() {
        ConfigException e = failure("""
                receivers:
                  - name: log
                    type: log
                route:
                  routes:
                    - matchers: ['team="ops']
                      receiver: log
                """);
        assertThat(e.line()).isEqualTo(6);
        assertThat(e.getMessage()).contains("unterminated");
    }

    @Test
    void duplicateReceiverNameIsReportedAtTheSecondDefinition() {
        ConfigException e = failure("""
                receivers:
                  - name: ops
                    type: log
                  - name: db
                    type: log
                  - type: log
                    name: ops
                """);
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.getMessage()).contains("'ops'").contains("defined twice");
    }

    @Test
    void everyProblemIsListedNotJustTheFirst() {
        ConfigException e = failure("""
                receivers:
                  - name: ding
                    type: dingtalk
                route:
                  routes:
                    - matchers: ['team="ops"']
                      receiver: ghost
                """);
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).contains("url is required").contains("line 7").contains("ghost");
    }

    @Test
    void yamlSyntaxErrorHasALine() {
        ConfigException e = failure("""
                receivers:
                  - name: log
                    type: log
                   bad indentation: [
                """);
        assertThat(e.line()).isGreaterThanOrEqualTo(4);
        assertThat(e.getMessage()).startsWith("relay.yaml:");
    }

    @Test
    void wrongValueTypeNamesTheKey() {
        ConfigException e = failure("""
                receivers:
                  - name: wecom
                    type: wecom
                    url: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${WECOM_KEY}
                    send_resolved: sometimes
                """);
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.getMessage()).contains("send_resolved");
    }

    @Test
    void templateCheckFailuresAreReportedAtTheTemplateKey() {
        RelayConfigLoader strict = new RelayConfigLoader(new PlaceholderResolver(ENV::get),
                new RelayConfigValidator(name -> {
                    throw new ConfigException(name, 0, 0, "template not found");
                }, io.alertrelay.testing.TestChannels.all().all()));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> strict.parse("relay.yaml", """
                receivers:
                  - name: lark
                    type: feishu
                    url: https://open.feishu.cn/open-apis/bot/v2/hook/${FEISHU_TOKEN}
                    template: custom.json.vm
                """));
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.getMessage()).contains("custom.json.vm").contains("template not found");
    }

    @Test
    void theSeed002ConfigurationParses() {
        assertThatCode(() -> loader.parse("relay.yaml", """
                receivers:
                  - name: robot-wms
                    type: dingtalk
                    url: https://oapi.dingtalk.com/robot/send?access_token=${WMS_TOKEN}
                  - name: robot-oms
                    type: dingtalk
                    url: https://oapi.dingtalk.com/robot/send?access_token=${OMS_TOKEN:oms}
                route:
                  receiver: robot-wms
                  routes:
                    - matchers: [project="wms"]
                      receiver: robot-wms
                    - matchers: [project="oms"]
                      receiver: robot-oms
                """)).doesNotThrowAnyException();
    }
}
