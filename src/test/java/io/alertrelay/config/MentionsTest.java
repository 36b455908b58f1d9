package io.alertrelay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A configured mention goes into the platforms' mention syntax as it is: an id that could end that syntax is refused. */
class MentionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"ou_1 ></at><at id=all", "zhangsan><@all", "a\"b", "all></at>", "", " ou_1", "@all"})
    void aUserIdThatCouldBreakOutOfTheMentionSyntaxIsRefused(String id) {
        assertThatThrownBy(() -> new Mentions(List.of(), List.of(id), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mentions.user_ids");
    }

    @ParameterizedTest
    @ValueSource(strings = {"138 0000 0000", "@all", "13800000000 @all", "abc", ""})
    void aMobileIsOnlyAPhoneNumber(String mobile) {
        assertThatThrownBy(() -> new Mentions(List.of(mobile), List.of(), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mentions.mobiles");
    }

    @Test
    void thePlatformsIdsAndPhoneNumbersAreAccepted() {
        assertThatCode(() -> new Mentions(List.of("13800000000", "+86-13800000000"),
                List.of("ou_0123456789abcdef", "zhangsan", "li.si@corp", "user-1", "manager4521"), true))
                .doesNotThrowAnyException();
    }

    @Test
    void theConfigurationFileNamesTheReceiverAndLineOfABadId(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("relay.yaml");
        Files.writeString(file, """
                receivers:
                  - name: ops-wecom
                    type: wecom
                    url: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k
                    mentions:
                      user_ids: ["zhangsan><@all"]
                """);
        RelayConfigLoader loader = new RelayConfigLoader(new PlaceholderResolver(name -> null), new RelayConfigValidator(name -> { }, io.alertrelay.testing.TestChannels.all().all()));
        assertThatThrownBy(() -> loader.load(file)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("relay.yaml").contains("user_ids"));
    }
}
