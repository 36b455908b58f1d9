package io.alertrelay.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/** Who may log in: admin with the token, configured users with a hash; a plain password is refused without being quoted. */
class ConsoleUsersTest {

    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    @Test
    void theAdminTokenIsAdminsPasswordHeldHashed() {
        InMemoryUserDetailsManager users = ConsoleUsers.of("the-token", Map.of());
        String stored = users.loadUserByUsername("admin").getPassword();
        assertThat(stored).startsWith("{bcrypt}").doesNotContain("the-token");
        assertThat(encoder.matches("the-token", stored)).isTrue();
        assertThat(encoder.matches("the-token ", stored)).isFalse();
    }

    @Test
    void nobodyWithoutATokenOrUsers() {
        InMemoryUserDetailsManager users = ConsoleUsers.of("", Map.of());
        assertThat(users.userExists("admin")).isFalse();
    }

    @Test
    void aConfiguredUserKeepsItsHash() {
        String hash = "{bcrypt}" + new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder(4).encode("pw");
        InMemoryUserDetailsManager users = ConsoleUsers.of("", Map.of("alice", hash));
        assertThat(encoder.matches("pw", users.loadUserByUsername("alice").getPassword())).isTrue();
    }

    @Test
    void aPlainPasswordIsRefusedNamingTheUserNotTheValue() {
        assertThatThrownBy(() -> ConsoleUsers.of("", Map.of("bob", "hunter2-plain")))
                .hasMessageContaining("relay.console.users.bob").hasMessageContaining("{bcrypt}")
                .hasMessageNotContaining("hunter2-plain");
        assertThatThrownBy(() -> ConsoleUsers.of("", Map.of("bob", "{noop}hunter2-plain")))
                .hasMessageNotContaining("hunter2-plain");
    }

    @Test
    void adminIsTheTokensWhenThereIsOne() {
        String hash = "{bcrypt}" + new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder(4).encode("pw");
        assertThatThrownBy(() -> ConsoleUsers.of("token", Map.of("admin", hash))).hasMessageContaining("admin");
        assertThat(ConsoleUsers.of("", Map.of("admin", hash)).userExists("admin")).isTrue();
        assertThatThrownBy(() -> ConsoleUsers.of("", Map.of("<b>", hash))).hasMessageContaining("not allowed");
    }
}
