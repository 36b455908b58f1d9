package io.alertrelay.notify.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.config.Mentions;
import io.alertrelay.notify.DeliveryFailedException;
import io.alertrelay.notify.FailureReason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class WeComChannelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> strings(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void textGetsMentionListsIncludingAtAll() throws Exception {
        ObjectNode payload = (ObjectNode) JSON.readTree("{\"msgtype\":\"text\",\"text\":{\"content\":\"HostDown\"}}");
        WeComChannel.addMentions(payload, new Mentions(List.of("13800000000"), List.of("zhangsan", "lisi"), true));
        JsonNode text = payload.get("text");
        assertThat(strings(text.get("mentioned_list"))).containsExactly("zhangsan", "lisi", "@all");
        assertThat(strings(text.get("mentioned_mobile_list"))).containsExactly("13800000000");
        assertThat(text.get("content").asText()).isEqualTo("HostDown");
    }

    @Test
    void markdownGetsUserIdTagsInTheContent() throws Exception {
        ObjectNode payload = (ObjectNode) JSON.readTree("{\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"### HostDown\"}}");
        WeComChannel.addMentions(payload, new Mentions(List.of("13800000000"), List.of("zhangsan", "lisi"), false));
        assertThat(payload.get("markdown").get("content").asText()).isEqualTo("### HostDown\n<@zhangsan><@lisi>");
        assertThat(payload.get("markdown").has("mentioned_list")).isFalse();
    }

    @Test
    void markdownWithoutUserIdsIsLeftAlone() throws Exception {
        ObjectNode payload = (ObjectNode) JSON.readTree("{\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"### HostDown\"}}");
        ObjectNode before = payload.deepCopy();
        WeComChannel.addMentions(payload, new Mentions(List.of("13800000000"), List.of(), false));
        assertThat(payload).isEqualTo(before);
        WeComChannel.addMentions(payload, Mentions.NONE);
        assertThat(payload).isEqualTo(before);
    }

    private static Exchange answer(CamelContext camel, int status, String body) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        return exchange;
    }

    @Test
    void verifyReadsErrcodeInsideHttp200() throws Exception {
        WeComChannel notifier = new WeComChannel();
        try (CamelContext camel = new DefaultCamelContext()) {
            assertThatCode(() -> notifier.verify(null, answer(camel, 200, "{\"errcode\":0,\"errmsg\":\"ok\"}")))
                    .doesNotThrowAnyException();
            assertThat(catchThrowableOfType(DeliveryFailedException.class,
                    () -> notifier.verify(null, answer(camel, 200, "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}")))
                    .reason()).isEqualTo(FailureReason.RATE_LIMITED);
            assertThat(catchThrowableOfType(DeliveryFailedException.class,
                    () -> notifier.verify(null, answer(camel, 200, "{\"errcode\":40058,\"errmsg\":\"exceed max length\"}")))
                    .reason()).isEqualTo(FailureReason.CLIENT_ERROR);
        }
    }
}
