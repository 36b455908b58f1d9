package io.alertrelay.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.store.KeyHash;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Signed action links: one action on one group, until they expire; anything altered or signed with another key is refused. */
class ActionLinksTest {

    private static final Instant NOW = Instant.parse("2026-11-28T06:30:00Z");
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    private static final String GROUP = KeyHash.of("ops-feishu", "{}:{alertname=\"HostDown\"}");

    private final AtomicReference<Instant> now = new AtomicReference<>(NOW);
    private final Clock clock = new Clock() {
        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now.get(); }
    };
    private final ActionLinks links = new ActionLinks(() -> KEY, "https://relay.example/", Duration.ofDays(7), clock);

    private static String token(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    @Test
    void aLinkNamesItsActionAndGroupUnderTheRelaysAddress() {
        String url = links.url(Action.SILENCE_4H, GROUP);
        assertThat(url).startsWith("https://relay.example/ui/a/").hasSizeLessThan(110);
        ActionLinks.Verified verified = links.verify(token(url));
        assertThat(verified.action()).isEqualTo(Action.SILENCE_4H);
        assertThat(verified.keyHash()).isEqualTo(GROUP);
        assertThat(verified.expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(7)));
        assertThat(links.verify(token(links.url(Action.ACK, GROUP))).tokenHash())
                .as("each action's link is a link of its own (used once each)").isNotEqualTo(verified.tokenHash());
    }

    @Test
    void everyAlteredByteIsRefused() {
        byte[] bytes = Base64.getUrlDecoder().decode(token(links.url(Action.SILENCE_1H, GROUP)));
        for (int i = 0; i < bytes.length; i++) {
            byte[] altered = bytes.clone();
            altered[i] ^= 0x01;
            String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(altered);
            assertThatThrownBy(() -> links.verify(forged)).as("byte %d altered", i)
                    .isInstanceOf(ActionLinks.InvalidLinkException.class);
        }
    }

    @Test
    void anotherGroupOrActionCannotBeSwappedInWithoutTheKey() {
        // the action byte and the group hash are signed: a 24 h silence cannot be made from a 1 h link,
        // nor one group's link turned to another
        byte[] bytes = Base64.getUrlDecoder().decode(token(links.url(Action.SILENCE_1H, GROUP)));
        bytes[1] = (byte) 4;
        String longer = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        assertThatThrownBy(() -> links.verify(longer)).hasMessageContaining("signature");
        ActionLinks otherKey = new ActionLinks(() -> "another key, another relay store".getBytes(), "https://relay.example",
                Duration.ofDays(7), clock);
        assertThatThrownBy(() -> links.verify(token(otherKey.url(Action.ACK, KeyHash.of("ops-feishu", "other")))))
                .hasMessageContaining("signature");
    }

    @Test
    void aLinkExpiresAfterItsLifetime() {
        String url = links.url(Action.ACK, GROUP);
        now.set(NOW.plus(Duration.ofDays(7)).minusSeconds(1));
        assertThat(links.verify(token(url)).action()).isEqualTo(Action.ACK);
        now.set(NOW.plus(Duration.ofDays(7)));
        assertThatThrownBy(() -> links.verify(token(url))).isInstanceOfSatisfying(ActionLinks.InvalidLinkException.class,
                e -> assertThat(e.expired()).isTrue());
    }

    @Test
    void garbageIsMalformedNotAnError() {
        for (String garbage : new String[] {"", "abc", "%%%", "a".repeat(5000), null}) {
            assertThatThrownBy(() -> links.verify(garbage)).isInstanceOf(ActionLinks.InvalidLinkException.class)
                    .hasMessageContaining("malformed");
        }
    }

    @Test
    void withoutTheRelaysAddressThereAreNoLinks() {
        assertThat(links.enabled()).isTrue();
        assertThat(new ActionLinks(() -> KEY, "", Duration.ofDays(7), clock).enabled()).isFalse();
    }
}
