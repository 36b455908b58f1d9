package io.alertrelay.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChatExchangeTest {

    // the platforms' codes, as chat-apis.md lists them
    private static final Set<Integer> DINGTALK_RATE = Set.of(130101);
    private static final Set<Integer> DINGTALK_AUTH = Set.of(310000, 300001);
    private static final Set<Integer> FEISHU_RATE = Set.of(11232);
    private static final Set<Integer> FEISHU_AUTH = Set.of(19021, 19022, 19024);
    private static final Set<Integer> WECOM_RATE = Set.of(45009);
    private static final Set<Integer> WECOM_AUTH = Set.of(93000);

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("DingTalk", 200, 130101, "send too fast", FailureReason.RATE_LIMITED, true),
                Arguments.of("DingTalk", 200, 310000, "sign not match", FailureReason.AUTH_ERROR, false),
                Arguments.of("DingTalk", 200, 300001, "token is not exist", FailureReason.AUTH_ERROR, false),
                Arguments.of("DingTalk", 200, 460101, "message too large", FailureReason.CLIENT_ERROR, false),
                Arguments.of("DingTalk", 500, null, "", FailureReason.SERVER_ERROR, true),
                Arguments.of("DingTalk", 502, null, "Bad Gateway", FailureReason.SERVER_ERROR, true),
                Arguments.of("DingTalk", 429, null, "", FailureReason.RATE_LIMITED, true),
                Arguments.of("DingTalk", 200, null, "<html>proxy</html>", FailureReason.SERVER_ERROR, true),
                Arguments.of("DingTalk", 401, null, "", FailureReason.AUTH_ERROR, false),
                Arguments.of("DingTalk", 403, null, "", FailureReason.AUTH_ERROR, false),
                Arguments.of("DingTalk", 404, null, "", FailureReason.CLIENT_ERROR, false),
                Arguments.of("Feishu", 400, 9499, "Bad Request", FailureReason.CLIENT_ERROR, false),
                Arguments.of("Feishu", 200, 11232, "frequency limited", FailureReason.RATE_LIMITED, true),
                Arguments.of("Feishu", 200, 19021, "sign match fail or timestamp is not within one hour from current time",
                        FailureReason.AUTH_ERROR, false),
                Arguments.of("Feishu", 200, 19024, "Key Words Not Found", FailureReason.AUTH_ERROR, false),
                Arguments.of("Feishu", 200, 19036, "request body too large", FailureReason.CLIENT_ERROR, false),
                Arguments.of("Feishu", 500, 0, "", FailureReason.SERVER_ERROR, true),
                Arguments.of("Feishu", 503, 1234, "internal", FailureReason.SERVER_ERROR, true),
                Arguments.of("Feishu", 400, 0, "", FailureReason.CLIENT_ERROR, false),
                Arguments.of("WeCom", 200, 45009, "api freq out of limit", FailureReason.RATE_LIMITED, true),
                Arguments.of("WeCom", 200, 40058, "markdown.content exceed max length 4096", FailureReason.CLIENT_ERROR, false),
                Arguments.of("WeCom", 200, 93000, "invalid webhook url", FailureReason.AUTH_ERROR, false),
                Arguments.of("WeCom", 0, null, "", FailureReason.SERVER_ERROR, true));
    }

    private static Set<Integer> rate(String platform) {
        return switch (platform) {
            case "DingTalk" -> DINGTALK_RATE;
            case "Feishu" -> FEISHU_RATE;
            default -> WECOM_RATE;
        };
    }

    private static Set<Integer> auth(String platform) {
        return switch (platform) {
            case "DingTalk" -> DINGTALK_AUTH;
            case "Feishu" -> FEISHU_AUTH;
            default -> WECOM_AUTH;
        };
    }

    @ParameterizedTest(name = "[{index}] {0} HTTP {1} code {2} -> {4}")
    @MethodSource("failures")
    void classifiesFailures(String platform, int http, Integer code, String message, FailureReason reason,
                            boolean retryable) {
        ChatExchange.Answer answer = new ChatExchange.Answer(http, code, message);
        DeliveryFailedException e = catchThrowableOfType(DeliveryFailedException.class,
                () -> ChatExchange.verify(answer, platform, rate(platform), auth(platform)));
        assertThat(e).as("must fail").isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.isRetryable()).isEqualTo(retryable);
        assertThat(e.getMessage()).startsWith(reason.label() + ": ").contains(platform);
        if (code != null) {
            assertThat(e.getMessage()).contains(Integer.toString(code));
        } else {
            assertThat(e.getMessage()).contains("HTTP " + http);
        }
    }

    static Stream<Arguments> successes() {
        return Stream.of(
                Arguments.of("DingTalk", 200, 0),
                Arguments.of("Feishu", 200, 0),
                Arguments.of("WeCom", 200, 0),
                Arguments.of("Feishu", 204, 0));
    }

    @ParameterizedTest(name = "[{index}] {0} HTTP {1} code {2} -> ok")
    @MethodSource("successes")
    void codeZeroWithA2xxIsSuccess(String platform, int http, int code) {
        assertThatCode(() -> ChatExchange.verify(new ChatExchange.Answer(http, code, "ok"), platform,
                rate(platform), auth(platform))).doesNotThrowAnyException();
    }

    @Test
    void retryableFollowsAlertmanagerSemantics() {
        assertThat(FailureReason.RATE_LIMITED.retryable()).isTrue();
        assertThat(FailureReason.SERVER_ERROR.retryable()).isTrue();
        assertThat(FailureReason.TIMEOUT.retryable()).isTrue();
        assertThat(FailureReason.AUTH_ERROR.retryable()).isFalse();
        assertThat(FailureReason.CLIENT_ERROR.retryable()).isFalse();
        assertThat(FailureReason.RATE_LIMITED.label()).isEqualTo("rateLimited");
        assertThat(FailureReason.CLIENT_ERROR.label()).isEqualTo("clientError");
    }

    // --- answer(): reading the platform's reply off the exchange ---

    private static Exchange reply(CamelContext camel, Integer status, Object body) {
        Exchange exchange = new DefaultExchange(camel);
        if (status != null) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        }
        exchange.getMessage().setBody(body);
        return exchange;
    }

    @Test
    void answerReadsTheCodeAndMessageFields() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            ChatExchange.Answer a = ChatExchange.answer(reply(camel, 200,
                    "{\"errcode\":130101,\"errmsg\":\"send too fast\"}".getBytes(StandardCharsets.UTF_8)),
                    "errcode", "errmsg");
            assertThat(a).isEqualTo(new ChatExchange.Answer(200, 130101, "send too fast"));
        }
    }

    @Test
    void answerWithNonJsonBodyHasNoCodeAndKeepsTheText() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            Exchange exchange = reply(camel, 200, "<html>\n  <body>gateway</body>\n</html>");
            ChatExchange.Answer a = ChatExchange.answer(exchange, "code", "msg");
            assertThat(a.code()).isNull();
            assertThat(a.httpStatus()).isEqualTo(200);
            assertThat(a.message()).isEqualTo("<html> <body>gateway</body> </html>");
            assertThat(exchange.getMessage().getBody(String.class)).contains("gateway");
            DeliveryFailedException e = catchThrowableOfType(DeliveryFailedException.class,
                    () -> ChatExchange.verify(a, "Feishu", FEISHU_RATE, FEISHU_AUTH));
            assertThat(e.reason()).isEqualTo(FailureReason.SERVER_ERROR);
        }
    }

    @Test
    void answerWithoutTheCodeFieldHasNoCode() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            ChatExchange.Answer a = ChatExchange.answer(reply(camel, 200, "{\"StatusCode\":0,\"StatusMessage\":\"success\"}"),
                    "code", "msg");
            assertThat(a.code()).isNull();
            ChatExchange.Answer old = ChatExchange.answer(reply(camel, 200, "{\"StatusCode\":0,\"StatusMessage\":\"success\"}"),
                    "StatusCode", "StatusMessage");
            assertThat(old).isEqualTo(new ChatExchange.Answer(200, 0, "success"));
        }
    }

    @Test
    void answerWithoutStatusHeaderIsStatusZero() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            ChatExchange.Answer a = ChatExchange.answer(reply(camel, null, ""), "code", "msg");
            assertThat(a).isEqualTo(new ChatExchange.Answer(0, null, ""));
        }
    }
}
